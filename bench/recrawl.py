"""Re-crawl cost: a generated world of sources served on 127.0.0.1 with network latency.

Runs the real crawl three times into one store: first (everything new), again with nothing
changed, and again with 1% new documents added to the listings. Prints one JSON line:
{"bench": "recrawl", "documents": n, "first_s": x, "unchanged_s": x, "changed_1pct_s": x,
 "unchanged_ratio": x, "changed_1pct_ratio": x, "reextracted_unchanged": n, ...}

The sources are spread over HOSTS local sites (one port each), as real ones share platform
hosts. The runs are made in one process, as the scheduler makes them, so the second and third
are run by the standby crawl child started during the run before (sidedoor/standby.py); the
first pays the whole start-up. Before each run the bench waits for the standby to be warm,
as a scheduler's crawls (hours apart) find it; the wait is not timed but printed
(``standby_wait_s``, second and third run): at the quick size an unchanged run is shorter
than a standby's start-up, which the third run would otherwise pay again.
BENCH_QUICK=1 builds 50 sources x 20 documents instead of 500 x 20.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config.schema import parse_sources  # noqa: E402
from demo.server import DemoWorld  # noqa: E402
from sidedoor.runner import Paths, crawl  # noqa: E402
from sidedoor.standby import standby_ready  # noqa: E402

QUICK = os.environ.get("BENCH_QUICK") == "1"
SOURCES = 50 if QUICK else 500
PER_SOURCE = 20
HOSTS = 10 if QUICK else 100
LATENCY = 0.05
STANDBY_WAIT = 60.0  # seconds at most for the standby child to be warm before a run
WORDS = ["board", "trustees", "motion", "seconded", "approved", "budget", "street",
         "resurfacing", "water", "main", "ordinance", "hearing", "resident", "comment",
         "police", "fire", "library", "park", "district", "clerk"]
SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS": 64,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 4, "RETRY_TIMES": 1, "LOG_LEVEL": "WARNING"}


def minutes(rng: random.Random, n: int) -> str:
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "."
                  for _ in range(6)]
    if n % 50 == 0:
        paragraphs.append("The Chief reported that U.S. Customs and Border Protection had "
                          "access to the village's camera data during the vendor's pilot.")
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>Minutes {n}</title></head><body><h1>Minutes {n}</h1>{body}"
            "</body></html>")


def write_source(sites: Path, i: int, count: int, rng: random.Random) -> None:
    folder = sites / f"h{i % HOSTS}" / f"s{i}"
    folder.mkdir(parents=True, exist_ok=True)
    links = []
    for j in range(count):
        doc = folder / f"d{j}.html"
        if not doc.exists():
            doc.write_text(minutes(rng, i * 1000 + j), encoding="utf-8")
        links.append(f'<li><a href="d{j}.html">Minutes {j}</a></li>')
    (folder / "index.html").write_text(f"<html><body><ul>{''.join(links)}</ul></body></html>",
                                       encoding="utf-8")


def sources_for(hosts: dict[str, str]) -> list:
    entries = {f"bench_source_{i}": {
        "name": f"Bench source {i}", "place": f"Place {i % 97}", "kind": "minutes",
        "platform": "document_index",
        "start_urls": [f"http://{hosts[f'h{i % HOSTS}']}/s{i}/index.html"],
        "documents": [r"/d\d+\.html$"]} for i in range(SOURCES)}
    return list(parse_sources({"sources": entries}, Path("bench")).values())


class Meter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.bytes = 0

    def request(self, _path: str) -> None:
        with self.lock:
            self.requests += 1

    def sent(self, size: int) -> None:
        with self.lock:
            self.bytes += size

    def take(self) -> tuple[int, int]:
        with self.lock:
            taken = (self.requests, self.bytes)
            self.requests = self.bytes = 0
            return taken


def timed_run(sources: list, paths: Paths, meter: Meter) -> dict:
    waiting = time.monotonic()
    standby_ready(STANDBY_WAIT)
    started = time.monotonic()
    _, rows = crawl(sources, paths, command="bench", settings=SETTINGS, keep_warm=True)
    seconds = time.monotonic() - started
    requests, sent = meter.take()
    return {"s": round(seconds, 2), "requests": requests, "bytes": sent,
            "standby_wait_s": round(started - waiting, 2),
            "new": sum(r.documents_new for r in rows),
            "unchanged": sum(r.documents_unchanged for r in rows),
            "errors": sum(r.errors for r in rows),
            "error_samples": sorted({m for r in rows for m in r.error_messages})[:3]}


def main() -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        sites = base / "sites"
        for i in range(SOURCES):
            write_source(sites, i, PER_SOURCE, rng)
        paths = Paths(data_dir=base / "data", db_url=f"sqlite:///{base / 'data' / 's.sqlite'}",
                      public_dir=base / "public")
        meter = Meter()
        with DemoWorld(base / "sites", latency=LATENCY, first_port=None,
                       on_request=meter.request, on_sent=meter.sent) as world:
            sources = sources_for(world.hosts)
            first = timed_run(sources, paths, meter)
            unchanged = timed_run(sources, paths, meter)
            for i in rng.sample(range(SOURCES), max(1, SOURCES * PER_SOURCE // 100 // 1)):
                write_source(sites, i, PER_SOURCE + 1, rng)
            changed = timed_run(sources, paths, meter)
    print(json.dumps({
        "bench": "recrawl", "documents": SOURCES * PER_SOURCE, "sources": SOURCES,
        "latency_s": LATENCY, "first_s": first["s"], "unchanged_s": unchanged["s"],
        "changed_1pct_s": changed["s"],
        "unchanged_ratio": round(unchanged["s"] / first["s"], 3),
        "changed_1pct_ratio": round(changed["s"] / first["s"], 3),
        "reextracted_unchanged": unchanged["new"], "reextracted_changed_1pct": changed["new"],
        "standby_wait_s": [unchanged["standby_wait_s"], changed["standby_wait_s"]],
        "requests": [first["requests"], unchanged["requests"], changed["requests"]],
        "bytes": [first["bytes"], unchanged["bytes"], changed["bytes"]],
        "errors": first["errors"] + unchanged["errors"] + changed["errors"],
        "error_samples": first["error_samples"] + unchanged["error_samples"]
        + changed["error_samples"]}))


if __name__ == "__main__":
    main()
