"""Cheap re-crawls: a downloader middleware for documents sidedoor has archived already.

For a request marked ``meta["conditional"]`` (document requests, not listing pages, whose
links must be read each time) of a URL already in the store:

- if the server confirmed that document less than ``SIDEDOOR_REVALIDATE_AFTER_HOURS`` ago,
  no request goes out and nothing is re-processed: the request is dropped with
  :class:`AlreadyArchived`, the document counts as fetched and unchanged, and when the
  source's crawl ends every such document (and the findings in it) is marked as seen again in
  one transaction. Listed documents (agenda PDFs, audit reports) rarely change in place; new
  ones have new URLs, and the listing page that links them is always fetched;
- otherwise it sends ``If-None-Match`` / ``If-Modified-Since`` from the newest stored
  version, and a ``304 Not Modified`` answer is replaced by the archived copy, which the
  archive pipeline then sees as unchanged.

What the store holds of a source is read once, in one query, at the source's first document
request. Servers that send no validators are compared by content hash.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from config import settings as defaults
from sidedoor.store import Store, StoredDocument

logger = logging.getLogger(__name__)


class AlreadyArchived(IgnoreRequest):
    """A document the server confirmed recently: taken as unchanged without a request."""


class ConditionalRequests:
    """Skips recently confirmed documents, adds validators to the others, answers 304s from
    the archive."""

    def __init__(self, store: Store, archive_dir: Path, crawler: Crawler,
                 revalidate_after: timedelta, now: datetime) -> None:
        self.store = store
        self.archive_dir = archive_dir
        self.crawler = crawler
        self.now = now
        self.fresh_since = now - revalidate_after
        self.stored: dict[str, dict[str, StoredDocument]] = {}  # by source id, then URL
        self.seen_again: list[int] = []  # version ids of documents skipped as unchanged

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        data = Path(crawler.settings["SIDEDOOR_DATA_DIR"])
        hours = crawler.settings.getfloat("SIDEDOOR_REVALIDATE_AFTER_HOURS",
                                          defaults.SIDEDOOR_REVALIDATE_AFTER_HOURS)
        middleware = cls(Store.open(crawler.settings["SIDEDOOR_DB_URL"]), data / "archive",
                         crawler, timedelta(hours=hours), datetime.now(UTC))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Request) -> Response | None:
        if not request.meta.get("conditional") or "source_id" not in request.meta:
            return None
        source_id = request.meta["source_id"]
        if source_id not in self.stored:
            self.stored[source_id] = self.store.stored_documents(source_id)
        stored = self.stored[source_id].get(request.url)
        if stored is None or not (self.archive_dir / stored.archive_path).exists():
            return None
        if stored.checked_at >= self.fresh_since:
            self.seen_again.append(stored.version_id)
            self._count("documents_fetched", "documents_unchanged", "from_archive")
            logger.debug("source %s: %s confirmed on %s; unchanged", source_id, request.url,
                         stored.checked_at.date())
            raise AlreadyArchived(f"{request.url} was confirmed on {stored.checked_at:%Y-%m-%d}")
        request.meta["stored_version"] = stored
        if stored.etag:
            request.headers["If-None-Match"] = stored.etag
        if stored.last_modified:
            request.headers["If-Modified-Since"] = stored.last_modified
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        stored: StoredDocument | None = request.meta.get("stored_version")
        if response.status != 304 or stored is None:
            return response
        self._count("not_modified")
        logger.debug("source %s: %s not modified; using the archived copy",
                     request.meta.get("source_id"), request.url)
        body = (self.archive_dir / stored.archive_path).read_bytes()
        headers = {"Content-Type": stored.content_type}
        if stored.etag:
            headers["ETag"] = stored.etag
        if stored.last_modified:
            headers["Last-Modified"] = stored.last_modified
        cls = responsetypes.from_args(headers=Headers(headers), url=request.url, body=body)
        return cls(url=request.url, status=200, headers=headers, body=body, request=request,
                   flags=["not_modified"])

    def spider_closed(self) -> None:
        """Mark the documents skipped as unchanged as seen again, in one transaction."""
        if self.seen_again:
            self.store.touch_versions(self.seen_again, self.now, checked=False)
            self.seen_again = []

    def _count(self, *names: str) -> None:
        if self.crawler.stats is not None:
            for name in names:
                self.crawler.stats.inc_value(f"sidedoor/{name}")
