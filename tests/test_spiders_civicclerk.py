"""The CivicClerk spider on the real saved OData answers (../shared/corpus/council/civicclerk/)."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path

import pytest
from scrapy.http import Request, TextResponse

from config.schema import SourceConfig
from spiders.civicclerk import CivicClerkSpider, events_url, meetings_from_events, tenant_hosts
from spiders.middlewares.layout import parse_as_scrapy_would
from spiders.platforms.meetings import Meeting

SOUTH_FULTON = "https://southfultonga.api.civicclerk.com/v1/Events"
MANDAN = "https://mandannd.api.civicclerk.com/v1/Events"


def spider(url: str = SOUTH_FULTON, today: date = date(2026, 4, 16)) -> CivicClerkSpider:
    source = SourceConfig.model_validate({
        "id": "south_fulton_city_council", "name": "City of South Fulton City Council",
        "place": "South Fulton", "state": "GA", "kind": "minutes", "platform": "civicclerk",
        "start_urls": [url]})
    return CivicClerkSpider(source=source, today=today)


def saved(corpus: Path, name: str) -> bytes:
    return (corpus / "council" / "civicclerk" / name).read_bytes()


@pytest.fixture(scope="module")
def south_fulton(corpus: Path) -> list[Meeting]:
    return meetings_from_events(
        json.loads(saved(corpus, "atl_south_fulton_city_council_meetings.json")), SOUTH_FULTON)


@pytest.fixture(scope="module")
def mandan(corpus: Path) -> list[Meeting]:
    return meetings_from_events(json.loads(saved(corpus, "bisnd_mc_cc.json")), MANDAN)


def test_reads_every_event_in_the_order_given(south_fulton):
    assert (len(south_fulton), south_fulton[0].date, south_fulton[-1].date) == (
        16, "2026-04-15", "2026-07-28")


def test_the_false_z_is_read_as_wall_time(south_fulton):
    # work sessions at 16:00, hearings at 17:00, regular meetings at 19:00 local
    assert [m.start[11:] for m in south_fulton[1:4]] == ["16:00", "17:00", "19:00"]


def test_only_the_published_files_are_fetched(south_fulton):
    assert [(f.kind, f.label, f.url) for m in south_fulton for f in m.files] == [
        ("agenda", "Zoning Public Hearing Agenda 4.15.2026",
         "https://southfultonga.api.civicclerk.com/v1/Meetings/"
         "GetMeetingFileStream(fileId=2261,plainText=false)"),
        ("agenda packet", "Zoning Public Hearing Packet 4.15.2026",
         "https://southfultonga.api.civicclerk.com/v1/Meetings/"
         "GetMeetingFileStream(fileId=2262,plainText=false)")]


def test_links_the_portal_page_of_the_event(south_fulton):
    assert south_fulton[0].url == "https://southfultonga.portal.civicclerk.com/event/1744"


def test_the_category_is_the_body_even_for_a_one_time_event(mandan):
    assert {m.body for m in mandan} == {"City Commission"}


def test_mandan_minutes_title(mandan):
    (minutes,) = mandan[0].files
    assert mandan[0].title(minutes.kind, minutes.label) == (
        "City Commission — minutes 2024-02-20: February 20, 2024 City Commission Meeting Minutes")


def test_mandan_has_three_files_in_fifteen_events(mandan):
    assert (len(mandan), sum(len(m.files) for m in mandan)) == (15, 3)


# -- the spider --

def test_the_portal_url_asks_the_api_for_the_window_by_date():
    assert events_url("https://southfultonga.portal.civicclerk.com/", date(2025, 12, 17),
                      date(2026, 5, 16)) == (
        f"{SOUTH_FULTON}?$filter=startDateTime%20ge%202025-12-17%20and%20startDateTime%20le%20"
        "2026-05-16T23%3A59%3A59Z&$orderby=startDateTime")


def test_the_start_url_keeps_its_own_category_filter():
    async def collect() -> list[str]:
        return [r.url async for r in spider(f"{SOUTH_FULTON}?$filter=categoryId+in+(26)").start()]
    assert asyncio.run(collect()) == [
        f"{SOUTH_FULTON}?$filter=categoryId%20in%20%2826%29%20and%20startDateTime%20ge%20"
        "2025-12-17%20and%20startDateTime%20le%202026-05-16T23%3A59%3A59Z&$orderby=startDateTime"]


def test_tenant_hosts_from_the_api():
    assert tenant_hosts(MANDAN) == ("https://mandannd.api.civicclerk.com",
                                    "https://mandannd.portal.civicclerk.com")


def test_requests_the_files_and_follows_the_next_link(corpus):
    body = json.loads(saved(corpus, "bisnd_mc_cc.json"))
    body["@odata.nextLink"] = f"{MANDAN}?$skip=15"
    page = TextResponse(url=MANDAN, body=json.dumps(body).encode(), encoding="utf-8",
                        request=Request(MANDAN))
    out = list(spider(MANDAN, today=date(2024, 3, 12)).parse(page))
    assert [(r.callback.__name__, r.url.rsplit("/", 1)[-1]) for r in out] == [
        ("parse_document", "GetMeetingFileStream(fileId=96,plainText=false)"),
        ("parse_document", "GetMeetingFileStream(fileId=94,plainText=false)"),
        ("parse_document", "GetMeetingFileStream(fileId=95,plainText=false)"),
        ("parse", "Events?$skip=15")]


def test_a_changed_answer_fails_the_source_with_what_was_expected():
    s = spider()
    page = TextResponse(url=SOUTH_FULTON, body=b'[{"id": 1}]', encoding="utf-8",
                        request=Request(SOUTH_FULTON,
                                        meta={"source_id": "south_fulton_city_council"}))
    assert parse_as_scrapy_would(s.parse, page, s) == []
    assert s.error_messages == [
        f"{SOUTH_FULTON}: not a CivicClerk event list: expected {{value: [events with id, "
        "eventName, startDateTime, publishedFiles]}; got list"]
