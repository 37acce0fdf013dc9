"""Cheap re-crawls: a downloader middleware for documents sidedoor has archived already.

For a request marked ``meta["conditional"]`` (document requests, not listing pages, whose
links must be read each time) of a URL already in the store:

- if the server confirmed that document less than ``SIDEDOOR_REVALIDATE_AFTER_HOURS`` ago,
  no request goes out: the archived copy is the response (flag ``from_archive``). Listed
  documents (agenda PDFs, audit reports) rarely change in place; new ones have new URLs,
  and the listing page that links them is always fetched;
- otherwise it sends ``If-None-Match`` / ``If-Modified-Since`` from the newest stored
  version, and a ``304 Not Modified`` answer is replaced by the archived copy.

Either way the archive pipeline sees the same sha256 and records the document as unchanged,
so nothing is re-extracted. Servers that send no validators are compared by content hash.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from config import settings as defaults
from sidedoor.store import Store

logger = logging.getLogger(__name__)


class ConditionalRequests:
    """Adds validators to document requests and answers 304s from the archive."""

    def __init__(self, store: Store, archive_dir: Path, crawler: Crawler,
                 revalidate_after: timedelta, now: datetime) -> None:
        self.store = store
        self.archive_dir = archive_dir
        self.crawler = crawler
        self.fresh_since = now - revalidate_after

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        data = Path(crawler.settings["SIDEDOOR_DATA_DIR"])
        hours = crawler.settings.getfloat("SIDEDOOR_REVALIDATE_AFTER_HOURS",
                                          defaults.SIDEDOOR_REVALIDATE_AFTER_HOURS)
        return cls(Store.open(crawler.settings["SIDEDOOR_DB_URL"]), data / "archive", crawler,
                   timedelta(hours=hours), datetime.now(UTC))

    def process_request(self, request: Request) -> Response | None:
        if not request.meta.get("conditional") or "source_id" not in request.meta:
            return None
        found = self.store.latest_version(request.meta["source_id"], request.url)
        if found is None or not (self.archive_dir / found[0].archive_path).exists():
            return None
        version, checked_at = found
        request.meta["stored_version"] = (version.archive_path, version.content_type,
                                          version.etag, version.last_modified)
        if checked_at >= self.fresh_since:
            return self._archived(request, "from_archive")
        if version.etag:
            request.headers["If-None-Match"] = version.etag
        if version.last_modified:
            request.headers["If-Modified-Since"] = version.last_modified
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status != 304 or request.meta.get("stored_version") is None:
            return response
        return self._archived(request, "not_modified")

    def _archived(self, request: Request, flag: str) -> Response:
        """The archived copy of a document as the response to ``request``."""
        archive_path, media_type, etag, last_modified = request.meta["stored_version"]
        body = (self.archive_dir / archive_path).read_bytes()
        headers = {"Content-Type": media_type}
        if etag:
            headers["ETag"] = etag
        if last_modified:
            headers["Last-Modified"] = last_modified
        cls = responsetypes.from_args(headers=Headers(headers), url=request.url, body=body)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"sidedoor/{flag}")
        logger.debug("source %s: %s %s; using the archived copy",
                     request.meta.get("source_id"), request.url, flag.replace("_", " "))
        return cls(url=request.url, status=200, headers=headers, body=body, request=request,
                   flags=[flag])
