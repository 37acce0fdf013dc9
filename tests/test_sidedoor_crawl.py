"""The crawl process: which crawlers a batch of sources gets, and that it never outlives
the `sidedoor` process that started it unwatched."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from scrapy.settings import Settings

from config.schema import parse_sources
from sidedoor.crawl import crawlers_for
from sidedoor.locks import LockHeld, source_lock
from spiders.batch import BatchSpider
from tests.conftest import ROOT
from tests.local_sites import Quiet, serve


class FakeProcess:
    def create_crawler(self, spider: type) -> object:
        assert spider is BatchSpider
        crawler = type("FakeCrawler", (), {})()
        crawler.settings = Settings({"DOWNLOAD_HANDLERS": {"http": "playwright"}})
        return crawler


def sources(platforms: dict[str, str]):
    entries = {source_id: {"name": source_id, "place": "Example", "kind": "minutes",
                           "platform": platform, "documents": ["pdf"],
                           "start_urls": [f"https://{source_id}.example.gov/list"]}
               for source_id, platform in platforms.items()}
    return list(parse_sources({"sources": entries}, Path("t")).values())


def test_plain_sources_share_one_crawler_without_a_browser():
    batch = sources({"town_a_board": "document_index", "town_b_board": "civicplus",
                     "town_c_police": "flock_portal"})
    crawlers = crawlers_for(batch, FakeProcess())
    assert [[s.id for s in group] for _, group in crawlers] == [
        ["town_a_board", "town_b_board"], ["town_c_police"]]
    plain, browser = (crawler for crawler, _ in crawlers)
    assert dict(plain.settings["DOWNLOAD_HANDLERS"]) == {"data": None, "ftp": None, "s3": None}
    assert browser.settings["DOWNLOAD_HANDLERS"] == {"http": "playwright"}


def test_the_browser_crawler_checks_its_requests_against_its_sources_start_urls():
    batch = sources({"town_a_board": "document_index", "town_c_police": "flock_portal"})
    _, (browser, _) = crawlers_for(batch, FakeProcess())
    policy = browser.settings["PLAYWRIGHT_ABORT_REQUEST"].policy
    assert {e.host for e in policy.endpoints} == {"town_c_police.example.gov"}


def test_a_batch_of_plain_sources_starts_no_browser_crawler():
    crawlers = crawlers_for(sources({"town_a_board": "document_index"}), FakeProcess())
    assert len(crawlers) == 1


class Held(Quiet):
    """A listing of 200 documents, each answered only when the test lets it."""

    asked = threading.Event()
    release = threading.Event()
    documents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/list.html":
            links = "".join(f'<a href="/doc-{n}.pdf">{n}</a>' for n in range(200))
            self.answer(200, "text/html", f"<html><body>{links}</body></html>".encode())
        elif self.path.endswith(".pdf"):
            self.documents.append(self.path)
            self.asked.set()
            self.release.wait(timeout=120)
            self.answer(404, "text/plain", b"gone")
        else:
            self.answer(404, "text/plain", b"")


def exited(pid: int, timeout: float) -> bool:
    """Whether process ``pid`` (not our child) ends within ``timeout`` seconds."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([handle], [], [], timeout)[0])
    finally:
        os.close(handle)


@pytest.fixture
def orphaned(tmp_path):
    """`sidedoor crawl` killed with SIGKILL while its crawl child waits on a slow page."""
    handler = type("Slow", (Held,), {"asked": threading.Event(), "release": threading.Event(),
                                     "documents": []})
    server = serve(handler)
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  slow_village_board:\n    name: Slow\n    place: Slow\n    kind: minutes\n"
        "    platform: document_index\n    documents: ['pdf']\n"
        f"    start_urls: ['http://127.0.0.1:{server.server_port}/list.html']\n",
        encoding="utf-8")
    parent = subprocess.Popen(
        [sys.executable, "-m", "sidedoor.cli", "crawl", "--sources",
         str(tmp_path / "sources.yaml")],
        cwd=ROOT, env={**os.environ, "SIDEDOOR_DATA_DIR": str(tmp_path / "data")},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert handler.asked.wait(timeout=120), "the crawl never asked for a document"
        children = Path(f"/proc/{parent.pid}/task/{parent.pid}/children").read_text().split()
        parent.kill()
        parent.wait()
        yield int(children[0]), tmp_path / "data" / "locks", handler
    finally:
        handler.release.set()
        server.shutdown()


def test_a_killed_crawl_keeps_its_sources_locked_while_its_child_runs(orphaned):
    child, locks, _ = orphaned
    assert not exited(child, 0)
    with pytest.raises(LockHeld, match="slow_village_board is being crawled"), \
            source_lock(locks, "slow_village_board", "a second run"):
        pass


def test_the_crawl_child_of_a_killed_crawl_stops_by_itself(orphaned):
    child, locks, server = orphaned
    server.release.set()
    assert exited(child, 90)
    # alone, the child would have gone on through the 200 documents, one a second
    assert len(server.documents) < 20
    with source_lock(locks, "slow_village_board", "a second run"):
        pass
