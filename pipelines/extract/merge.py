"""One finding per fact: findings that report the same thing in one document become one.

Two passes over the findings of a document, sorted by start:

1. **Neighbours.** A finding and the next one merge when they have the same category, their
   agencies are related (one names none, or one's agency is part of the other's: "ICE" and
   "ERO"; "ICE" then "FBI" are two facts) and the text between them is white space or at most
   one sentence (``MAX_GAP`` characters or fewer) of the same paragraph: no blank line or page
   break, and no line starting there that opens a block of its own (a list item, a heading, a
   table row). A heading that is itself a finding merges with the body below it; a heading
   *between* two findings starts a new section and keeps them apart. Rows of tables and
   portal access lists are records, one fact each, and never merge; neither does a passage
   that would grow past ``MAX_MERGED`` characters. The merged finding spans both:
   ``snippet == text[start:end]``, the union of agencies, vendors, systems, highlights and
   rules, the higher confidence.
2. **Repeats of a numbered item.** A report's summary and its body, or an agenda title and
   the minutes' motion, often cite the same item ("Finding 2025-14-02", "Resolution 25-R-41").
   A finding of the same category citing the same item, and naming no agency the longer
   finding does not, is a repeat: it is dropped and the longer finding keeps the evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipelines.extract.lexicon import Lexicon
from pipelines.extract.model import Finding
from pipelines.extract.segment import line_bounds, starts_block, unit_at

MAX_GAP = 300
MAX_MERGED = 1500
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r]*\n|\f")
_ITEM_NUMBER = re.compile(r"\d[-./][\dA-Za-z]")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A finding and whether it may merge or be dropped as a repeat (portal lists and table
    rows may not: each is a record of its own)."""

    finding: Finding
    mergeable: bool


def one_per_fact(text: str, candidates: list[Candidate], lex: Lexicon) -> list[Finding]:
    """The findings of a document with neighbours merged and repeats of an item dropped."""
    return drop_repeats(merge_neighbours(text, candidates, lex), lex)


def merge_neighbours(text: str, candidates: list[Candidate], lex: Lexicon) -> list[Candidate]:
    """Neighbouring findings of one category that report one passage, merged (pass 1)."""
    out: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.finding.start, c.finding.end)):
        if out and _neighbours(text, out[-1], candidate, lex):
            out[-1] = Candidate(_union(text, out[-1].finding, candidate.finding), True)
        else:
            out.append(candidate)
    return out


def _neighbours(text: str, first: Candidate, second: Candidate, lex: Lexicon) -> bool:
    a, b = first.finding, second.finding
    if not (first.mergeable and second.mergeable) or a.category != b.category:
        return False
    if not related_agencies(a.agencies, b.agencies, lex):
        return False
    if b.start < a.end or b.end - a.start > MAX_MERGED or b.start - a.end > MAX_GAP:
        return False
    gap = text[a.end : b.start]
    if _PARAGRAPH_BREAK.search(gap):
        return False
    newline = gap.find("\n")
    while newline >= 0:  # every line starting between them, up to the second finding's
        line_start = a.end + newline + 1
        if starts_block(text[line_start : line_bounds(text, line_start)[1]]):
            return False
        newline = gap.find("\n", newline + 1)
    body = gap.strip()
    if not body:
        return True
    low = a.end + (len(gap) - len(gap.lstrip()))
    return unit_at(text, low, lex)[1] >= low + len(body)  # one sentence, not two


def related_agencies(first: tuple[str, ...], second: tuple[str, ...], lex: Lexicon) -> bool:
    """True if one side names no agency, or an agency of one is, or is part of, an agency of
    the other ("ICE" and "ERO", "DHS" and "CBP"; not "ICE" and "FBI", nor "ICE" and "CBP")."""
    if not first or not second:
        return True
    family = lex.agency_family
    return any(
        a in family.get(b, (b,)) or b in family.get(a, (a,)) for a in first for b in second
    )


def _union(text: str, a: Finding, b: Finding) -> Finding:
    return replace(
        a,
        end=b.end,
        snippet=text[a.start : b.end],
        agencies=_ordered(a.agencies + b.agencies),
        confidence=max(a.confidence, b.confidence),
        rules=_ordered(a.rules + b.rules),
        highlights=tuple(sorted(set(a.highlights) | set(b.highlights))),
        vendors=_ordered(a.vendors + b.vendors),
        systems=_ordered(a.systems + b.systems),
    )


def _ordered(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def drop_repeats(candidates: list[Candidate], lex: Lexicon) -> list[Finding]:
    """Findings citing the same numbered item as a longer one of the same category, and
    naming no other agency, dropped (pass 2); the order of the rest is kept."""
    labelled = [
        (index, c.finding, item_labels(c.finding.snippet, lex))
        for index, c in enumerate(candidates) if c.mergeable
    ]
    labelled = [entry for entry in labelled if entry[2]]
    if len(labelled) < 2:
        return [c.finding for c in candidates]
    keeper: dict[tuple[str, str], int] = {}
    kept = {index: finding for index, finding, _ in labelled}
    dropped: set[int] = set()
    for index, finding, labels in sorted(labelled, key=lambda e: (-len(e[1].snippet), e[0])):
        keys = [(str(finding.category), label) for label in labels]
        shared = next((k for k in keys if k in keeper), None)
        longer = keeper[shared] if shared else -1
        if shared and set(finding.agencies) <= set(kept[longer].agencies):
            kept[longer] = _absorb(kept[longer], finding, shared[1])
            dropped.add(index)
            continue
        for key in keys:
            keeper.setdefault(key, index)
    return [
        kept.get(index, c.finding) for index, c in enumerate(candidates) if index not in dropped
    ]


def _absorb(keeper: Finding, repeat: Finding, label: str) -> Finding:
    note = f"the same item ('{label}') is also reported elsewhere in the document"
    return replace(
        keeper,
        confidence=max(keeper.confidence, repeat.confidence),
        rules=_ordered((*keeper.rules, note)),
    )


def item_labels(snippet: str, lex: Lexicon) -> list[str]:
    """The numbered items a passage cites, normalised: "Resolution No. 25-R-41" gives
    "resolution 25-r-41"."""
    if not _ITEM_NUMBER.search(snippet):  # cheap: most passages cite no numbered item
        return []
    return list(dict.fromkeys(
        f"{match.group('kind')} {match.group('number')}".casefold()
        for match in lex.item_label.finditer(snippet)
    ))
