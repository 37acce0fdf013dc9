"""Conditional requests: a downloader middleware that re-fetches a known document cheaply.

For a request marked ``meta["conditional"]`` (document requests, not listing pages, whose
links must be read each time), the middleware sends ``If-None-Match`` / ``If-Modified-Since``
from the newest stored version of that URL. A ``304 Not Modified`` answer is replaced by the
archived copy, so the archive pipeline sees the same sha256 and records the document as
unchanged without the server sending it again.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.responsetypes import responsetypes
from sqlalchemy import select

from sidedoor.store import Document, DocumentVersion, Store

logger = logging.getLogger(__name__)


class ConditionalRequests:
    """Adds validators to document requests and answers 304s from the archive."""

    def __init__(self, store: Store, archive_dir: Path, crawler: Crawler) -> None:
        self.store = store
        self.archive_dir = archive_dir
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        data = Path(crawler.settings["SIDEDOOR_DATA_DIR"])
        return cls(Store.open(crawler.settings["SIDEDOOR_DB_URL"]), data / "archive", crawler)

    def latest(self, source_id: str, url: str) -> DocumentVersion | None:
        """The newest stored version of a source's URL."""
        with self.store.session() as s:
            return s.scalar(
                select(DocumentVersion)
                .join(Document, Document.id == DocumentVersion.document_id)
                .where(Document.source_id == source_id, Document.url == url)
                .order_by(DocumentVersion.fetched_at.desc(), DocumentVersion.id.desc())
                .limit(1))

    def process_request(self, request: Request) -> None:
        if not request.meta.get("conditional") or "source_id" not in request.meta:
            return None
        version = self.latest(request.meta["source_id"], request.url)
        if version is None or not (self.archive_dir / version.archive_path).exists():
            return None
        if version.etag:
            request.headers["If-None-Match"] = version.etag
        if version.last_modified:
            request.headers["If-Modified-Since"] = version.last_modified
        request.meta["stored_version"] = (version.archive_path, version.content_type,
                                          version.etag, version.last_modified)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        stored = request.meta.get("stored_version")
        if response.status != 304 or stored is None:
            return response
        archive_path, media_type, etag, last_modified = stored
        body = (self.archive_dir / archive_path).read_bytes()
        headers = {"Content-Type": media_type}
        if etag:
            headers["ETag"] = etag
        if last_modified:
            headers["Last-Modified"] = last_modified
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("sidedoor/not_modified")
        logger.debug("source %s: %s not modified; using the archived copy",
                     request.meta.get("source_id"), request.url)
        return cls(url=request.url, status=200, headers=headers, body=body, request=request,
                   flags=["not_modified"])
