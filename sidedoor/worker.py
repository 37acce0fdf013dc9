"""Crawl workers on a shared frontier: the library under ``sidedoor worker``.

:func:`push` adds a cycle of sources to the frontier in Redis (as host groups,
spiders/frontier.py); :func:`work` crawls groups claimed from it in this process until the
frontier is empty, as one recorded run of the store. Run any number of workers, on any
number of machines, with the same sources file, one store URL (PostgreSQL) and one Redis.
A worker that is killed loses only its unrecorded run: documents and findings are saved as
they come, its hosts' leases lapse, and the next cycle's push gives its sources to whichever
worker is free. Time is passed in; every datetime is UTC.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from config import settings as default_settings
from config.schema import SourceConfig
from pipelines.store import source_record
from sidedoor.crawl import crawl_settings, needs_browser
from sidedoor.runner import Paths
from sidedoor.store import SourceRun, Store

logger = logging.getLogger(__name__)
# How many host groups a worker keeps claimed at once: enough to fill CONCURRENT_REQUESTS at
# CONCURRENT_REQUESTS_PER_DOMAIN a host (a full downloader claims no more).
CLAIM = max(default_settings.CONCURRENT_REQUESTS
            // default_settings.CONCURRENT_REQUESTS_PER_DOMAIN, 1)


def push(redis_url: str, sources: Sequence[SourceConfig]) -> int:
    """Add ``sources`` to the frontier as host groups; how many groups were new in it."""
    from scrapy_redis.connection import get_redis

    from spiders.frontier import FRONTIER_KEY, host_groups

    groups = [group.to_json() for group in host_groups(sources)]
    if not groups:
        return 0
    return int(get_redis(url=redis_url).sadd(FRONTIER_KEY, *groups))


def waiting(redis_url: str) -> int:
    """How many host groups wait in the frontier."""
    from scrapy_redis.connection import get_redis

    from spiders.frontier import FRONTIER_KEY

    return int(get_redis(url=redis_url).scard(FRONTIER_KEY))


def work(sources: Sequence[SourceConfig], paths: Paths, *, redis_url: str,
         idle_seconds: float = 0.0, lease_seconds: float = 60.0, claim: int = CLAIM,
         settings: Mapping[str, Any] | None = None,  # Any: Scrapy setting values
         ) -> tuple[int, list[SourceRun]]:
    """Crawl the groups this worker claims; return the run id and each crawled source's row.

    ``sources`` is the whole sources file: a claimed source must be in it. Runs Twisted's
    reactor, so call it once per process.
    """
    from scrapy.crawler import CrawlerProcess
    from scrapy_redis.connection import get_redis

    from spiders.fetch_policy import BrowserPolicy, FetchPolicy
    from spiders.frontier import FrontierSpider

    get_redis(url=redis_url).ping()  # a Redis that is down is one line, before the run
    store = Store.open(paths.db_url)
    store.sync_sources(source_record(s) for s in sources)
    run_id = store.start_run("worker", datetime.now(UTC))
    job = {"run_id": run_id, "db_url": paths.db_url, "data_dir": str(paths.data_dir),
           "settings": {**(settings or {}), "REDIS_URL": redis_url,
                        "REDIS_START_URLS_AS_SET": True}}
    process = CrawlerProcess(crawl_settings(job))
    crawler = process.create_crawler(FrontierSpider)
    if not any(needs_browser(s) for s in sources):  # plain HTTP: no browser driver
        crawler.settings.set("DOWNLOAD_HANDLERS", default_settings.DISABLED_SCHEMES,
                             priority="cmdline")
    else:  # the browser's own requests obey the policy of every source's start URLs
        policy = FetchPolicy.for_start_urls(url for s in sources for url in s.urls)
        crawler.settings.set("PLAYWRIGHT_ABORT_REQUEST", BrowserPolicy(policy),
                             priority="cmdline")
    process.crawl(crawler, sources=list(sources), lease_seconds=lease_seconds,
                  idle_seconds=idle_seconds, redis_batch_size=claim)
    process.start()
    store.finish_run(run_id, datetime.now(UTC))
    if crawler.stats is None or crawler.stats.get_value("finish_reason") is None:
        raise RuntimeError("the worker's crawl did not run; its error is in the log above")
    return run_id, store.source_runs(run_id)
