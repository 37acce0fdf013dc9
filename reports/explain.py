"""Why a finding was flagged, in words a reader understands.

The findings engine explains each finding with rules written for maintainers
(pipelines/extract/explain.py), such as "federal agency (HSI) + access wording ('access
to'), no negation, hedge or remediation". This module retells them: "It names Homeland
Security Investigations (HSI) with words about access (“access to”). Nothing in the passage
denies it, puts it in doubt or says it was stopped." A rule it cannot read is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# The engine's words for what it found → the reader's words.
_WHAT = {
    "federal agency": "a federal agency",
    "federal party": "a federal party",
    "out-of-state party": "a party outside the state",
    "nationwide network": "a nationwide network",
    "agency in another state": "an agency in another state",
    "access wording": "words about access",
    "help wording": "words about helping",
    "search wording": "words about searching",
    "sharing wording": "words about sharing",
    "agreement": "an agreement",
    "agreement act": "an act that sets up an agreement",
}
_PART = re.compile(r"(?P<what>[a-z -]+?) \((?P<value>.+)\)")
_CHECKED = re.compile(r",? ?no negation, hedge or remediation(?: over it \((?P<other>.+)\))?$")
_OTHER = re.compile(r"(?P<cue>.+?) '(?P<word>.+)' covers another clause")
_SAME = re.compile(r"the same item \('(?P<item>.+)'\) is also reported elsewhere in the document")
_PORTAL = {
    "portal lists a [Federal] organization among those granted access to its data":
        "The police department's transparency portal lists an organization it tags "
        "[Federal] among those with access to its data.",
}
_PORTAL_PREFIXES = {
    "portal lists a federal agency": "The transparency portal lists a federal agency among "
                                     "those with access to its data.",
    "portal lists organizations in states other than": "The transparency portal lists "
        "organizations in other states among those with access to its data.",
    "search audit logs searches whose reason": "The search audit log lists searches whose "
                                               "stated reason is about immigration.",
}


def plain_reason(rule: str, full_names: Mapping[str, str]) -> str:
    """One rule of the engine in plain words; ``full_names`` maps ``HSI`` to its full name."""
    rule = rule.strip()
    if rule in _PORTAL:
        return _PORTAL[rule]
    for prefix, text in _PORTAL_PREFIXES.items():
        if rule.startswith(prefix):
            return text
    same = _SAME.fullmatch(rule)
    if same:
        return f"The same item (“{same['item']}”) is reported elsewhere in the document too."
    checked = _CHECKED.search(rule)
    found = rule[:checked.start()] if checked else rule
    parts = [_part(p.strip(), full_names) for p in found.split(" + ")]
    if not all(parts):
        return rule[:1].upper() + rule[1:]
    sentence = "It names " + " with ".join(p for p in parts if p) + "."
    if checked:
        sentence += " Nothing in the passage denies it, puts it in doubt or says it stopped."
        other = _OTHER.fullmatch(checked["other"] or "")
        if other:
            sentence += (f" (The {other['cue'].removeprefix('a ')} “{other['word']}” is there, "
                         "but it is about another part of the sentence.)")
    return sentence


def _part(text: str, full_names: Mapping[str, str]) -> str | None:
    match = _PART.fullmatch(text)
    if not match or match["what"] not in _WHAT:
        return None
    what, value = _WHAT[match["what"]], match["value"]
    if match["what"] == "federal agency":
        full = full_names.get(value)
        return f"{what}, {full} ({value})" if full else f"{what}, {value}"
    return f"{what} ({_curly(value)})"


def _curly(value: str) -> str:
    """``'access to'`` → ``“access to”``."""
    if len(value) > 1 and value[0] == value[-1] == "'":
        return f"“{value[1:-1]}”"
    return value
