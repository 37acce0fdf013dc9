"""The BoardDocs spider on the real saved feeds (../shared/corpus/council/boarddocs/): the
Chicago Teachers' Pension Fund's XML and Columbus City Schools' meeting list and agenda,
read directly and in a real crawl of a loopback site serving them."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse

from config.schema import SourceConfig, parse_sources
from sidedoor.runner import Paths, crawl
from sidedoor.store import Store
from spiders.boarddocs import (
    BoardDocsSpider,
    agenda_lines,
    meetings_from_list,
    meetings_from_xml,
)
from spiders.middlewares.layout import parse_as_scrapy_would
from spiders.platforms.meetings import Meeting

CTPF = "https://www.boarddocs.com/il/ctpf/board.nsf/XML-ActiveMeetings"
COLUMBUS = "https://go.boarddocs.com/oh/columbus/Board.nsf"
COMMITTEE = "A9HCVU32F33A"


def spider(url: str = CTPF, today: date = date(2019, 4, 8)) -> BoardDocsSpider:
    source = SourceConfig.model_validate({
        "id": "chicago_teachers_pension_fund_board", "name": "CTPF Board of Trustees",
        "place": "Chicago", "kind": "minutes", "platform": "boarddocs", "start_urls": [url]})
    return BoardDocsSpider(source=source, today=today)


def saved(corpus: Path, name: str) -> bytes:
    return (corpus / "council" / "boarddocs" / name).read_bytes()


@pytest.fixture(scope="module")
def ctpf(corpus: Path) -> list[Meeting]:
    return meetings_from_xml(saved(corpus, "chi_teacherpension.xml").decode("utf-8"), CTPF)


@pytest.fixture(scope="module")
def columbus(corpus: Path) -> list[Meeting]:
    return meetings_from_list(json.loads(saved(corpus, "colum_boe_meetings.json")),
                              f"{COLUMBUS}/BD-GetMeetingsList?open")


def test_reads_every_meeting_of_the_xml_feed_in_feed_order(ctpf):
    assert (len(ctpf), [m.date for m in ctpf[:2]]) == (28, ["2018-10-25", "2018-10-18"])


def test_the_meeting_name_is_the_body_not_the_boards_bodyname(ctpf):
    assert ctpf[0].body == "Investment Committee Meeting"


def test_every_category_and_item_becomes_a_line(ctpf):
    # 353 categories and 396 items
    assert sum(len(m.items) for m in ctpf) == 749
    assert ctpf[0].items[2:4] == ("3. Report of the CTPF Investment Team",
                                  "  A. Education Session-Divestment")


def test_the_meeting_links_its_share_url_unescaped(ctpf):
    assert ctpf[20].url == "http://www.boarddocs.com/il/ctpf/Board.nsf/goto?open&id=B9ATEK5665BC"


def test_the_meeting_list_skips_its_trailing_empty_entry(columbus):
    assert (len(columbus), columbus[0].date, columbus[-1].date) == (
        764, "2026-02-17", "2014-03-04")


def test_the_meeting_list_gives_share_urls(columbus):
    assert (columbus[0].body, columbus[0].url) == (
        "REGULAR BOARD BUSINESS MEETING", f"{COLUMBUS}/goto?open&id=DQ3VPX80F260")


def test_the_agenda_fragment_gives_28_categories_and_123_items(corpus):
    lines = agenda_lines(saved(corpus, "colum_boe_agenda.html").decode("utf-8"), COLUMBUS)
    items = [line for line in lines if line.startswith("  ")]
    assert (len(lines) - len(items), len(items), lines[:2]) == (28, 123, [
        "1. Convene",
        "  1.1 Call to Order - Roll Call - Establish a Quorum - Pledge of Allegiance"])


# -- the spider --

def test_the_xml_feed_gives_one_agenda_document_per_meeting_of_the_window(corpus):
    response = XmlResponse(url=CTPF, body=saved(corpus, "chi_teacherpension.xml"),
                           request=Request(CTPF))
    documents = list(spider().parse(response))  # window 2018-12-09 → 2019-05-08
    assert (len(documents), documents[0].content_type) == (18, "text/plain")


def test_an_agenda_document_is_titled_and_dated_and_reads_as_the_agenda(corpus):
    response = XmlResponse(url=CTPF, body=saved(corpus, "chi_teacherpension.xml"),
                           request=Request(CTPF))
    first = next(iter(spider(today=date(2018, 10, 26)).parse(response)))
    assert (first.title, first.published, first.url) == (
        "Investment Committee Meeting — agenda 2018-10-25", "2018-10-25",
        "http://www.boarddocs.com/il/ctpf/Board.nsf/goto?open&id=B55S995DF24B")
    assert first.body.decode().splitlines()[2:4] == ["1. Public Participation", "2. Roll Call"]


def test_a_committee_start_url_posts_for_its_meeting_list():
    async def collect() -> list[Request]:
        return [r async for r in spider(
            f"{COLUMBUS}/Public?current_committee_id={COMMITTEE}").start()]
    (request,) = asyncio.run(collect())
    assert (request.method, request.url, parse_qs(request.body.decode())) == (
        "POST", f"{COLUMBUS}/BD-GetMeetingsList?open", {"current_committee_id": [COMMITTEE]})


def test_a_site_without_committee_reads_its_xml_feed():
    async def collect() -> list[str]:
        return [r.url async for r in spider(f"{COLUMBUS}/Public").start()]
    assert asyncio.run(collect()) == [f"{COLUMBUS}/XML-ActiveMeetings"]


def test_an_address_off_boarddocs_is_a_source_problem_not_a_crash():
    s = spider("https://www.cityofdanville.org/AgendaCenter")

    async def collect() -> list[Request]:
        return [r async for r in s.start()]
    assert (asyncio.run(collect()), s.error_messages) == ([], [
        "https://www.cityofdanville.org/AgendaCenter: not a BoardDocs address: expected "
        "https://go.boarddocs.com/<state>/<site>/Board.nsf/Public (or …/XML-ActiveMeetings)"])


def test_the_meeting_list_posts_for_each_agenda_of_the_window(corpus):
    url = f"{COLUMBUS}/BD-GetMeetingsList?open"
    response = TextResponse(url=url, body=saved(corpus, "colum_boe_meetings.json"),
                            encoding="utf-8", request=Request(url))
    requests = list(spider(url, today=date(2026, 2, 24)).parse_list(response, COMMITTEE))
    # 14 meetings from 2025-10-27 to 2026-03-26
    assert (len(requests), requests[0].url, parse_qs(requests[0].body.decode())) == (
        14, f"{COLUMBUS}/BD-GetAgenda?open",
        {"id": ["DQ3VPX80F260"], "current_committee_id": [COMMITTEE]})


def test_an_agenda_fragment_becomes_the_meetings_document(corpus, columbus):
    url = f"{COLUMBUS}/BD-GetAgenda?open"
    response = HtmlResponse(url=url, body=saved(corpus, "colum_boe_agenda.html"),
                            encoding="utf-8", request=Request(url))
    (document,) = spider(url).parse_agenda(response, meeting=columbus[0])
    assert (document.url, document.title, len(document.body.decode().splitlines())) == (
        f"{COLUMBUS}/goto?open&id=DQ3VPX80F260",
        "REGULAR BOARD BUSINESS MEETING — agenda 2026-02-17", 2 + 151)


def test_a_changed_feed_fails_the_source_with_what_was_expected():
    s = spider()
    response = XmlResponse(url=CTPF, body=b"<?xml version='1.0'?><error>Not found</error>",
                           request=Request(CTPF, meta={"source_id": s.source.id}))
    assert parse_as_scrapy_would(s.parse, response, s) == []
    assert s.error_messages == [
        f"{CTPF}: not a BoardDocs XML-ActiveMeetings feed (no <meetings> root); check the "
        "start URL, or read the site's meeting list with ?current_committee_id=<id>"]


def test_a_changed_agenda_fragment_raises_layout_changed(columbus):
    s = spider()
    url = f"{COLUMBUS}/BD-GetAgenda?open"
    response = HtmlResponse(url=url, body=b"<div class='agenda-v2'><p>Item</p></div>",
                            request=Request(url, meta={"source_id": s.source.id}))
    assert parse_as_scrapy_would(s.parse_agenda, response, s, meeting=columbus[0]) == []
    assert s.error_messages == [
        f"{url}: the agenda has no categories (dt.category) or items (li[role=link]); did "
        "BoardDocs change its agenda markup?"]


class Columbus(BaseHTTPRequestHandler):
    """A BoardDocs site answering the real Columbus agenda for its two newest meetings,
    dated today so that they fall in any crawl's window."""

    meetings = b""
    agenda = b""
    posted: list[bytes] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        form = self.rfile.read(int(self.headers["Content-Length"]))
        self.posted.append(form)
        pages = {"/oh/columbus/Board.nsf/BD-GetMeetingsList?open": self.meetings,
                 "/oh/columbus/Board.nsf/BD-GetAgenda?open": self.agenda}
        body = pages.get(self.path, b"")
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_crawl_posts_for_the_list_and_stores_each_agenda_at_its_share_url(corpus, tmp_path):
    rows = json.loads(saved(corpus, "colum_boe_meetings.json"))[:2]
    today = datetime.now(UTC).strftime("%Y%m%d")
    Columbus.meetings = json.dumps([{**r, "numberdate": today} for r in rows]).encode()
    Columbus.agenda = saved(corpus, "colum_boe_agenda.html")
    Columbus.posted = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Columbus)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_port}/oh/columbus/Board.nsf"
    sources = parse_sources({"sources": {"columbus_school_board": {
        "name": "Columbus City Schools Board of Education", "place": "Columbus", "state": "OH",
        "kind": "minutes", "platform": "boarddocs",
        "start_urls": [f"{site}/Public?current_committee_id={COMMITTEE}"]}}}, Path("test"))
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    try:
        _, runs = crawl(list(sources.values()), Paths(tmp_path, db, tmp_path / "public"),
                        command="test",
                        settings={"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False})
    finally:
        server.shutdown()
    stored = Store.open(db).stored_documents("columbus_school_board")
    assert (runs[0].outcome, runs[0].error_messages) == ("ok", [])
    assert sorted(stored) == [f"{site}/goto?open&id=DQ3VPX80F260",
                              f"{site}/goto?open&id=DR2MCY5A9EBE"]
    assert sorted(parse_qs(f.decode())["current_committee_id"][0] for f in Columbus.posted) == [
        COMMITTEE] * 3
