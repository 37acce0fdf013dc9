"""Skip confirmed documents: a spider middleware for cheap re-crawls.

For a request marked ``meta["conditional"]`` (a listed document, not a listing page, whose
links must be read each time) whose document the server confirmed less than
``SIDEDOOR_REVALIDATE_AFTER_HOURS`` ago, the request is dropped as the spider yields it,
before it is scheduled; the document counts as fetched and unchanged, and when the crawl ends
every such document (and the findings in it) is marked as seen again in one transaction.
Listed documents (agenda PDFs, audit reports) rarely change in place; new ones have new URLs,
and the listing page that links them is always fetched. Older documents are re-validated by
:mod:`spiders.middlewares.conditional`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from config import settings as defaults
from spiders.batch import count
from spiders.middlewares.stored import StoredDocuments

logger = logging.getLogger(__name__)


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
