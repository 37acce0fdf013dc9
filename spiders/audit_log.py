"""Search-audit logs released as CSV or XLSX files (records requests, portal downloads).

Two shapes are read, by column name rather than position: the portal's public search audit
(``id,userId,searchDate,networkCount,reason`` — or ``offenseType`` instead of ``reason`` since
2026, or no reason at all: ``id,userId,searchDate,networkCount[,caseNumber]``), and Flock's
network/organization audit export (``ID, Name, Org Name, Total Networks Searched, Time Frame,
License Plate, Reason, Case #, Filters, Search Time, Search Type, Text Prompt, Moderation``,
sometimes with "Total Devices Searched" or "Offense Type"). Licence plates are not kept. A
source points at a file URL, or at a ``file://`` folder of such files.

The spider hands each file on unread (an AuditLogItem): a workbook may inflate to billions
of cells, so the text pipeline reads it in a reading process under the limits every document
gets (pipelines/audit_read.py); this module says which header and which columns make rows.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import re
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from dataclasses import fields
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlparse
from urllib.request import url2pathname

from parsel import Selector
from scrapy.http import Request, Response

from spiders.base import LayoutChanged, SourceSpider
from spiders.items import AuditLogItem
from spiders.portal_snapshot import AuditRow, PortalSnapshot

SUFFIXES = (".csv", ".xlsx")
# a header, lower-cased with everything but letters removed → the AuditRow field it fills
COLUMNS = {
    "id": "id", "searchid": "id",
    "userid": "user_id", "name": "user_id", "user": "user_id", "username": "user_id",
    "searchdate": "search_date", "searchtime": "search_date", "searchdatetime": "search_date",
    "networkcount": "network_count", "totalnetworkssearched": "network_count",
    "orgname": "organization", "organization": "organization", "agency": "organization",
    "case": "case_number", "casenumber": "case_number", "caseno": "case_number",
}
REASONS = ("reason", "searchreason", "offensetype")  # by preference, when a row has several
HEADER_ROWS = 10  # exports may open with a title block
MIN_COLUMNS = 3  # known columns that make a header without a reason column


def audit_rows(tables: Iterable[Iterable[Sequence[Any]]], where: str) -> list[AuditRow]:
    """The rows of a search audit's tables (CSV rows, or a workbook's sheets as
    pipelines/audit_read.py reads them under the reading limits); LayoutChanged naming
    ``where`` if no table has a header row with a reason (or offense type) column."""
    rows: list[AuditRow] = []
    found = False
    for table in tables:
        cells = (list(map(_cell, row)) for row in table)
        head = list(islice(cells, HEADER_ROWS))
        header_at = _header_row(head)
        if header_at is None:
            continue
        found = True
        rows.extend(_rows(head[header_at], chain(head[header_at + 1:], cells),
                          first=header_at + 2))
    if not found:
        raise LayoutChanged(
            f"{where}: no header row in the first {HEADER_ROWS} rows with a 'reason' or "
            f"'offenseType' column or {MIN_COLUMNS} of id, userId, searchDate, networkCount, "
            f"caseNumber; expected a Flock search audit (id,userId,searchDate,networkCount"
            f"[,reason][,caseNumber]) or a network/organization audit export (ID, Name, Org "
            f"Name, Total Networks Searched, ..., Reason, ...)"
        )
    return rows


def is_workbook(body: bytes, where: str) -> bool:
    """Whether an audit file is an XLSX workbook (a zip, or named .xlsx) rather than CSV."""
    return body.startswith(b"PK\x03\x04") or where.lower().endswith(".xlsx")


def csv_table(body: bytes, where: str) -> Iterator[list[str]]:
    """The rows of a CSV audit (UTF-8, else Windows-1252); LayoutChanged if csv cannot."""
    try:  # newline="": a lone CR inside a field is data, as csv expects
        yield from csv.reader(io.StringIO(_decode(body), newline=""))
    except csv.Error as exc:
        raise LayoutChanged(f"{where}: not a readable CSV ({exc})") from None


def parse_audit_csv(body: bytes, where: str) -> list[AuditRow]:
    """The rows of a CSV search audit (see :func:`audit_rows`)."""
    return audit_rows([csv_table(body, where)], where)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def _cell(value: Any) -> str:  # Any: whatever openpyxl read from a cell
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _key(header: str) -> str:
    return re.sub(r"[^a-z]", "", header.lower())


def _header_row(table: list[list[str]]) -> int | None:
    """The header: a row naming a reason (or offense type) column, or at least
    :data:`MIN_COLUMNS` known columns (``id,userId,searchDate,networkCount[,caseNumber]``
    audits log no reason, which is valid)."""
    for index, row in enumerate(table[:HEADER_ROWS]):
        keys = {_key(cell) for cell in row}
        if keys & set(REASONS) or len({COLUMNS[k] for k in keys if k in COLUMNS}) >= MIN_COLUMNS:
            return index
    return None


def _rows(header: list[str], body: Iterable[list[str]], first: int) -> Iterator[AuditRow]:
    """The audit rows of a table's body, numbered from ``first`` as a spreadsheet would."""
    keys = [_key(h) for h in header]
    for number, cells in enumerate(body, first):
        if not any(c.strip() for c in cells):
            continue
        values: dict[str, str] = {}
        for key, cell in zip(keys, cells, strict=False):
            if key in COLUMNS and not values.get(COLUMNS[key]):
                values[COLUMNS[key]] = " ".join(cell.split())
        reason = next((" ".join(cells[keys.index(k)].split()) for k in REASONS
                       if k in keys and keys.index(k) < len(cells)
                       and cells[keys.index(k)].strip()), "")
        yield AuditRow(
            id=values.get("id", ""), user_id=values.get("user_id", ""),
            search_date=values.get("search_date", ""),
            network_count=_count(values.get("network_count", "")), reason=reason,
            organization=values.get("organization", ""),
            case_number=values.get("case_number", ""), row=number,
        )


