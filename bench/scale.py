"""Scale: a store of 10,000 sources and 200,000 documents; memory of a run and a build, and
build time against the number of findings.

1. Serves a generated world of 10,000 document-index sources (20 documents listed on each)
   on 127.0.0.1 and fills the store as a finished first crawl would have left it: every
   listed document stored and confirmed by its server an hour ago, with findings in some.
2. Runs the real re-crawl (``sidedoor.runner.crawl``: every listing fetched, its documents
   recognised from the store, in child processes of 500 sources each) and samples the summed
   RSS of its processes: ``run_peak_rss_mb``.
3. Builds the site (``sidedoor.runner.build``, in a child process, without search) with a
   quarter, half and all of the findings, each into a new folder, and reports each build's
   seconds, the seconds per 1,000 findings added from one build to the next (linear when
   they stay level) and the peak RSS of the build's processes; then builds once more with
   the Pagefind search index, whose process is counted in ``build_peak_rss_mb`` too.

Prints one JSON line: {"bench": "scale", "sources": n, "documents": n, "run_peak_rss_mb": x,
"build_peak_rss_mb": x, "builds": [[findings, seconds], ...], ...}. Target (issue 16): both
peaks under 1,536 MB, build time linear in findings. Quick size: 1,000 sources,
20,000 documents, 1,000 findings; BENCH_FULL=1: 10,000, 200,000 and 10,000.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bench.rss import TreeRss  # noqa: E402
from config.schema import parse_sources  # noqa: E402
from demo.server import DemoWorld  # noqa: E402
from sidedoor.runner import Paths, crawl  # noqa: E402
from sidedoor.store import (  # noqa: E402
    Document,
    DocumentVersion,
    Finding,
    Occurrence,
    Run,
    Source,
    Store,
)

# quick sizes unless BENCH_FULL=1 (make bench also sets BENCH_QUICK=1, as for the others)
QUICK = os.environ.get("BENCH_FULL") != "1"
SOURCES = 1_000 if QUICK else 10_000
PER_SOURCE = 20
FINDINGS = 1_000 if QUICK else 10_000
HOSTS = 20 if QUICK else 100
STEPS = (0.25, 0.5, 1.0)
NOW = datetime.now(UTC)
SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS": 64,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "RETRY_TIMES": 1, "LOG_LEVEL": "WARNING"}
AGENCIES = ["ICE", "HSI", "CBP", "FBI", "DEA", "Texas DPS"]
CATEGORIES = ["federal_access", "out_of_state_sharing", "immigration_search",
              "sharing_agreement"]
CHUNK = 10_000


def write_world(sites: Path) -> None:
    """Each source's listing page: PER_SOURCE links to its documents."""
    for i in range(SOURCES):
        folder = sites / f"h{i % HOSTS}" / f"s{i}"
        folder.mkdir(parents=True, exist_ok=True)
        links = "".join(f'<li><a href="d{j}.html">Minutes {j}</a></li>'
                        for j in range(PER_SOURCE))
        (folder / "index.html").write_text(f"<html><body><ul>{links}</ul></body></html>",
                                           encoding="utf-8")


def source_configs(hosts: dict[str, str]) -> list[Any]:  # Any: SourceConfig
    entries = {f"scale_{i:05d}": {
        "name": f"Scale source {i}", "place": f"Place {i % 4000}", "state": "IL",
        "kind": "minutes", "platform": "document_index",
        "start_urls": [f"http://{hosts[f'h{i % HOSTS}']}/s{i}/index.html"],
        "documents": [r"/d\d+\.html$"]} for i in range(SOURCES)}
    return list(parse_sources({"sources": entries}, Path("bench")).values())


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _document_rows(sources: list[Any]) -> Iterator[dict[str, Any]]:
    seen = NOW - timedelta(hours=1)
    for n, source in enumerate(sources):
        base = str(source.urls[0]).rsplit("/", 1)[0]
        for j in range(PER_SOURCE):
            yield {"id": n * PER_SOURCE + j + 1, "source_id": source.id,
                   "url": f"{base}/d{j}.html", "title": f"Minutes {j}", "first_seen": seen,
                   "last_seen": seen, "checked_at": seen}


def _text(doc_id: int) -> str:
    return (f"Minutes of meeting {doc_id}. Roll call. The board approved the consent agenda, "
            "the street resurfacing contract and the water main budget. Public comment.")


def _version_rows(archive: Path) -> Iterator[dict[str, Any]]:
    seen = NOW - timedelta(hours=1)
    for doc_id in range(1, SOURCES * PER_SOURCE + 1):
        text = _text(doc_id)
        sha = hashlib.sha256(text.encode()).hexdigest()
        path = f"{sha[:2]}/{sha}.html"
        (archive / path).parent.mkdir(parents=True, exist_ok=True)
        (archive / path).write_text(text, encoding="utf-8")  # a re-crawl checks it is there
        yield {"id": doc_id, "document_id": doc_id, "sha256": sha, "fetched_at": seen,
               "content_type": "text/html", "size": len(text), "title": f"Minutes {doc_id}",
               "published": None, "archive_path": path, "text": text,
               "sections": [{"label": "section 1", "start": 0, "end": len(text)}],
               "etag": None, "last_modified": None, "data": None}


