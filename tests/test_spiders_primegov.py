"""The PrimeGov spider on the real saved portal answers (../shared/corpus/council/primegov/),
and a real crawl of a loopback PrimeGov serving one of them."""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scrapy.http import Request, TextResponse

from config.schema import SourceConfig, parse_sources
from sidedoor.runner import Paths, crawl
from sidedoor.store import Store
from spiders.middlewares.layout import parse_as_scrapy_would
from spiders.platforms.meetings import Meeting
from spiders.primegov import PrimeGovSpider, document_url, meetings_from_list

CLAYTON = "https://claytoncountyga.primegov.com"
LACITY = "https://lacity.primegov.com"
CCTA = "https://ccta.primegov.com"
UPCOMING = "/api/v2/PublicPortal/ListUpcomingMeetings"


def spider(url: str = CLAYTON, today: date = date(2026, 4, 27)) -> PrimeGovSpider:
    source = SourceConfig.model_validate({
        "id": "clayton_county_board", "name": "Clayton County Board of Commissioners",
        "place": "Clayton County", "state": "GA", "kind": "minutes", "platform": "primegov",
        "start_urls": [url]})
    return PrimeGovSpider(source=source, today=today)


def saved(corpus: Path, name: str) -> bytes:
    return (corpus / "council" / "primegov" / name).read_bytes()


def meetings(corpus: Path, name: str, site: str) -> list[Meeting]:
    return meetings_from_list(json.loads(saved(corpus, name)), f"{site}{UPCOMING}")


@pytest.fixture(scope="module")
def clayton(corpus: Path) -> list[Meeting]:
    return meetings(corpus, "atl_clayton_co_boc_meetings.json", CLAYTON)


@pytest.fixture(scope="module")
def la_council(corpus: Path) -> list[Meeting]:
    return meetings(corpus, "losca_City_Council.json", LACITY)


def test_reads_every_clayton_meeting_with_its_date_and_time(clayton):
    assert (len(clayton), clayton[0].start, clayton[-1].start) == (
        18, "2026-01-06T18:00", "2026-04-21T18:00")


def test_titles_lose_their_trailing_spaces(clayton):
    assert {"Regular Business Meeting ", "Budget Meetings "}.isdisjoint(m.body for m in clayton)


def test_one_file_per_document_template_preferring_pdf(clayton):
    kinds = Counter(f.kind for m in clayton for f in m.files)
    assert kinds == {"agenda": 17, "summary minutes": 12, "minutes": 5, "board agenda packet": 1}


def test_compiled_document_urls_are_built_from_the_template(clayton):
    assert [f.url for f in clayton[0].files] == [
        f"{CLAYTON}/Public/CompiledDocument?meetingTemplateId=4414&compileOutputType=1",
        f"{CLAYTON}/Public/CompiledDocument?meetingTemplateId=4410&compileOutputType=1"]


def test_a_template_published_only_as_html_links_its_page(clayton):
    review = next(m for m in clayton if m.date == "2026-01-13" and "Review" in m.body)
    assert [f.url for f in review.files] == [f"{CLAYTON}/Portal/Meeting?meetingTemplateId=4801"]


def test_sap_companion_records_are_not_meetings(la_council):
    assert (len(la_council), [m.body for m in la_council if "SAP" in m.body]) == (10, [])


def test_cancellation_said_only_by_a_document_is_read(la_council):
    assert [(m.date, m.body) for m in la_council if m.cancelled] == [
        ("2024-10-01", "Trade, Travel and Tourism Committee"),
        ("2024-10-02", "Neighborhoods and Community Enrichment Committee"),
        ("2024-10-02", "City Council Meeting"),
        ("2024-10-04", "Civil Rights, Equity, Immigration, Aging and Disability Committee")]


def test_health_commission_has_two_cancelled_meetings(corpus):
    found = meetings(corpus, "losca_Health_Commission.json", LACITY)
    assert (len(found), [m.date for m in found if m.cancelled]) == (
        10, ["2024-05-13", "2024-07-08"])


