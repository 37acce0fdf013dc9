"""Conditional requests: a downloader middleware for cheap re-crawls.

A request marked ``meta["conditional"]`` for a document already archived is sent with
``If-None-Match`` / ``If-Modified-Since`` from its newest stored version, and a ``304 Not
Modified`` answer is replaced by the archived copy, which the archive pipeline then sees as
unchanged. Servers that send no validators are compared by content hash. Documents confirmed
recently are not requested at all (:mod:`spiders.middlewares.skip_confirmed`).
"""

from __future__ import annotations

import logging
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from sidedoor.store import StoredDocument
from spiders.middlewares.stored import StoredDocuments

logger = logging.getLogger(__name__)


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
        body = self.stored.archive.read(stored.archive_path)
        headers = {"Content-Type": stored.content_type}
        if stored.etag:
            headers["ETag"] = stored.etag
        if stored.last_modified:
            headers["Last-Modified"] = stored.last_modified
        cls = responsetypes.from_args(headers=Headers(headers), url=request.url, body=body)
        return cls(url=request.url, status=200, headers=headers, body=body, request=request,
                   flags=["not_modified"])
