"""Request identity per source: two sources that list the same URL each fetch it.

Scrapy drops a request whose fingerprint it has seen in the crawl. One crawler crawls a whole
batch of sources (spiders/batch.py), so without the source in the fingerprint a document that
two sources list (a county packet linked by two boards) would reach only the first, and the
second would be reported empty. Requests of no source (robots.txt) keep Scrapy's fingerprint.
Set as ``REQUEST_FINGERPRINTER_CLASS`` in config/settings.py.
"""

from __future__ import annotations

import hashlib
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.request import RequestFingerprinter


class SourceFingerprinter:
    """Scrapy's request fingerprint, salted with the request's source id."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.scrapy = RequestFingerprinter(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def fingerprint(self, request: Request) -> bytes:
        """The request's identity within a crawl: its source, method, URL and body."""
        base = self.scrapy.fingerprint(request)
        source_id = request.meta.get("source_id")
        if not source_id:
            return base
        return hashlib.sha1(base + b"\0" + source_id.encode("utf-8"),
                            usedforsecurity=False).digest()
