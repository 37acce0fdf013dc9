"""Transparency-portal access lists: "Organizations granted access to X data: A, B, ...".

A list is found from its heading, at the start of a line, after " | " or after "; " (a CSV
row rendered as "header: value; ..."). Its items follow on the same line, separated by
commas, or on the next lines, one per line. An item is federal when tagged "[Federal]" or
when it names a federal agency ("U.S. Border Patrol"); it is out of state when its state
("Acworth GA PD"; read by config/states.py, so "Los Angeles County CA SD" is in California)
differs from the list owner's ("El Cajon CA PD"). Tags such as
"[Inactive]" do not remove an item: it is still listed as having access.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from config.states import default_resolver
from pipelines.extract.explain import quote
from pipelines.extract.lexicon import Lexicon
from pipelines.extract.model import Category, Finding
from pipelines.extract.parties import Context, agency_mentions
from pipelines.extract.segment import line_bounds

WINDOW = 200
MAX_LINES = 20000
MAX_EVIDENCE = 1500
MAX_HIGHLIGHTS = 50
_LEAD = re.compile(r"[ \t]*[:.]?[ \t]*")
_KV_NEXT = re.compile(r";\s[^:;\n]{1,60}:\s")
_ITEM_SPLIT = re.compile(r",|…|\s\.\.\.\s?|\n")
_TAG = re.compile(r"\[[^\]\n]{1,30}\]")
_FEDERAL_TAG = re.compile(r"\[\s*federal\s*\]", re.IGNORECASE)
_OWNER_KV = re.compile(r"[^:;|\n]{1,60}:\s*([^;|\n]+)")


@dataclass(frozen=True)
class PortalList:
    """A portal access list: heading, owner's state, item spans and where the list ends."""

    start: int
    header_end: int
    header: str
    owner_state: str | None
    items: tuple[tuple[int, int], ...]
    end: int


@dataclass(frozen=True)
class Item:
    """One listed organisation: federal agencies it names, its state code."""

    start: int
    end: int
    federal: bool
    agencies: tuple[str, ...]
    state: str | None


def portal_list_at(text: str, pos: int, lex: Lexicon) -> PortalList | None:
    """The access list whose heading covers ``pos``, if the heading is where headings go."""
    line_start, line_end = line_bounds(text, pos)
    low, high = max(line_start, pos - WINDOW), min(line_end, pos + WINDOW)
    for pattern in lex.portal_headers:
        for match in pattern.finditer(text, low, high):
            covers = match.start() <= pos <= match.end()
            if covers and _heading_place(text, line_start, match.start()):
                return _list_after(text, match, line_start, line_end, lex)
    return None


def _heading_place(text: str, line_start: int, start: int) -> bool:
    before = text[line_start:start].rstrip()
    return not before or before.endswith(("|", ";", ".", ":"))


def _list_after(
    text: str, header: re.Match[str], line_start: int, line_end: int, lex: Lexicon
) -> PortalList:
    after = _LEAD.match(text, header.end(), line_end)
    pos = after.end() if after else header.end()
    owner = _owner(text, header, line_start, lex)
    if text[pos:line_end].strip():
        stop = _KV_NEXT.search(text, pos, line_end)
        pipe = text.find(" | ", pos, line_end)
        end = min(x for x in (stop.start() if stop else line_end, pipe if pipe >= 0 else line_end))
        spans = _split(text, pos, end)
    else:
        spans, end, owner = _lines_after(text, line_end, lex, owner)
    items = tuple(
        (a, b) for a, b in spans if b - a > 5 or text[a:b].casefold() not in lex.portal_empty
    )
    header_text = " ".join(header.group().split())
    return PortalList(header.start(), header.end(), header_text, owner, items, end)


def _lines_after(
    text: str, pos: int, lex: Lexicon, owner: str | None
) -> tuple[list[tuple[int, int]], int, str | None]:
    """Items on the lines after a heading; a second heading there names the owner."""
    spans: list[tuple[int, int]] = []
    end = pos
    started = False
    for _ in range(MAX_LINES):
        if pos >= len(text):
            break
        start, stop = pos + 1, text.find("\n", pos + 1)
        stop = len(text) if stop < 0 else stop
        line = text[start:stop]
        if not line.strip():
            if started:
                break
            pos = stop
            continue
        nested = _heading_at(text, start + len(line) - len(line.lstrip()), stop, lex)
        if not started and nested is not None:
            owner = _owner_from_group(nested, lex) or owner
            pos = stop
            continue
        if lex.portal_stop.match(line) or lex.portal_inbound.match(line.strip()):
            break
        if not started and line.count(",") >= 2:
            return _split(text, start, stop), stop, owner
        started = True
        spans.append((start, stop))
        end = pos = stop
    return spans, end, owner


