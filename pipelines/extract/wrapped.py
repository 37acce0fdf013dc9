"""Printed lists of organisations, joined: a portal list or an inbound list wraps over lines
and page breaks ("Ada\\nCounty ID SO"); in the reading text of pipelines/extract/document.py
its lines are joined by spaces (the text keeps its length, so offsets still hold), and a
heading wrapped over two lines is read as one. The words are in config/patterns.yaml,
section ``document``.
"""

from __future__ import annotations

import re

from pipelines.extract.lexicon import Lexicon

_LIST_DATA = re.compile(r"\bdata\b[ \t]*:?[ \t]*$")
MAX_LIST_LINES = 20000
_HEADING_LEAD = 2  # words of a list heading before its defining words ("Organizations")
_HEADING_REACH = 120
_LOOKAHEAD = 8  # lines looked at past blank and blanked ones for the list's next line


def _is_heading(line: str, lex: Lexicon) -> bool:
    stripped = line.strip()
    return any(p.match(stripped) for p in lex.portal_headers) or inbound_heading(stripped, lex)


def inbound_heading(line: str, lex: Lexicon) -> bool:
    """True for a line opening with an inbound list's heading ("Organizations sharing their
    data with …"): at most ``_HEADING_LEAD`` words before the heading's words."""
    for pattern in lex.inbound_lists:
        match = pattern.search(line, 0, _HEADING_REACH)
        if match is not None and len(line[: match.start()].split()) <= _HEADING_LEAD:
            return True
    return False


def inbound_matches(text: str, lex: Lexicon) -> list[re.Match[str]]:
    return sorted((m for p in lex.inbound_lists for m in p.finditer(text)), key=re.Match.start)


def list_stop(line: str, lex: Lexicon) -> bool:
    return bool(lex.portal_stop.match(line)) or _is_heading(line, lex)


def join_lists(text: str, lex: Lexicon) -> str:
    """Lines of wrapped organisation lists joined by spaces (same length as ``text``)."""
    joins: list[int] = []  # offsets of newlines to turn into spaces
    done = -1
    for heading in _headings(text, lex):
        if heading < done:
            continue
        line = line_at(text, heading)
        after = line_at(text, line[1] + 1) if line[1] < len(text) else None
        if after is not None and _wrapped_heading(text, line, after):
            joins.append(line[1])
            line = after
        done = _join_items(text, line[1] + 1, joins, lex)
    if not joins:
        return text
    chars = list(text)
    for pos in joins:
        chars[pos] = " "
    return "".join(chars)


def _headings(text: str, lex: Lexicon) -> list[int]:
    """Starts of the lines that are list headings (portal access lists, inbound lists)."""
    found = {m.start() for m in lex.portal_heading_line.finditer(text)}
    for match in inbound_matches(text, lex):
        start = text.rfind("\n", 0, match.start()) + 1
        if inbound_heading(text[start : line_at(text, start)[1]], lex):
            found.add(start)
    return sorted(found)


def line_at(text: str, start: int) -> tuple[int, int]:
    end = text.find("\n", start)
    return start, len(text) if end < 0 else end


def _wrapped_heading(text: str, line: tuple[int, int], after: tuple[int, int]) -> bool:
    """True for "Organizations granted access to Anoka" followed by "County MN SO data"."""
    head = text[line[0] : line[1]]
    tail = text[after[0] : after[1]]
    return (re.search(r"\bto\s+\S", head) is not None and not re.search(r"\bdata\b", head)
            and "," not in tail and _LIST_DATA.search(tail) is not None and len(tail) < 80)


def _join_items(text: str, pos: int, joins: list[int], lex: Lexicon) -> int:
    """Join the item lines of a list starting at ``pos``; where the list ends."""
    last: tuple[int, int] | None = None
    pending: list[int] = []  # line ends since the last line with text
    for _ in range(MAX_LIST_LINES):
        if pos >= len(text):
            break
        start, end = line_at(text, pos)
        line = text[start:end]
        if not line.strip():
            pending.append(end)
            pos = end + 1
            continue
        if list_stop(line, lex):
            break
        if last is not None:
            if _sentence_end(text[last[0] : last[1]].rstrip(), lex) or not _continues(
                text, end, line
            ):
                break
            joins.append(last[1])
            joins.extend(pending)
        pending = []
        last = (start, end)
        pos = end + 1
    return last[1] if last else pos


def _sentence_end(line: str, lex: Lexicon) -> bool:
    """True if ``line`` ends a sentence: a full stop not ending an abbreviation ("St.")."""
    if not line.endswith("."):
        return False
    last = line[:-1].rsplit(None, 1)[-1] if line[:-1].strip() else ""
    return last.casefold() not in lex.abbreviations


def _continues(text: str, end: int, line: str) -> bool:
    """A line continues a list if it holds a comma or the next line with text does."""
    if "," in line:
        return True
    pos = end + 1
    for _ in range(_LOOKAHEAD):
        if pos >= len(text):
            break
        start, stop = line_at(text, pos)
        following = text[start:stop]
        if following.strip():
            return "," in following
        pos = stop + 1
    return False
