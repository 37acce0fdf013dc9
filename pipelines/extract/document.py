"""Read a whole document before its sentences: page furniture, the owner of the data, the
blocks that state no flow, and tables of access requests.

- **Furniture** (browser print headers and footers, portal page stamps, navigation glued to a
  headline) is blanked in a *reading text* of the same length as the document, so offsets
  and snippets still point into the original.
- **Printed lists** of organisations wrap over lines and over page breaks ("Ada\\nCounty ID
  SO", a footer in the middle of the list): in the reading text their lines are joined, so a
  portal list is read whole, and a heading wrapped over two lines is read as one.
- **Blocks that are not statements** are fenced off: lists of organisations that share their
  data *with* the owner (data coming in) and the readers' comments under a web page.
- **The owner** is the agency whose data the document is about: given by the caller
  (``sidedoor extract --owner/--state``, a source's state) or named by the document (a
  portal's "Organizations granted access to <owner> data", a vendor's "… shared their cameras
  with <owner>, granting you …").
- **Access requests**: a vendor's digest "The following organizations have requested access
  to your network" lists one requester per row; each row is read as a portal list item.

The words are in config/patterns.yaml, section ``document``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from config.states import state_of
from pipelines.extract.lexicon import Lexicon
from pipelines.extract.portal import PortalList
from pipelines.extract.wrapped import (
    inbound_heading,
    inbound_matches,
    join_lists,
    line_at,
    list_stop,
)

_DATE = re.compile(r"\b\d{1,2}[-/]\d{1,2}[-/]\d{2,4}\b")
_REPLY_SIGNS = re.compile(
    r"(?im)^[ \t]*(?:reply|report)[ \t]*$|\bsays:|\bwrote:"
    r"|\b\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b"
)
MAX_ROW_LINES = 3
_REPLY_REACH = 3000  # characters after a comments heading where a reply or byline must show
_TABLE_REACH = 20000  # characters after a request table's heading where its rows are read


@dataclass(frozen=True)
class Owner:
    """The agency whose data a document is about, as far as it is known."""

    name: str | None = None
    state: str | None = None


@dataclass(frozen=True)
class Layout:
    """A document as the engine reads it.

    ``reading`` has the length of the original text; ``fences`` are sorted (start, end)
    stretches not read at all; ``requests`` are tables of access requests, read as lists.
    """

    reading: str
    fences: tuple[tuple[int, int], ...]
    owner: Owner
    requests: tuple[PortalList, ...]


def read_layout(
    text: str, lex: Lexicon, *, owner: str | None = None, state: str | None = None
) -> Layout:
    """The layout of ``text``; ``owner`` and ``state`` are what the caller knows of the owner."""
    reading = join_lists(_blank_furniture(text, lex), lex)
    found = owner_of(reading, lex) if owner is None else Owner(owner, None)
    name = found.name
    home = state or found.state or (state_of_name(name) if name else None)
    fences = _inbound_lists(reading, lex) + _comments(reading, lex)
    requests = tuple(_request_tables(reading, lex, home))
    return Layout(reading, tuple(sorted(fences)), Owner(name, home), requests)


def owner_of(text: str, lex: Lexicon) -> Owner:
    """The owner the document names, with its state when its name shows one."""
    best: re.Match[str] | None = None
    for pattern in lex.owner_patterns:
        match = pattern.search(text)
        if match is not None and (best is None or match.start() < best.start()):
            best = match
    if best is None:
        return Owner()
    name = " ".join(best.group("owner").split())
    return Owner(name, state_of_name(name))


def state_of_name(name: str) -> str | None:
    """The state of an organisation's name ("San Mateo CA PD", "NM - Bloomfield PD",
    "Mendocino County SO-CA"): the project's one state resolver (config/states.py)."""
    return state_of(name)


