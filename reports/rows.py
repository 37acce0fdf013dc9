"""A finding's rows as a table: the evidence of portal and search-audit findings.

Those findings quote numbered rows, one per line, ``Row 5: Date: 2025-09-05; Reason: ICE
WARRANT; Networks searched: 1`` (pipelines/portal_rows.py writes them). This module reads such
a quote back into a table with a column per cell label, each cell cut into plain and marked
parts by the finding's highlights, for the finding page to show instead of one long quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reports.views import FindingView, Part, segments

_ROW = re.compile(r"Row (\d+): ")
_CELL = re.compile(r"([A-Z][A-Za-z ]{0,40}): ")
_NEXT_CELL = re.compile(r"; (?=[A-Z][A-Za-z ]{0,40}: )")


@dataclass(frozen=True)
class EvidenceRow:
    """One row: its number and its cells in the table's column order (``()``: no such cell)."""

    number: int
    cells: tuple[tuple[Part, ...], ...]


@dataclass(frozen=True)
class RowTable:
    """The rows a finding quotes, under the labels of their cells."""

    columns: tuple[str, ...]
    rows: tuple[EvidenceRow, ...]

    @property
    def numbers(self) -> str:
        """``6, 17 and 21``."""
        listed = [str(r.number) for r in self.rows]
        return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"


def evidence_rows(finding: FindingView) -> RowTable | None:
    """The finding's quote as a table of rows, or None when it is not made of numbered rows."""
    parsed: list[tuple[int, dict[str, tuple[Part, ...]]]] = []
    columns: dict[str, None] = {}
    at = 0
    for line in finding.snippet.split("\n"):
        cells = _cells(line, at, finding.highlights)
        if cells is None:
            return None
        parsed.append(cells)
        columns.update(dict.fromkeys(cells[1]))
        at += len(line) + 1
    rows = tuple(EvidenceRow(number, tuple(cells.get(c, ()) for c in columns))
                 for number, cells in parsed)
    return RowTable(tuple(columns), rows) if rows else None


def _cells(line: str, offset: int, highlights: tuple[tuple[int, int], ...]
           ) -> tuple[int, dict[str, tuple[Part, ...]]] | None:
    """A row line's number and cells; ``offset`` is where the line starts in the quote."""
    head = _ROW.match(line)
    if head is None:
        return None
    cuts = [head.end(), *(m.end() for m in _NEXT_CELL.finditer(line, head.end()))]
    ends = [m.start() for m in _NEXT_CELL.finditer(line, head.end())] + [len(line)]
    cells: dict[str, tuple[Part, ...]] = {}
    for start, end in zip(cuts, ends, strict=True):
        label = _CELL.match(line, start, end)
        if label is None:
            return None
        value = line[label.end():end]
        cells.setdefault(label.group(1), segments(value, list(highlights),
                                                  offset=offset + label.end()))
    return int(head.group(1)), cells
