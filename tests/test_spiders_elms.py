"""The eLMS spider on the real saved answers of Chicago's eLMS API (../shared/corpus/council/)."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

from config.schema import SourceConfig
from spiders.base import LayoutChanged
from spiders.elms import ElmsSpider, meetings_from_api, meetings_url, next_skip
from spiders.middlewares.layout import parse_as_scrapy_would
from spiders.platforms.meetings import Meeting

API = "https://api.chicityclerkelms.chicago.gov/meeting"
COUNCIL_ONLY = f"{API}?filter=body%20eq%20%27City%20Council%27"
SAVED_ON = date(2023, 9, 23)  # both saved answers were saved that day


def spider(url: str = API, today: date = SAVED_ON) -> ElmsSpider:
    source = SourceConfig.model_validate({
        "id": "chicago_city_council", "name": "Chicago City Council", "place": "Chicago",
        "kind": "minutes", "platform": "elms", "start_urls": [url]})
    return ElmsSpider(source=source, today=today)


def answer(corpus: Path, name: str) -> dict:
    return json.loads((corpus / "council" / name).read_bytes())


def response(corpus: Path, name: str, url: str) -> TextResponse:
    return TextResponse(url=url, body=(corpus / "council" / name).read_bytes(),
                        encoding="utf-8", request=Request(url))


@pytest.fixture(scope="module")
def all_bodies(corpus: Path) -> list[Meeting]:
    return meetings_from_api(answer(corpus, "chicago/chi_citycouncil.json"), API)


@pytest.fixture(scope="module")
def council(corpus: Path) -> list[Meeting]:
    return meetings_from_api(
        answer(corpus, "elms/elms_meeting_body-city-council_2023-09-23.json"), COUNCIL_ONLY)


def test_reads_every_meeting_of_the_unfiltered_page(all_bodies):
    assert (len(all_bodies), all_bodies[-1].date, all_bodies[0].date) == (
        99, "2023-03-30", "2023-10-12")


def test_reads_every_attachment_with_its_type(all_bodies):
    kinds = Counter(f.kind for m in all_bodies for f in m.files)
    assert kinds == {"notice": 102, "agenda": 101, "summary": 61, "other": 43, "report": 2}


def test_utc_times_become_chicago_wall_time(all_bodies):
    first = all_bodies[0]
    assert (first.body, first.start) == (
        "Committee on Zoning, Landmarks and Building Standards", "2023-10-12T10:00")


def test_links_the_meeting_page(all_bodies):
    assert all_bodies[0].url == ("https://chicityclerkelms.chicago.gov/Meeting/?meetingId="
                                 "05889499-4C56-EE11-BE6E-001DD8098532")


def test_immigrant_rights_committee_meetings_are_ordinary_meetings(all_bodies):
    # a keyword trap: the committee's name is no finding; one of its four meetings is cancelled
    meetings = [m for m in all_bodies if m.body == "Committee on Immigrant and Refugee Rights"]
    assert [(m.date, m.cancelled) for m in meetings if m.cancelled] == [("2023-09-27", True)]
    assert len(meetings) == 4


def test_council_page_holds_one_hundred_of_215_meetings(corpus, council):
    raw = answer(corpus, "elms/elms_meeting_body-city-council_2023-09-23.json")
    assert (len(council), {m.body for m in council}, next_skip(raw)) == (
        100, {"City Council"}, 100)


def test_summer_and_winter_council_meetings_both_start_at_ten(council):
    # 2023-10-04T15:00:00+00:00 (daylight time) and 2023-01-18T16:00:00+00:00 (standard time)
    starts = {m.date: m.start for m in council}
    assert (starts["2023-10-04"], starts["2023-01-18"]) == ("2023-10-04T10:00", "2023-01-18T10:00")


def test_cancellation_said_only_in_the_comment_is_read(council):
    cancelled = [m.date for m in council if m.cancelled]
    assert cancelled == ["2023-02-07", "2021-12-01", "2021-11-30", "2021-11-29", "2020-12-22"]


def test_two_meetings_on_one_day_stay_two(council):
    assert [m.start for m in council if m.date == "2021-12-01"] == [
        "2021-12-01T13:00", "2021-12-01T10:00"]


def test_the_first_council_meeting_has_its_notice(council):
    assert council[0].files[0].url == (
        "https://occprodstoragev1.blob.core.usgovcloudapi.net/meetingattachmentspublic/"
        "05a907c9-676b-4617-9d0b-266830f5ebcf.pdf")
    assert council[0].title(council[0].files[0].kind) == "City Council — notice 2023-10-04"


def test_other_attachments_are_titled_with_their_file_name(all_bodies):
    others = [f for m in all_bodies for f in m.files if f.kind == "other"]
    assert all(f.label for f in others) and len(others) == 43


# -- the spider --

def test_start_asks_for_the_window_newest_first_keeping_the_sources_filter():
    async def collect() -> list[Request]:
        return [r async for r in spider(COUNCIL_ONLY).start()]
    (request,) = asyncio.run(collect())
    query = parse_qs(urlsplit(request.url).query)
    assert (query["filter"], query["sort"], query["top"], query["skip"]) == (
        ["(body eq 'City Council') and date ge datetime'2023-05-26T00:00:00Z' and "
         "date le datetime'2023-10-23T23:59:59Z'"], ["date desc"], ["100"], ["0"])


def test_requests_the_files_of_the_window_then_the_next_page(corpus):
    page = meetings_url(COUNCIL_ONLY, date(2023, 5, 26), date(2023, 10, 23))
    out = list(spider(COUNCIL_ONLY).parse(
        response(corpus, "elms/elms_meeting_body-city-council_2023-09-23.json", page),
        start=COUNCIL_ONLY))
    documents = [r for r in out if r.callback.__name__ == "parse_document"]
    following = [r for r in out if r.callback.__name__ == "parse"]
    # 7 meetings from 2023-05-26 to 2023-10-23, with 12 files
    assert len(documents) == 12 and {r.meta["conditional"] for r in documents} == {True}
    assert [parse_qs(urlsplit(r.url).query)["skip"] for r in following] == [["100"]]


def test_the_last_page_asks_for_no_more():
    assert next_skip({"data": [{}] * 15, "meta": {"skip": 200, "count": 215}}) is None


def test_the_portal_page_says_to_use_the_api(corpus):
    url = "https://chicityclerkelms.chicago.gov/Meetings/"
    page = HtmlResponse(url=url, request=Request(url), body=(
        corpus / "council" / "elms" / "elms_meetings_portal_page_2023-09-23.html").read_bytes())
    with pytest.raises(LayoutChanged, match="lists no meetings in its HTML"):
        list(spider(url).parse(page, start=url))


def test_a_changed_api_answer_fails_the_source_with_what_was_expected():
    s = spider()
    page = TextResponse(url=API, body=b'{"items": [], "total": 0}', encoding="utf-8",
                        request=Request(API, meta={"source_id": "chicago_city_council"}))
    assert parse_as_scrapy_would(s.parse, page, s, start=API) == []
    assert s.error_messages == [f"{API}: not an eLMS meeting list: expected {{data: [meetings "
                                "with meetingId, body, date, files]}; got ['items', 'total']"]
