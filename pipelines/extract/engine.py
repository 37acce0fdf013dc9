"""The findings engine: a fast prefilter, then a close reading of the units around each hit.

1. One trie-shaped regex of trigger words runs over the lower-cased document (acronyms are
   then checked in their original case): cost is linear in the text.
2. Each hit is widened to its unit: a portal access list, a row, or a sentence. Hits in a
   unit already read are skipped, so each unit is read once, whatever its number of hits.
3. A unit is read by :func:`pipelines.extract.rules.decide`; a short sentence that only
   names the party ("Among them was ICE.") is read together with the sentence before it.
4. Findings that report one fact are made one (:mod:`pipelines.extract.merge`): neighbouring
   sentences of one category merge, and repeats of a numbered item are dropped.
"""

from __future__ import annotations

import logging
import sys
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace

from pipelines.extract.document import read_layout
from pipelines.extract.lexicon import Lexicon, get_lexicon
from pipelines.extract.merge import Candidate, one_per_fact
from pipelines.extract.model import Finding
from pipelines.extract.parties import (
    Context,
    covers_party,
    redefined_acronym,
    resolve_references,
    state_at,
)
from pipelines.extract.portal import PortalList, portal_findings, portal_list_at
from pipelines.extract.rules import NEEDS_PREVIOUS, Decision, decide
from pipelines.extract.scanner import ascii_lower
from pipelines.extract.segment import (
    MAX_SIDE,
    is_row,
    line_bounds,
    previous_unit,
    separated,
    unit_at,
)

logger = logging.getLogger(__name__)
_HEADER_WORDS = ("organ", "agenc", "sharing")
_LONGEST_FENCE = 2_000_000


def extract_findings(
    text: str, *, home_state: str | None = None, owner: str | None = None,
    lexicon: Lexicon | None = None,
) -> list[Finding]:
    """The findings in ``text`` sorted by start; ``home_state`` is the source's state code,
    ``owner`` the name of the agency whose data the document is about (else the document's)."""
    lex = lexicon or get_lexicon()
    layout = read_layout(text, lex, owner=owner, state=home_state)
    reading = layout.reading
    hits = [h for h in trigger_hits(reading, lex) if not _fenced(layout.fences, h[0])]
    first_line = reading.lstrip()[:300].split("\n", 1)[0]
    audit_document = bool(lex.scanner.scan(first_line).find("audit"))
    ctx = Context(lex, _redefinitions(reading, hits, lex), layout.owner.state, audit_document,
                  layout.owner.name)
    lists = _portal_lists(reading, hits, lex) + list(layout.requests)
    listed = [Candidate(f, False) for plist in lists for f in portal_findings(reading, plist, ctx)]
    fences = sorted([(p.start, p.end) for p in lists] + list(layout.fences))
    prose = _prose_findings(reading, hits, ctx, fences)
    findings = resolve_references(reading, one_per_fact(reading, listed + prose, lex), ctx)
    if reading is not text:
        findings = [replace(f, snippet=text[f.start : f.end]) for f in findings]
    return sorted(findings, key=lambda f: (f.start, f.end, f.category))


def _portal_lists(text: str, hits: list[tuple[int, int, str]], lex: Lexicon) -> list[PortalList]:
    """The access lists of the document, found from their headings."""
    lists: list[PortalList] = []
    done = -1
    for start, _, word in hits:
        if start >= done and word.startswith(_HEADER_WORDS):
            plist = portal_list_at(text, start, lex)
            if plist is not None and plist.items:
                lists.append(plist)
                done = plist.end
    return lists


def _prose_findings(
    text: str, hits: list[tuple[int, int, str]], ctx: Context, fences: list[tuple[int, int]]
) -> list[Candidate]:
    """Findings of the sentences and rows around the hits, portal lists fenced off; those of
    rows may not merge."""
    lex = ctx.lex
    findings: list[Candidate] = []
    done = -1
    for index, (start, end, word) in enumerate(hits):
        if start < done or _fenced(fences, start):
            continue
        if word in lex.state_words or word in lex.code_words:
            # "non-California agencies" is out of state on its own
            own = _out_of_state_wording(text, start, ctx)
            if not own and (
                _alone(text, hits, index, ctx)
                or word in lex.state_words and not state_at(text, start, ctx)
            ):
                continue
        elif not covers_party(text, start, ctx):
            continue
        unit_start, unit_end = _clip(unit_at(text, start, lex), start, fences)
        done = max(unit_end, end)
        last_end = findings[-1].finding.end if findings else -1
        finding = _read_unit(text, unit_start, unit_end, ctx, last_end)
        if finding is not None:
            findings.append(finding)
    return findings


