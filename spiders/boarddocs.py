"""BoardDocs (Diligent): the agendas of school boards, pension boards and councils, item by item.

A BoardDocs site, ``https://go.boarddocs.com/<state>/<site>/Board.nsf/Public``, is a JavaScript
application; what it shows comes from two feeds, and either is a start URL:

- ``…/Board.nsf/XML-ActiveMeetings``: every active meeting of the site with its agenda
  categories and items, in one XML file (the older feed).
- ``…/Board.nsf/Public?current_committee_id=<id>``: the committee whose meetings to read (its
  id is in the site's committee menu). The spider POSTs ``BD-GetMeetingsList`` for the list,
  then ``BD-GetAgenda`` for each meeting of the crawl window. Without a committee id the
  site's XML feed is read instead.

BoardDocs publishes item attachments but rarely an agenda file, so each meeting becomes one
small text document, its agenda's categories and items, at the meeting's share URL
(``Board.nsf/goto?open&id=<meeting>``). The feeds give a date and no time; the XML puts
committee meetings under the board's ``bodyname``, so the meeting's own name is its body.
See docs/adding-a-source.md.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from parsel import Selector
from scrapy.http import Request, Response, TextResponse

from spiders.base import LayoutChanged, attribute
from spiders.items import DocumentItem
from spiders.platforms.meetings import Meeting, MeetingSpider, in_window, json_body

SITE = re.compile(r"^(.*?/Board\.nsf)/", re.IGNORECASE)
NUMBER_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def site_root(url: str) -> str | None:
    """``https://go.boarddocs.com/<state>/<site>/Board.nsf`` of any URL on the site, or None."""
    found = SITE.match(url.split("?")[0] + "/")
    return found.group(1) if found else None


def share_url(root: str, meeting_id: str) -> str:
    """The public link of a meeting (or an item) of the site."""
    return f"{root}/goto?open&id={meeting_id}"


def meetings_from_xml(xml: str, url: str) -> list[Meeting]:
    """The meetings of an ``XML-ActiveMeetings`` feed, with their categories and items.

    Raises LayoutChanged when the document is not a ``<meetings>`` feed.
    """
    feed = Selector(text=xml, type="xml")
    if not feed.xpath("/meetings"):
        raise LayoutChanged(f"{url}: not a BoardDocs XML-ActiveMeetings feed (no <meetings> "
                            "root); check the start URL, or read the site's meeting list "
                            "with ?current_committee_id=<id>")
    root = site_root(url) or url.rsplit("/", 1)[0]
    meetings = []
    for meeting in feed.xpath("/meetings/meeting"):
        lines = []
        for category in meeting.xpath("./category"):
            lines.append(_text(category.xpath("./name/text()").get()))
            lines += [f"  {_text(name)}" for name in
                      category.xpath("./agendaitems/item/name/text()").getall()]
        meetings.append(Meeting(
            body=_text(meeting.xpath("./name/text()").get()),
            date=meeting.xpath("./start/date[@format='yyyy-mm-dd']/text()").get(),
            url=_text(meeting.xpath("./link/text()").get()) or share_url(
                root, attribute(meeting, "id")),
            items=tuple(lines)))
    return meetings


def meetings_from_list(rows: Any, url: str) -> list[Meeting]:  # Any: JSON
    """The meetings of a ``BD-GetMeetingsList`` answer (its trailing ``{}`` left out)."""
    if not isinstance(rows, list) or any(not isinstance(r, dict) for r in rows) or any(
            r and not {"unique", "name", "numberdate"} <= set(r) for r in rows):
        raise LayoutChanged(f"{url}: not a BoardDocs meeting list: expected a JSON list of "
                            "{unique, name, numberdate}")
    root = site_root(url) or url.rsplit("/", 1)[0]
    meetings = []
    for row in rows:
        day = NUMBER_DATE.match(str(row.get("numberdate") or ""))
        if row:
            meetings.append(Meeting(body=_text(row["name"]),
                                    date="-".join(day.groups()) if day else None,
                                    url=share_url(root, row["unique"])))
    return meetings


def agenda_lines(html: str, url: str) -> list[str]:
    """The categories ("1. Convene") and items ("  1.1 Call to Order") of a ``BD-GetAgenda``
    fragment, in order; LayoutChanged when a non-empty fragment has neither."""
    page = Selector(text=html)
    entries = page.xpath("//dt[contains(@class, 'category')] | //li[@role='link']")
    if not entries and html.strip():
        raise LayoutChanged(f"{url}: the agenda has no categories (dt.category) or items "
                            "(li[role=link]); did BoardDocs change its agenda markup?")
    lines = []
    for entry in entries:
        order = _text(entry.css("span.order::text").get())
        name = _text(" ".join(entry.css("span.title *::text, span.title::text, "
                                        "span.category-name::text").getall()))
        lines.append(("" if entry.root.tag == "dt" else "  ") + f"{order} {name}".strip())
    return lines


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


class BoardDocsSpider(MeetingSpider):
    """Each meeting's agenda, as text, from a BoardDocs site's feeds."""

    name = "boarddocs"

    async def start(self) -> AsyncIterator[Request]:
        for url in self.source.urls:
            root = site_root(url)
            if root is None:
                self.fail(url, "not a BoardDocs address: expected https://go.boarddocs.com/"
                               "<state>/<site>/Board.nsf/Public (or …/XML-ActiveMeetings)")
                continue
            committee = dict(parse_qsl(urlsplit(url).query)).get("current_committee_id")
            if committee:
                yield self._post(f"{root}/BD-GetMeetingsList?open",
                                 {"current_committee_id": committee}, self.parse_list,
                                 {"committee": committee})
            else:
                yield self.request(f"{root}/XML-ActiveMeetings", self.parse)

    def parse(self, response: Response) -> Iterator[DocumentItem]:
        """The XML feed: one agenda document per meeting of the crawl window."""
        if not isinstance(response, TextResponse):
            raise LayoutChanged(f"{response.url}: not text; expected the XML-ActiveMeetings "
                                "feed")
        since, until = self.window()
        for meeting in in_window(meetings_from_xml(response.text, response.url), since, until):
            yield self.agenda_document(meeting)

    def parse_list(self, response: Response, committee: str) -> Iterator[Request]:
        """A committee's meeting list: the agenda of each meeting of the crawl window."""
        since, until = self.window()
        meetings = meetings_from_list(json_body(response, "a BoardDocs meeting list"),
                                      response.url)
        root = site_root(response.url) or response.url.rsplit("/", 1)[0]
        for meeting in in_window(meetings, since, until):
            meeting_id = (meeting.url or "").rsplit("id=", 1)[-1]
            yield self._post(f"{root}/BD-GetAgenda?open",
                             {"id": meeting_id, "current_committee_id": committee},
                             self.parse_agenda, {"meeting": meeting})

    def parse_agenda(self, response: Response, meeting: Meeting) -> Iterator[DocumentItem]:
        """A meeting's agenda fragment, as a text document at the meeting's share URL."""
        text = response.text if isinstance(response, TextResponse) else ""
        lines = agenda_lines(text, response.url)
        if lines:
            yield self.agenda_document(replace(meeting, items=tuple(lines)))

    def _post(self, url: str, form: dict[str, str], callback: Any,
              cb_kwargs: dict[str, Any]) -> Request:  # Any: a callback and its arguments
        """A form POST, as BoardDocs's own page sends it."""
        return self.request(url, callback, method="POST", body=urlencode(form),
                            headers={"Content-Type": "application/x-www-form-urlencoded"},
                            cb_kwargs=cb_kwargs)
