"""Backoff: a downloader middleware that slows a site down when it says it is overloaded.

On ``429 Too Many Requests`` and ``503 Service Unavailable`` it honours ``Retry-After``
(seconds or an HTTP date), and on any retryable 5xx it doubles the delay of that site's
download slot, up to ``SIDEDOOR_BACKOFF_MAX_DELAY`` seconds (a longer Retry-After is not
honoured); Scrapy's RetryMiddleware then retries the request (``RETRY_TIMES``) after that
delay. Each good answer halves the delay back towards ``DOWNLOAD_DELAY``, and after
``SIDEDOOR_BACKOFF_GIVE_UP`` overloaded answers in a row the site is left alone for the rest
of the run: its waiting and later requests fail with one message. A 404 or a parse error
is not retried: it is recorded once per run by the spider (see spiders/base.py).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
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


def decayed_delay(current: float, base: float) -> float:
    """The slot's delay after a good answer: half the way back to the configured delay."""
    return max(base, current / 2)


class SiteGaveUp(IgnoreRequest):
    """A site kept answering that it is overloaded; its remaining requests of the run stop."""

    once_per_source = True


class Backoff:
    """Raises a site's download delay when it answers 429 or 5xx, lowers it again when it
    answers well, and gives up on the site for the run after ``give_up`` overloaded answers
    in a row (so a server sending a far-future Retry-After cannot hold the run)."""

    def __init__(self, crawler: Crawler, cap: float, give_up: int = 6) -> None:
        self.crawler = crawler
        self.cap = cap
        self.give_up = give_up
        self.strikes: dict[str, int] = {}
        self.base = crawler.settings.getfloat("DOWNLOAD_DELAY")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler,
                   crawler.settings.getfloat("SIDEDOOR_BACKOFF_MAX_DELAY",
                                             defaults.SIDEDOOR_BACKOFF_MAX_DELAY),
                   crawler.settings.getint("SIDEDOOR_BACKOFF_GIVE_UP",
                                           defaults.SIDEDOOR_BACKOFF_GIVE_UP))

    def process_request(self, request: Request) -> None:
        key = request.meta.get("download_slot")
        if key is not None and self.strikes.get(key, 0) >= self.give_up:
            raise SiteGaveUp(self._given_up(key))

    def process_response(self, request: Request, response: Response) -> Response:
        if self.crawler.engine is None:
            return response
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is None:
            return response
        if response.status not in OVERLOADED:
            self.strikes.pop(key, None)
            slot.delay = decayed_delay(slot.delay, self.base)
            return response
        self.strikes[key] = self.strikes.get(key, 0) + 1
        if self.strikes[key] >= self.give_up:
            slot.delay = self.base
            self._drop_queued(slot, key)
            raise SiteGaveUp(self._given_up(key))
        header = response.headers.get("Retry-After")
        wait = retry_after(header.decode("latin-1") if header else None, datetime.now(UTC))
        slot.delay = next_delay(slot.delay, response.status, wait, self.cap)
        logger.warning("source %s: %s answered HTTP %d; waiting %.0fs between requests to %s",
                       request.meta.get("source_id"), request.url, response.status,
                       slot.delay, key)
        return response

    def _given_up(self, key: str) -> str:
        return (f"{key} answered 'overloaded' (429 or 5xx) {self.give_up} times in a row; "
                "no more requests to it in this run")

    def _drop_queued(self, slot: object, key: str) -> None:
        """Fail the requests already waiting in the site's slot instead of sending them."""
        queue = getattr(slot, "queue", None)
        while queue:
            _, waiting = queue.popleft()
            waiting.errback(SiteGaveUp(self._given_up(key)))
