"""`sidedoor worker`: workers on one Redis frontier crawl every source once, a host by one
worker at a time, and a worker killed mid-crawl loses nothing stored; the next cycle crawls
what it left unfinished.

Real processes: redis-server (tests/redis_server.py), sites on loopback, and the `sidedoor
worker` command itself, with its default politeness, into one SQLite store.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from sidedoor.worker import waiting
from tests.local_sites import Quiet, serve
from tests.redis_server import redis_server  # noqa: F401  # the session's server
from tests.test_sidedoor_crash import contents

ROOT = Path(__file__).resolve().parent.parent
# Sources on their own hosts, and two that share one host (they must share its worker).
ALONE = ("alpha_board", "bravo_board", "charlie_board")
SHARED = ("delta_board", "delta_police")
SLOW = "echo_board"  # its second document hangs until the test lets it go


class Sites(Quiet):
    """Each source's listing at /<source_id>/ links two text documents."""

    hold: threading.Event
    reached: threading.Event

    def do_GET(self) -> None:
        parts = self.path.strip("/").split("/")
        if len(parts) == 1 and parts[0] != "robots.txt":
            links = "".join(f'<a href="/{parts[0]}/{n}.txt">Minutes {n}</a>' for n in (1, 2))
            self.answer(200, "text/html", f"<html><body>{links}</body></html>".encode())
        elif len(parts) == 2:
            if parts[0] == SLOW and parts[1] == "2.txt":
                self.reached.set()
                self.hold.wait(timeout=120)
            with contextlib.suppress(BrokenPipeError):  # the killed worker's request
                self.answer(200, "text/plain", f"{parts[0]} minutes {parts[1]}".encode())
        else:
            self.answer(404, "text/plain", b"")


def entry(host: str, source_id: str) -> dict:
    return {"name": source_id, "place": "Example", "state": "IL", "kind": "minutes",
            "platform": "document_index", "documents": [r"\.txt$"],
            "start_urls": [f"http://{host}/{source_id}/"]}


def worker(folder: Path, redis_url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "SIDEDOOR_DATA_DIR": str(folder / "data"),
           "SIDEDOOR_REDIS_URL": redis_url}
    return subprocess.Popen(
        [sys.executable, "-m", "sidedoor.cli", "worker", "--sources",
         str(folder / "sources.yaml"), *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True)


def finish(process: subprocess.Popen) -> str:
    """Wait for a worker to end well; its log."""
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err[-3000:]
    return err


def runs(folder: Path) -> dict[int, set[str]]:
    """The sources each worker run recorded, by run id."""
    db = sqlite3.connect(folder / "data" / "sidedoor.sqlite")
    try:
        rows = db.execute("SELECT run_id, source_id, outcome FROM source_runs").fetchall()
    finally:
        db.close()
    found: dict[int, set[str]] = {}
    for run_id, source_id, outcome in rows:
        assert outcome == "ok", (source_id, outcome)
        found.setdefault(run_id, set()).add(source_id)
    return found


@pytest.fixture(scope="module")
def cycles(tmp_path_factory, redis_server):  # noqa: F811
    folder = tmp_path_factory.mktemp("workers")
    handler = type("Handler", (Sites,), {"hold": threading.Event(),
                                         "reached": threading.Event()})
    servers = [serve(handler) for _ in range(5)]
    hosts = [f"127.0.0.1:{s.server_address[1]}" for s in servers]
    placed = {**dict(zip(ALONE, hosts, strict=False)),
              **{source_id: hosts[3] for source_id in SHARED}, SLOW: hosts[4]}
    sources = {source_id: entry(host, source_id) for source_id, host in placed.items()}
    (folder / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}))
    result: dict = {}
    try:
        # cycle 1: two workers on the sources that answer at once
        finish(worker(folder, redis_server, "--push-only", *ALONE, *SHARED))
        pair = [worker(folder, redis_server, "--claim", "1") for _ in range(2)]
        for process in pair:
            finish(process)
        result["cycle1"] = runs(folder)
        # cycle 2: a worker killed while it waits for the slow source's second document
        finish(worker(folder, redis_server, "--push-only", SLOW))
        victim = worker(folder, redis_server, "--lease", "1")
        assert handler.reached.wait(timeout=120), "the worker never asked for the document"
        first = f"http://{placed[SLOW]}/{SLOW}/1.txt"
        while first not in {url for url, _ in contents(folder / "data")["versions"]}:
            assert victim.poll() is None, victim.communicate()[1][-3000:]
            threading.Event().wait(timeout=0.1)  # the first document is being stored
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        result["killed"] = victim.returncode
        result["after_kill"] = contents(folder / "data")
        result["runs_after_kill"] = runs(folder)
        # cycle 3: every source again, one worker; the slow site answers now. Once the worker
        # has the slow source, a later cycle pushes it again: left for the worker's next run.
        handler.hold.set()
        last = worker(folder, redis_server, "--push", "--idle", "60")
        second = f"http://{placed[SLOW]}/{SLOW}/2.txt"
        while second not in {url for url, _ in contents(folder / "data")["versions"]}:
            assert last.poll() is None, last.communicate()[1][-3000:]
            threading.Event().wait(timeout=0.1)  # the worker is crawling
        finish(worker(folder, redis_server, "--push-only", SLOW))
        result["cycle3_log"] = finish(last)
        result["cycle3"] = runs(folder)
        result["left"] = waiting(redis_server)
        result["after_cycle3"] = contents(folder / "data")
    finally:
        handler.hold.set()
        for server in servers:
            server.shutdown()
    result["folder"] = folder
    result["hosts"] = placed
    return result


