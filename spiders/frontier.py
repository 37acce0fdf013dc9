"""The shared crawl frontier: a spider that takes its sources from Redis, through scrapy-redis.

``sidedoor worker`` runs :class:`FrontierSpider` on any number of machines against one Redis
(docs/scale.md). The frontier is a Redis set of *host groups*, one JSON entry per host (port
included) holding every source whose first start URL is on it; ``sidedoor worker --push``
adds a cycle's groups, and a set keeps a cycle pushed twice from being crawled twice. A
worker claims groups with SPOP (scrapy-redis's ``REDIS_START_URLS_AS_SET``), so each entry
reaches one worker, takes a lease on the group's host (redis-py's ``Lock``, renewed while the
worker lives, expiring soon after it is killed) and crawls the group's sources through their
platform spiders as a batch does (spiders/batch.py). Per-host politeness therefore holds
across machines: a host is crawled only by the worker holding its lease, through that
worker's one download slot for it. A group whose host another worker holds goes back into
the set until the lease is free.

A source's requests stay in the worker that claimed it. scrapy-redis's shared request queue
does not fit: it serialises each request with ``Request.to_dict(spider=...)``, which needs
every callback to be a method of the crawler's spider (here they belong to each source's
spider), and it would spread one source's budget, counters and politeness across processes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Self
from urllib.parse import urlsplit

from redis.exceptions import LockError
from redis.lock import Lock
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.spiders import RedisMixin
from twisted.internet.task import LoopingCall

from config.schema import SourceConfig
from spiders.base import SourceSpider
from spiders.batch import BatchSpider, start_requests_of

logger = logging.getLogger(__name__)

FRONTIER_KEY = "sidedoor:frontier"  # the set of host groups waiting to be crawled
LEASE_KEY = "sidedoor:lease:%s"  # a host's lease, held by the worker crawling it


@dataclass(frozen=True)
class HostGroup:
    """The sources of one host: claimed, leased and crawled together."""

    host: str
    sources: tuple[str, ...]

    def to_json(self) -> str:
        """The frontier entry: the same text for the same group, so a set keeps it once."""
        return json.dumps({"host": self.host, "sources": sorted(self.sources)},
                          sort_keys=True)

    @classmethod
    def from_json(cls, data: bytes | str) -> Self:
        entry = json.loads(data)
        return cls(host=entry["host"], sources=tuple(entry["sources"]))


def host_groups(sources: Iterable[SourceConfig]) -> list[HostGroup]:
    """The sources grouped by the host (and port) of their first start URL, in host order."""
    by_host: dict[str, list[str]] = {}
    for source in sources:
        by_host.setdefault(urlsplit(source.urls[0]).netloc.lower(), []).append(source.id)
    return [HostGroup(host, tuple(ids)) for host, ids in sorted(by_host.items())]


class FrontierSpider(RedisMixin, BatchSpider):
    """Crawls the host groups it claims from the frontier until the frontier is empty."""

    name = "sources_frontier"  # not a platform: it runs the platform spiders of its claims
    redis_key = FRONTIER_KEY

    def __init__(self, sources: Sequence[SourceConfig], lease_seconds: float = 60.0,
                 idle_seconds: float = 0.0, **kwargs: Any) -> None:  # Any: Scrapy's kwargs
        # Every source of the sources file gets its spider, so components that look sources
        # up (pipelines, middlewares) know them all; only the claimed ones are started.
        super().__init__(sources=sources, **kwargs)
        self.started = {}
        self.lease_seconds = lease_seconds
        self.idle_seconds = idle_seconds
        self.leases: dict[str, Lock] = {}
        self.starting = 0  # sources still yielding their start requests
        self.finishing = False  # claim no more: end this run, the next one takes the rest
        # scrapy-redis sets its idle clock when the class is defined; ours starts now
        self.idle_since = time.monotonic()
        self.renewal: LoopingCall | None = None  # made once the reactor runs
        self.topping: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.setup_redis(crawler)
        crawler.signals.connect(spider.engine_started, signal=signals.engine_started)
        crawler.signals.connect(spider.release, signal=signals.spider_closed)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        # Scrapy >= 2.13 calls start() and never scrapy-redis's start_requests(); the first
        # claim is made when the engine first goes idle, right after this.
        for _ in ():
            yield _

    def engine_started(self) -> None:
        self.renewal = LoopingCall(self.renew)
        self.renewal.start(max(self.lease_seconds / 3, 0.5), now=False)
        self.topping = LoopingCall(self.top_up)
        self.topping.start(1.0, now=False)

    def top_up(self) -> None:
        """Claim more hosts while fewer than ``redis_batch_size`` have requests in the
        downloader and it has room: scrapy-redis alone claims only when the worker is idle,
        so a claim would last as long as its slowest host."""
        downloader = self.crawler.engine.downloader
        if self.starting or downloader.needs_backout():
            return  # requests still coming, or the downloader is full (the scheduler holds more)
        busy = sum(1 for slot in downloader.slots.values() if slot.active)
        if busy < self.redis_batch_size:
            self.schedule_next_requests(self.redis_batch_size - busy)

    def spider_idle(self) -> None:
        """Claim more groups when idle; close once the frontier stays empty ``idle_seconds``."""
        if self.starting or self.schedule_next_requests():
            self.idle_since = time.monotonic()
            raise DontCloseSpider
        if self.finishing:  # a new cycle reached a host crawled in this run: the next run takes it
            return
        if self.count_size(self.redis_key) > 0:  # groups whose hosts others hold: wait
            raise DontCloseSpider
        if time.monotonic() - self.idle_since < self.idle_seconds:
            raise DontCloseSpider

    def schedule_next_requests(self, most: int | None = None) -> int:
        """Claim up to ``most`` (``redis_batch_size``) groups and start their sources; how
        many."""
        claimed = 0
        if self.finishing:
            return claimed
        for data in self.fetch_data(self.redis_key, most or self.redis_batch_size):
            group = HostGroup.from_json(data)
            if group.host in self.leases:  # a later cycle's entry: a source runs once a run
                logger.info("host %s: pushed again while this worker crawls it; left for the "
                            "next run", group.host)
                self.server.sadd(self.redis_key, data)
                self.finishing = True
                continue
            lease = self.server.lock(LEASE_KEY % group.host, timeout=self.lease_seconds)
            if not lease.acquire(blocking=False):
                self.server.sadd(self.redis_key, data)  # another worker is on this host
                continue
            self.leases[group.host] = lease
            claimed += 1
            for source_id in group.sources:
                self._start(group.host, source_id)
        return claimed

    def _start(self, host: str, source_id: str) -> None:
        spider = self.sources.get(source_id)
        if spider is None:
            logger.error("host %s: source %s is not in this worker's sources file; skipped "
                         "(give every worker the same sources file)", host, source_id)
            return
        self.started[source_id] = spider
        self.starting += 1
        deferred_from_coro(self._crawl_start_requests(spider))

    async def _crawl_start_requests(self, spider: SourceSpider) -> None:
        try:
            async for request in start_requests_of(spider):
                self.crawler.engine.crawl(request)
        finally:
            self.starting -= 1

    def renew(self) -> None:
        """Keep the leases of the hosts being crawled; a stalled worker's leases lapse."""
        for host, lease in list(self.leases.items()):
            try:
                lease.reacquire()
            except LockError:
                logger.error("host %s: this worker's lease lapsed (was it stalled longer "
                             "than %s s?); another worker may crawl it too", host,
                             self.lease_seconds)
                del self.leases[host]

    def release(self) -> None:
        """Give back every lease when the crawl ends."""
        for loop in (self.renewal, self.topping):
            if loop is not None and loop.running:
                loop.stop()
        for lease in self.leases.values():
            with contextlib.suppress(LockError):
                lease.release()
