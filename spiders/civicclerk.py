"""CivicClerk: the events (meetings) of a town's council and boards, and their published files.

A CivicClerk client's portal, ``https://<tenant>.portal.civicclerk.com``, is a JavaScript
application over an OData API, ``https://<tenant>.api.civicclerk.com/v1/Events``. Either URL
is a start URL; an API URL may carry its own ``$filter`` (``categoryId in (26)`` for one body;
category ids differ from tenant to tenant). The spider asks for the events of the crawl window
and fetches each published file (agenda, agenda packet, minutes) through the API's file
stream. Event times end in ``Z`` but are the town's wall time, so the date is read as written.
See docs/adding-a-source.md.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from scrapy.http import Request, Response

from spiders.base import LayoutChanged
from spiders.platforms.meetings import Meeting, MeetingFile, MeetingSpider, json_body

FILE_STREAM = "{api}/v1/Meetings/GetMeetingFileStream(fileId={id},plainText=false)"


def tenant_hosts(url: str) -> tuple[str, str]:
    """(API root, portal root) of a client, from either its API or its portal URL."""
    parts = urlsplit(url)
    tenant = parts.netloc.split(".")[0]
    domain = parts.netloc.split(".", 2)[-1]  # civicclerk.com, or a test server's host
    if ".api." not in parts.netloc and ".portal." not in parts.netloc:
        root = f"{parts.scheme}://{parts.netloc}"
        return root, root  # a server that is both, as in tests
    return (f"{parts.scheme}://{tenant}.api.{domain}", f"{parts.scheme}://{tenant}.portal.{domain}")


def events_url(start: str, since: date, until: date) -> str:
    """The API's events from ``since`` to ``until``, by date, keeping the start URL's filter."""
    api, _ = tenant_hosts(start)
    query = dict(parse_qsl(urlsplit(start).query)) if ".api." in start else {}
    window = (f"startDateTime ge {since.isoformat()} and "
              f"startDateTime le {until.isoformat()}T23:59:59Z")
    own = query.get("$filter")
    query.update({"$filter": f"{own} and {window}" if own else window,
                  "$orderby": "startDateTime"})
    return f"{api}/v1/Events?{urlencode(query, quote_via=quote, safe='$')}"


def meetings_from_events(answer: Any, url: str) -> list[Meeting]:  # Any: JSON
    """The meetings of a CivicClerk ``/v1/Events`` answer; LayoutChanged if it is not one."""
    events = answer.get("value") if isinstance(answer, dict) else None
    if not isinstance(events, list) or any(
            not isinstance(e, dict) or not {"id", "startDateTime"} <= set(e) for e in events):
        got = sorted(answer)[:6] if isinstance(answer, dict) else type(answer).__name__
        raise LayoutChanged(f"{url}: not a CivicClerk event list: expected {{value: [events "
                            f"with id, eventName, startDateTime, publishedFiles]}}; got {got}")
    api, portal = tenant_hosts(url)
    return [_meeting(event, api, portal) for event in events]


def _meeting(event: dict[str, Any], api: str, portal: str) -> Meeting:  # Any: JSON
    when = str(event["startDateTime"] or "").removesuffix("Z")  # the Z is not UTC
    body = event.get("categoryName") or event.get("eventCategoryName") or event.get("eventName")
    files = tuple(
        MeetingFile(str(f.get("type") or "file").strip().lower(),
                    FILE_STREAM.format(api=api, id=f["fileId"]), str(f.get("name") or "").strip())
        for f in event.get("publishedFiles") or [] if f.get("fileId"))
    return Meeting(body=" ".join(str(body or "").split()), date=when[:10] or None, files=files,
                   url=f"{portal}/event/{event['id']}", start=when[:16] or None)


class CivicClerkSpider(MeetingSpider):
    """The published files of a CivicClerk client's events."""

    name = "civicclerk"

    async def start(self) -> AsyncIterator[Request]:
        since, until = self.window()
        for url in self.source.urls:
            yield self.request(events_url(url, since, until), self.parse,
                               headers={"Accept": "application/json"})

    def parse(self, response: Response) -> Iterator[Request]:
        """A page of events: their files, then the next page when OData gives one."""
        answer = json_body(response, "a CivicClerk event list")
        yield from self.file_requests(meetings_from_events(answer, response.url))
        following = answer.get("@odata.nextLink")
        if following:
            yield self.request(response.urljoin(following), self.parse,
                               headers={"Accept": "application/json"})
