"""The open data as one SQLite file, ``data/findings.sqlite``, for Datasette and SQL tools.

It holds the public tables only, built from the same records as findings.json and
sources.json (reports/opendata.py): ``findings``, ``finding_agencies`` (one row per finding
and agency, for facets), ``evidence`` and ``sources``. Nothing of the crawl's own store (runs,
texts, fetch state) is in it. docs/data.md describes the columns.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
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


# each finding table: a finding's rows in it, their insert, and the copy of a run of
# findings kept from the last build
_TABLES: tuple[tuple[Callable[[FindingRows], list[tuple[Any, ...]]], str, str], ...] = (
    (lambda f: [f.finding], "INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
     "INSERT INTO findings SELECT o.* FROM temp.kept k JOIN old.findings o ON o.id = k.id"
     " WHERE k.pos BETWEEN ? AND ? ORDER BY k.pos"),
    (lambda f: f.agencies, "INSERT INTO finding_agencies VALUES (?,?)",
     "INSERT INTO finding_agencies SELECT o.* FROM temp.kept k JOIN old.finding_agencies o"
     " ON o.finding_id = k.id WHERE k.pos BETWEEN ? AND ? ORDER BY k.pos, o.rowid"),
    (lambda f: f.evidence, "INSERT INTO evidence VALUES (?,?,?,?,?,?,?,?,?,?)",
     "INSERT INTO evidence SELECT o.* FROM temp.kept k JOIN old.evidence o"
     " ON o.finding_id = k.id WHERE k.pos BETWEEN ? AND ? ORDER BY k.pos, o.position"),
)


def write_database(path: Path, findings: Sequence[FindingRows | str],
                   sources: Sequence[dict[str, Any]], kept: Path | None = None) -> None:
    """Write the SQLite file at ``path`` from the rows of each finding and sources.json's
    records. A finding given by its id alone is copied, rows as they are, from the
    database at ``kept`` (the last build's). The same rows in the same order give the same
    bytes. Raises ValueError if ``kept`` lacks one of those findings."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path.resolve().as_uri(), uri=True)
    try:
        copied = [(n, f) for n, f in enumerate(findings) if isinstance(f, str)]
        if copied and kept is None:
            raise ValueError("findings to copy, but no database to copy them from")
        if copied and kept is not None:
            connection.execute("ATTACH DATABASE ? AS old", (kept.resolve().as_uri() + "?mode=ro",))
            connection.execute("CREATE TEMP TABLE kept (pos INTEGER PRIMARY KEY, id TEXT)")
            connection.executemany("INSERT INTO temp.kept VALUES (?, ?)", copied)
        with connection:
            connection.executescript(_SCHEMA)
            runs = _runs(findings)
            for rows_of, insert, copy in _TABLES:
                for first, run in runs:
                    if isinstance(run[0], str):
                        connection.execute(copy, (first, first + len(run) - 1))
                    else:
                        connection.executemany(insert, (row for f in run if not isinstance(
                            f, str) for row in rows_of(f)))
            count = connection.execute("SELECT count(*) FROM main.findings").fetchone()[0]
            if count != len(findings):
                raise ValueError(f"{kept} lacks {len(findings) - count} of the findings "
                                 "to copy from it")
            connection.executemany(
                "INSERT INTO sources VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (_source_row(s) for s in sources))
    finally:
        connection.close()
    path.chmod(0o644)


def _runs(findings: Sequence[FindingRows | str]) -> list[tuple[int, Sequence[FindingRows | str]]]:
    """The findings cut into runs of those copied (ids) and those given (rows):
    [(position of the first, the run)]."""
    runs: list[tuple[int, Sequence[FindingRows | str]]] = []
    start = 0
    for number in range(1, len(findings) + 1):
        if number == len(findings) or (
                isinstance(findings[number], str) != isinstance(findings[start], str)):
            runs.append((start, findings[start:number]))
            start = number
    return runs


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


def _source_row(s: dict[str, Any]) -> tuple[Any, ...]:
    return (s["id"], s["name"], s["place"], s["state"], s["kind"], s["platform"],
            s["schedule"], int(s["enabled"]), json.dumps(s["start_urls"]), s["status"],
            int(s["broken"]), s["last_run"], s["last_success"], s["last_error"],
            s["documents"], s["findings"])
