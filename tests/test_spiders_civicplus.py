"""The CivicPlus AgendaCenter spider on saved listings and on three real AgendaCenter pages."""

from __future__ import annotations

import asyncio
import gzip
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml
from scrapy.http import HtmlResponse, Request

from config.schema import SourceConfig
from spiders.civicplus import AgendaFile, CivicPlusSpider, agenda_files, search_url
from spiders.middlewares.layout import parse_as_scrapy_would

SITE = "https://www.fenwickgrove.example.gov"
SEARCH = f"{SITE}/AgendaCenter/Search/?term=&CIDs=all"
TODAY = date(2025, 10, 17)  # the day tests/fixtures/civicplus/agenda_center.html describes
LAS_CRUCES = "https://www.las-cruces.org/AgendaCenter/Search/?term=&CIDs=all"
NASH = ("http://nc-nashcounty.civicplus.com/AgendaCenter/Search/?term=&CIDs=all&startDate="
        "05%2F03%2F2020&endDate=05%2F06%2F2020&dateRange=&dateSelector=")


def spider(url: str = SEARCH) -> CivicPlusSpider:
    source = SourceConfig.model_validate({
        "id": "fenwick_grove_village_board", "name": "Fenwick Grove Board of Trustees",
        "place": "Fenwick Grove", "kind": "minutes", "platform": "civicplus",
        "start_urls": [url]})
    return CivicPlusSpider(source=source, today=TODAY)


def start_urls(s: CivicPlusSpider) -> list[str]:
    async def collect() -> list[str]:
        return [r.url async for r in s.start()]
    return asyncio.run(collect())


def page(path: Path, url: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=path.read_bytes(), encoding="utf-8", request=Request(url))


@pytest.fixture
def files(saved_page) -> list[AgendaFile]:
    return agenda_files(saved_page("civicplus/agenda_center.html", SEARCH))


@pytest.fixture(scope="module")
def las_cruces(corpus: Path) -> tuple[HtmlResponse, list[AgendaFile]]:
    response = page(corpus / "council" / "civicplus" / "civplus_agenda_search_results_page.html",
                    LAS_CRUCES)
    return response, agenda_files(response)


@pytest.fixture(scope="module")
def nash_county(corpus: Path) -> list[AgendaFile]:
    cassette = (corpus / "council" / "civicplus"
                / "cassette_civicplus_nashcounty_test_scrape_defaults.yaml")
    search = yaml.safe_load(cassette.read_text(encoding="utf-8"))["interactions"][0]
    body = gzip.decompress(search["response"]["body"]["string"])
    return agenda_files(HtmlResponse(url=search["request"]["uri"], body=body, encoding="utf-8"))


# -- where the spider starts --

def test_start_searches_every_board_from_120_days_back_to_30_days_ahead():
    assert start_urls(spider(f"{SITE}/AgendaCenter")) == [
        f"{SITE}/AgendaCenter/Search/?term=&CIDs=all&startDate=06%2F19%2F2025&endDate="
        "11%2F16%2F2025&dateRange=&dateSelector="]


def test_a_board_page_narrows_the_search_to_that_board():
    url = search_url(f"{SITE}/AgendaCenter/Board-of-Trustees-12", date(2025, 6, 19),
                     date(2025, 11, 16))
    assert "&CIDs=12&" in url


def test_a_search_start_url_is_used_as_it_is():
    assert start_urls(spider(SEARCH)) == [SEARCH]


# -- a saved listing (newer layout: group heading h2, board h3) --

def test_finds_each_agenda_packet_and_minutes_once(files):
    assert [(f.url.removeprefix(f"{SITE}/AgendaCenter/ViewFile/"), f.kind) for f in files] == [
        ("Agenda/_10202025-3305", "agenda"),
        ("Agenda/_10202025-3305?packet=true", "agenda packet"),
        ("Agenda/_10062025-3298", "agenda"),
        ("Minutes/_10062025-3298", "minutes"),
        ("Agenda/_09302025-3290", "agenda"),
        ("Minutes/_09302025-3290", "minutes"),
    ]


def test_titles_name_the_board_kind_date_and_a_telling_description(files):
    assert [files[0].title, files[2].title, files[5].title] == [
        "Board of Trustees — agenda 2025-10-20: Regular Meeting - Flock camera contract renewal",
        "Board of Trustees — agenda 2025-10-06",
        "Police and Fire Commission — minutes 2025-09-30: Special Meeting",
    ]


