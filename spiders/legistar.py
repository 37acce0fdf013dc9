"""Legistar (Granicus): council and board meetings, and the titles of their legislation.

Two start URLs are understood. The Web API, ``https://webapi.legistar.com/v1/<client>/events``:
the spider asks for the events of the last ``WINDOW_DAYS`` days, fetches each event's agenda
and minutes, then asks ``/matters`` for legislation changed in that window and keeps each
matter whose title is about plate readers, their vendors, data sharing or the immigration
agencies as a small text document (a matter titled "Flock Safety agreement" is news before any
PDF is posted). The InSite calendar, ``https://<client>.legistar.com/Calendar.aspx``, for
clients whose Web API wants a token: its grid gives the same meetings, without matters.
See docs/adding-a-source.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from scrapy.http import Request, Response, TextResponse

from config.schema import SourceConfig
from config.vocabulary import vocabulary
from spiders.base import LayoutChanged, SourceSpider
from spiders.document_index import date_in
from spiders.items import DocumentItem

WINDOW_DAYS = 120
JSON = {"Accept": "application/json"}  # the Web API answers XML to a browser's Accept header
API_PATH = re.compile(r"/v1/[^/]+/events(\.json)?$")


@dataclass(frozen=True)
class Meeting:
    """One meeting of a body, with its agenda and minutes URLs when published."""

    body: str
    date: str | None  # ISO
    agenda: str | None = None
    minutes: str | None = None


def api_url(start: str, resource: str, since: date) -> str:
    """The Web API list of ``resource`` ("events", "matters") beside ``start``, since a day."""
    parts = urlsplit(start)
    path = re.sub(r"/events(\.json)?$", lambda m: f"/{resource}{m.group(1) or ''}", parts.path)
    field = {"events": "EventDate", "matters": "MatterLastModifiedUtc"}[resource]
    kept = [(k, v) for k, v in parse_qsl(parts.query) if not k.startswith("$")]  # e.g. token
    query = urlencode([*kept, ("$filter", f"{field} ge datetime'{since.isoformat()}'"),
                       ("$orderby", f"{field} desc")], quote_via=quote, safe="$")
    return f"{parts.scheme}://{parts.netloc}{path}?{query}"


def meetings_from_events(events: Any, url: str) -> list[Meeting]:  # Any: JSON
    """Meetings of a Web API event list; LayoutChanged if ``events`` is not one."""
    if not isinstance(events, list) or any(
            not isinstance(e, dict) or "EventBodyName" not in e for e in events):
        found = sorted(events)[:6] if isinstance(events, dict) else type(events).__name__
        raise LayoutChanged(f"{url}: not a Legistar event list: expected a JSON list of events "
                            f"with EventBodyName, EventDate, EventAgendaFile; got {found}")
    return [Meeting(str(e["EventBodyName"] or "").strip(), (e.get("EventDate") or "")[:10] or None,
                    e.get("EventAgendaFile") or None, e.get("EventMinutesFile") or None)
            for e in events]


def meetings_from_calendar(rows: list[dict[str, Any]], url: str) -> list[Meeting]:  # Any: cells
    """Meetings of InSite calendar rows (cells are text, or {"label", "url"} for a link)."""
    if rows and "Meeting Date" not in rows[0]:
        raise LayoutChanged(f"{url}: the calendar has no 'Meeting Date' column; columns: "
                            f"{sorted(rows[0])}")

    def link(cell: Any) -> str | None:  # Any: a cell
        return cell.get("url") if isinstance(cell, dict) else None

    def text(cell: Any) -> str:  # Any: a cell
        return " ".join(str(cell.get("label", "") if isinstance(cell, dict) else cell).split())

    return [Meeting(text(row.get("Name", "")), date_in(text(row["Meeting Date"])),
                    link(row.get("Agenda")), link(row.get("Minutes"))) for row in rows]


def calendar_rows(response: TextResponse) -> list[dict[str, Any]]:  # Any: cells
    """The rows of an InSite ``Calendar.aspx`` grid, keyed by column heading."""
    grid = response.css("table.rgMasterTable")
    if not grid:
        raise LayoutChanged(f"{response.url}: no meeting grid (table.rgMasterTable); not a "
                            "Legistar calendar page, or Legistar changed its layout")
    heads = [" ".join(" ".join(th.css("*::text").getall()).split())
             for th in grid[0].css("thead th")]
    rows = []
    for tr in grid[0].css("tr.rgRow, tr.rgAltRow"):
        cells: dict[str, Any] = {}
        for head, td in zip(heads, tr.xpath("./td"), strict=False):
            href = td.css("a::attr(href)").get("")
            label = " ".join(" ".join(td.css("*::text").getall()).split())
            usable = href and not href.startswith(("#", "javascript:"))
            cells[head] = {"label": label, "url": response.urljoin(href)} if usable else label
        rows.append(cells)
    return rows


def matter_text(matter: dict[str, Any]) -> str:  # Any: JSON
    """A matter as plain text: title, then file, type, status, body and dates."""
    lines = [str(matter.get("MatterTitle") or matter.get("MatterName") or "").strip()]
    for label, key in (("File", "MatterFile"), ("Type", "MatterTypeName"),
                       ("Status", "MatterStatusName"), ("Body", "MatterBodyName"),
                       ("Introduced", "MatterIntroDate"), ("Passed", "MatterPassedDate")):
        if matter.get(key):
            lines.append(f"{label}: {str(matter[key])[:10] if 'Date' in key else matter[key]}")
    return "\n".join(lines) + "\n"


class LegistarSpider(SourceSpider):
    """Agendas, minutes and watched matters of one Legistar client."""

    name = "legistar"

    def __init__(self, source: SourceConfig, *, today: date | None = None,
                 **kwargs: Any) -> None:  # Any: Scrapy's kwargs
        super().__init__(source, **kwargs)
        self.today = today

    async def start(self) -> AsyncIterator[Request]:
        since = (self.today or datetime.now(UTC).date()) - timedelta(days=WINDOW_DAYS)
        for url in self.source.urls:
            if API_PATH.search(urlsplit(url).path):
                yield self.request(api_url(url, "events", since), self.parse_events,
                                   headers=JSON, cb_kwargs={"since": since})
            else:
                yield self.request(url, self.parse)

    def parse(self, response: Response) -> Iterator[Request]:
        """An InSite calendar page: the agendas and minutes of its meetings."""
        if not isinstance(response, TextResponse):
            raise LayoutChanged(f"{response.url}: not a web page; expected Calendar.aspx")
        meetings = meetings_from_calendar(calendar_rows(response), response.url)
        yield from self._files(response, meetings)

    def parse_events(self, response: Response, since: date) -> Iterator[Request]:
        """A Web API event list: agendas and minutes, then the matters of the same window."""
        meetings = meetings_from_events(_json(response), response.url)
        yield from self._files(response, meetings)
        yield self.request(api_url(response.url, "matters", since), self.parse_matters,
                           headers=JSON)

    def parse_matters(self, response: Response) -> Iterator[DocumentItem]:
        """Each matter whose title is about what sidedoor watches, as a text document."""
        matters = _json(response)
        if not isinstance(matters, list) or not all(isinstance(m, dict) for m in matters):
            raise LayoutChanged(f"{response.url}: not a Legistar matter list "
                                "(expected a JSON list of matters)")
        root = response.url.split("?")[0].removesuffix(".json")
        for matter in matters:
            text = matter_text(matter)
            title = text.split("\n", 1)[0]
            if vocabulary().watched(title):
                day = matter.get("MatterPassedDate") or matter.get("MatterIntroDate") or ""
                yield DocumentItem(
                    source_id=self.source.id, url=f"{root}/{matter.get('MatterId')}",
                    body=text.encode("utf-8"), content_type="text/plain",
                    fetched_at=datetime.now(UTC), published=day[:10] or None,
                    title=f"{matter.get('MatterFile') or 'Matter'}: {title}")

    def parse_document(self, response: Response, title: str,
                       published: str | None) -> Iterator[DocumentItem]:
        yield self.document(response, title=title, published=published)

    def _files(self, response: Response, meetings: list[Meeting]) -> Iterator[Request]:
        for meeting in meetings:
            for kind, url in (("agenda", meeting.agenda), ("minutes", meeting.minutes)):
                if url:
                    title = f"{meeting.body} — {kind} {meeting.date}"
                    yield self.request(response.urljoin(url), self.parse_document,
                                       meta={"conditional": True},
                                       cb_kwargs={"title": title, "published": meeting.date})


def _json(response: Response) -> Any:  # Any: JSON
    try:
        return json.loads(response.body)
    except ValueError:
        raise LayoutChanged(f"{response.url}: the Web API did not answer JSON; check the "
                            "client name in the URL (and whether it needs a token)") from None
