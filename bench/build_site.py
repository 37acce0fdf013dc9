"""Benchmark a full site build on a generated store: 50,000 findings across 2,000 places.

    .venv/bin/python bench/build_site.py                 # the full store
    BENCH_QUICK=1 .venv/bin/python bench/build_site.py   # 1,000 findings, 40 places
    BENCH_SEARCH=0 ...                                   # without the Pagefind index
    BENCH_FINDINGS=10000 BENCH_PLACES=400 ...            # any other size

Prints one JSON line: {"bench": "build_site", "findings": n, "places": n, "pages": n,
"seconds": x, ...}; "seconds" is the whole build including search unless BENCH_SEARCH=0;
"rebuild_seconds" is a second build of the unchanged store over the first (search reused);
"changed_seconds" a third after new findings in 1% of the places. "rendered" and "reused"
count, for each build, the pages and feeds rendered and those taken unchanged from the last.
Targets (issue 16): changed_ratio <= 0.15, rebuild_ratio <= 0.05, peak_rss_mb < 1536.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from config.schema import SiteConfig  # noqa: E402
from reports.build import build_site  # noqa: E402
from reports.publish import settle  # noqa: E402
from sidedoor.store import (  # noqa: E402
    Document,
    DocumentVersion,
    Finding,
    Occurrence,
    Run,
    Source,
    SourceRun,
    Store,
)

START = datetime(2024, 1, 1, tzinfo=UTC)
AGENCIES = ["ICE", "ERO", "HSI", "CBP", "DHS", "FBI", "DEA", "USMS", "ATF", "Texas DPS",
            "Georgia State Patrol", "Florida Highway Patrol"]
CATEGORIES = ["federal_access", "out_of_state_sharing", "immigration_search",
              "sharing_agreement"]
TEMPLATES = [
    "The department granted {agency} access to its camera network in {place} for pilot {n}.",
    "Search audit row {n}: reason ICE WARRANT, searched by {agency} on behalf of {place}.",
    "The board approved agreement {n} giving {agency} access to {place} plate reads.",
    "Audit finding {n}: {place} shared its reads with {agency} through National Lookup.",
]
FINDINGS_PER_DOCUMENT = 5


def generate(store: Store, archive: Path, findings: int, places: int) -> None:
    """Fill an empty store with sources, runs, documents and findings."""
    rng = random.Random(5)
    per_place = findings // places
    with store.session() as s:
        s.execute(insert(Source), [_source(i) for i in range(places)])
        run = Run(started_at=START, finished_at=START + timedelta(hours=1), command="bench")
        s.add(run)
        s.flush()
        s.execute(insert(SourceRun), [
            {"run_id": run.id, "source_id": f"place{i:05d}_board", "started_at": START,
             "finished_at": START, "outcome": "error" if i % 97 == 0 else "ok", "errors": 0,
             "error_messages": []} for i in range(places)])
        rows = _documents_and_findings(rng, archive, places, per_place)
        for model, items in rows.items():
            s.execute(insert(model), items)


def _source(i: int) -> dict[str, Any]:
    return {"id": f"place{i:05d}_board", "name": f"Place {i} Board", "place": f"Place {i}",
            "state": "IL", "kind": "minutes", "platform": "document_index",
            "start_urls": [f"https://place{i}.example.gov/minutes"], "schedule": "0 6 * * *",
            "enabled": True}


def _documents_and_findings(rng: random.Random, archive: Path, places: int,
                            per_place: int) -> dict[type, list[dict[str, Any]]]:
    rows: dict[type, list[dict[str, Any]]] = {Document: [], DocumentVersion: [], Finding: [],
                                              Occurrence: []}
    doc_id = 0
    for place in range(places):
        for first in range(0, per_place, FINDINGS_PER_DOCUMENT):
            doc_id += 1
            count = min(FINDINGS_PER_DOCUMENT, per_place - first)
            _document(rng, archive, rows, place, doc_id, first, count)
    return rows


def _document(rng: random.Random, archive: Path, rows: dict[type, list[dict[str, Any]]],
              place: int, doc_id: int, first: int, count: int) -> None:
    source_id = f"place{place:05d}_board"
    seen = START + timedelta(minutes=doc_id * 7)
    snippets = [rng.choice(TEMPLATES).format(agency=rng.choice(AGENCIES), place=f"Place {place}",
                                             n=first + k) for k in range(count)]
    pages = [f"Minutes, page {k + 1}. Roll call. " + s for k, s in enumerate(snippets)]
    text = "\n\n".join(pages)
    sha = hashlib.sha256(text.encode()).hexdigest()
    path = f"{sha[:2]}/{sha}.pdf"
    (archive / path).parent.mkdir(parents=True, exist_ok=True)
    (archive / path).write_text(text, encoding="utf-8")
    sections, cursor = [], 0
    for k, page in enumerate(pages):
        sections.append({"label": f"page {k + 1}", "start": cursor, "end": cursor + len(page)})
        cursor += len(page) + 2
    url = f"https://place{place}.example.gov/minutes/{doc_id}.pdf"
    rows[Document].append({"id": doc_id, "source_id": source_id, "url": url,
                           "title": f"Board minutes {doc_id}", "first_seen": seen,
                           "last_seen": seen, "checked_at": seen})
    rows[DocumentVersion].append({
        "id": doc_id, "document_id": doc_id, "sha256": sha, "fetched_at": seen,
        "content_type": "application/pdf", "size": len(text), "title": f"Board minutes {doc_id}",
        "published": None, "archive_path": path, "text": text, "sections": sections,
        "etag": None, "last_modified": None})
    for k, snippet in enumerate(snippets):
        fid = hashlib.sha256(f"{source_id}{snippet}".encode()).hexdigest()[:20]
        agency = next(a for a in AGENCIES if a in snippet)
        rows[Finding].append({
            "id": fid, "source_id": source_id, "category": CATEGORIES[(doc_id + k) % 4],
            "agencies": [agency], "place": f"Place {place}", "state": "IL",
            "snippet": snippet, "highlights": [[snippet.index(agency),
                                                snippet.index(agency) + len(agency)]],
            "confidence": 0.9, "rules": ["Names a federal agency next to access."],
            "first_seen": seen + timedelta(seconds=k), "last_seen": seen})
        start = sections[k]["start"] + pages[k].index(snippet)
        rows[Occurrence].append({"finding_id": fid, "version_id": doc_id, "start": start,
                                 "end": start + len(snippet), "section": f"page {k + 1}",
                                 "first_seen": seen})


def main() -> None:
    quick = os.environ.get("BENCH_QUICK") == "1"
    search = os.environ.get("BENCH_SEARCH", "1") != "0"
    findings, places = (1_000, 40) if quick else (50_000, 2_000)
    findings = int(os.environ.get("BENCH_FINDINGS", findings))
    places = int(os.environ.get("BENCH_PLACES", places))
    site = SiteConfig(title="sidedoor bench", base_url="https://bench.example.org/",
                      description="A generated store.")
    with tempfile.TemporaryDirectory(prefix="sidedoor-bench-") as tmp:
        folder = Path(tmp)
        store = Store.open(f"sqlite:///{folder / 'store.sqlite'}")
        started = time.perf_counter()
        generate(store, folder / "archive", findings, places)
        generated = time.perf_counter() - started
        results = []
        for day in (400, 401, 402):
            if day == 402:
                add_findings(store, folder / "archive", places, findings // places)
            results.append(build_site(store, folder / "public", site=site,
                                      archive_dir=folder / "archive",
                                      now=START + timedelta(days=day), search_index=search))
            # each `sidedoor build` is a process of its own that waits, once its site is
            # published, for the old site to be deleted: so does each build here
            settle()
    print(json.dumps({"bench": "build_site", "findings": findings, "places": places,
                      "pages": results[0].pages, "feeds": results[0].feeds, "search": search,
                      "seconds": results[0].seconds, "rebuild_seconds": results[1].seconds,
                      "changed_seconds": results[2].seconds,
                      "rebuild_ratio": round(results[1].seconds / results[0].seconds, 3),
                      "changed_ratio": round(results[2].seconds / results[0].seconds, 3),
                      "peak_rss_mb": round(resource.getrusage(
                          resource.RUSAGE_SELF).ru_maxrss / 1024),
                      "pagefind_peak_rss_mb": round(resource.getrusage(
                          resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
                      "rendered": [r.rendered for r in results],
                      "reused": [r.reused for r in results],
                      "generate_seconds": round(generated, 2)}))


def add_findings(store: Store, archive: Path, places: int, per_place: int) -> None:
    """One new document with findings in 1% of the places, as a day's crawl might bring."""
    rng = random.Random(6)
    rows: dict[type, list[dict[str, Any]]] = {Document: [], DocumentVersion: [], Finding: [],
                                              Occurrence: []}
    first_id = places * per_place  # above every generated document id
    for k, place in enumerate(rng.sample(range(places), max(1, places // 100))):
        _document(rng, archive, rows, place, first_id + k + 1, per_place,
                  FINDINGS_PER_DOCUMENT)
    with store.session() as s:
        for model, items in rows.items():
            s.execute(insert(model), items)


if __name__ == "__main__":
    main()