def test_spider_requests_each_file_conditionally_with_title_and_date(saved_page):
    requests = list(spider().parse(saved_page("civicplus/agenda_center.html", SEARCH)))
    first = requests[0]
    assert (len(requests), first.meta["conditional"], first.cb_kwargs["published"]) == (
        6, True, "2025-10-20")


def test_a_search_with_no_meetings_is_empty_not_an_error(saved_page):
    s = spider()
    assert (list(s.parse(saved_page("civicplus/empty_search.html", SEARCH))),
            s.error_messages) == ([], [])


def test_a_redesigned_page_is_reported_as_a_layout_change(saved_page):
    s = spider()
    results = parse_as_scrapy_would(s.parse, saved_page("civicplus/redesigned.html", SEARCH), s)
    assert (results, s.error_messages) == ([], [
        f"{SEARCH}: neither meeting rows (tr.catAgendaRow) nor #AgendaCenterContent; not a "
        "CivicPlus AgendaCenter page, or CivicPlus changed its layout"])


def test_rows_without_file_links_are_reported_as_a_layout_change(saved_page):
    s = spider()
    parse_as_scrapy_would(s.parse, saved_page("civicplus/rows_without_links.html", SEARCH), s)
    assert s.error_messages == [
        f"{SEARCH}: 1 meeting rows but no /AgendaCenter/ViewFile/ links; did CivicPlus change "
        "its links?"]


# -- real pages (../shared/corpus/council/civicplus/) --

def test_las_cruces_page_links_the_88_files_civic_scraper_counts(las_cruces):
    response, _ = las_cruces
    links = {response.urljoin(h) for h in response.css("a::attr(href)").getall()
             if "/AgendaCenter/ViewFile/" in h}
    assert len(links) == 88


def test_las_cruces_gives_60_files_once_the_html_copies_of_agendas_are_dropped(las_cruces):
    _, files = las_cruces
    assert Counter(f.kind for f in files) == {"agenda": 28, "agenda packet": 28, "minutes": 4}


def test_las_cruces_first_file_is_the_airport_advisory_board_agenda(las_cruces):
    first = las_cruces[1][0]
    assert (first.url, first.board, first.date, first.title) == (
        "https://www.las-cruces.org/AgendaCenter/ViewFile/Agenda/_11192020-808",
        "Airport Advisory Board", "2020-11-19",
        "Airport Advisory Board — agenda 2020-11-19: Airport Advisory Board Meeting Agenda for "
        "November 19, 2020")


def test_las_cruces_capital_improvements_committee_has_agenda_minutes_and_packet(las_cruces):
    kinds = [f.kind for f in las_cruces[1] if f.board == "Capital Improvements Advisory Committee"]
    assert kinds == ["agenda", "minutes", "agenda packet"]


def test_las_cruces_boards_are_the_20_category_headings(las_cruces):
    assert len({f.board for f in las_cruces[1]}) == 20


def test_alameda_water_newer_layout_gives_two_agendas_with_board_names(corpus):
    response = page(corpus / "council" / "civicplus" / "civplus_alameda_water.html",
                    "https://www.acwd.org/AgendaCenter")
    assert [(f.board, f.url, f.date, f.title) for f in agenda_files(response)] == [
        ("Engineering and Information Technology Committee",
         "https://www.acwd.org/AgendaCenter/ViewFile/Agenda/_09042024-1447", "2024-09-04",
         "Engineering and Information Technology Committee — agenda 2024-09-04"),
        ("Operations and Water Quality Committee",
         "https://www.acwd.org/AgendaCenter/ViewFile/Agenda/_09032024-1448", "2024-09-03",
         "Operations and Water Quality Committee — agenda 2024-09-03"),
    ]


def test_nash_county_search_gives_two_agendas_and_two_minutes(nash_county):
    assert [f.kind for f in nash_county] == ["agenda", "minutes", "agenda", "minutes"]


def test_nash_county_minutes_of_may_5_2020(nash_county):
    minutes = nash_county[1]
    assert (minutes.url, minutes.board, minutes.description) == (
        "http://nc-nashcounty.civicplus.com/AgendaCenter/ViewFile/Minutes/_05052020-382",
        "Board of Commissioners", "May 5, 2020 Recessed Meeting/Budget Work Session Agenda")


def test_nash_county_search_url_is_what_the_spider_builds_for_those_days():
    built = search_url("http://nc-nashcounty.civicplus.com/AgendaCenter", date(2020, 5, 3),
                       date(2020, 5, 6))
    assert built == NASH
