"""Backoff: a downloader middleware that slows a site down when it says it is overloaded.

On ``429 Too Many Requests`` and ``503 Service Unavailable`` it honours ``Retry-After``
(seconds or an HTTP date), and on any retryable 5xx it doubles the delay of that site's
download slot, up to ``SIDEDOOR_BACKOFF_MAX_DELAY`` seconds; Scrapy's RetryMiddleware then
retries the request (``RETRY_TIMES``) after that delay. A 404 or a parse error is not retried:
it is recorded once per run by the spider (see spiders/base.py).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from config import settings as defaults

logger = logging.getLogger(__name__)
OVERLOADED = {429, 500, 502, 503, 504, 522, 524}


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header value, or None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def next_delay(current: float, status: int, wait: float | None, cap: float) -> float:
    """The slot's new delay after an overloaded answer."""
    backoff = max(current * 2, 1.0)
    if status in (429, 503) and wait is not None:
        backoff = max(backoff, wait)
    return min(backoff, cap)


class Backoff:
    """Raises a site's download delay when it answers 429 or 5xx."""

    def __init__(self, crawler: Crawler, cap: float) -> None:
        self.crawler = crawler
        self.cap = cap

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings.getfloat("SIDEDOOR_BACKOFF_MAX_DELAY",
                                                      defaults.SIDEDOOR_BACKOFF_MAX_DELAY))

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in OVERLOADED or self.crawler.engine is None:
            return response
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is None:
            return response
        header = response.headers.get("Retry-After")
        wait = retry_after(header.decode("latin-1") if header else None, datetime.now(UTC))
        slot.delay = next_delay(slot.delay, response.status, wait, self.cap)
        logger.warning("source %s: %s answered HTTP %d; waiting %.0fs between requests to %s",
                       request.meta.get("source_id"), request.url, response.status,
                       slot.delay, key)
        return response
