"""Open data: ``data/findings.json``, ``data/findings.csv``, ``data/sources.json``,
``data/findings.sqlite`` (reports/database.py), and the findings of each place, agency and
category as ``data/<places|agencies|categories>/<slug>.csv``.

The schema is documented in docs/data.md; change both together. Output is sorted and holds
no clock value except ``generated_at``, so a reviewer can diff two builds. CSV files start
with a UTF-8 byte-order mark, and no cell can start a spreadsheet formula (``neutralise``).

Each finding is encoded once, as a line of JSON and a row of CSV that every file showing it
is assembled from, and only when it changed since the previous build (``reports/datarows.py``
keeps the others). A file whose every input is unchanged is the previous build's file,
linked (``Fingerprints.reuse``); findings.json and sources.json carry the build time, so
they are always assembled anew.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from reports.database import DATABASE, FindingRows, finding_rows, write_database
from reports.datarows import CSV_FILE, JSON_FILE, JSON_SEPARATOR, PreviousRows, Row, save_rows
from reports.incremental import Fingerprints
from reports.site import iso
from reports.views import FindingView, SiteData, SourceView

logger = logging.getLogger(__name__)
SCHEMA_VERSION = 1
# the JSON Schema of findings.json, published beside it as data/findings.schema.json
SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "findings.schema.json"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "id", "title", "category", "categories", "place", "county", "state", "owner", "agencies",
    "recipients", "channel", "kind", "status", "event_start", "event_end", "counts", "laws",
    "backfill", "source_id", "first_seen", "last_seen", "confidence", "review_status",
    "snippet", "document_title", "document_url", "section", "archive_url", "finding_url",
)
BOM = "\ufeff".encode()  # tells spreadsheets the file is UTF-8: dashes, accents


def write_open_data(out: Path, data: SiteData, base_url: str, now: datetime,
                    fingerprints: Fingerprints | None = None) -> int:
    """Write the export files, one CSV per place, agency and category included; return how
    many were written. With ``fingerprints`` (those of the build, which know the previous
    site), unchanged findings and files are taken from the previous build."""
    fingerprints = fingerprints or Fingerprints(out, None)
    (out / "data").mkdir(parents=True, exist_ok=True)
    encoder = _Encoder(base_url)
    with PreviousRows(fingerprints.previous) as previous:
        rows = []
        for f in data.findings:
            digest = fingerprints.digest("data-finding", {
                "finding": f, "last_seen": f.last_seen, "base_url": base_url})
            rows.append(previous.get(digest) or encoder.row(digest, f))
    generated_at = iso(now)
    sources = [source_record(s) for s in data.sources]
    json_start = _json(out / JSON_FILE, generated_at, "findings", [r.json for r in rows])
    _json(out / "data/sources.json", generated_at, "sources",
          [json.dumps(s, ensure_ascii=False).encode() for s in sources])
    by_id = {f.id: row for f, row in zip(data.findings, rows, strict=True)}
    files = [(CSV_FILE, rows)] + [(facet.csv, [by_id[f.id] for f in items])
                                  for facets in (data.places, data.agencies, data.categories)
                                  for facet, items in facets.items()]
    for path, members in files:
        if not fingerprints.reuse((path,), fingerprints.digest(
                "data-csv", {"rows": _digest_of(members)})):
            _csv(out / path, encoder.header, members)
    save_rows(out, rows, json_start=json_start, csv_start=len(encoder.header))
    schema = f"data/{SCHEMA.name}"
    if not fingerprints.reuse((schema,), fingerprints.digest(
            "data-schema", {"schema": SCHEMA.read_text(encoding="utf-8")})):
        (out / schema).write_bytes(SCHEMA.read_bytes())
    if not fingerprints.reuse((DATABASE,), fingerprints.digest("data-database", {
            "findings": _digest_of(rows), "sources": json.dumps(sources)})):
        _database(out, data.findings, rows, encoder.records, sources, fingerprints.previous)
    return 5 + len(files) - 1


def _database(out: Path, findings: Sequence[FindingView], rows: Sequence[Row],
              encoded: dict[str, dict[str, Any]], sources: list[dict[str, Any]],
              previous: Path | None) -> None:
    """Write the SQLite file, copying the rows of the findings not encoded again from the
    previous build's (made from the same records), else from their line of findings.json."""
    given: list[FindingRows | str] = [
        finding_rows(encoded[f.id]) if f.id in encoded else f.id for f in findings]
    if previous is not None:
        try:
            write_database(out / DATABASE, given, sources, kept=previous / DATABASE)
            return
        except (ValueError, sqlite3.Error) as exc:
            logger.info("cannot copy findings from %s (%s); writing them from findings.json",
                        previous / DATABASE, exc)
    write_database(out / DATABASE, [
        finding_rows(json.loads(row.json)) if isinstance(item, str) else item
        for item, row in zip(given, rows, strict=True)], sources)


def _digest_of(rows: Sequence[Row]) -> str:
    """One digest of the rows' digests, in order (quicker than fingerprinting the list)."""
    return hashlib.sha256("".join([r.digest for r in rows]).encode()).hexdigest()


