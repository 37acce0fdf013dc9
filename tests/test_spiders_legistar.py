"""The Legistar spider: Web API events and matters, InSite calendar grids, real Cook County rows."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from scrapy.http import Request, TextResponse

from config.schema import SourceConfig
from config.vocabulary import vocabulary
from spiders.base import LayoutChanged
from spiders.items import DocumentItem
from spiders.legistar import (
    LegistarSpider,
    Meeting,
    api_url,
    meetings_from_calendar,
    meetings_from_events,
)
from spiders.middlewares.layout import parse_as_scrapy_would

API = "https://webapi.legistar.com/v1/fenwick-county/events"
CALENDAR = "https://fenwick-county.legistar.com/Calendar.aspx"
TODAY = date(2025, 10, 12)  # the day the fixtures under tests/fixtures/legistar/ describe
DEMO_API = Path(__file__).resolve().parents[1] / "demo" / "sites" / "legistar_county" / "v1"


def spider(url: str = API) -> LegistarSpider:
    source = SourceConfig.model_validate({
        "id": "fenwick_county_board", "name": "Fenwick County Board", "place": "Fenwick County",
        "kind": "minutes", "platform": "legistar", "start_urls": [url]})
    return LegistarSpider(source=source, today=TODAY)


def json_response(path: Path, url: str) -> TextResponse:
    return TextResponse(url=url, body=path.read_bytes(), encoding="utf-8", request=Request(url))


def start_urls(s: LegistarSpider) -> list[Request]:
    async def collect() -> list[Request]:
        return [r async for r in s.start()]
    return asyncio.run(collect())


@pytest.fixture(scope="module")
def cook_meetings(corpus: Path) -> list[Meeting]:
    rows = json.loads((corpus / "council" / "cook_county" / "cook_board.json").read_bytes())
    return meetings_from_calendar(rows, "https://cook-county.legistar.com/Calendar.aspx")


@pytest.fixture
def event_results(saved_page) -> list[Request]:
    response = saved_page("legistar/events.json", api_url(API, "events", date(2025, 6, 14)),
                          TextResponse)
    return list(spider().parse_events(response, since=date(2025, 6, 14)))


@pytest.fixture
def matter_docs(saved_page) -> list[DocumentItem]:
    url = api_url(API, "matters", date(2025, 6, 14))
    return list(spider().parse_matters(saved_page("legistar/matters.json", url, TextResponse)))


# -- the Web API --

def test_start_asks_the_web_api_for_the_last_120_days_as_json():
    (request,) = start_urls(spider())
    assert (request.url, request.headers[b"Accept"]) == (
        "https://webapi.legistar.com/v1/fenwick-county/events?$filter=EventDate%20ge%20"
        "datetime%272025-06-14%27&$orderby=EventDate%20desc", b"application/json")


def test_api_url_keeps_a_token_and_replaces_the_previous_filter():
    events = api_url(f"{API}?token=abc", "events", date(2025, 6, 14))
    assert api_url(events, "matters", date(2025, 6, 14)) == (
        "https://webapi.legistar.com/v1/fenwick-county/matters?token=abc&$filter="
        "MatterLastModifiedUtc%20ge%20datetime%272025-06-14%27&$orderby=MatterLastModifiedUtc%20desc")


def test_requests_each_published_agenda_and_minutes_with_body_and_date(event_results):
    documents = [(r.url.rsplit("/", 1)[1], r.cb_kwargs["title"], r.cb_kwargs["published"])
                 for r in event_results if r.callback.__name__ == "parse_document"]
    assert documents == [
        ("1402_A_County_Board_25-10-07_Meeting_Agenda.pdf", "County Board — agenda 2025-10-07",
         "2025-10-07"),
        ("1402_M_County_Board_25-10-07_Meeting_Minutes.pdf",
         "County Board — minutes 2025-10-07", "2025-10-07"),
        ("1398_A_Law_Enforcement_and_Corrections_Committee_25-09-24_Meeting_Agenda.pdf",
         "Law Enforcement and Corrections Committee — agenda 2025-09-24", "2025-09-24"),
    ]


def test_document_requests_are_conditional(event_results):
    flags = {r.meta.get("conditional") for r in event_results
             if r.callback.__name__ == "parse_document"}
    assert flags == {True}


def test_asks_for_the_matters_of_the_same_window_last(event_results):
    last = event_results[-1]
    assert (last.callback.__name__, last.url, last.headers[b"Accept"]) == (
        "parse_matters", api_url(API, "matters", date(2025, 6, 14)), b"application/json")


def test_keeps_only_matters_about_what_sidedoor_watches(matter_docs):
    assert [d.title for d in matter_docs] == [
        "25-4417: Flock Safety agreement for the Sheriff's Office license plate reader cameras, "
        "2026-2028",
        "25-4431: Request of U.S. Immigration and Customs Enforcement for access to jail "
        "booking records",
    ]


def test_a_matter_document_is_its_title_type_and_status_as_text(matter_docs):
    doc = matter_docs[0]
    assert (doc.url, doc.content_type, doc.published, doc.body.decode()) == (
        "https://webapi.legistar.com/v1/fenwick-county/matters/8841", "text/plain",
        "2025-10-07",
        "Flock Safety agreement for the Sheriff's Office license plate reader cameras, 2026-2028\n"
        "File: 25-4417\nType: Contract\nStatus: Approved\nBody: County Board\n"
        "Introduced: 2025-09-24\nPassed: 2025-10-07\n")


def test_a_matter_not_yet_passed_is_dated_by_its_introduction(matter_docs):
    assert matter_docs[1].published == "2025-10-07"


@pytest.mark.parametrize(("title", "watched"), [
    ("Flock Safety agreement", True),
    ("Intergovernmental agreement with ICE for detainer notifications", True),
    ("Memorandum of understanding on data-sharing with the Indiana State Police", True),
    ("License Plate Reader program annual report", True),
    ("Agreement with the Dunmore Ice Arena for public skating", False),  # "Ice" is a rink
    ("Legislation and Intergovernmental Relations Committee appointments", False),
    ("Purchase of two snow plows", False),
])
def test_watched_matter_titles(title, watched):
    assert vocabulary().watched(title) is watched


def test_the_demo_api_answer_yields_the_four_demo_pdfs():
    url = "http://127.0.0.1:18703/v1/ridgemoor-county/events.json"
    response = json_response(DEMO_API / "ridgemoor-county" / "events.json", url)
    urls = [r.url for r in spider(url).parse_events(response, since=date(2025, 6, 14))
            if r.callback.__name__ == "parse_document"]
    assert urls == [f"http://127.0.0.1:18703/meetings/{name}.pdf" for name in (
        "2025-10-14-board-of-commissioners-agenda", "2025-10-14-board-of-commissioners-minutes",
        "2025-09-23-public-safety-committee-agenda", "2025-09-23-public-safety-committee-minutes")]


def test_an_answer_that_is_not_json_is_reported(saved_page):
    s = spider()
    results = parse_as_scrapy_would(s.parse_events, saved_page("legistar/calendar.html", API), s,
                                    since=TODAY)
    assert (results, s.error_messages) == ([], [
        f"{API}: the Web API did not answer JSON; check the client name in the URL "
        "(and whether it needs a token)"])


def test_real_chicago_elms_json_is_reported_as_not_a_legistar_event_list(corpus):
    # Chicago's City Clerk publishes through eLMS, whose API answers {"data", "facets", "meta"}
    url = "https://api.chicityclerkelms.chicago.gov/meeting"
    s = spider(url)
    response = json_response(corpus / "council" / "chicago" / "chi_citycouncil.json", url)
    results = parse_as_scrapy_would(s.parse_events, response, s, since=TODAY)
    assert (results, s.error_messages) == ([], [
        f"{url}: not a Legistar event list: expected a JSON list of events with "
        "EventBodyName, EventDate, EventAgendaFile; got ['data', 'facets', 'meta']"])


def test_a_matters_answer_that_is_not_a_list_is_reported(corpus):
    url = api_url(API, "matters", date(2025, 6, 14))
    s = spider()
    response = json_response(corpus / "council" / "chicago" / "chi_citycouncil.json", url)
    assert (parse_as_scrapy_would(s.parse_matters, response, s), s.error_messages) == ([], [
        f"{url}: not a Legistar matter list (expected a JSON list of matters)"])

def test_meetings_from_events_rejects_a_list_of_other_records():
    with pytest.raises(LayoutChanged, match="not a Legistar event list"):
        meetings_from_events([{"MatterId": 1}], API)


# -- the InSite calendar --

def test_start_fetches_a_calendar_page_as_it_is():
    assert [r.url for r in start_urls(spider(CALENDAR))] == [CALENDAR]


def test_reads_meetings_from_the_calendar_grid(saved_page):
    results = list(spider(CALENDAR).parse(saved_page("legistar/calendar.html", CALENDAR)))
    assert [(r.url, r.cb_kwargs["title"]) for r in results] == [
        ("https://fenwick-county.legistar.com/View.ashx?M=A&ID=1402&GUID=3F0A77C2-1E52-4B38-"
         "9D1A-6C0B2E4F1402", "County Board — agenda 2025-10-07"),
        ("https://fenwick-county.legistar.com/View.ashx?M=M&ID=1402&GUID=3F0A77C2-1E52-4B38-"
         "9D1A-6C0B2E4F1402", "County Board — minutes 2025-10-07"),
        ("https://fenwick-county.legistar.com/View.ashx?M=A&ID=1398&GUID=A90C2E11-5B7D-4E0F-"
         "8A3C-41D6F0B21398", "Law Enforcement and Corrections Committee — agenda 2025-09-24"),
    ]


def test_a_redesigned_calendar_is_reported_as_a_layout_change(saved_page):
    s = spider(CALENDAR)
    results = parse_as_scrapy_would(
        s.parse, saved_page("legistar/calendar_redesigned.html", CALENDAR), s)
    assert (results, s.error_messages) == ([], [
        f"{CALENDAR}: no meeting grid (table.rgMasterTable); not a Legistar "
        "calendar page, or Legistar changed its layout"])


# -- real Cook County calendar rows (../shared/corpus/council/cook_county/cook_board.json) --

def test_cook_county_2017_has_167_meetings_from_january_11_to_december_13(cook_meetings):
    dates = [m.date for m in cook_meetings]
    assert (len(dates), min(dates), max(dates)) == (167, "2017-01-11", "2017-12-13")


def test_cook_county_meetings_link_128_agendas_and_96_minutes(cook_meetings):
    assert (sum(bool(m.agenda) for m in cook_meetings),
            sum(bool(m.minutes) for m in cook_meetings)) == (128, 96)


def test_cook_county_meetings_span_27_bodies(cook_meetings):
    bodies = Counter(m.body for m in cook_meetings)
    assert (len(bodies), bodies["Board of Commissioners"], bodies["Finance Committee"]) == (
        27, 25, 15)


def test_cook_county_meeting_25_is_the_board_on_september_13(cook_meetings):
    assert cook_meetings[25] == Meeting(
        "Board of Commissioners", "2017-09-13",
        "https://cook-county.legistar.com/View.ashx?M=A&ID=521583&"
        "GUID=EA23CB0D-2E10-47EA-B4E2-EC7BA3CB8D76", None)


def test_cook_county_not_available_placeholders_give_no_link(cook_meetings):
    # the first row's Agenda and Minutes cells are "Not\u00a0available"
    assert (cook_meetings[0].agenda, cook_meetings[0].minutes) == (None, None)

