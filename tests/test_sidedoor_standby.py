"""The standby crawl child: started during one crawl, it runs the next one (sidedoor/standby.py,
sidedoor/crawl_standby.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.schema import parse_sources
from sidedoor import runner, standby
from tests.local_sites import Quiet, crawl_sources, serve

PAGES = {"/list.html": b'<html><body><a href="/a.html">A</a> <a href="/b.html">B</a></body></html>',
         "/a.html": b"<html><body><p>Minutes of the board, item one.</p></body></html>",
         "/b.html": b"<html><body><p>Minutes of the board, item two.</p></body></html>"}


class Site(Quiet):
    def do_GET(self) -> None:  # noqa: N802  # http.server's name
        body = PAGES.get(self.path)
        if body is None:
            self.answer(404, "text/plain", b"not here")
        else:
            self.answer(200, "text/html", body)


@pytest.fixture
def site():
    server = serve(Site)
    yield {"standby_village_board": {
        "name": "Standby", "place": "Standby", "kind": "minutes",
        "platform": "document_index", "documents": [r"/[ab]\.html$"],
        "start_urls": [f"http://127.0.0.1:{server.server_port}/list.html"]}}
    server.shutdown()


def spare_pid() -> int | None:
    spare = standby.spare.standby
    return spare.process.pid if spare is not None else None


@pytest.mark.enable_socket
def test_a_crawl_leaves_a_standby_child_that_runs_the_next_crawl(tmp_path, site):
    first = crawl_sources(tmp_path, site)["standby_village_board"]
    waiting = spare_pid()
    assert waiting is not None
    second = crawl_sources(tmp_path, site)["standby_village_board"]
    assert spare_pid() not in (None, waiting)  # taken, and a new one waits
    assert (first.outcome, first.documents_new, first.errors) == ("ok", 2, 0)
    assert (second.outcome, second.documents_new, second.documents_unchanged) == ("ok", 0, 2)
    # the standby wrote the second run's log into the run's own file
    logs = sorted((tmp_path / "data" / "logs").glob("run-*.log"))
    assert len(logs) == 2 and "Spider closed (finished)" in logs[1].read_text()


@pytest.mark.enable_socket
def test_a_one_off_crawl_leaves_no_standby_child(tmp_path, site):
    crawl_sources(tmp_path, site)  # the test process crawls again: it keeps one warm
    standby.spare.stop()
    sources = parse_sources({"sources": site}, Path("test"))
    paths = runner.Paths(tmp_path / "data", f"sqlite:///{tmp_path / 'data' / 'db.sqlite'}",
                         tmp_path / "public")
    _, rows = runner.crawl(list(sources.values()), paths, command="crawl")  # as `sidedoor crawl`
    assert (rows[0].outcome, spare_pid()) == ("ok", None)


@pytest.mark.enable_socket
def test_a_standby_started_in_another_environment_is_not_used(tmp_path, site, monkeypatch):
    crawl_sources(tmp_path, site)
    spare = standby.spare.standby
    assert spare is not None
    monkeypatch.setenv("SIDEDOOR_STANDBY_TEST", "changed")
    second = crawl_sources(tmp_path, site)["standby_village_board"]
    assert spare.process.returncode is not None  # stopped, never handed the job
    assert (second.outcome, second.documents_unchanged, second.errors) == ("ok", 2, 0)


def test_a_dead_standby_gives_no_child():
    spare = standby.Standby()
    spare.process.kill()
    spare.process.wait()
    assert spare.hand(tmp_job := runner.ROOT / "no-such-job.json", 1, ()) is None
    assert not tmp_job.exists()


def test_a_standby_says_when_it_is_warm():
    spare = standby.Standby()
    try:
        assert spare.wait_ready(120.0)
        assert spare.wait_ready(0.0)  # said once, remembered
    finally:
        spare.stop()


def test_a_dead_standby_is_never_warm():
    spare = standby.Standby()
    spare.process.kill()
    spare.process.wait()
    assert not spare.wait_ready(5.0)
    spare.stop()


def test_a_warm_standby_has_loaded_what_a_crawl_loads_first(tmp_path):
    # Scrapy's own components (its remote-control extension imports aiohttp even when
    # disabled) and the findings engine, so the first new document does not build it
    probe = ("import sys\n"
             "from sidedoor.crawl_standby import warm_up\n"
             "from pipelines.extract.lexicon import get_lexicon\n"
             "assert 'scrapy.extensions.remote_control' not in sys.modules\n"
             "warm_up()\n"
             "print('scrapy.extensions.remote_control' in sys.modules,\n"
             "      'scrapy.downloadermiddlewares.cookies' in sys.modules,\n"
             "      get_lexicon.cache_info().currsize)\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=runner.ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ,
                                                       "SIDEDOOR_DATA_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "1"]
