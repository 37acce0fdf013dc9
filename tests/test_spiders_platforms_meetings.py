"""The meeting-platform base: the crawl window, one request per file, titles, agenda text."""

from __future__ import annotations

from datetime import date

import pytest
from scrapy.http import Request, TextResponse

from config.schema import SourceConfig
from spiders.base import LayoutChanged
from spiders.platforms.meetings import (
    Meeting,
    MeetingFile,
    MeetingSpider,
    agenda_text,
    in_window,
    json_body,
)

AGENDA = MeetingFile("agenda", "https://example.gov/a.pdf")
MINUTES = MeetingFile("minutes", "https://example.gov/m.pdf")


def spider(today: date = date(2025, 10, 15)) -> MeetingSpider:
    source = SourceConfig.model_validate({
        "id": "fenwick_village_board", "name": "Fenwick Village Board", "place": "Fenwick",
        "kind": "minutes", "platform": "document_index", "start_urls": ["https://example.gov/"]})
    return MeetingSpider(source=source, today=today)


def test_the_window_runs_from_120_days_back_to_30_ahead():
    assert spider().window() == (date(2025, 6, 17), date(2025, 11, 14))


def test_in_window_keeps_the_bounds_and_undated_meetings():
    meetings = [Meeting("Board", d) for d in ("2025-06-16", "2025-06-17", "2025-11-14",
                                              "2025-11-15", None)]
    kept = in_window(meetings, date(2025, 6, 17), date(2025, 11, 14))
    assert [m.date for m in kept] == ["2025-06-17", "2025-11-14", None]


def test_each_file_is_asked_for_once_conditionally_with_its_title_and_date():
    meetings = [Meeting("Village Board", "2025-10-06", (AGENDA, MINUTES)),
                Meeting("Village Board", "2025-10-07", (AGENDA,), cancelled=True),
                Meeting("Village Board", "2025-01-06", (MeetingFile("agenda", "https://x/old"),))]
    requests = list(spider().file_requests(meetings))
    assert [(r.url, r.cb_kwargs["title"], r.cb_kwargs["published"], r.meta["conditional"])
            for r in requests] == [
        (AGENDA.url, "Village Board — agenda 2025-10-06", "2025-10-06", True),
        (MINUTES.url, "Village Board — minutes 2025-10-06", "2025-10-06", True)]


def test_without_the_window_every_meeting_counts():
    old = Meeting("Village Board", "2025-01-06", (AGENDA,))
    assert len(list(spider().file_requests([old], window=False))) == 1


def test_a_title_names_the_file_and_a_cancellation():
    meeting = Meeting("Village Board", "2025-10-07", cancelled=True)
    assert meeting.title("other", "Staff report") == (
        "Village Board — other 2025-10-07: Staff report (cancelled)")


def test_agenda_text_is_the_title_then_one_item_a_line():
    meeting = Meeting("Board of Trustees", "2019-01-17", items=("1. Roll Call", "  A. LEADS"))
    assert agenda_text(meeting) == (
        "Board of Trustees — agenda 2019-01-17\n\n1. Roll Call\n  A. LEADS\n")


def test_an_agenda_document_lives_at_the_meeting_url():
    meeting = Meeting("Board", "2019-01-17", url="https://example.gov/goto?id=1", items=("x",))
    document = spider().agenda_document(meeting)
    assert (document.url, document.content_type, document.published) == (
        "https://example.gov/goto?id=1", "text/plain", "2019-01-17")


def test_json_body_says_what_was_expected_when_the_answer_is_html():
    response = TextResponse(url="https://example.gov/api", body=b"<html>Maintenance</html>",
                            encoding="utf-8", request=Request("https://example.gov/api"))
    with pytest.raises(LayoutChanged, match=r"expected a meeting list as JSON, got "
                                            r"'<html>Maintenance</html>'; check the start URL"):
        json_body(response, "a meeting list")
