"""Find the sentence, row or line around a position of a document, without splitting it all.

The engine only looks at text around trigger words, so boundaries are searched locally:
backwards and forwards from the hit, at most ``MAX_SIDE`` characters each way. Rows
(portal and audit lines, "header: value; ..." CSV rows, table rows joined by " | ") are one
unit each; prose is cut at sentence ends that are not abbreviations ("U.S.", "Dept."),
initials, list numbers ("1.") or elisions ("..."), and at blank lines.
"""

from __future__ import annotations

import re

from pipelines.extract.lexicon import Lexicon

MAX_SIDE = 1500
MAX_ROW = 1000
ROW_PROBE = 2000
_KV_ROW = re.compile(r"^[^:;\n]{1,60}:\s.*?;\s[^:;\n]{1,60}:\s")
_KV_FIELD = re.compile(r"[^:;\n]{1,60}:\s")
_KV_NEXT = re.compile(r";\s(?=[^:;\n]{1,60}:\s)")
_CSV_ROW = re.compile(r'^\s*"[^"\n]*"\s*,\s*"')
_BULLET = re.compile(r"\s*(?:[-•*▪◦]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|[A-Z][A-Za-z ]{0,40}:)\s")
_SOFT_END = re.compile(r"(?:[,(\-–/&]|\b(?:and|or|of|the|to|with|for|by|a|an|in|on|at|from))\Z")
_HEADING_MARK = re.compile(
    r"(?:#{1,6}\s|(?:Section|Finding|Item|Article|Part|Chapter|Appendix|Exhibit|Attachment)"
    r"\s+[\w.-]+[.:]\s)"
)
_LIST_NUMBER = re.compile(r"(?:^|\n)[ \t]*\(?\d{1,3}\Z")
_NEXT_START = re.compile(r"[A-Z0-9\"“'‘(\[•\-*]")


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the line holding ``pos`` (end excludes the newline)."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def is_row(line: str) -> bool:
    """True for a line that is a record of fields rather than prose (only its start is read)."""
    head = line[:ROW_PROBE]
    return " | " in head or "\t" in head or bool(_KV_ROW.match(head) or _CSV_ROW.match(head))


def unit_at(text: str, pos: int, lex: Lexicon) -> tuple[int, int]:
    """The unit (row, field of a long row, or sentence) around ``pos``, trimmed."""
    line_start, line_end = line_bounds(text, pos)
    if is_row(text[line_start : min(line_end, line_start + ROW_PROBE)]):
        if line_end - line_start <= MAX_ROW:
            return _trim(text, line_start, line_end)
        return _trim(text, *field_bounds(text, pos, line_start, line_end))
    start = _start_before(text, pos, lex)
    end = _end_after(text, pos, lex)
    return _trim(text, start, end)


def field_bounds(text: str, pos: int, line_start: int, line_end: int) -> tuple[int, int]:
    """The field of a long row holding ``pos``: fields end at "; key: ", " | " or a tab."""
    starts = [line_start]
    pipe, tab = text.rfind(" | ", line_start, pos), text.rfind("\t", line_start, pos)
    starts += [pipe + 3] if pipe >= 0 else []
    starts += [tab + 1] if tab >= 0 else []
    probe = pos
    while (probe := text.rfind("; ", line_start, probe)) >= 0:
        if _KV_FIELD.match(text, probe + 2):
            starts.append(probe + 2)
            break
    start = max(starts)
    ends = [text.find(" | ", pos, line_end), text.find("\t", pos, line_end)]
    kv = _KV_NEXT.search(text, pos, line_end)
    ends.append(kv.start() if kv else -1)
    return start, min([e for e in ends if e >= 0], default=line_end)


def previous_unit(text: str, start: int, lex: Lexicon) -> tuple[int, int] | None:
    """The unit just before the one starting at ``start``, if in the same paragraph."""
    pos = start - 1
    while pos >= 0 and text[pos].isspace():
        pos -= 1
    if pos < 0 or "\n" in text[pos:start] and re.search(r"\n[ \t\r]*\n|\f", text[pos:start]):
        return None
    return unit_at(text, pos, lex)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _start_before(text: str, pos: int, lex: Lexicon) -> int:
    """Where the unit holding ``pos`` starts: just after the nearest valid boundary before it."""
    low = max(0, pos - MAX_SIDE)
    probe = pos
    while probe > low:
        cut = max(text.rfind(char, low, probe) for char in _STOPS)
        if cut < 0:
            break
        bounds = _boundary(text, cut, lex)
        if bounds is not None and bounds[1] <= pos:
            return bounds[1]
        probe = cut
    return low