def test_the_older_schema_dates_from_its_text(corpus):
    found = meetings(corpus, "ccta__ListUpcomingMeetings.json", CCTA)
    assert [(m.date, [f.kind for f in m.files], m.cancelled) for m in found] == [
        ("2022-07-25", ["packet", "agenda"], False),
        ("2022-07-27", ["notice of cancellation"], True)]


def test_document_url_of_a_word_compilation():
    assert document_url(CLAYTON, 4805, 2) == (
        f"{CLAYTON}/Public/CompiledDocument?meetingTemplateId=4805&compileOutputType=2")


# -- the spider --

def test_start_asks_for_upcoming_and_the_archive_of_each_year_of_the_window():
    async def collect() -> list[str]:
        return [r.url async for r in spider(today=date(2026, 2, 1)).start()]
    assert asyncio.run(collect()) == [
        f"{CLAYTON}{UPCOMING}",
        f"{CLAYTON}/api/v2/PublicPortal/ListArchivedMeetings?year=2026",
        f"{CLAYTON}/api/v2/PublicPortal/ListArchivedMeetings?year=2025"]


def test_archived_meetings_outside_the_window_are_not_fetched(corpus):
    url = f"{CLAYTON}/api/v2/PublicPortal/ListArchivedMeetings?year=2026"
    page = TextResponse(url=url, body=saved(corpus, "atl_clayton_co_boc_meetings.json"),
                        encoding="utf-8", request=Request(url))
    titles = [r.cb_kwargs["title"] for r in spider(today=date(2026, 6, 1)).parse(
        page, upcoming=False)]
    # the window is 2026-02-01 → 2026-07-01: 11 meetings, 23 document templates
    assert (len(titles), titles[0]) == (23, "Regular Business Meeting — agenda 2026-02-03")


def test_a_changed_answer_fails_the_source_with_what_was_expected():
    s = spider()
    url = f"{CLAYTON}{UPCOMING}"
    page = TextResponse(url=url, body=b'{"meetings": []}', encoding="utf-8",
                        request=Request(url, meta={"source_id": "clayton_county_board"}))
    assert parse_as_scrapy_would(s.parse, page, s, upcoming=True) == []
    assert s.error_messages == [
        f"{url}: not a PrimeGov meeting list: expected a JSON list of meetings with title, "
        "dateTime or date, documentList; got ['meetings']"]


class LosAngeles(BaseHTTPRequestHandler):
    """A PrimeGov client serving the real upcoming-meetings answer of Los Angeles."""

    upcoming = b""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == UPCOMING:
            body, kind = self.upcoming, "application/json"
        elif self.path.startswith("/api/v2/PublicPortal/ListArchivedMeetings"):
            body, kind = b"[]", "application/json"
        elif self.path.startswith("/Public/CompiledDocument?"):
            body, kind = f"<html><p>Compiled {self.path}</p></html>".encode(), "text/html"
        else:
            body, kind = b"", "text/html"
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", kind)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_crawl_stores_each_document_of_the_upcoming_meetings(corpus, tmp_path):
    LosAngeles.upcoming = saved(corpus, "losca_City_Council.json")
    server = ThreadingHTTPServer(("127.0.0.1", 0), LosAngeles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_port}"
    sources = parse_sources({"sources": {"los_angeles_city_council": {
        "name": "Los Angeles City Council", "place": "Los Angeles", "state": "CA",
        "kind": "minutes", "platform": "primegov", "start_urls": [f"{site}/"]}}}, Path("test"))
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    try:
        _, rows = crawl(list(sources.values()), Paths(tmp_path, db, tmp_path / "public"),
                        command="test",
                        settings={"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False})
    finally:
        server.shutdown()
    stored = Store.open(db).stored_documents("los_angeles_city_council")
    assert (rows[0].outcome, rows[0].error_messages) == ("ok", [])
    assert sorted(url.rsplit("=", 2)[1].split("&")[0] for url in stored) == sorted(
        ["133784", "133352", "130702", "133770", "133941", "133806", "133831", "133921",
         "133825", "133928"])
