"""Document index: the generic spider for pages that list documents.

Most new sources need only this spider and a YAML entry: a start page, regexes that pick the
document links (``documents``, matched against a link's absolute URL or its text), regexes
for index pages to follow (``follow``, up to ``depth`` 0-2), same site only. State audit
pages, records-request release pages, council agenda lists and police report pages fit it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from urllib.parse import urldefrag, urlsplit

from scrapy.http import Request, Response, TextResponse

from spiders.base import SourceSpider, attribute
from spiders.items import DocumentItem

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
LONG_DATE = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b",
    re.IGNORECASE)
US_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def date_in(text: str) -> str | None:
    """The first date written in ``text`` ("March 4, 2025", "3/4/2025", "2025-03-04"), as ISO."""
    candidates: list[tuple[int, date]] = []
    for match in LONG_DATE.finditer(text):
        month = MONTHS[match.group(1)[:3].lower()]
        candidates.append((match.start(), _date(int(match.group(3)), month, int(match.group(2)))))
    for match in US_DATE.finditer(text):
        candidates.append((match.start(), _date(int(match.group(3)), int(match.group(1)),
                                                int(match.group(2)))))
    for match in ISO_DATE.finditer(text):
        candidates.append((match.start(), _date(*(int(g) for g in match.groups()))))
    valid = sorted((pos, d) for pos, d in candidates if d != date.min)
    return valid[0][1].isoformat() if valid else None


def _date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        return date.min


def same_site(url: str, start: str) -> bool:
    """Whether ``url`` is on the start page's host."""
    return urlsplit(url).netloc.lower() == urlsplit(start).netloc.lower()


class DocumentIndexSpider(SourceSpider):
    """Follows a listing page to the documents it links."""

    name = "document_index"

    def parse(self, response: Response, depth: int = 0) -> Iterator[Request | DocumentItem]:
        source = self.source
        if not isinstance(response, TextResponse):
            if depth == 0 and source.include_start:
                yield self.document(response, title=source.name)
                return
            self.fail(response.url, "the start page is not a web page; set include_start: "
                                    "true to keep it as a document")
            return
        page_title = " ".join(response.css("title::text, h1 *::text").getall()[:1]).strip()
        if depth == 0 and source.include_start:
            yield self.document(response, title=page_title or source.name,
                                published=date_in(page_title))
        found = 0
        for url, text in self._links(response):
            if _matches(source.documents, url, text):
                found += 1
                yield self.request(url, self.parse_document, meta={"conditional": True},
                                   cb_kwargs={"title": text or url, "listed": date_in(text)})
            elif depth < source.depth and _matches(source.follow, url, text):
                yield self.request(url, self.parse, cb_kwargs={"depth": depth + 1})
        if depth == 0 and not found and not source.include_start and not source.follow:
            self.fail(response.url, "no link matched the source's documents patterns "
                                    f"{list(source.documents)}; did the page change?")

    def parse_document(
        self, response: Response, title: str, listed: str | None
    ) -> Iterator[DocumentItem]:
        published = listed
        if published is None and isinstance(response, TextResponse):
            published = date_in(" ".join(response.css("title::text").getall()))
        yield self.document(response, title=title, published=published)

    def _links(self, response: TextResponse) -> Iterator[tuple[str, str]]:
        start = self.source.urls[0]
        seen: set[str] = set()
        for link in response.css("a[href]"):
            href = attribute(link, "href").strip()
            if not href or href.startswith(("mailto:", "javascript:", "tel:", "data:")):
                continue
            url = urldefrag(response.urljoin(href)).url
            if url in seen or not url.startswith(("http://", "https://")):
                continue
            seen.add(url)
            if same_site(url, start):
                text = " ".join(" ".join(link.css("*::text").getall()).split())
                yield url, text


def _matches(patterns: tuple[str, ...], url: str, text: str) -> bool:
    return any(re.search(p, url, re.IGNORECASE) or re.search(p, text, re.IGNORECASE)
               for p in patterns)