def _blank_furniture(text: str, lex: Lexicon) -> str:
    spans = sorted(m.span() for pattern in lex.furniture for m in pattern.finditer(text))
    if not spans:
        return text
    spans = sorted(spans + _running_heads(text, spans))
    out = []
    last = 0
    for start, end in spans:
        start = max(start, last)
        if end <= start:
            continue
        out.append(text[last:start])
        out.append(re.sub(r"[^\n]", " ", text[start:end]))
        last = end
    out.append(text[last:])
    return "".join(out)


def _running_heads(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Lines printed just before furniture and written elsewhere in the document too (a
    portal's name above its "Transparency Portal" footer, even when the PDF glued it to the
    end of a list line after a comma): furniture as well."""
    before: dict[str, list[tuple[int, int]]] = {}
    for start, _ in spans:
        line_start = text.rfind("\n", 0, start) + 1
        if text[line_start:start].strip() or line_start == 0:
            continue  # the furniture does not start its line, or there is no line before
        prev_start = text.rfind("\n", 0, line_start - 1) + 1
        prev_start = max(prev_start, text.rfind(",", prev_start, line_start - 1) + 1)
        line = text[prev_start : line_start - 1]  # a whole line, or the tail of a list line
        words = line.split()
        if 0 < len(words) <= _HEAD_WORDS and not line.rstrip().endswith((".", "!", "?", ":")):
            before.setdefault(line.strip(), []).append((prev_start, line_start - 1))
    return [span for line, found in before.items() if text.count(line) >= 2 for span in found]


_HEAD_WORDS = 6  # a running head is a name, not a sentence


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, the end excluding its newline."""
    spans = []
    start = 0
    for match in re.finditer(r"\n", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _inbound_lists(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """Lists of organisations sharing their data with the owner: data coming in."""
    fences = []
    for match in inbound_matches(text, lex):
        start = text.rfind("\n", 0, match.start()) + 1
        if not inbound_heading(text[start : line_at(text, start)[1]], lex):
            continue
        stop = line_at(text, match.end())[1]
        while stop < len(text):
            line = text[stop + 1 : line_at(text, stop + 1)[1]]
            if not line.strip() or list_stop(line, lex):
                break
            stop += 1 + len(line)
        fences.append((start, stop))
    return fences


def _comments(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """The readers' comments of a web page: from their heading to the end."""
    for heading in lex.comment_line.finditer(text):
        if _REPLY_SIGNS.search(text, heading.end(), heading.end() + _REPLY_REACH):
            return [(heading.start(), len(text))]
    return []


def _request_tables(text: str, lex: Lexicon, home: str | None) -> list[PortalList]:
    """Tables of organisations that asked for access: one item per row (rows end at a date)."""
    tables = []
    for match in lex.request_table.finditer(text):
        items, end = _rows(text, match.end(), lex)
        if items:
            header = " ".join(match.group().split())
            tables.append(PortalList(match.start(), match.end(), header, home, tuple(items), end))
    return tables


def _rows(text: str, pos: int, lex: Lexicon) -> tuple[list[tuple[int, int]], int]:
    lines = _lines(text[pos : pos + _TABLE_REACH])
    items: list[tuple[int, int]] = []
    names: list[tuple[int, int]] = []
    end = pos
    for start, stop in ((pos + a, pos + b) for a, b in lines[1:]):
        line = text[start:stop]
        if not line.strip():
            if items:
                break
            continue
        if not items and not names and _column_heads(line, lex):
            continue
        date = _DATE.search(line)
        if date is None:
            if "," in line and not names:
                continue  # the rest of the row above: its permissions
            names.append((start, stop))
            if len(names) > MAX_ROW_LINES:
                break
            continue
        prefix = line[: date.start()].rstrip()
        name_end = start + len(prefix) if prefix.strip() else (names[-1][1] if names else start)
        first = names[0][0] if names else start
        if name_end > first:
            items.append((first, name_end))
        names = []
        end = stop
    return items, end


def _column_heads(line: str, lex: Lexicon) -> bool:
    words = re.findall(r"[A-Za-z]+", line)
    return bool(words) and all(w.casefold() in lex.request_columns for w in words)
