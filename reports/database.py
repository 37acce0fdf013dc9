"""The open data as one SQLite file, ``data/findings.sqlite``, for Datasette and SQL tools.

It holds the public tables only, built from the same records as findings.json and
sources.json (reports/opendata.py): ``findings``, ``finding_agencies`` (one row per finding
and agency, for facets), ``evidence`` and ``sources``. Nothing of the crawl's own store (runs,
texts, fetch state) is in it. docs/data.md describes the columns.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATABASE = "data/findings.sqlite"
_SCHEMA = """
CREATE TABLE findings (id TEXT PRIMARY KEY, url TEXT, category TEXT, place TEXT, state TEXT,
  agencies TEXT, source_id TEXT, snippet TEXT, confidence REAL, rules TEXT, first_seen TEXT,
  last_seen TEXT, review_status TEXT, review_note TEXT);
CREATE TABLE finding_agencies (finding_id TEXT REFERENCES findings(id), agency TEXT,
  PRIMARY KEY (finding_id, agency));
CREATE TABLE evidence (finding_id TEXT REFERENCES findings(id), position INTEGER,
  document_title TEXT, document_url TEXT, section TEXT, start INTEGER, "end" INTEGER,
  sha256 TEXT, fetched_at TEXT, archive_url TEXT, PRIMARY KEY (finding_id, position));
CREATE TABLE sources (id TEXT PRIMARY KEY, name TEXT, place TEXT, state TEXT, kind TEXT,
  platform TEXT, schedule TEXT, enabled INTEGER, start_urls TEXT, status TEXT,
  broken INTEGER, last_run TEXT, last_success TEXT, last_error TEXT, documents INTEGER,
  findings INTEGER);
"""


@dataclass(frozen=True)
class FindingRows:
    """One finding's rows in the three finding tables."""

    finding: tuple[Any, ...]
    agencies: list[tuple[Any, ...]]
    evidence: list[tuple[Any, ...]]


def write_database(path: Path, findings: Sequence[FindingRows],
                   sources: Sequence[dict[str, Any]]) -> None:
    """Write the SQLite file at ``path`` from the rows of each finding and sources.json's
    records. The same rows give the same bytes."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.executescript(_SCHEMA)
            connection.executemany("INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                   (f.finding for f in findings))
            connection.executemany("INSERT INTO finding_agencies VALUES (?,?)",
                                   (row for f in findings for row in f.agencies))
            connection.executemany("INSERT INTO evidence VALUES (?,?,?,?,?,?,?,?,?,?)",
                                   (row for f in findings for row in f.evidence))
            connection.executemany(
                "INSERT INTO sources VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (_source_row(s) for s in sources))
    finally:
        connection.close()
    path.chmod(0o644)


def finding_rows(f: dict[str, Any]) -> FindingRows:
    """A findings.json record's rows."""
    review = f["review"] or {}
    return FindingRows(
        (f["id"], f["url"], f["category"], f["place"], f["state"], "; ".join(f["agencies"]),
         f["source_id"], f["snippet"], f["confidence"],
         json.dumps(f["rules"], ensure_ascii=False), f["first_seen"], f["last_seen"],
         review.get("status"), review.get("note")),
        [(f["id"], a) for a in f["agencies"]],
        [(f["id"], position, e["document_title"], e["document_url"], e["section"],
          e["start"], e["end"], e["sha256"], e["fetched_at"], e["archive_url"])
         for position, e in enumerate(f["evidence"])])


def read_rows(path: Path, ids: Collection[str]) -> dict[str, FindingRows]:
    """The rows of the findings ``ids`` in the database at ``path`` (a previous build's),
    as they were inserted; none if it cannot be read."""
    wanted = set(ids)
    found: dict[str, FindingRows] = {}
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return {}
    try:
        for row in connection.execute("SELECT * FROM findings"):
            if row[0] in wanted:
                found[row[0]] = FindingRows(row, [], [])
        for row in connection.execute("SELECT * FROM finding_agencies ORDER BY rowid"):
            if row[0] in found:
                found[row[0]].agencies.append(row)
        for row in connection.execute("SELECT * FROM evidence ORDER BY finding_id, position"):
            if row[0] in found:
                found[row[0]].evidence.append(row)
    except sqlite3.Error:
        return {}
    finally:
        connection.close()
    return found


def _source_row(s: dict[str, Any]) -> tuple[Any, ...]:
    return (s["id"], s["name"], s["place"], s["state"], s["kind"], s["platform"],
            s["schedule"], int(s["enabled"]), json.dumps(s["start_urls"]), s["status"],
            int(s["broken"]), s["last_run"], s["last_success"], s["last_error"],
            s["documents"], s["findings"])
