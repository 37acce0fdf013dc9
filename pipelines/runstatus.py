"""Run-status extension: record each source's outcome of a run in the store.

When a crawl closes, each of its sources' counts (documents fetched, new, unchanged,
findings new; kept per source by :func:`count`) and every error the source met are saved as
a ``source_runs`` row of the current run. A source that yields no documents is a failure, as
in City Bureau's status extension: ``empty`` when nothing went wrong that we could see,
``error`` when requests or pages failed.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from twisted.python.failure import Failure

from sidedoor.store import SourceRunRecord, Store
from spiders.base import SourceSpider
from spiders.batch import count, counted, source_problem, started_of

logger = logging.getLogger(__name__)
__all__ = ["INTERNAL", "RunStatus", "count", "counted", "is_internal", "outcome"]
# Marks the messages of exceptions in sidedoor's own code (a pipeline, a parse callback), as
# against a source's network or site trouble: a run with any of them exits non-zero.
INTERNAL = "internal error"


def is_internal(message: str) -> bool:
    """Whether a source-run message reports an exception in sidedoor's own code."""
    return f": {INTERNAL}: " in message


def outcome(documents: int, errors: int) -> str:
    """ok, empty (nothing found, no error seen) or error (failed requests and no documents)."""
    if documents:
        return "ok"
    return "error" if errors else "empty"


class RunStatus:
    """Saves one ``source_runs`` row per source when its spider closes."""

    def __init__(self, store: Store, run_id: int, crawler: Crawler) -> None:
        self.store = store
        self.run_id = run_id
        self.crawler = crawler
        self.started_at = datetime.now(UTC)
        # errors Scrapy signals (item_error, spider_error), by source id; None: no source known
        self.problems: dict[str | None, list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        run_id = crawler.settings.getint("SIDEDOOR_RUN_ID")
        if not run_id:
            raise NotConfigured("SIDEDOOR_RUN_ID is not set: this crawl is not recorded")
        extension = cls(Store.open(crawler.settings["SIDEDOOR_DB_URL"]), run_id, crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        crawler.signals.connect(extension.spider_error, signal=signals.spider_error)
        crawler.signals.connect(extension.source_problem, signal=source_problem)
        return extension

    def source_problem(self, source_id: str, message: str) -> None:
        """A pipeline's problem with one of a source's documents (spiders.batch)."""
        self.problems.setdefault(source_id, []).append(message)

    def item_error(self, item: object, response: Response | None, spider: Spider,
                   failure: Failure) -> None:
        """An exception in a pipeline: the document is lost, so its source hears of it."""
        url = getattr(item, "url", None) or (response.url if response is not None else "?")
        self._problem(getattr(item, "source_id", None) or _source_of(response),
                      f"{url}: {INTERNAL}: could not be processed: {_one_line(failure)}")

    def spider_error(self, failure: Failure, response: Response | None,
                     spider: Spider) -> None:
        """An exception in a parse callback: the page's documents are lost."""
        url = response.url if response is not None else "?"
        self._problem(_source_of(response),
                      f"{url}: {INTERNAL}: could not be parsed: {_one_line(failure)}")

    def _problem(self, source_id: str | None, message: str) -> None:
        self.problems.setdefault(source_id, []).append(message)
        logger.error("source %s: %s", source_id, message)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        sources = started_of(spider)
        unplaced = self.problems.pop(None, [])
        for source_id in list(self.problems):
            if source_id not in sources:
                unplaced += self.problems.pop(source_id)
        if unplaced and sources:  # no source known: every source of the crawl hears of it
            for source_id in sources:
                self.problems.setdefault(source_id, []).extend(unplaced)
        records = [self._record(source, reason) for source in sources.values()]
        self.store.record_source_runs(self.run_id, records)

    def _record(self, spider: SourceSpider, reason: str) -> SourceRunRecord:
        source_id = spider.source.id
        messages = list(spider.error_messages) + self.problems.get(source_id, [])
        if reason == "closespider_timeout":
            messages.append("crawl stopped at the run's time limit (CLOSESPIDER_TIMEOUT in "
                            "config/settings.py); the rest waits for the next run")
        elif reason not in ("finished", "shutdown"):
            messages.append(f"crawl stopped early: {reason}")
        fetched = counted(self.crawler, source_id, "documents_fetched")
        result = outcome(fetched, len(messages))
        if result == "empty":
            messages.append("no documents found: the start page lists none that match, "
                            "or the site changed")
        record = SourceRunRecord(
            source_id=source_id, started_at=self.started_at, finished_at=datetime.now(UTC),
            outcome=result, documents_fetched=fetched,
            documents_new=counted(self.crawler, source_id, "documents_new"),
            documents_unchanged=counted(self.crawler, source_id, "documents_unchanged"),
            findings_new=counted(self.crawler, source_id, "findings_new"),
            errors=len(messages), error_messages=messages[:50],
        )
        log = logger.info if result == "ok" else logger.error
        log("source %s: %s, %d documents (%d new), %d new findings, %d errors", source_id,
            result, fetched, record.documents_new, record.findings_new, record.errors)
        return record


def _source_of(response: Response | None) -> str | None:
    request = getattr(response, "request", None)
    return request.meta.get("source_id") if request is not None else None


def _one_line(failure: Failure) -> str:
    text = " ".join(str(failure.value).split())[:300]
    return f"{failure.type.__name__}: {text}" if text else failure.type.__name__
