"""Budget: a downloader middleware that bounds how much one source may fetch in one run.

A listing of 100,000 links or a site that never stops linking must not hold a run for days:
each source gets at most ``SIDEDOOR_SOURCE_MAX_REQUESTS`` requests (pages and documents) and
``SIDEDOOR_SOURCE_MAX_SECONDS`` seconds from its first request; past either, its remaining
requests fail with one message naming the limit. The run as a whole is bounded by Scrapy's
own ``CLOSESPIDER_TIMEOUT``. See DESIGN.md, "Fetching".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured

from config import settings as defaults


class BudgetSpent(IgnoreRequest):
    """A source used its requests or its time for this run; the message names the limit."""

    once_per_source = True


class Budget:
    """Counts each source's requests and time, and refuses what goes past its budget."""

    def __init__(self, max_requests: int, max_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if max_requests <= 0 and max_seconds <= 0:
            raise NotConfigured("no per-source budget is set")
        self.max_requests = max_requests
        self.max_seconds = max_seconds
        self.clock = clock
        self.requests: dict[str, int] = {}
        self.started: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        return cls(settings.getint("SIDEDOOR_SOURCE_MAX_REQUESTS",
                                   defaults.SIDEDOOR_SOURCE_MAX_REQUESTS),
                   settings.getfloat("SIDEDOOR_SOURCE_MAX_SECONDS",
                                     defaults.SIDEDOOR_SOURCE_MAX_SECONDS))

    def process_request(self, request: Request) -> None:
        source_id = request.meta.get("source_id")
        if source_id is None or request.meta.get("redirect_urls"):
            return  # robots.txt, and redirects of a request already counted
        now = self.clock()
        started = self.started.setdefault(source_id, now)
        count = self.requests[source_id] = self.requests.get(source_id, 0) + 1
        if 0 < self.max_requests < count:
            raise BudgetSpent(f"stopped after {self.max_requests} requests, this source's "
                              "limit per run (SIDEDOOR_SOURCE_MAX_REQUESTS in "
                              "config/settings.py); the rest waits for the next run")
        if 0 < self.max_seconds < now - started:
            raise BudgetSpent(f"stopped after {self.max_seconds:.0f} s, this source's time "
                              "limit per run (SIDEDOOR_SOURCE_MAX_SECONDS in "
                              "config/settings.py); the rest waits for the next run")