def _fenced(fences: Sequence[tuple[int, int]], pos: int) -> bool:
    """True if ``pos`` lies in one of ``fences`` (sorted by start; they may overlap)."""
    index = bisect_right(fences, (pos, sys.maxsize)) - 1
    while index >= 0:
        start, end = fences[index]
        if start <= pos < end:
            return True
        if pos - start > _LONGEST_FENCE:
            return False
        index -= 1
    return False


def _clip(unit: tuple[int, int], pos: int, fences: list[tuple[int, int]]) -> tuple[int, int]:
    """A unit cut short where a portal list begins or after one ends (a row holding a list)."""
    start, end = unit
    for low, high in fences:
        if pos < low < end:
            end = low
        if start < high <= pos:
            start = high
    return start, end


def trigger_hits(text: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    """Start, end and lower-cased text of every trigger word in ``text``."""
    caps, codes = lex.caps_triggers, lex.code_words
    hits = []
    for match in lex.trigger.finditer(ascii_lower(text)):
        word = match.group().decode()
        start, end = match.span()
        form = caps.get(word)
        if form is not None and text[start:end] != form:
            continue
        if word in codes and text[start : start + 2] != word[:2].upper():
            continue  # "or so", "in police": a state code is written in capitals
        hits.append((start, end, word))
    return hits


def _out_of_state_wording(text: str, start: int, ctx: Context) -> bool:
    """True if the state name at ``start`` is part of out-of-state wording ("non-Oregon")."""
    return ctx.lex.before_state.search(text, max(0, start - _OOS_REACH), start) is not None


_OOS_REACH = 30


def _alone(text: str, hits: list[tuple[int, int, str]], index: int, ctx: Context) -> bool:
    """True for a state name or agency code that shares its unit with no other trigger word,
    when no home state is known: one state alone crosses no state line.

    Only the nearest other word on each side is checked: a boundary before it also lies
    before any word further away.
    """
    if ctx.home_state:
        return False
    start, end, word = hits[index]
    after = index + 1
    while after < len(hits) and hits[after][2] == word and hits[after][0] - end < MAX_SIDE:
        after += 1
    near = after < len(hits) and hits[after][0] - end < MAX_SIDE and hits[after][2] != word
    if near and not separated(text, end, hits[after][0], ctx.lex):
        return False
    before = index - 1
    while before >= 0 and hits[before][2] == word and start - hits[before][1] < MAX_SIDE:
        before -= 1
    if before >= 0 and start - hits[before][1] < MAX_SIDE and hits[before][2] != word:
        return separated(text, hits[before][1], start, ctx.lex)
    return True


def _redefinitions(text: str, hits: list[tuple[int, int, str]], lex: Lexicon) -> frozenset[str]:
    """Agency acronyms this document spells out as something else ("Desert Hot Springs (DHS)")."""
    agencies = lex.agency_short
    found = set()
    for start, end, word in hits:
        short = lex.caps_triggers.get(word)
        if short not in agencies or short in found:
            continue
        if redefined_acronym(text, start, end, short, lex):
            logger.debug("acronym %s is defined as something else at offset %d", short, start)
            found.add(short)
    return frozenset(found)


def _read_unit(
    text: str, start: int, end: int, ctx: Context, last_end: int
) -> Candidate | None:
    line_start, line_end = line_bounds(text, start)
    row = is_row(text[line_start : min(line_end, line_start + 2000)])
    decision = decide(text[start:end], ctx, row=row)
    rules_extra: tuple[str, ...] = ()
    if decision == NEEDS_PREVIOUS:
        previous = previous_unit(text, start, ctx.lex)
        if previous is None or previous[0] < last_end:
            return None
        joined = previous[0]
        decision = decide(text[joined:end], ctx, extra_soft=(start - joined,))
        start = joined
        rules_extra = ("the party is named in a sentence continuing the one before",)
    if not isinstance(decision, Decision):
        return None
    confidence = decision.confidence - (0.1 if rules_extra else 0.0)
    return Candidate(Finding(
        category=decision.category,
        agencies=decision.agencies,
        start=start,
        end=end,
        snippet=text[start:end],
        confidence=round(confidence, 2),
        rules=decision.rules + rules_extra,
        highlights=tuple((start + a, start + b) for a, b in decision.highlights),
        vendors=decision.vendors,
        systems=decision.systems,
    ), mergeable=not row)
