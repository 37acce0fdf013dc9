"""CSV and XLSX as text: one line per data row, "header: value; ...", with row numbers.

Row numbers are those a spreadsheet shows (the header is row 1), so a finding reads
"sheet Audit rows 2-501". Work is bounded by ``limits.cells`` (empty padding included: a
workbook that claims a cell at XFD1048576 is not walked cell by cell) and, for XLSX, by
``limits.decompressed_bytes`` checked on the zip directory before anything is inflated.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from config.limits import Limits
from pipelines.htmltext import squash
from pipelines.sections import ExtractedText, Section, TextError, join, over_limit

ROWS_PER_SECTION = 500
csv.field_size_limit(16 * 1024 * 1024)  # a cell may be long; limits.bytes bounds the file

Rows = Iterator[Sequence[Any]]  # Any: cell values are str (CSV) or openpyxl's cell types


def csv_rows(text: str, url: str) -> Rows:
    """The rows of a CSV text, in the dialect csv.Sniffer guesses (comma when unsure)."""
    try:
        dialect: type[csv.Dialect] = csv.Sniffer().sniff(text[:65536], ",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(io.StringIO(text, newline=""), dialect)
    except csv.Error as error:
        raise TextError(f"{url}: not a readable CSV file: {error}") from error


def check_zip(body: bytes, url: str, limits: Limits, kind: str) -> zipfile.ZipFile:
    """The zip inside an Office file, refused when its members inflate past the limit."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
        inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise TextError(f"{url}: not a readable {kind} file: {error} (damaged, or another "
                        "format sent under its name)") from error
    if inflated > limits.decompressed_bytes:
        raise over_limit(url, f"{kind.split()[0]} unpacked size (bytes)", inflated,
                         limits.decompressed_bytes, "decompressed_bytes")
    return archive


def xlsx_sheets(body: bytes, url: str, limits: Limits | None = None) -> Iterator[tuple[str, Rows]]:
    """(sheet name, rows) for each worksheet of an XLSX workbook."""
    from openpyxl import load_workbook  # slow import, needed only for spreadsheets
    from openpyxl.utils.exceptions import InvalidFileException

    check_zip(body, url, limits or Limits(), "XLSX workbook")
    try:
        book = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise TextError(
            f"{url}: not a readable XLSX workbook: {error} (damaged, or another format "
            "served as XLSX)"
        ) from error
    try:
        for sheet in book.worksheets:
            # The declared dimension (it may claim XFD1048576) would pad every row to it.
            sheet.reset_dimensions()  # type: ignore[union-attr]  # read-only sheets have it
            yield sheet.title, sheet.iter_rows(values_only=True)
    finally:
        book.close()


def counted(sheets: Iterable[tuple[str, Rows]], url: str,
            limits: Limits) -> Iterator[tuple[str, Rows]]:
    """The sheets, their rows counted against ``limits.cells`` as they are read (over all
    sheets, a row's empty padding included, an empty row as one cell)."""
    cells = 0

    def rows_of(rows: Rows) -> Rows:
        nonlocal cells
        for row in rows:
            cells += max(len(row), 1)
            if cells > limits.cells:
                raise over_limit(url, "number of cells (at least)", cells, limits.cells, "cells")
            yield row

    for name, rows in sheets:
        yield name, rows_of(rows)


def table_text(sheets: Iterable[tuple[str, Rows]], url: str = "",
               limits: Limits | None = None) -> ExtractedText:
    """One line per data row, "header: value; ...", in sections of ROWS_PER_SECTION rows.

    A sheet name of "" (a CSV file) gives labels "rows 2-501"; otherwise
    "sheet Audit rows 2-501".
    """
    parts: list[tuple[str, str]] = []
    for name, rows in counted(sheets, url, limits or Limits()):
        header = [_cell(value) for value in next(rows, ())]
        chunk: list[str] = []
        first = number = 2
        for number, row in enumerate(rows, 2):
            line = _row_line(header, row)
            if line:
                chunk.append(line)
            if number - first + 1 == ROWS_PER_SECTION:
                if chunk:
                    parts.append((_rows_label(name, first, number), "\n".join(chunk)))
                chunk, first = [], number + 1
        if chunk:
            parts.append((_rows_label(name, first, number), "\n".join(chunk)))
    if not parts:
        return ExtractedText("", [Section("rows", 0, 0)])
    text, sections = join(parts, separator="\n")
    return ExtractedText(text, sections)


def _rows_label(sheet: str, first: int, last: int) -> str:
    return f"sheet {sheet} rows {first}-{last}" if sheet else f"rows {first}-{last}"


def _row_line(header: list[str], row: Sequence[Any]) -> str:
    pairs = []
    for index, value in enumerate(row):
        text = _cell(value)
        if text:
            name = header[index] if index < len(header) and header[index] else f"column {index + 1}"
            pairs.append(f"{name}: {text}")
    return "; ".join(pairs)


def _cell(value: Any) -> str:  # Any: whatever openpyxl or csv hands over
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return squash(str(value))