def test_two_workers_crawl_every_source_exactly_once(cycles):
    first, second = cycles["cycle1"].values()
    assert (sorted(first | second), first & second) == (sorted(ALONE + SHARED), set())


def test_both_workers_took_part(cycles):
    assert [len(sources) > 0 for sources in cycles["cycle1"].values()] == [True, True]


def test_sources_on_one_host_are_crawled_by_one_worker(cycles):
    assert [set(SHARED) <= sources or not set(SHARED) & sources
            for sources in cycles["cycle1"].values()] == [True, True]


def test_the_killed_worker_was_really_killed_mid_crawl(cycles):
    assert cycles["killed"] == -signal.SIGKILL
    urls = {url for url, _ in cycles["after_kill"]["versions"]}
    assert f"http://{cycles['hosts'][SLOW]}/{SLOW}/2.txt" not in urls


def test_what_the_killed_worker_stored_is_kept_whole(cycles):
    after = cycles["after_kill"]
    assert after["integrity"] == "ok"
    assert set(after["versions"]) <= set(cycles["after_cycle3"]["versions"])
    files = [p for p in (cycles["folder"] / "data" / "archive").rglob("*") if p.is_file()
             and not p.name.startswith(".tmp-")]
    assert [p.name for p in files
            if hashlib.sha256(p.read_bytes()).hexdigest() != p.name.split(".")[0]] == []


def test_the_killed_workers_source_is_crawled_by_the_next_cycle(cycles):
    assert SLOW not in set().union(*cycles["runs_after_kill"].values())
    last = max(cycles["cycle3"])
    assert cycles["cycle3"][last] == {*ALONE, *SHARED, SLOW}
    urls = [url for url, _ in cycles["after_cycle3"]["versions"] if f"/{SLOW}/" in url]
    assert sorted(urls) == [f"http://{cycles['hosts'][SLOW]}/{SLOW}/{n}.txt" for n in (1, 2)]


def test_a_source_pushed_again_during_a_run_is_left_for_the_next_run(cycles):
    assert "pushed again while this worker crawls it" in cycles["cycle3_log"]
    assert cycles["left"] == 1