def _end_after(text: str, pos: int, lex: Lexicon) -> int:
    """Where the unit holding ``pos`` ends: at the nearest valid boundary after it."""
    high = min(len(text), pos + MAX_SIDE)
    probe = pos
    while probe < high:
        found = [i for i in (text.find(char, probe, high) for char in _STOPS) if i >= 0]
        if not found:
            break
        cut = min(found)
        bounds = _boundary(text, cut, lex)
        if bounds is not None:
            return bounds[0]
        probe = cut + 1
    return high


def separated(text: str, low: int, high: int, lex: Lexicon) -> bool:
    """True if a unit boundary lies between ``low`` and ``high`` (they are in different units)."""
    probe = low
    while probe < high:
        found = [i for i in (text.find(char, probe, high) for char in _STOPS) if i >= 0]
        if not found:
            return False
        cut = min(found)
        if _boundary(text, cut, lex) is not None:
            return True
        probe = cut + 1
    return False


_STOPS = (".", "!", "?", "\n", "\f")
_CLOSERS = "\"'”’)]"


def _boundary(text: str, cut: int, lex: Lexicon) -> tuple[int, int] | None:
    """If the character at ``cut`` ends a unit: where that unit ends and the next may start."""
    char = text[cut]
    if char in "\f\n":
        return (cut, cut + 1) if char == "\f" or _hard_newline(text, cut, lex) else None
    end = cut + 1
    while end < len(text) and text[end] in _CLOSERS:
        end += 1
    if end < len(text) and not text[end].isspace():
        return None
    after = end
    while after < len(text) and text[after].isspace():
        after += 1
    if after < len(text) and not _NEXT_START.match(text, after):
        return None
    if char == "." and (cut > 0 and text[cut - 1] == "." or _abbreviation(text, cut, lex)):
        return None  # an elision "..." or an abbreviation
    return end, after


def _abbreviation(text: str, dot: int, lex: Lexicon) -> bool:
    """True when the full stop at ``dot`` ends an abbreviation, an initial or a list number."""
    start = dot
    while start > 0 and dot - start < 20 and (text[start - 1].isalnum() or text[start - 1] in "._"):
        start -= 1
    word = text[start:dot]
    if word.casefold() in lex.abbreviations or (len(word) == 1 and word.isupper()):
        return True
    if "." in word and len(word) <= 6 and word.replace(".", "").isalpha():
        return True  # initials and dotted abbreviations: "U.S.", "a.k.a."
    if word.isdigit() and len(word) <= 3:
        return _LIST_NUMBER.search(text, max(0, dot - 8), dot) is not None
    return False


def _hard_newline(text: str, pos: int, lex: Lexicon) -> bool:
    """A single line break ends a unit between rows, before bullets and after short lines."""
    prev_start = text.rfind("\n", 0, pos) + 1
    prev = text[prev_start:pos].rstrip()
    next_end = text.find("\n", pos + 1)
    nxt = text[pos + 1 : len(text) if next_end < 0 else next_end]
    if not prev.strip() or not nxt.strip() or _BULLET.match(nxt):
        return True
    if is_row(prev[-ROW_PROBE:]) or is_row(nxt):
        return True
    if prev.endswith("."):
        return not (prev.endswith("..") or _abbreviation(text, prev_start + len(prev) - 1, lex))
    if prev.endswith((":", "!", "?")) or _heading(prev):
        return True
    return len(prev.strip()) < 45 and not _SOFT_END.search(prev)


def starts_block(line: str) -> bool:
    """True for a line that opens a block of its own: a list item ("• ", "c. ", "Roll call: "),
    a heading, or a row of a table."""
    return bool(_BULLET.match(line)) or _heading(line) or is_row(line[:ROW_PROBE])


def _heading(line: str) -> bool:
    """A title line ("### Finding 2025-14-01: Searches", "Item 4. Public Safety Report"):
    marked as one, or short with most words capitalised."""
    line = line.strip()
    if _HEADING_MARK.match(line):
        return True
    words = [w for w in line.split() if w[:1].isalpha()]
    if not words or len(line) > 90 or _SOFT_END.search(line):
        return False
    return sum(w[0].isupper() for w in words) >= 0.6 * len(words)
