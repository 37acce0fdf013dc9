"""The rows of a portal snapshot or search audit, numbered and grouped, as a finding's evidence.

A finding from a portal's access list or its search audit quotes the rows it stands on, not
a sentence we wrote about them. Each row is rendered as one line of cells,
``Row 5: Date: 2025-09-05; Reason: ICE WARRANT; Networks searched: 1; Organization: Cedar Bend
TX PD`` (its number, then ``Label: value`` cells separated by ``"; "``; reports/rows.py reads
the lines back into a table). The rows behind one finding are rendered together in a section
whose label names their numbers ("searches with immigration-related reasons: rows 6, 17, 21,
28"), so the finding's offsets cover its rows and nothing else, its section says which rows
they are, and a link to the section lands on them. The words that made the finding (the
reason, a [Federal] tag, an organisation's state) are its highlights.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipelines.extract.model import Category, Finding

MAX_ROWS = 25  # rows quoted as one finding's evidence; its section holds every row
MAX_NUMBERS = 12  # row numbers a section label names before "and N more"


@dataclass(frozen=True)
class Row:
    """One row: its number, its ``(label, value)`` cells and the words to highlight, each
    ``(label, start, end)`` within that cell's value."""

    number: int
    cells: tuple[tuple[str, str], ...]
    marks: tuple[tuple[str, int, int], ...] = ()

    @property
    def line(self) -> str:
        """The row as rendered in the text: ``Row 5: Label: value; Label: value``."""
        return f"Row {self.number}: " + "; ".join(f"{label}: {value}"
                                                  for label, value in self.cells)

    def spans(self) -> list[tuple[int, int]]:
        """Where the marked words stand in :attr:`line`."""
        starts: dict[str, int] = {}
        at = len(f"Row {self.number}: ")
        for label, value in self.cells:
            starts.setdefault(label, at + len(label) + 2)
            at += len(label) + 2 + len(value) + 2
        return [(starts[label] + a, starts[label] + b) for label, a, b in self.marks
                if label in starts]


def mark(label: str, value: str, word: str = "") -> tuple[str, int, int]:
    """A highlight of ``word`` (the whole value when empty or absent) in cell ``label``."""
    at = value.casefold().find(word.casefold()) if word else -1
    return (label, at, at + len(word)) if at >= 0 else (label, 0, len(value))


@dataclass(frozen=True)
class RowGroup:
    """Rows shown together under one section, e.g. the searches with immigration reasons."""

    title: str
    rows: tuple[Row, ...]
    numbered: bool = True  # name the row numbers in the label (not for "other searches")

    @property
    def label(self) -> str:
        """The section label: ``searches with immigration-related reasons: rows 6, 17``."""
        return f"{self.title}: {numbers(r.number for r in self.rows)}" if self.numbered \
            else self.title

    @property
    def lines(self) -> list[str]:
        return [r.line for r in self.rows]


def numbers(values: Iterable[int]) -> str:
    """``row 6``, ``rows 6, 17, 21``, or the first :data:`MAX_NUMBERS` and how many more."""
    listed = [str(v) for v in values]
    if len(listed) == 1:
        return f"row {listed[0]}"
    shown = ", ".join(listed[:MAX_NUMBERS])
    more = len(listed) - MAX_NUMBERS
    return f"rows {shown} and {more} more" if more > 0 else f"rows {shown}"


def locate_rows(text: str, rows: Sequence[Row]) -> tuple[int, int]:
    """Where the lines of ``rows`` stand together in ``text``; ValueError if they do not."""
    block = "\n".join(r.line for r in rows)
    match = re.search(rf"(?m)^{re.escape(block)}$", text)
    if match is None:
        raise ValueError(f"{numbers(r.number for r in rows)} are not together in the text; "
                         "render them with pipelines.portal.render_snapshot")
    return match.start(), match.end()


def rows_finding(text: str, rows: Sequence[Row], category: Category,
                 agencies: tuple[str, ...], rule: str, confidence: float,
                 key: str) -> Finding:
    """A finding whose evidence is ``rows`` (the first :data:`MAX_ROWS`) as they stand in
    ``text``; its id comes from ``key``, so it does not change when rows are added."""
    quoted = list(rows)[:MAX_ROWS]
    start, end = locate_rows(text, quoted)
    highlights: list[tuple[int, int]] = []
    at = start
    for row in quoted:
        highlights += [(at + a, at + b) for a, b in row.spans()]
        at += len(row.line) + 1
    return Finding(category, agencies, start, end, text[start:end], confidence, (rule,),
                   tuple(highlights), key=key)
