"""Backoff: Retry-After is honoured, 5xx doubles the delay, the cap holds, it decays, and a
site that stays overloaded is left alone for the run (a real crawl on 127.0.0.1)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spiders.middlewares.backoff import decayed_delay, next_delay, retry_after
from tests.local_sites import Quiet, crawl_sources, serve

NOW = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("value", "seconds"), [
    ("120", 120.0),
    ("Tue, 04 Mar 2025 12:02:00 GMT", 120.0),
    ("Tue, 04 Mar 2025 11:00:00 GMT", 0.0),
    ("soon", None),
    (None, None),
])
def test_retry_after_reads_seconds_and_dates(value, seconds):
    assert retry_after(value, NOW) == seconds


def test_a_429_waits_as_long_as_the_server_asks():
    assert next_delay(1.0, 429, 90.0, cap=300) == 90.0


def test_a_5xx_doubles_the_delay():
    assert next_delay(4.0, 502, None, cap=300) == 8.0


def test_the_delay_never_passes_the_cap():
    assert next_delay(200.0, 503, 3600.0, cap=300) == 300


def test_a_first_error_waits_at_least_a_second():
    assert next_delay(0.0, 500, None, cap=300) == 1.0


def test_a_good_answer_halves_the_delay_back_towards_the_configured_one():
    assert (decayed_delay(300.0, 1.0), decayed_delay(1.5, 1.0)) == (150.0, 1.0)


class Overloaded(Quiet):
    """A listing of 20 documents; every document answers 503 with a far-future Retry-After."""

    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/list.html":
            links = "".join(f'<a href="/doc-{n}.pdf">doc {n}</a>' for n in range(20))
            body = f"<html><body>{links}</body></html>".encode()
            self.answer(200, "text/html", body)
            return
        if self.path.endswith(".pdf"):
            self.hits.append(self.path)
        self.send_response(503 if self.path.endswith(".pdf") else 404)
        self.send_header("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT")
        self.end_headers()


@pytest.fixture(scope="module")
def overloaded_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("overloaded")
    hits: list[str] = []
    server = serve(type("Site", (Overloaded,), {"hits": hits}))
    try:
        # the test's cap is small so it runs fast; the far-future Retry-After is not obeyed
        rows = crawl_sources(folder, {"busy_village_board": {
            "name": "Busy Village Board", "place": "Busy", "kind": "minutes",
            "platform": "document_index", "documents": [r"\.pdf$"],
            "start_urls": [f"http://127.0.0.1:{server.server_port}/list.html"]}},
            CONCURRENT_REQUESTS_PER_DOMAIN=1, SIDEDOOR_BACKOFF_MAX_DELAY=0.05,
            SIDEDOOR_BACKOFF_GIVE_UP=4, RETRY_TIMES=1)
        yield rows["busy_village_board"], hits
    finally:
        server.shutdown()


def test_a_site_that_stays_overloaded_is_left_alone_after_the_give_up_count(overloaded_run):
    _, hits = overloaded_run
    # four overloaded answers, plus what was already in flight; never the 20 listed
    assert 4 <= len(hits) <= 8


def test_giving_up_on_a_site_is_one_message_naming_the_site(overloaded_run):
    row, _ = overloaded_run
    gave_up = [m for m in row.error_messages if "times in a row" in m]
    assert len(gave_up) == 1 and "127.0.0.1:" in gave_up[0], row.error_messages
