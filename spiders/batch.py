"""One crawler for many sources: the spider a crawl process runs for its batch of sources.

Each source keeps its own :class:`SourceSpider`, which builds its requests (with that
spider's callbacks and errback) and parses its pages exactly as it would alone; this spider
only hands Scrapy their start requests. One crawler for the batch means one engine, and one
download slot, politeness delay and robots.txt per host, however many sources share the host
(every Legistar client is on one API host, every Flock portal on one site); a crawler per
source would pay its setup every time and fetch in parallel from the same host.

Components find a request's or an item's source by its ``source_id`` with :func:`sources_of`,
and keep each source's counters of the crawl with :func:`count` (pipelines/runstatus.py saves
them when the crawl ends).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Request

from config.schema import SourceConfig
from spiders import spider_for
from spiders.base import SourceSpider

logger = logging.getLogger(__name__)


class BatchSpider(scrapy.Spider):
    """Crawls a batch of sources, each through its own platform spider."""

    name = "sources_batch"  # not a platform: it runs the platform spiders of a batch

    def __init__(self, sources: Sequence[SourceConfig], **kwargs: Any) -> None:  # Any: Scrapy's
        super().__init__(name=self.name, **kwargs)
        self.sources: dict[str, SourceSpider] = {
            source.id: spider_for(source.platform)(source=source) for source in sources}
        # the sources this crawl started (a batch starts all; spiders/frontier.py, its claims)
        self.started: dict[str, SourceSpider] = self.sources

    async def start(self) -> AsyncIterator[Request]:
        for spider in self.sources.values():
            async for request in start_requests_of(spider):
                yield request


async def start_requests_of(spider: SourceSpider) -> AsyncIterator[Request]:
    """A source's start requests; a source that cannot start is recorded against it."""
    try:
        async for request in spider.start():
            yield request
    except Exception as exc:  # a broken source must not stop the others
        spider.fail(spider.source.urls[0], f"could not start: {type(exc).__name__}: {exc}")


def sources_of(spider: scrapy.Spider | None) -> dict[str, SourceSpider]:
    """The source spiders a crawler runs, by source id: a batch's, or a lone source spider."""
    if isinstance(spider, BatchSpider):
        return spider.sources
    if isinstance(spider, SourceSpider):
        return {spider.source.id: spider}
    return {}


def started_of(spider: scrapy.Spider | None) -> dict[str, SourceSpider]:
    """The source spiders a crawler started, by source id: those whose runs it records."""
    if isinstance(spider, BatchSpider):
        return spider.started
    return sources_of(spider)


def count(crawler: Crawler | None, source_id: str, name: str, value: int = 1) -> None:
    """Add ``value`` to one of a source's counters of this crawl."""
    if crawler is not None and crawler.stats is not None:
        crawler.stats.inc_value(f"sidedoor/{source_id}/{name}", value)


def counted(crawler: Crawler, source_id: str, name: str) -> int:
    """One of a source's counters of this crawl."""
    assert crawler.stats is not None
    return int(crawler.stats.get_value(f"sidedoor/{source_id}/{name}", 0))


# A Scrapy signal: a component other than the source's spider met a problem with one of the
# source's documents (a pipeline that could not read it). RunStatus records it with the run.
source_problem = object()


def report_problem(crawler: Crawler | None, source_id: str, message: str) -> None:
    """Tell the crawl that ``source_id`` met a problem; ``message`` names the URL and what."""
    if crawler is not None:
        crawler.signals.send_catch_log(source_problem, source_id=source_id, message=message)
