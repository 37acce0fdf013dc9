"""The generic document-index spider on a saved listing page."""

from __future__ import annotations

import pytest
from scrapy.http import Request

from config.schema import SourceConfig
from spiders.document_index import DocumentIndexSpider, date_in
from spiders.items import DocumentItem

URL = "https://village.example.gov/board/agendas.html"


def spider(**overrides: object) -> DocumentIndexSpider:
    entry = {"id": "example_village_board", "name": "Village Board", "place": "Example",
             "kind": "minutes", "platform": "document_index", "start_urls": [URL],
             "documents": [r"\.pdf$", r"^Minutes"], "follow": [r"/archive/\d{4}/$"], "depth": 1}
    entry.update(overrides)
    return DocumentIndexSpider(source=SourceConfig.model_validate(entry))


@pytest.fixture
def results(saved_page):
    return list(spider().parse(saved_page("document_index/agendas.html", URL)))


def requested(results, callback_name):
    return [r.url for r in results
            if isinstance(r, Request) and r.callback.__name__ == callback_name]


def test_requests_every_document_link_on_the_same_site_once_per_url(results):
    assert requested(results, "parse_document") == [
        "https://village.example.gov/files/2025-03-04-agenda.pdf",
        "https://village.example.gov/files/2025-03-04-minutes.pdf",
        "https://village.example.gov/board/files/2025-02-18-agenda.pdf",
        "https://village.example.gov/board/minutes/2025-02-18.html",
    ]


def test_follows_index_pages_that_match_follow_patterns(results):
    assert requested(results, "parse") == ["https://village.example.gov/archive/2024/"]


def test_does_not_follow_beyond_depth(saved_page):
    response = saved_page("document_index/agendas.html", URL)
    deeper = list(spider().parse(response, depth=1))
    assert requested(deeper, "parse") == []


def test_reads_the_meeting_date_from_link_text(results):
    dates = [r.cb_kwargs["listed"] for r in results if isinstance(r, Request)
             and r.callback.__name__ == "parse_document"]
    assert dates[:3] == ["2025-03-04", "2025-03-04", "2025-02-18"]


def test_keeps_the_start_page_as_a_document_when_asked(saved_page):
    response = saved_page("document_index/agendas.html", URL)
    items = [r for r in spider(include_start=True).parse(response) if isinstance(r, DocumentItem)]
    assert [(i.url, i.title) for i in items] == [(URL, "Agendas & Minutes — Village of Example")]


def test_reports_a_listing_with_no_matching_links(saved_page):
    s = spider(documents=[r"\.docx$"], follow=[])
    list(s.parse(saved_page("document_index/agendas.html", URL)))
    assert s.error_messages == [
        f"{URL}: no link matched the source's documents patterns ['\\\\.docx$']; "
        "did the page change?"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Minutes – Sept. 3, 2024", "2024-09-03"),
    ("Agenda 12/01/2025 regular", "2025-12-01"),
    ("report-2025-06-30.pdf", "2025-06-30"),
    ("Agenda 2/30/2025", None),
    ("Annual report", None),
])
def test_date_in_reads_common_date_forms(text, expected):
    assert date_in(text) == expected

