"""PrimeGov public portal: the meetings of a town's council, boards and commissions.

A PrimeGov client's portal, ``https://<client>.primegov.com/public/portal``, draws its lists
from JSON: ``/api/v2/PublicPortal/ListUpcomingMeetings`` and
``/api/v2/PublicPortal/ListArchivedMeetings?year=<year>``. The start URL is the client's
site; the spider reads the upcoming meetings and the archived ones of the crawl window, and
fetches each published document once: a document template compiled as PDF
(``compileOutputType`` 1), else as Word (2), else its HTML page (3). The JSON holds no document
URLs; they are built from the template id. "SAP" records ("SAP - Transportation Committee",
"City Council Meeting - SAP") are speaker/video companions of a real meeting and are skipped.
A meeting is often cancelled only by its "Notice of Cancellation" document. Times are local.
See docs/adding-a-source.md.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request, Response

from spiders.base import LayoutChanged
from spiders.document_index import date_in
from spiders.platforms.meetings import Meeting, MeetingFile, MeetingSpider, json_body

API = "/api/v2/PublicPortal/"
COMPANION = re.compile(r"^\s*SAP\s*-|-\s*SAP\s*$")
CANCELLED = re.compile(r"cancel", re.IGNORECASE)
PREFERRED_OUTPUT = (1, 2, 3)  # PDF, Word, HTML


def site_of(url: str) -> str:
    """``https://<client>.primegov.com`` of any URL on the client's site."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def document_url(site: str, template_id: int, output: int) -> str:
    """Where a compiled document template is published (output 3 is its HTML page)."""
    if output == 3:
        return f"{site}/Portal/Meeting?meetingTemplateId={template_id}"
    return f"{site}/Public/CompiledDocument?meetingTemplateId={template_id}" \
           f"&compileOutputType={output}"


def meetings_from_list(rows: Any, url: str) -> list[Meeting]:  # Any: JSON
    """The meetings of a PrimeGov list answer, companions left out; LayoutChanged if it is not
    one."""
    if not isinstance(rows, list) or any(
            not isinstance(r, dict) or not {"title", "documentList"} <= set(r) for r in rows):
        got = sorted(rows)[:6] if isinstance(rows, dict) else type(rows).__name__
        raise LayoutChanged(f"{url}: not a PrimeGov meeting list: expected a JSON list of "
                            f"meetings with title, dateTime or date, documentList; got {got}")
    site = site_of(url)
    return [_meeting(row, site) for row in rows if not COMPANION.search(row["title"] or "")]


def _meeting(row: dict[str, Any], site: str) -> Meeting:  # Any: JSON
    when = str(row.get("dateTime") or "")
    day = when[:10] or date_in(str(row.get("date") or ""))  # the older schema: "Jul 25, 2022"
    files = _files(row["documentList"] or [], site)
    names = " ".join([row["title"] or "", *(f.kind for f in files)])
    return Meeting(body=" ".join(str(row["title"]).split()), date=day, files=files,
                   start=when[:16] or None, cancelled=bool(CANCELLED.search(names)))


def _files(documents: list[dict[str, Any]], site: str) -> tuple[MeetingFile, ...]:  # Any: JSON
    """One file per document template, in the preferred output."""
    chosen: dict[Any, dict[str, Any]] = {}  # Any: a template id as the JSON gives it
    for doc in documents:
        output = doc.get("compileOutputType")
        if output not in PREFERRED_OUTPUT:
            continue
        held = chosen.get(doc.get("templateId"))
        if held is None or PREFERRED_OUTPUT.index(output) < PREFERRED_OUTPUT.index(
                held["compileOutputType"]):
            chosen[doc.get("templateId")] = doc
    return tuple(
        MeetingFile(re.sub(r"^HTML\s+", "", str(d.get("templateName") or "document")).lower(),
                    document_url(site, d["templateId"], d["compileOutputType"]))
        for d in chosen.values())


class PrimeGovSpider(MeetingSpider):
    """The documents of a PrimeGov client's upcoming and recent meetings."""

    name = "primegov"

    async def start(self) -> AsyncIterator[Request]:
        since, until = self.window()
        for url in self.source.urls:
            site = site_of(url)
            yield self.request(f"{site}{API}ListUpcomingMeetings", self.parse,
                               cb_kwargs={"upcoming": True})
            for year in range(until.year, since.year - 1, -1):
                yield self.request(f"{site}{API}ListArchivedMeetings?year={year}", self.parse,
                                   cb_kwargs={"upcoming": False})

    def parse(self, response: Response, upcoming: bool) -> Iterator[Request]:
        """A meeting list: each document once. Upcoming meetings are read however far ahead."""
        meetings = meetings_from_list(json_body(response, "a PrimeGov meeting list"),
                                      response.url)
        if upcoming:
            yield from self.file_requests(meetings, window=False)
        else:
            yield from self.file_requests(meetings)
