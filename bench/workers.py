"""Crawl workers on a Redis frontier against one crawl process, on the same local world.

A world of HOSTS local sites (one source each, PER_SOURCE text documents, 20–50 ms latency)
is crawled with sidedoor's default politeness (robots.txt, AutoThrottle, 1 s delay, 2
requests per site) three ways, each into a fresh store: `sidedoor crawl` (one crawl child),
one `sidedoor worker`, and two `sidedoor worker --claim HOSTS/2` processes at once on one
redis-server (each keeps half the world claimed, as when hosts far outnumber workers times
their claim; with the default claim the first worker takes every host of this world). Prints
one JSON line: {"bench": "workers", "documents": n, "crawl_s": x, "one_worker_s": x,
"two_workers_s": x, "one_worker_ratio": x, "two_workers_ratio": x, ...}; a ratio is the
crawl's seconds over the workers', so above 1 is faster. Two workers on one 2-core machine
show the frontier's overhead, not the gain of a second machine.
BENCH_QUICK=1 uses 12 hosts x 6 documents instead of 40 x 10.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.local_sites import Quiet, serve  # noqa: E402
from tests.redis_server import running_redis  # noqa: E402

QUICK = os.environ.get("BENCH_QUICK") == "1"
HOSTS = 12 if QUICK else 40
PER_SOURCE = 6 if QUICK else 10


class Site(Quiet):
    """/<source>/ lists PER_SOURCE documents; each answers after 20–50 ms."""

    def do_GET(self) -> None:
        time.sleep(random.uniform(0.02, 0.05))  # the network
        parts = self.path.strip("/").split("/")
        if len(parts) == 1 and parts[0] != "robots.txt":
            links = "".join(f'<a href="/{parts[0]}/{n}.txt">Minutes {n}</a>'
                            for n in range(PER_SOURCE))
            self.answer(200, "text/html", f"<html><body>{links}</body></html>".encode())
        elif len(parts) == 2:
            self.answer(200, "text/plain", f"{parts[0]} minutes {parts[1]} ".encode() * 50)
        else:
            self.answer(404, "text/plain", b"")


def sidedoor(folder: Path, redis_url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "SIDEDOOR_DATA_DIR": str(folder), "SIDEDOOR_REDIS_URL": redis_url}
    return subprocess.Popen([sys.executable, "-m", "sidedoor.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def timed(folder: Path, redis_url: str, runs: list[list[str]], first: list[str] | None) -> float:
    """Seconds from the first command to the end of the last of ``runs`` (run together)."""
    shutil.rmtree(folder, ignore_errors=True)
    started = time.monotonic()
    if first:
        sidedoor(folder, redis_url, *first).communicate()
    processes = [sidedoor(folder, redis_url, *args) for args in runs]
    for process in processes:
        out, _ = process.communicate()
        assert process.returncode == 0, out[-2000:]
    return time.monotonic() - started


def main() -> None:
    servers = [serve(Site) for _ in range(HOSTS)]
    base = Path(tempfile.mkdtemp(prefix="sidedoor-bench-workers-"))
    sources = {f"town{n:03d}_board": {
        "name": f"Town {n} board", "place": f"Town {n}", "state": "IL", "kind": "minutes",
        "platform": "document_index", "documents": [r"\.txt$"],
        "start_urls": [f"http://127.0.0.1:{s.server_address[1]}/town{n:03d}_board/"]}
        for n, s in enumerate(servers)}
    path = base / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": sources}))
    common = ["--sources", str(path), "--json"]
    try:
        with running_redis(shutil.which("redis-server") or "/usr/bin/redis-server") as url:
            crawl_s = timed(base / "crawl", url, [["crawl", *common]], None)
            push = ["worker", "--push-only", "--sources", str(path)]
            one_s = timed(base / "one", url, [["worker", *common]], push)
            # each worker keeps half the world claimed, as when hosts far outnumber
            # workers x --claim (with the default, the first worker would take all 40)
            half = ["worker", "--claim", str(HOSTS // 2), *common]
            two_s = timed(base / "two", url, [half] * 2, push)
    finally:
        for server in servers:
            server.shutdown()
        shutil.rmtree(base, ignore_errors=True)
    documents = HOSTS * PER_SOURCE
    print(json.dumps({
        "bench": "workers", "hosts": HOSTS, "documents": documents,
        "crawl_s": round(crawl_s, 1), "one_worker_s": round(one_s, 1),
        "two_workers_s": round(two_s, 1),
        "crawl_docs_per_s": round(documents / crawl_s, 2),
        "two_workers_docs_per_s": round(documents / two_s, 2),
        "one_worker_ratio": round(crawl_s / one_s, 2),
        "two_workers_ratio": round(crawl_s / two_s, 2)}))


if __name__ == "__main__":
    main()
