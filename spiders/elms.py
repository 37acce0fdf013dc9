"""Chicago City Clerk eLMS: the City Council's and its committees' meetings and their files.

Chicago moved its legislation from Legistar to eLMS (https://chicityclerkelms.chicago.gov) in
2022. The portal's Meetings page is a JavaScript shell; its table comes from the eLMS API,
``https://api.chicityclerkelms.chicago.gov/meeting``, which is the start URL (optionally with
a ``filter`` of its own, such as ``body eq 'City Council'``). The spider asks that API for
the meetings of the crawl window, newest first, page by page (``top``/``skip``), and fetches
every attachment of each meeting: notice, agenda, summary, reports. Meeting times are real
UTC (``+00:00``); dates are given in Chicago time. A cancelled meeting often says so only in
its ``comment``. See docs/adding-a-source.md.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

from scrapy.http import Request, Response

from spiders.base import LayoutChanged
from spiders.platforms.meetings import Meeting, MeetingFile, MeetingSpider, json_body

CHICAGO = ZoneInfo("America/Chicago")
PAGE_SIZE = 100
MEETING_PAGE = "https://chicityclerkelms.chicago.gov/Meeting/?meetingId={}"
CANCELLED = re.compile(r"cancel|withdrawn", re.IGNORECASE)
PLAIN_KINDS = {"agenda", "notice", "summary"}  # other kinds are told apart by their file name


def meetings_url(start: str, since: date, until: date, skip: int = 0) -> str:
    """The API's page of meetings from ``since`` to ``until``, newest first, keeping the start
    URL's own ``filter``."""
    parts = urlsplit(start)
    query = dict(parse_qsl(parts.query))
    window = (f"date ge datetime'{since.isoformat()}T00:00:00Z' and "
              f"date le datetime'{until.isoformat()}T23:59:59Z'")
    own = query.get("filter")
    query.update({"filter": f"({own}) and {window}" if own else window, "sort": "date desc",
                  "top": str(PAGE_SIZE), "skip": str(skip)})
    return f"{parts.scheme}://{parts.netloc}{parts.path}?{urlencode(query, quote_via=quote)}"


def next_skip(answer: dict[str, Any]) -> int | None:  # Any: JSON
    """Where the next page starts, or None on the last page."""
    meta = answer.get("meta") or {}
    done = int(meta.get("skip") or 0) + len(answer["data"])
    return done if answer["data"] and done < int(meta.get("count") or 0) else None


def meetings_from_api(answer: Any, url: str) -> list[Meeting]:  # Any: JSON
    """The meetings of an eLMS ``/meeting`` answer; LayoutChanged if it is not one."""
    rows = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(rows, list) or any(
            not isinstance(r, dict) or not {"meetingId", "body", "date"} <= set(r) for r in rows):
        got = sorted(answer)[:6] if isinstance(answer, dict) else type(answer).__name__
        raise LayoutChanged(f"{url}: not an eLMS meeting list: expected {{data: [meetings "
                            f"with meetingId, body, date, files]}}; got {got}")
    return [_meeting(row) for row in rows]


def _meeting(row: dict[str, Any]) -> Meeting:  # Any: JSON
    when = datetime.fromisoformat(row["date"]).astimezone(CHICAGO) if row["date"] else None
    files = []
    for file in sorted(row.get("files") or [], key=lambda f: f.get("sort") or 0):
        kind = str(file.get("attachmentType") or "file").strip().lower()
        label = "" if kind in PLAIN_KINDS else str(file.get("fileName") or "").removesuffix(".pdf")
        if file.get("path"):
            files.append(MeetingFile(kind, str(file["path"]), label))
    note = f"{row.get('status') or ''} {row.get('comment') or ''}"
    return Meeting(
        body=" ".join(str(row["body"]).split()), date=when.date().isoformat() if when else None,
        files=tuple(files), url=MEETING_PAGE.format(row["meetingId"]),
        start=when.strftime("%Y-%m-%dT%H:%M") if when else None,
        cancelled=bool(CANCELLED.search(note)))


class ElmsSpider(MeetingSpider):
    """The files of the meetings the eLMS API lists."""

    name = "elms"

    async def start(self) -> AsyncIterator[Request]:
        since, until = self.window()
        for url in self.source.urls:
            yield self.request(meetings_url(url, since, until), self.parse,
                               cb_kwargs={"start": url})

    def parse(self, response: Response, start: str) -> Iterator[Request]:
        """A page of meetings: their files, then the next page."""
        if b"testingtable" in response.body[:200_000] and b"apiUrl" in response.body:
            raise LayoutChanged(f"{response.url}: the eLMS Meetings page lists no meetings in "
                                "its HTML (JavaScript fills it); use the API, "
                                "https://api.chicityclerkelms.chicago.gov/meeting, as the "
                                "start URL")
        answer = json_body(response, "an eLMS meeting list")
        yield from self.file_requests(meetings_from_api(answer, response.url))
        skip = next_skip(answer)
        if skip is not None:
            since, until = self.window()
            yield self.request(meetings_url(start, since, until, skip), self.parse,
                               cb_kwargs={"start": start})
