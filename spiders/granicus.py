"""Granicus: the agendas and minutes a ViewPublisher page lists, with their attachments.

A Granicus client publishes its meetings at ``https://<client>.granicus.com/ViewPublisher.php
?view_id=<n>``, the start URL. Clients choose a template: the standard one is a table,
``tr.listingRow`` (or ``tr`` with a ``td[headers=Name]`` cell), the "Icon View" one a
``div.row`` holding a ``span.committee``; the spider reads both. Each meeting links
``AgendaViewer.php`` and ``MinutesViewer.php`` (``clip_id=`` for a recorded meeting,
``event_id=`` for an upcoming one; hrefs are often protocol-relative). The listing's time is
when the recording started, not the meeting's, so only the date is kept. An AgendaViewer that
answers an HTML agenda links each item's staff report as ``MetaViewer.php``; those are
fetched too. See docs/adding-a-source.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin

from parsel import Selector
from scrapy.http import Request, Response, TextResponse

from spiders.base import LayoutChanged, attribute
from spiders.document_index import date_in
from spiders.items import DocumentItem
from spiders.platforms.meetings import Meeting, MeetingFile, MeetingSpider

VIEWERS = {"agenda": re.compile(r"(?:Generated)?AgendaViewer\.php", re.IGNORECASE),
           "minutes": re.compile(r"(?:Generated)?MinutesViewer\.php", re.IGNORECASE)}
ROWS = ("//tr[td[@headers='Name']]"
        " | //span[contains(concat(' ', normalize-space(@class), ' '), ' committee ')]"
        "/ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' row ')][1]")
NAME = "./td[@headers='Name'] | .//span[contains(@class, 'committee')]"
# what Icon View names carry besides the body: "on 2018-06-21 - (…)", "(8:30 a.m.)", "8:30 AM"
NAME_NOISE = (re.compile(r"\s+on \d{4}-\d{2}-\d{2}\b.*$"), re.compile(r"\s*-?\s*\([^)]*\)\s*$"),
              re.compile(r"\s+\d{1,2}:\d{2}\s*[ap]\.?m\.?$", re.IGNORECASE))


def body_name(text: str) -> str:
    """A listing's meeting name without the dates, times and notes some templates add."""
    name = " ".join(text.split())
    for noise in NAME_NOISE:
        name = noise.sub("", name)
    return name


def meetings_from_listing(html: str, url: str) -> list[Meeting]:
    """The meetings of a ViewPublisher page, in page order, each with its agenda and minutes.

    Raises LayoutChanged when the page has neither template's rows nor an empty listing.
    """
    page = Selector(text=html, base_url=url)
    rows = page.xpath(ROWS)
    if not rows and not page.css("table.listingTable, div.archive, #upcoming"):
        raise LayoutChanged(f"{url}: no meeting rows (tr with td[headers=Name], or div.row "
                            "with span.committee) and no listing table; not a Granicus "
                            "ViewPublisher page, or Granicus changed its template")
    meetings = []
    for row in rows:
        name = " ".join(row.xpath(NAME)[0].xpath(".//text()").getall()) if row.xpath(NAME) else ""
        files = []
        for href in row.xpath(".//a/@href").getall():
            for kind, pattern in VIEWERS.items():
                if pattern.search(href):
                    files.append(MeetingFile(kind, _absolute(href, url)))
        text = " ".join(row.xpath(".//text()").getall())
        meetings.append(Meeting(body_name(name), date_in(text), tuple(files)))
    return meetings


def attachment_links(html: str, url: str) -> list[tuple[str, str]]:
    """(URL, link text) of each item attachment (``MetaViewer.php``) of an HTML agenda, once."""
    found: dict[str, str] = {}
    for link in Selector(text=html, base_url=url).xpath("//a[contains(@href, 'MetaViewer')]"):
        href = _absolute(attribute(link, "href"), url)
        found.setdefault(href, " ".join(" ".join(link.xpath(".//text()").getall()).split()))
    return list(found.items())


def _absolute(href: str, base: str) -> str:
    return urljoin(base, href.strip())


class GranicusSpider(MeetingSpider):
    """Agendas, minutes and agenda attachments listed by one Granicus ViewPublisher page."""

    name = "granicus"

    def parse(self, response: Response) -> Iterator[Request]:
        """The listing: the agendas and minutes of the meetings in the crawl window."""
        if not isinstance(response, TextResponse):
            raise LayoutChanged(f"{response.url}: not a web page; expected a Granicus "
                                "ViewPublisher.php listing")
        yield from self.file_requests(meetings_from_listing(response.text, response.url))

    def parse_document(self, response: Response, title: str,
                       published: str | None) -> Iterator[Request | DocumentItem]:
        """An agenda or minutes; an HTML agenda's item attachments are asked for next."""
        item = self.document(response, title=title, published=published)
        yield item
        if isinstance(response, TextResponse) and item.content_type == "text/html":
            for url, text in attachment_links(response.text, response.url):
                yield self.request(url, self.parse_attachment, meta={"conditional": True},
                                   cb_kwargs={"title": f"{title}: {text or 'attachment'}",
                                              "published": published})

    def parse_attachment(self, response: Response, title: str,
                         published: str | None) -> Iterator[DocumentItem]:
        yield self.document(response, title=title, published=published)