def _count(text: str) -> int | None:
    try:
        return int(float(text.replace(",", "")))
    except ValueError:
        return None


def embedded_audit(page: Selector, url: str) -> list[AuditRow]:
    """The search audit a portal embeds as a ``data:text/csv`` link, or []."""
    rows: list[AuditRow] = []
    for href in page.xpath("//a[starts-with(@href, 'data:text/csv')]/@href").getall():
        header, _, payload = href.partition(",")
        where = f"{url} (embedded search audit)"
        try:
            body = (base64.b64decode(payload.encode("ascii"), validate=False)
                    if ";base64" in header else unquote_to_bytes(payload))
        except (UnicodeEncodeError, binascii.Error) as exc:
            raise LayoutChanged(f"{where}: its data: link is not valid base64 ({exc})") from None
        rows.extend(parse_audit_csv(body, where))
    return rows


def folder_files(url: str) -> list[Path]:
    """The CSV and XLSX files of a ``file://`` folder URL, sorted by name."""
    folder = Path(url2pathname(urlparse(url).path))
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())


class AuditLogSpider(SourceSpider):
    """Reads a source's audit-log files (URLs or a local folder) into audit-only snapshots."""

    name = "audit_log"

    async def start(self) -> AsyncIterator[Request]:
        for url in self.source.urls:
            if url.startswith("file://") and Path(url2pathname(urlparse(url).path)).is_dir():
                for path in folder_files(url):
                    yield self.request(path.as_uri(), self.parse)
            else:
                yield self.request(url, self.parse)

    def parse(self, response: Response) -> Iterator[AuditLogItem]:
        """One audit file → one AuditLogItem whose snapshot will hold only the audit rows:
        the text pipeline reads them under the reading limits (pipelines/audit_read.py)."""
        filename = response.url.rsplit("/", 1)[-1] or response.url
        snapshot = PortalSnapshot(agency=self.source.name, url=response.url,
                                  state=self.source.state, layout="audit_log")
        document = self.document(response, title=f"{self.source.name} search audit ({filename})")
        values = {f.name: getattr(document, f.name) for f in fields(document)}
        yield AuditLogItem(**values, snapshot=snapshot)
