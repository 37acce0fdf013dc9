"""The plain-English explanations of findings that readers see on the site.

Each finding carries rules such as "federal agency (CBP) + sharing wording ('shared … with'),
no negation, hedge or remediation": what was found, and what was checked and not found.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipelines.extract.mentions import Mention
from pipelines.extract.scopes import Scope

_LABELS = {
    "federal": "federal party",
    "oos": "out-of-state party",
    "nation": "nationwide network",
    "state": "agency in another state",
    "access": "access wording",
    "assist": "help wording",
    "search": "search wording",
    "give": "sharing wording",
    "agreement": "agreement",
    "agree_act": "agreement act",
    "imm": "",
    "imm_phrase": "",
}
_CUES = {
    "negation": "negation",
    "prohibition": "policy wording",
    "law": "a description of a law",
    "definition": "a definition",
    "capability": "a description of what a system can do",
    "hedge": "a hedge",
    "remediation": "remediation",
    "conditional": "a condition",
    "inbound": "incoming-data wording",
    "question": "a question",
    "request": "an item of a records request",
    "boilerplate": "contract or grant boilerplate",
}


def quote(text: str, limit: int = 40) -> str:
    """A matched phrase as shown to readers: white space folded, long gaps elided."""
    words = text.split()
    folded = " ".join(words)
    if len(folded) > limit and len(words) > 2:
        folded = f"{words[0]} … {words[-1]}"
    return f"'{folded}'"


def describe(mention: Mention) -> str:
    """What a mention is, in words: "federal agency (CBP)", "sharing wording ('shared … with')"."""
    if mention.kind == "agency":
        return f"federal agency ({mention.key})"
    label = _LABELS.get(mention.kind, mention.kind)
    return f"{label} ({quote(mention.text)})" if label else f"({quote(mention.text)})"


def polarity_note(scopes: Sequence[Scope]) -> str:
    """The checks that passed: no negation, hedge or remediation over the evidence."""
    if not scopes:
        return "no negation, hedge or remediation"
    other = scopes[0]
    return (
        f"no negation, hedge or remediation over it ({_CUES[other.kind]} "
        f"{quote(other.cue)} covers another clause)"
    )


def cue_label(kind: str) -> str:
    """The reader's word for a kind of cue."""
    return _CUES[kind]
