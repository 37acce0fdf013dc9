"""Clauses of a unit and the stretches of text that negation, hedges, policy language and
remediation take away.

A unit is cut into *regions* at hard boundaries (";", "but", "however", the comma ending
"While …," or "Despite …,"): an act and a party must share a region to be linked.
Polarity cues reach forward to the next soft boundary (a hard one, a dash, "after",
"because", "when", ", and the …", the commas around ", which …,", the comma ending an
opening "If …,"): "not", "prohibits" and "may" cover what follows them; a passive denial
("is prohibited"), remediation ("access was revoked") and conditions ("… if they get a
warrant") cover their whole clause. A description of what a system can do ("the network
lets participating agencies search …") covers the rest of its clause unless the clause names
one agency's own data ("… search the county's cameras").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipelines.extract.lexicon import Lexicon
from pipelines.extract.scanner import Hit, Scan

FORWARD = ("negation", "prohibition", "law", "definition", "hedge", "inbound")
_SUBJECT_REACH = 60  # characters before a capability cue where its subject is looked for
_VERB_FIRST = re.compile(r"[\W\d]*")  # only bullets or numbers before a capitalised cue
_NAME_WORDS = 6  # words before a capability subject that still make it the clause's head
_OWNER_REACH = 30  # characters before that subject where its owner is named ("the county's")


@dataclass(frozen=True, slots=True)
class Scope:
    """A stretch of the unit where a cue of ``kind`` takes parties and acts away."""

    kind: str
    start: int
    end: int
    cue: str


@dataclass(frozen=True)
class Clauses:
    """Regions (for linking) and soft boundaries (for polarity) of one unit."""

    regions: tuple[tuple[int, int], ...]
    soft: tuple[int, ...]

    def region_of(self, pos: int) -> int:
        """Index of the region holding ``pos``."""
        for index, (start, end) in enumerate(self.regions):
            if start <= pos < end:
                return index
        return len(self.regions) - 1

    def clause_end(self, pos: int, length: int) -> int:
        """The first soft boundary after ``pos``."""
        index = bisect.bisect_right(self.soft, pos)
        return self.soft[index] if index < len(self.soft) else length

    def clause_start(self, pos: int) -> int:
        """The last soft boundary at or before ``pos``."""
        index = bisect.bisect_right(self.soft, pos)
        return self.soft[index - 1] if index else 0


def clauses(text: str, lex: Lexicon, *, split: bool = True, extra: Iterable[int] = ()) -> Clauses:
    """Cut ``text`` into regions and soft clauses; ``split=False`` keeps one region (rows)."""
    hard: list[int] = []
    soft: list[int] = list(extra)
    opening = lex.opening.match(text)
    if opening is not None:
        first = opening.group("open").casefold()
        comma = opening.end() - 1
        is_contrast = any(first.startswith(word) for word in lex.contrast_openings)
        (hard if is_contrast and split else soft).append(comma)
    if split:
        hard += [m.start() for m in lex.hard_boundary.finditer(text)]
    soft += [m.start() for m in lex.soft_boundary.finditer(text)]
    for relative in lex.relative_clause.finditer(text):  # ", which had shared data with ICE,"
        soft += [relative.start(), relative.end() - 1]
    soft += hard
    cuts = sorted(set(hard))
    edges = [0, *cuts, len(text)]
    regions = tuple((a, b) for a, b in zip(edges, edges[1:], strict=False) if b > a)
    return Clauses(regions or ((0, len(text)),), tuple(sorted(set(soft))))


def polarity_scopes(scan: Scan, parts: Clauses) -> list[Scope]:
    """Every stretch of the unit taken away by a cue, in no particular order, except
    capability descriptions (:func:`capability_scopes`)."""
    text = scan.text
    length = len(text)
    scopes: list[Scope] = []
    if text.rstrip().endswith("?"):
        scopes.append(Scope("question", 0, length, "?"))
    negation_except = _spans(scan.find("negation_except"))
    hedge_except = _spans(scan.find("hedge_except"))
    cues = {
        "negation": [h for h in scan.find("negation") if not _within(h, negation_except)],
        "hedge": [h for h in scan.find("hedge") if not _within(h, hedge_except)],
    }
    for kind in FORWARD:
        for hit in cues[kind] if kind in cues else scan.find(kind):
            scopes.append(Scope(kind, hit.start, parts.clause_end(hit.start, length), hit.text))
    for hit in scan.find("negation_after"):
        if not any(hit.start <= a < hit.end for a, _ in negation_except):  # "was not … until"
            scopes.append(Scope("negation", parts.clause_start(hit.start), hit.end, hit.text))
    for kind in ("remediation", "conditional"):
        for hit in scan.find(kind):
            if kind == "conditional" and _within(hit, hedge_except):
                continue
            start, end = parts.clause_start(hit.start), parts.clause_end(hit.start, length)
            scopes.append(Scope(kind, start, end, hit.text))
    return scopes


def capability_scopes(scan: Scan, parts: Clauses, lex: Lexicon) -> list[Scope]:
    """What a description of a system's abilities covers ("the network lets participating
    agencies search one another's plate reads", a cue with a capability subject at most three
    words before it): from the cue to the end of its clause,
    unless that stretch, or the few words before the subject that own it ("the county's
    system lets"), name one agency's own data ("lets CBP search the county's cameras").
    """
    text = scan.text
    cues = []  # (where its subject starts, the cue)
    for hit in scan.find("capability"):
        low = max(parts.clause_start(hit.start), hit.start - _SUBJECT_REACH)
        found = lex.capability_subject.search(text, low, hit.start)
        if found is not None:
            cues.append((found.start(), hit))
        elif _VERB_FIRST.fullmatch(text, 0, hit.start) and hit.text[:1].isupper():
            # "Allows agencies to look up …": the description column of a product table,
            # its product named in the column before
            cues.append((0, hit))
    if not cues:
        return []
    names = _spans([*scan.find("vendor"), *scan.find("agency"), *scan.find("systems")])
    named = [h for h in scan.find("named_data") if not _within(h, names)]
    scopes = []
    for subject, hit in cues:
        end = parts.clause_end(hit.start, len(text))
        clause = parts.clause_start(hit.start)
        start = max(clause, subject - _OWNER_REACH)
        if not any(start <= h.start < end for h in named):
            # A product's name heading its own description ("Nationwide Network (LP Lookup
            # Only) Allows agencies to …", an order form's row): the name states no flow either.
            heads = len(text[clause:subject].split()) <= _NAME_WORDS
            scopes.append(Scope("capability", clause if heads else hit.start, end, hit.text))
    return scopes


def blocker(scopes: Sequence[Scope], start: int) -> Scope | None:
    """The first scope covering ``start``, if any."""
    for scope in scopes:
        if scope.start <= start < scope.end:
            return scope
    return None


def _spans(hits: Iterable[Hit]) -> list[tuple[int, int]]:
    return [(h.start, h.end) for h in hits]


def _within(hit: Hit, spans: list[tuple[int, int]]) -> bool:
    return any(start <= hit.start < end for start, end in spans)
