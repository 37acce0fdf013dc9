"""Meeting platforms: what every council- and board-meeting spider shares.

A meeting platform (eLMS, Granicus, PrimeGov, CivicClerk, BoardDocs) lists meetings, each
with a body, a date and the files published for it. Each platform module turns its listing
into :class:`Meeting` values with a pure function; :class:`MeetingSpider` keeps the meetings
of the crawl window and asks for every file once, conditionally, titled
"<body> — <kind> <date>" like the Legistar and CivicPlus spiders. A platform that exposes the
titles of a meeting's agenda items, but no agenda file, gives them as a small text document
(:func:`agenda_text`), so the findings engine reads them before any PDF is posted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from scrapy.http import Request, Response

from config.schema import SourceConfig
from spiders.base import LayoutChanged, SourceSpider
from spiders.items import DocumentItem

WINDOW_DAYS = 120  # as far back as the Legistar and CivicPlus spiders look
AHEAD_DAYS = 30  # agendas are posted days before the meeting


@dataclass(frozen=True)
class MeetingFile:
    """One published file of a meeting."""

    kind: str  # "agenda", "minutes", "agenda packet", "notice", ...
    url: str
    label: str = ""  # the file's own name, when the kind alone does not tell files apart


@dataclass(frozen=True)
class Meeting:
    """One meeting of a body, as a platform's listing gives it."""

    body: str
    date: str | None  # ISO, local to the body
    files: tuple[MeetingFile, ...] = ()
    url: str | None = None  # the meeting's own page
    start: str | None = None  # ISO local wall time ("2023-10-04T10:00") when the listing says
    cancelled: bool = False
    items: tuple[str, ...] = ()  # agenda item titles, when the listing gives them

    def title(self, kind: str, label: str = "") -> str:
        """"<body> — <kind> <date>", then the file's name and "(cancelled)" when they apply."""
        text = f"{self.body} — {kind} {self.date}"
        return text + (f": {label}" if label else "") + (" (cancelled)" if self.cancelled else "")


def in_window(meetings: Iterable[Meeting], since: date, until: date) -> list[Meeting]:
    """The meetings dated from ``since`` to ``until``; a meeting without a date is kept."""
    return [m for m in meetings
            if m.date is None or since.isoformat() <= m.date <= until.isoformat()]


def agenda_text(meeting: Meeting, heading: str = "") -> str:
    """A meeting's agenda items as plain text: body, date, an optional heading, one item a line."""
    lines = [meeting.title("agenda"), *([heading] if heading else []), "", *meeting.items]
    return "\n".join(lines) + "\n"


def json_body(response: Response, expected: str) -> Any:  # Any: JSON
    """The response's JSON; LayoutChanged, saying what was ``expected``, when it is not JSON."""
    try:
        return json.loads(response.body)
    except ValueError:
        start = response.body[:60].decode("utf-8", "replace")
        raise LayoutChanged(f"{response.url}: expected {expected} as JSON, got {start!r}; "
                            "check the start URL") from None


class MeetingSpider(SourceSpider):
    """The files of the meetings of one source's meeting platform, within the crawl window."""

    name = "meetings"

    def __init__(self, source: SourceConfig, *, today: date | None = None,
                 **kwargs: Any) -> None:  # Any: Scrapy's kwargs
        super().__init__(source, **kwargs)
        self.today = today

    def window(self) -> tuple[date, date]:
        """The first and last day of the meetings this crawl reads."""
        today = self.today or datetime.now(UTC).date()
        return today - timedelta(days=WINDOW_DAYS), today + timedelta(days=AHEAD_DAYS)

    def file_requests(self, meetings: Iterable[Meeting], *,
                      window: bool = True) -> Iterator[Request]:
        """One conditional request per file of the meetings (those in the crawl window, unless
        ``window`` is false), each URL once."""
        since, until = self.window()
        seen: set[str] = set()
        for meeting in in_window(meetings, since, until) if window else meetings:
            for file in meeting.files:
                if file.url in seen:
                    continue
                seen.add(file.url)
                yield self.request(file.url, self.parse_document, meta={"conditional": True},
                                   cb_kwargs={"title": meeting.title(file.kind, file.label),
                                              "published": meeting.date})

    def agenda_document(self, meeting: Meeting, heading: str = "") -> DocumentItem:
        """A meeting's agenda items as a text document at the meeting's own URL."""
        return DocumentItem(
            source_id=self.source.id, url=meeting.url or "", content_type="text/plain",
            body=agenda_text(meeting, heading).encode("utf-8"), fetched_at=datetime.now(UTC),
            title=meeting.title("agenda"), published=meeting.date)

    def parse_document(self, response: Response, title: str,
                       published: str | None) -> Iterator[Request | DocumentItem]:
        yield self.document(response, title=title, published=published)
