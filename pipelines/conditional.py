"""Cheap re-crawls: what to do with a listed document sidedoor has archived already.

Two middlewares act on requests marked ``meta["conditional"]`` (document requests, not
listing pages, whose links must be read each time) for a URL already in the store:

- :class:`SkipConfirmed`, a spider middleware: if the server confirmed that document less
  than ``SIDEDOOR_REVALIDATE_AFTER_HOURS`` ago, the request is dropped as the spider yields
  it, before it is scheduled; the document counts as fetched and unchanged, and when the crawl
  ends every such document (and the findings in it) is marked as seen again in one
  transaction. Listed documents (agenda PDFs, audit reports) rarely change in place; new ones
  have new URLs, and the listing page that links them is always fetched.
- :class:`ConditionalRequests`, a downloader middleware: any other known document is asked
  for with ``If-None-Match`` / ``If-Modified-Since`` from its newest stored version, and a
  ``304 Not Modified`` answer is replaced by the archived copy, which the archive pipeline
  then sees as unchanged.

What the store holds of a source is read once, in one query, at its first document request.
Servers that send no validators are compared by content hash.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar, Self
from weakref import WeakKeyDictionary

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from config import settings as defaults
from pipelines.runstatus import count
from sidedoor.store import Store, StoredDocument

logger = logging.getLogger(__name__)


class StoredDocuments:
    """The archived documents of each source of a crawl, read from the store once each."""

    _of_crawler: ClassVar[WeakKeyDictionary[Crawler, StoredDocuments]] = WeakKeyDictionary()

    def __init__(self, crawler: Crawler) -> None:
        self.store = Store.open(crawler.settings["SIDEDOOR_DB_URL"])
        self.archive_dir = Path(crawler.settings["SIDEDOOR_DATA_DIR"]) / "archive"
        self.by_source: dict[str, dict[str, StoredDocument]] = {}

    @classmethod
    def of_crawler(cls, crawler: Crawler) -> StoredDocuments:
        """The one instance of a crawler, shared by both middlewares, so each source's
        documents are read once per crawl."""
        if crawler not in cls._of_crawler:
            cls._of_crawler[crawler] = cls(crawler)
        return cls._of_crawler[crawler]

    def of(self, request: Request) -> StoredDocument | None:
        """The newest archived version of a conditional request's document, if any."""
        if not request.meta.get("conditional") or "source_id" not in request.meta:
            return None
        source_id = request.meta["source_id"]
        if source_id not in self.by_source:
            self.by_source[source_id] = self.store.stored_documents(source_id)
        stored = self.by_source[source_id].get(request.url)
        if stored is None or not (self.archive_dir / stored.archive_path).exists():
            return None
        return stored


class SkipConfirmed(BaseSpiderMiddleware):
    """Drops requests for documents the server confirmed recently; they are unchanged."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.stored = StoredDocuments.of_crawler(crawler)
        hours = crawler.settings.getfloat("SIDEDOOR_REVALIDATE_AFTER_HOURS",
                                          defaults.SIDEDOOR_REVALIDATE_AFTER_HOURS)
        self.now = datetime.now(UTC)
        self.fresh_since = self.now - timedelta(hours=hours)
        self.seen_again: list[int] = []  # version ids of the documents skipped
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def get_processed_request(self, request: Request,
                              response: Response | None) -> Request | None:
        stored = self.stored.of(request)
        if stored is None or stored.checked_at < self.fresh_since:
            return request
        source_id = request.meta["source_id"]
        self.seen_again.append(stored.version_id)
        count(self.crawler, source_id, "documents_fetched")
        count(self.crawler, source_id, "documents_unchanged")
        logger.debug("source %s: %s confirmed on %s; unchanged", source_id, request.url,
                     stored.checked_at.date())
        return None

    def spider_closed(self) -> None:
        """Mark the documents skipped as unchanged as seen again, in one transaction."""
        if self.seen_again:
            self.stored.store.touch_versions(self.seen_again, self.now, checked=False)
            self.seen_again = []


class ConditionalRequests:
    """Adds validators to requests for known documents and answers 304s from the archive."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stored = StoredDocuments.of_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        stored = self.stored.of(request)
        if stored is None:
            return
        request.meta["stored_version"] = stored
        if stored.etag:
            request.headers["If-None-Match"] = stored.etag
        if stored.last_modified:
            request.headers["If-Modified-Since"] = stored.last_modified

    def process_response(self, request: Request, response: Response) -> Response:
        stored: StoredDocument | None = request.meta.get("stored_version")
        if response.status != 304 or stored is None:
            return response
        logger.debug("source %s: %s not modified; using the archived copy",
                     request.meta.get("source_id"), request.url)
        body = (self.stored.archive_dir / stored.archive_path).read_bytes()
        headers = {"Content-Type": stored.content_type}
        if stored.etag:
            headers["ETag"] = stored.etag
        if stored.last_modified:
            headers["Last-Modified"] = stored.last_modified
        cls = responsetypes.from_args(headers=Headers(headers), url=request.url, body=body)
        return cls(url=request.url, status=200, headers=headers, body=body, request=request,
                   flags=["not_modified"])
