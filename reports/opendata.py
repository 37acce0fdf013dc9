"""Open data: ``data/findings.json``, ``data/findings.csv``, ``data/sources.json``,
``data/findings.sqlite`` (reports/database.py), and the findings of each place, agency and
category as ``data/<places|agencies|categories>/<slug>.csv``.

The schema is documented in docs/data.md; change both together. Output is sorted and holds
no clock value except ``generated_at``, so a reviewer can diff two builds. CSV files start
with a UTF-8 byte-order mark, and no cell can start a spreadsheet formula (``neutralise``).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from reports.database import DATABASE, write_database
from reports.site import iso
from reports.views import FindingView, SiteData, SourceView

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


def write_open_data(out: Path, data: SiteData, base_url: str, now: datetime) -> int:
    """Write the export files, one CSV per place, agency and category included; return how
    many were written."""
    folder = out / "data"
    folder.mkdir(parents=True, exist_ok=True)
    findings = [finding_record(f, base_url) for f in data.findings]
    sources = [source_record(s) for s in data.sources]
    _json(folder / "findings.json", iso(now), "findings", findings)
    _json(folder / "sources.json", iso(now), "sources", sources)
    _csv(folder / "findings.csv", findings)
    (folder / SCHEMA.name).write_bytes(SCHEMA.read_bytes())
    write_database(out / DATABASE, findings, sources)
    by_id = {r["id"]: r for r in findings}
    written = 5
    for facets in (data.places, data.agencies, data.categories):
        for facet, items in facets.items():
            _csv(out / facet.csv, [by_id[f.id] for f in items])
            written += 1
    return written


def _csv(path: Path, records: list[dict[str, Any]]) -> None:
    """The byte-order mark (utf-8-sig) tells spreadsheets the file is UTF-8: dashes, accents."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(findings_csv(records), encoding="utf-8-sig")


def _json(path: Path, generated_at: str, key: str, records: list[dict[str, Any]]) -> None:
    """One record a line: quick to write (the C encoder) and easy to diff."""
    head = json.dumps({"schema_version": SCHEMA_VERSION, "generated_at": generated_at})
    lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    listing = f"[\n{lines}\n]" if records else "[]"
    path.write_text(f'{head[:-1]}, "{key}": {listing}}}\n', encoding="utf-8")


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


def findings_csv(records: list[dict[str, Any]]) -> str:
    """One row per finding, its newest evidence flattened into columns, formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow({key: neutralise(value) for key, value in _csv_row(r).items()})
    return buffer.getvalue()


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