class _Encoder:
    """Encodes findings into their fragments, keeping the records it made for the database."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.records: dict[str, dict[str, Any]] = {}
        self._written: list[str] = []
        # csv's writer is the one that knows CSV's quoting; it writes into our list
        self._writer = csv.writer(SimpleNamespace(write=self._written.append),
                                  lineterminator="\n")
        self.header = BOM + self._csv_line(CSV_COLUMNS)

    def row(self, digest: str, f: FindingView) -> Row:
        record = finding_record(f, self.base_url)
        self.records[f.id] = record
        row = _csv_row(record)
        return Row(digest, json.dumps(record, ensure_ascii=False).encode(),
                   self._csv_line([neutralise(row[key]) for key in CSV_COLUMNS]))

    def _csv_line(self, cells: Sequence[Any]) -> bytes:
        self._writer.writerow(cells)
        line = "".join(self._written)
        self._written.clear()
        return line.encode()


def _csv(path: Path, header: bytes, rows: Sequence[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(header)
        handle.writelines(r.csv for r in rows)


def _json(path: Path, generated_at: str, key: str, lines: Sequence[bytes]) -> int:
    """One record a line: quick to write and easy to diff. Returns where the first line
    starts in the file."""
    head = json.dumps({"schema_version": SCHEMA_VERSION, "generated_at": generated_at})
    start = f'{head[:-1]}, "{key}": ['.encode()
    with path.open("wb") as handle:
        if not lines:
            handle.write(start + b"]}\n")
            return len(start)
        handle.write(start + b"\n")
        handle.write(JSON_SEPARATOR.join(lines))
        handle.write(b"\n]}\n")
    return len(start) + 1


def finding_record(f: FindingView, base_url: str) -> dict[str, Any]:
    """One finding as published in findings.json."""
    return {
        "id": f.id,
        "url": f"{base_url}{f.path}",
        "title": f.title,
        "category": f.category.key,
        "categories": [c.key for c in f.all_categories],
        "place": f.place_name,
        "county": f.fact.county or None,
        "state": f.state,
        "owner": f.fact.owner or None,
        "agencies": [a.label for a in f.agencies],
        "recipients": [{"name": r.name or None, "state": r.state or None,
                        "full_name": r.full_name or None, "part_of": list(r.parents)}
                       for r in f.fact.recipients],
        "channel": f.fact.channel or None,
        "kind": f.fact.kind or None,
        "status": f.fact.status or None,
        "status_quote": f.fact.status_quote or None,
        "status_changed": iso(f.fact.status_changed) if f.fact.status_changed else None,
        "event_start": f.fact.event_start,
        "event_end": f.fact.event_end,
        "counts": dict(f.fact.counts),
        "laws": list(f.fact.laws),
        "backfill": f.fact.backfill,
        "source_id": f.source_id,
        "snippet": f.snippet,
        "highlights": [list(h) for h in f.highlights],
        "confidence": f.confidence,
        "rules": list(f.rules),
        "first_seen": iso(f.first_seen),
        "last_seen": iso(f.last_seen),
        "review": ({"status": str(f.review.status), "note": f.review.note}
                   if f.review else None),
        "evidence": [{
            "document_title": e.document_title,
            "document_url": e.source_url,
            "section": e.section,
            "start": e.start,
            "end": e.end,
            "sha256": e.sha256,
            "fetched_at": iso(e.fetched_at),
            "archive_url": f"{base_url}archive/{e.archive_name}" if e.archive_name else None,
        } for e in f.evidence],
    }


def source_record(s: SourceView) -> dict[str, Any]:
    """One source as published in sources.json."""
    return {
        "id": s.id, "name": s.name, "place": s.place_name, "state": s.state,
        "kind": s.kind,
        "platform": s.platform, "schedule": s.schedule, "enabled": s.enabled,
        "start_urls": list(s.start_urls), "status": s.status, "broken": s.broken,
        "recent_outcomes": list(s.recent_outcomes),
        "last_run": iso(s.last_run) if s.last_run else None,
        "last_success": iso(s.last_success) if s.last_success else None,
        "last_error": iso(s.last_error) if s.last_error else None,
        "last_error_messages": list(s.last_error_messages),
        "documents": s.documents, "findings": s.findings,
    }


def neutralise(cell: Any) -> Any:  # Any: a CSV cell is text or a number
    """A text cell a spreadsheet would run as a formula, made inert with a leading ``'``.

    The OWASP rule for CSV injection: a cell starting with ``= + - @``, a tab or a carriage
    return is prefixed with a single quote. Numbers are written as they are.
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _csv_row(r: dict[str, Any]) -> dict[str, Any]:
    """A findings.json record as the flat row of findings.csv."""
    first = r["evidence"][0] if r["evidence"] else {}
    return {
        "id": r["id"], "title": r["title"], "category": r["category"],
        "categories": "; ".join(r["categories"]), "place": r["place"],
        "county": r["county"] or "", "state": r["state"], "owner": r["owner"] or "",
        "agencies": "; ".join(r["agencies"]),
        "recipients": "; ".join(_recipient_cell(x) for x in r["recipients"]),
        "channel": r["channel"] or "", "kind": r["kind"] or "", "status": r["status"] or "",
        "event_start": r["event_start"] or "", "event_end": r["event_end"] or "",
        "counts": "; ".join(f"{k}={v}" for k, v in r["counts"].items()),
        "laws": "; ".join(r["laws"]), "backfill": "yes" if r["backfill"] else "",
        "source_id": r["source_id"], "first_seen": r["first_seen"],
        "last_seen": r["last_seen"], "confidence": r["confidence"],
        "review_status": r["review"]["status"] if r["review"] else "",
        "snippet": r["snippet"], "document_title": first.get("document_title", ""),
        "document_url": first.get("document_url") or "", "section": first.get("section", ""),
        "archive_url": first.get("archive_url") or "", "finding_url": r["url"],
    }


def _recipient_cell(recipient: dict[str, Any]) -> str:
    """"HSI"; "Cedar Bend TX PD (TX)"; "agencies in IA" when only the state is known."""
    name, state = recipient["name"], recipient["state"]
    if not state:
        return str(name)
    return f"{name} ({state})" if name else f"agencies in {state}"
