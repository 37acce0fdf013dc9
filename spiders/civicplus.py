"""CivicPlus AgendaCenter: the agendas, agenda packets and minutes of a town's boards.

Many Illinois villages and cities publish their meetings through CivicPlus's AgendaCenter
(``https://<town>/AgendaCenter``). The spider asks the AgendaCenter search for every board's
meetings of the last ``WINDOW_DAYS`` days and the next ``AHEAD_DAYS`` (a board's own page,
``/AgendaCenter/<Board-Name>-<id>``, narrows the search to that board; a ``/AgendaCenter/Search/``
start URL is used as it is). Each board is a table with one row (``tr.catAgendaRow``) per
meeting, linking ``/AgendaCenter/ViewFile/Agenda/_MMDDYYYY-NNN`` (also as ``?html=true``, the
same agenda, which is skipped, and ``?packet=true``, the agenda with its attachments) and
``/AgendaCenter/ViewFile/Minutes/_MMDDYYYY-NNN``; the meeting date is read from that file id.
The board's name heads the row's category: an ``h2`` in the classic layout, an ``h3`` under a
group heading in the newer one. See docs/adding-a-source.md.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from scrapy.http import Request, Response, TextResponse

from config.schema import SourceConfig
from spiders.base import LayoutChanged, SourceSpider
from spiders.items import DocumentItem

WINDOW_DAYS = 120
AHEAD_DAYS = 30  # agendas are posted days before the meeting
VIEW_FILE = re.compile(
    r"/AgendaCenter/ViewFile/(Agenda|Minutes)/_(\d{2})(\d{2})(\d{4})-\d+", re.IGNORECASE)
# the row's category, <div id="cat7">, and its heading's own text (not its ▼ toggle)
CATEGORY_HEADING = ("ancestor::div[starts-with(@id, 'cat') and "
                    "translate(substring(@id, 4), '0123456789', '') = ''][1]"
                    "/*[self::h2 or self::h3][1]/text()")
BOARD_PAGE = re.compile(r"/AgendaCenter/[^/?]+-(\d+)/?$", re.IGNORECASE)


@dataclass(frozen=True)
class AgendaFile:
    """One file of a meeting row: an agenda, an agenda packet or minutes."""

    url: str
    kind: str  # "agenda", "agenda packet" or "minutes"
    date: str | None  # ISO, from the file id
    board: str
    description: str  # the row's text: often a title, sometimes just "Agenda"

    @property
    def title(self) -> str:
        """"<Board> — <kind> <date>", then the row's description when it says more."""
        plain = self.description.casefold() in ("", "agenda", "minutes")
        return f"{self.board} — {self.kind} {self.date}" + ("" if plain
                                                           else f": {self.description}")


def search_url(start: str, since: date, until: date) -> str:
    """The AgendaCenter search for the meetings between two days, on the start URL's site."""
    if "/agendacenter/search" in start.lower():
        return start
    parts = urlsplit(start)
    board = BOARD_PAGE.search(parts.path)
    query = urlencode({"term": "", "CIDs": board.group(1) if board else "all",
                       "startDate": f"{since:%m/%d/%Y}", "endDate": f"{until:%m/%d/%Y}",
                       "dateRange": "", "dateSelector": ""})
    return f"{parts.scheme}://{parts.netloc}/AgendaCenter/Search/?{query}"


def agenda_files(response: TextResponse) -> list[AgendaFile]:
    """Every agenda, packet and minutes file the listing links, once each, in page order.

    Raises LayoutChanged when the page is no AgendaCenter listing, or its rows link no files.
    """
    rows = response.css("tr.catAgendaRow")
    if not rows and not response.css("#AgendaCenterContent"):
        raise LayoutChanged(f"{response.url}: neither meeting rows (tr.catAgendaRow) nor "
                            "#AgendaCenterContent; not a CivicPlus AgendaCenter page, or "
                            "CivicPlus changed its layout")
    files: dict[str, AgendaFile] = {}
    for row in rows:
        heading = row.xpath(CATEGORY_HEADING).getall()
        board = " ".join(" ".join(heading).split())
        description = " ".join(" ".join(row.xpath("./td[1]/p//text()").getall()).split())
        for href in row.css("a::attr(href)").getall():
            found = _file(response.urljoin(href))
            if found and found[0] not in files:
                url, kind, when = found
                files[url] = AgendaFile(url, kind, when, board, description)
    if rows and not files:
        raise LayoutChanged(f"{response.url}: {len(rows)} meeting rows but no "
                            "/AgendaCenter/ViewFile/ links; did CivicPlus change its links?")
    return list(files.values())


def _file(url: str) -> tuple[str, str, str | None] | None:
    """(URL, kind, ISO date) of a ViewFile link; the ``?html=true`` copy becomes the agenda."""
    match = VIEW_FILE.search(url)
    if not match:
        return None
    month, day, year = (int(g) for g in match.group(2, 3, 4))
    try:
        when: str | None = date(year, month, day).isoformat()
    except ValueError:
        when = None
    base = url.split("?")[0]
    if match.group(1).lower() == "minutes":
        return base, "minutes", when
    if parse_qs(urlsplit(url).query).get("packet") == ["true"]:
        return f"{base}?packet=true", "agenda packet", when
    return base, "agenda", when


class CivicPlusSpider(SourceSpider):
    """Agendas, packets and minutes listed by one CivicPlus AgendaCenter."""

    name = "civicplus"

    def __init__(self, source: SourceConfig, *, today: date | None = None,
                 **kwargs: Any) -> None:  # Any: Scrapy's kwargs
        super().__init__(source, **kwargs)
        self.today = today

    async def start(self) -> AsyncIterator[Request]:
        today = self.today or datetime.now(UTC).date()
        since, until = today - timedelta(days=WINDOW_DAYS), today + timedelta(days=AHEAD_DAYS)
        for url in self.source.urls:
            yield self.request(search_url(url, since, until), self.parse)

    def parse(self, response: Response) -> Iterator[Request]:
        """The search results: one document request per file."""
        if not isinstance(response, TextResponse):
            raise LayoutChanged(f"{response.url}: not a web page; expected the "
                                "AgendaCenter listing")
        files = agenda_files(response)
        for file in files:
            yield self.request(file.url, self.parse_document, meta={"conditional": True},
                               cb_kwargs={"title": file.title, "published": file.date})

    def parse_document(self, response: Response, title: str,
                       published: str | None) -> Iterator[DocumentItem]:
        yield self.document(response, title=title, published=published)