def _heading_at(text: str, start: int, stop: int, lex: Lexicon) -> re.Match[str] | None:
    for pattern in lex.portal_headers:
        match = pattern.match(text, start, stop)
        if match is not None:
            return match
    return None


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [(m.start(), m.end()) for m in _ITEM_SPLIT.finditer(text, start, end)]
    spans = []
    for piece_end, next_start in [*cuts, (end, end)]:
        a, b = start, piece_end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
        start = next_start
    return spans


def _owner(text: str, header: re.Match[str], line_start: int, lex: Lexicon) -> str | None:
    named = _owner_from_group(header, lex)
    if named:
        return named
    before = text[line_start : header.start()]
    kv = _OWNER_KV.match(before)
    return _state_of(kv.group(1) if kv else before.split("|")[0], lex)


def _owner_from_group(header: re.Match[str], lex: Lexicon) -> str | None:
    owner = header.groupdict().get("owner")
    return _state_of(owner, lex) if owner else None


def _state_of(name: str, lex: Lexicon) -> str | None:
    """The state of an organisation name, by the shared resolver (config/states.py):
    "Los Angeles County CA SD" is in CA, "MN - Isanti CO SO" in MN."""
    return default_resolver().state_of(_TAG.sub(" ", name))


def classify(text: str, plist: PortalList, ctx: Context) -> tuple[list[Item], str | None]:
    """The items of a list, and the home state they are compared with (one pass over the list)."""
    if not plist.items:
        return [], plist.owner_state or ctx.home_state
    low, high = plist.items[0][0], plist.items[-1][1]
    region = _TAG.sub(lambda m: " " * len(m.group()), text[low:high])
    starts = [start - low for start, _ in plist.items]
    agencies: dict[int, list[str]] = {}
    for mention in agency_mentions(ctx.lex.party_scanner.scan(region), ctx):
        agencies.setdefault(bisect_right(starts, mention.start) - 1, []).append(mention.key)
    tags = _FEDERAL_TAG.finditer(text, low, high)
    tagged = {bisect_right(starts, m.start() - low) - 1 for m in tags}
    items = []
    for index, (start, end) in enumerate(plist.items):
        federal = index in tagged or index in agencies
        state = None if federal else _state_of(text[start:end], ctx.lex)
        names = tuple(dict.fromkeys(agencies.get(index, ())))
        items.append(Item(start, end, federal, names, state))
    home = plist.owner_state or ctx.home_state
    if home is None:
        counts = Counter(i.state for i in items if i.state)
        home = counts.most_common(1)[0][0] if counts else None
    return items, home


def portal_findings(text: str, plist: PortalList, ctx: Context) -> list[Finding]:
    """A federal_access finding for federal items, an out_of_state_sharing one for others."""
    items, home = classify(text, plist, ctx)
    found = []
    federal = [i for i in items if i.federal]
    if federal:
        agencies = tuple(dict.fromkeys(a for i in federal for a in i.agencies))
        named = ", ".join(agencies) if agencies else quote(text[federal[0].start : federal[0].end])
        rule = f"portal list {quote(plist.header)} names federal organisations ({named})"
        found.append(_finding(text, plist, federal, Category.FEDERAL_ACCESS, agencies, rule, 0.95))
    others = [i for i in items if i.state and home and i.state != home]
    if others:
        codes = ", ".join(dict.fromkeys(i.state or "" for i in others))
        rule = (
            f"portal list {quote(plist.header)} names {len(others)} organisation(s) in other "
            f"states ({codes}) than the list owner's ({home})"
        )
        confidence = 0.9 if plist.owner_state else 0.8
        category = Category.OUT_OF_STATE_SHARING
        found.append(_finding(text, plist, others, category, (), rule, confidence))
    return found


def _finding(
    text: str, plist: PortalList, items: list[Item], category: Category,
    agencies: tuple[str, ...], rule: str, confidence: float,
) -> Finding:
    start = plist.start
    if items[-1].end - start <= MAX_EVIDENCE:
        end = items[-1].end
    elif items[0].end - start <= MAX_EVIDENCE:
        end = items[0].end
    else:
        start, end = items[0].start, items[0].end
    marks = ((plist.start, plist.header_end), *((i.start, i.end) for i in items[:MAX_HIGHLIGHTS]))
    return Finding(category, agencies, start, end, text[start:end], confidence, (rule,),
                   tuple(m for m in marks if start <= m[0] and m[1] <= end))
