"""Words found in a unit of text: parties, acts, data words, search reasons.

A :class:`Mention` is one match with its kind and offsets relative to the unit. The kinds:

- parties: ``agency`` (key = short name), ``federal`` (unnamed federal party), ``oos``
  (out-of-state wording), ``nation`` (nationwide network), ``state`` (key = state code of
  an agency in another state);
- acts: ``access`` and ``search`` (party before or after; need local data), ``assist``
  (help given to the party; no data needed), ``give`` (needs a data word and the party
  after it), ``agreement`` (an instrument), ``agree_act``;
- context: ``data``, ``local_data`` (surveillance data, or a local body's data), ``vendor``
  (key = vendor name), ``system``,
  ``imm`` (immigration reason word), ``imm_phrase`` (an immigration reason phrase).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.extract.lexicon import Lexicon
from pipelines.extract.scanner import Scan

PARTY_KINDS = frozenset({"agency", "federal", "oos", "nation", "state"})
ACT_KINDS = frozenset({"access", "assist", "search", "give", "agreement", "agree_act"})
FEDERAL_KINDS = frozenset({"agency", "federal"})
AGREEMENT_KINDS = frozenset({"agreement", "agree_act"})


@dataclass(frozen=True, slots=True)
class Mention:
    """One matched word or phrase; offsets are relative to the unit's text."""

    kind: str
    start: int
    end: int
    text: str
    key: str = ""


def found(scan: Scan, section: str, kind: str | None = None) -> list[Mention]:
    """The hits of a scanner section as mentions of ``kind`` (the section name by default)."""
    return [Mention(kind or section, h.start, h.end, h.text, h.key) for h in scan.find(section)]


def act_mentions(scan: Scan, lex: Lexicon, parties: list[Mention]) -> list[Mention]:
    """Access, search, giving and agreement wording; vendor contracts and words inside a
    party's name ("Lookup" in "National Lookup") left out."""
    acts = [*found(scan, "access"), *found(scan, "assist"), *found(scan, "search"),
            *found(scan, "give"), *found(scan, "agree_act")]
    acts += [m for m in found(scan, "agreement")
             if _party_contract(scan.text, m, parties) or not _vendor_contract(scan.text, m, lex)]
    named = [p for p in parties if p.kind != "federal"]  # "federal pilot" is party and act
    return [a for a in acts if not any(p.start <= a.start and a.end <= p.end for p in named)]


def context_mentions(scan: Scan) -> list[Mention]:
    """Data words, local data words, vendors and systems."""
    return [*found(scan, "data"), *found(scan, "local_data"), *found(scan, "systems", "system"),
            *found(scan, "vendor")]


def immigration_mentions(scan: Scan) -> list[Mention]:
    """Immigration reason words and phrases."""
    return [*found(scan, "imm"), *found(scan, "imm_phrase")]


_OWNER_GAP = 25  # characters between a party and the contract it made ("ICE struck a deal")


def _party_contract(text: str, agreement: Mention, parties: list[Mention]) -> bool:
    """True when a federal party made the contract, even with a vendor ("ICE struck a deal
    with Vigilant", "ICE's contract with"): the party is its subject, just before it."""
    for party in parties:
        gap = agreement.start - party.end
        between = text[party.end : agreement.start] if gap >= 0 else ","
        if party.kind in FEDERAL_KINDS and gap <= _OWNER_GAP and not any(
            c in ",;.:()" for c in between
        ):
            return True
    return False


_WITH_VENDOR = re.compile(r"\W+(?:\w+\W+){0,3}?(?:with|from)\s+(?:the\s+|its\s+)?", re.IGNORECASE)


def _vendor_contract(text: str, agreement: Mention, lex: Lexicon) -> bool:
    """True for a contract with an ordinary vendor ("contract with Flock", "Flock contract")."""
    window = text[max(0, agreement.start - 30) : agreement.start]
    for vendor in lex.vendor.finditer(window):
        if vendor.end() >= len(window) - 6 and not _is_broker(vendor, lex):
            return True
    link = _WITH_VENDOR.match(text, agreement.end)
    if link is None:
        return False
    after = lex.vendor.match(text, link.end())
    return after is not None and not _is_broker(after, lex)


def _is_broker(match: re.Match[str], lex: Lexicon) -> bool:
    return lex.vendor_groups[match.lastgroup or ""][1]