def fill_store(store: Store, sources: list[Any], archive: Path) -> None:
    """The store a finished first crawl leaves: sources, documents, versions, archive."""
    with store.session() as s:
        s.execute(insert(Source), [{
            "id": c.id, "name": c.name, "place": c.place, "state": c.state, "kind": c.kind,
            "platform": c.platform, "start_urls": [str(u) for u in c.urls],
            "schedule": "0 6 * * *", "enabled": True} for c in sources])
        s.add(Run(started_at=NOW - timedelta(hours=2), finished_at=NOW - timedelta(hours=1),
                  command="bench"))
    for model, rows in ((Document, _document_rows(sources)),
                        (DocumentVersion, _version_rows(archive))):
        for chunk in _chunks(rows):
            with store.session() as s:
                s.execute(insert(model), chunk)


def add_findings(store: Store, sources: list[Any], first: int, last: int) -> None:
    """Findings ``first`` to ``last`` (0-based, exclusive), each in its own document."""
    stride = SOURCES * PER_SOURCE // FINDINGS
    seen = NOW - timedelta(hours=1)
    findings, occurrences = [], []
    for k in range(first, last):
        doc_id = 1 + k * stride
        source = sources[(doc_id - 1) // PER_SOURCE]
        agency = AGENCIES[k % len(AGENCIES)]
        snippet = f"The board approved giving {agency} access to its camera data ({k})."
        findings.append({
            "id": hashlib.sha1(f"scale{k}".encode()).hexdigest()[:16], "source_id": source.id,
            "category": CATEGORIES[k % len(CATEGORIES)], "agencies": [agency],
            "place": source.place, "state": "IL", "snippet": snippet,
            "highlights": [[26, 26 + len(agency)]], "confidence": 0.9, "rules": ["bench"],
            "vendors": [], "systems": [], "first_seen": seen - timedelta(days=k % 700),
            "last_seen": seen})
        occurrences.append({"finding_id": findings[-1]["id"], "version_id": doc_id,
                            "start": 0, "end": 40, "section": "section 1",
                            "first_seen": seen})
    with store.session() as s:
        s.execute(insert(Finding), findings)
        s.execute(insert(Occurrence), occurrences)


BUILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from sidedoor.runner import Paths, build
paths = Paths(data_dir=Path({data!r}), db_url={url!r}, public_dir=Path(sys.argv[1]))
started = time.perf_counter()
result = build(paths, Path({site!r}), search=sys.argv[2] == "1")
print(json.dumps({{"seconds": time.perf_counter() - started, "pages": result.pages}}))
"""


def timed_build(paths: Paths, out: Path, search: bool) -> tuple[float, int, float]:
    """(seconds, pages, peak RSS in MB) of a build in a child process."""
    code = BUILD.format(root=str(ROOT), data=str(paths.data_dir), url=paths.db_url,
                        site=str(ROOT / "demo" / "site.yaml"))
    with TreeRss() as meter:
        done = subprocess.run([sys.executable, "-c", code, str(out), "1" if search else "0"],
                              capture_output=True, text=True, timeout=7200, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"build failed: {done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["seconds"], result["pages"], meter.peak_mb


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        write_world(base / "sites")
        paths = Paths(data_dir=base / "data", db_url=f"sqlite:///{base / 'data' / 's.sqlite'}",
                      public_dir=base / "public")
        with DemoWorld(base / "sites", first_port=None) as world:
            sources = source_configs(world.hosts)
            store = Store.open(paths.db_url)
            started = time.perf_counter()
            fill_store(store, sources, paths.archive_dir)
            filled_s = time.perf_counter() - started
            with TreeRss() as run_meter:
                started = time.perf_counter()
                _, rows = crawl(sources, paths, command="bench", settings=SETTINGS)
                run_s = time.perf_counter() - started
        builds, done = [], 0
        for n, step in enumerate(STEPS):
            add_findings(store, sources, done, int(FINDINGS * step))
            done = int(FINDINGS * step)
            seconds, pages, peak = timed_build(paths, base / f"site{n}", search=False)
            builds.append({"findings": done, "seconds": round(seconds, 2), "pages": pages,
                           "peak_rss_mb": peak})
        search_s, _, search_peak = timed_build(paths, base / "site-search", search=True)
        db_mb = (base / "data" / "s.sqlite").stat().st_size / 2**20
    per_k = [round(b["seconds"] / b["findings"] * 1000, 2) for b in builds]
    # a build has a fixed part (a page per source and place); linear means these stay level
    marginal = [round((b["seconds"] - a["seconds"]) / (b["findings"] - a["findings"]) * 1000, 2)
                for a, b in zip(builds, builds[1:], strict=False)]
    print(json.dumps({
        "bench": "scale", "sources": SOURCES, "documents": SOURCES * PER_SOURCE,
        "findings": FINDINGS, "store_fill_s": round(filled_s, 1),
        "store_mb": round(db_mb, 1), "run_s": round(run_s, 1),
        "run_peak_rss_mb": run_meter.peak_mb,
        "run_documents_unchanged": sum(r.documents_unchanged for r in rows),
        "run_documents_new": sum(r.documents_new for r in rows),
        "run_errors": sum(r.errors for r in rows),
        "build_peak_rss_mb": max(search_peak, *(b["peak_rss_mb"] for b in builds)),
        "builds": [[b["findings"], b["seconds"]] for b in builds],
        "build_s_per_1000_findings": per_k, "build_marginal_s_per_1000_findings": marginal,
        "build_pages": [b["pages"] for b in builds],
        "build_peak_rss_mb_each": [b["peak_rss_mb"] for b in builds],
        "search_build_s": round(search_s, 2), "search_build_peak_rss_mb": search_peak,
        "target_peak_rss_mb": 1536}))


if __name__ == "__main__":
    main()
