"""The Illinois meeting sources of config/sources.yaml, read by their spiders on real saved
pages (../shared/corpus/council/): the configured patterns pick what each page should give."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from config.schema import load_sources
from spiders.document_index import DocumentIndexSpider

DC001 = "https://www.chicago.gov/city/en/depts/ccpsa/supp_info/district-council-pages/DC001.html"


@pytest.fixture(scope="module")
def sources():
    return load_sources()


def test_district_council_source_takes_each_notice_and_agenda_of_the_saved_page(corpus: Path,
                                                                                sources):
    source = sources["chicago_police_district_councils"]
    page = HtmlResponse(url=DC001, request=Request(DC001), body=(
        corpus / "council" / "chicago" / "chi_police_district_councils__DC001.html").read_bytes())
    requests = list(DocumentIndexSpider(source=source).parse(page))
    # the bylaws and the vacancy letter are not meeting documents
    assert [(r.url.rsplit("/", 1)[1], r.cb_kwargs["listed"]) for r in requests] == [
        ("Notice-and-Agenda-001-2023-06-06.pdf", "2023-06-06"),
        ("Notice-and-Agenda-001-2023.06.01-special.pdf", "2023-06-01"),
        ("Notice-and-Agenda-001-2023.06.01-closed.pdf", "2023-06-01"),
        ("Notice-and-Agenda-001-2023.05.09.pdf", "2023-05-09")]


def test_district_council_source_lists_the_22_district_pages(sources):
    urls = sources["chicago_police_district_councils"].urls
    assert (len(urls), len(set(urls)), urls[0]) == (22, 22, DC001)


@pytest.mark.parametrize("source_id", [
    "chicago_city_council", "metra_board", "chicago_teachers_pension_fund_board",
    "danville_city_council"])
def test_illinois_meeting_sources_are_enabled(sources, source_id):
    assert (sources[source_id].enabled, sources[source_id].state) == (True, "IL")
