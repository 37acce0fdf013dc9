"""The Granicus spider on real ViewPublisher listings and AgendaViewer pages
(../shared/corpus/council/granicus/): Metra's and the RTA's (Illinois) and LAWA's."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from config.schema import SourceConfig
from spiders.granicus import GranicusSpider, attachment_links, body_name, meetings_from_listing
from spiders.middlewares.layout import parse_as_scrapy_would
from spiders.platforms.meetings import Meeting

METRA = "http://metrarr.granicus.com/ViewPublisher.php?view_id=5"
RTA_UPCOMING = "http://rtachicago.granicus.com/ViewPublisher.php?view_id=5"
RTA_PAST = "http://rtachicago.granicus.com/ViewPublisher.php?view_id=4"
LAWA = "http://lawa.granicus.com/ViewPublisher.php?view_id=4"
AGENDA_838 = "http://lawa.granicus.com/AgendaViewer.php?view_id=4&clip_id=838"


def spider(url: str = METRA, today: date = date(2018, 1, 31)) -> GranicusSpider:
    source = SourceConfig.model_validate({
        "id": "metra_board", "name": "Metra Board of Directors", "place": "Chicago",
        "kind": "minutes", "platform": "granicus", "start_urls": [url]})
    return GranicusSpider(source=source, today=today)


def page(path: Path, url: str, encoding: str = "utf-8") -> HtmlResponse:
    return HtmlResponse(url=url, body=path.read_bytes(), encoding=encoding, request=Request(url))


def listing(corpus: Path, name: str, url: str, encoding: str = "utf-8") -> list[Meeting]:
    response = page(corpus / "council" / "granicus" / name, url, encoding)
    return meetings_from_listing(response.text, url)


def kinds(meetings: list[Meeting]) -> Counter:
    return Counter(f.kind for m in meetings for f in m.files)


@pytest.fixture(scope="module")
def metra(corpus: Path) -> list[Meeting]:
    return listing(corpus, "il_metra_board.html", METRA)


@pytest.fixture(scope="module")
def rta_past(corpus: Path) -> list[Meeting]:
    return listing(corpus, "il_regional_transit_past.html", RTA_PAST, "iso-8859-1")


@pytest.fixture(scope="module")
def lawa(corpus: Path) -> list[Meeting]:
    return listing(corpus, "lawa.html", LAWA)


def test_metra_lists_upcoming_and_both_archive_panels(metra):
    assert (len(metra), kinds(metra)) == (61, {"agenda": 50, "minutes": 46})


def test_metra_upcoming_meeting_has_a_date_and_no_documents(metra):
    assert (metra[0].body, metra[0].date, metra[0].files) == (
        "Metra February 2018 Board Meeting", "2018-02-21", ())


def test_metra_archived_meeting_links_its_agenda_and_minutes(metra):
    assert (metra[12].date, [f.url for f in metra[12].files]) == ("2017-12-13", [
        "http://metrarr.granicus.com/AgendaViewer.php?view_id=5&clip_id=276",
        "http://metrarr.granicus.com/MinutesViewer.php?view_id=5&clip_id=276"
        "&doc_id=67620acc-fc9b-11e7-8dcb-00505691de41"])


def test_rta_icon_view_upcoming_links_event_agendas(corpus):
    upcoming = listing(corpus, "il_regional_transit_upcoming.html", RTA_UPCOMING, "iso-8859-1")
    assert (len(upcoming), [(m.body, f.url) for m in upcoming for f in m.files]) == (11, [
        ("Audit Committee", "http://rtachicago.granicus.com/AgendaViewer.php?view_id=5&event_id=325"),
        ("Finance Committee",
         "http://rtachicago.granicus.com/AgendaViewer.php?view_id=5&event_id=326")])


def test_rta_icon_view_archive(rta_past):
    assert (len(rta_past), kinds(rta_past), rta_past[0].date, rta_past[-1].date) == (
        117, {"agenda": 116, "minutes": 110}, "2018-12-13", "2014-12-03")


@pytest.mark.parametrize(("name", "body"), [
    ("Board of Directors on 2018-06-21 - (following Committee meetings)", "Board of Directors"),
    ("Finance Committee 8:30 AM", "Finance Committee"),
    ("Audit Committee (Due to technical difficulty, the video for this meeting is not available)",
     "Audit Committee"),
])
def test_body_names_lose_dates_times_and_notes(name, body):
    assert body_name(name) == body


def test_lawa_protocol_relative_links_become_absolute(lawa):
    assert [f.url for f in lawa[0].files] == [AGENDA_838]


def test_lawa_reads_the_visible_date_not_the_hidden_epoch(lawa):
    assert (len(lawa), lawa[0].date, lawa[-1].date, kinds(lawa)) == (
        297, "2022-03-03", "2013-01-14", {"agenda": 296, "minutes": 293})


def test_an_html_agenda_links_each_item_attachment_once(corpus):
    html = page(corpus / "council" / "granicus" / "lawa_0__AgendaViewer_clip838.html",
                AGENDA_838).text
    links = attachment_links(html, AGENDA_838)
    assert (len(links), links[0]) == (12, (
        "https://lawa.granicus.com/MetaViewer.php?view_id=4&clip_id=838&meta_id=54217",
        "Mgmt Report A"))


# -- the spider --

def test_requests_the_documents_of_the_window_once_each(corpus):
    response = page(corpus / "council" / "granicus" / "il_metra_board.html", METRA)
    titles = [r.cb_kwargs["title"] for r in spider().parse(response)]
    # 2017-10-03 → 2018-03-02: four Board meetings, a workshop and two Citizens Advisory Board
    # meetings with documents (the January 2018 meeting has no minutes yet)
    assert titles[:3] == ["Metra January 2018 Board Meeting — agenda 2018-01-17",
                          "Metra December 2017 Board Meeting — agenda 2017-12-13",
                          "Metra December 2017 Board Meeting — minutes 2017-12-13"]
    assert len(titles) == 11


def test_an_html_agenda_is_a_document_and_asks_for_its_attachments(corpus):
    response = page(corpus / "council" / "granicus" / "lawa_3__AgendaViewer_clip825.html",
                    "https://lawa.granicus.com/AgendaViewer.php?view_id=4&clip_id=825")
    out = list(spider(LAWA).parse_document(
        response, title="Audit Committee Special Meeting — agenda 2022-01-27",
        published="2022-01-27"))
    assert [type(o).__name__ for o in out] == ["DocumentItem", "Request"]
    assert out[1].cb_kwargs["title"] == (
        "Audit Committee Special Meeting — agenda 2022-01-27: item 2 report")


def test_a_redesigned_page_fails_the_source_with_what_was_expected(saved_page):
    s = spider()
    response = saved_page("granicus/redesigned.html", METRA)
    response.request.meta["source_id"] = "metra_board"
    assert parse_as_scrapy_would(s.parse, response, s) == []
    assert s.error_messages == [
        f"{METRA}: no meeting rows (tr with td[headers=Name], or div.row with span.committee) "
        "and no listing table; not a Granicus ViewPublisher page, or Granicus changed its "
        "template"]
