"""Text pipeline: the plain text of a fetched document, cut into sections a reader can find.

The reading itself is ``pipelines/reader.py`` (what the bytes are, then HTML blocks, PDF
pages with OCR for scanned ones, CSV/XLSX rows, Word, RTF, e-mail, images); here it runs in
the killable worker processes of ``pipelines/worker.py`` under the limits of
``config/site.yaml``. A document whose text cannot be read, for any reason, is dropped and
recorded as an error of its source with a one-line reason ("too large: ...", "too slow: ...").
Audit-log files (spiders/audit_log.py) are read here too, the same way, into their snapshot's
search audit (pipelines/audit_read.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from config.limits import Limits
from config.schema import load_site
from pipelines.reader import read_document
from pipelines.runstatus import count
from pipelines.sections import ExtractedText, LimitExceeded, Section, TextError, section_at
from pipelines.worker import ReadingPool
from spiders.batch import report_problem, sources_of
from spiders.items import AuditLogItem, DocumentItem, PortalSnapshotItem

__all__ = ["ExtractedText", "LimitExceeded", "Section", "TextError", "TextPipeline",
           "extract_text", "section_at"]

logger = logging.getLogger(__name__)


def extract_text(body: bytes, content_type: str, url: str,
                 limits: Limits | None = None) -> ExtractedText:
    """The text of a document, read in this process (no wall-time or memory limit)."""
    return read_document(body, content_type, url, limits)


class TextPipeline:
    """Sets ``text``, ``sections`` (and an empty ``title``) of new document versions."""

    def __init__(self, crawler: Crawler | None = None, limits: Limits | None = None) -> None:
        self.crawler = crawler
        self.spiders = sources_of(crawler.spider) if crawler is not None else {}
        self.limits = limits or Limits()
        self.pool = ReadingPool(self.limits)
        # Threads only wait for the worker processes, off the reactor; one per worker.
        self.threads = ThreadPoolExecutor(max_workers=self.limits.workers,
                                          thread_name_prefix="sidedoor-text")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Limits from ``config/site.yaml``; the ``SIDEDOOR_LIMITS`` setting (a dict of
        them, for tests and one-off crawls) overrides single ones."""
        limits = load_site().limits
        changes = crawler.settings.getdict("SIDEDOOR_LIMITS")
        if changes:
            limits = Limits.model_validate({**limits.model_dump(), **changes})
        return cls(crawler, limits)

    def open_spider(self) -> None:
        # The workers start in the reader thread while the first pages download.
        self.threads.submit(self.pool.start)

    def close_spider(self) -> None:
        self.threads.shutdown()
        self.pool.close()

    async def process_item(self, item: Any) -> Any:  # Any: Scrapy hands every item type through
        """Read the item's text in a reader thread, so downloads go on meanwhile."""
        return await asyncio.get_running_loop().run_in_executor(self.threads, self.read, item)

    def read(self, item: Any) -> Any:  # Any: as process_item
        """Set the text of a new document version; DropItem (recorded) if it is unreadable."""
        if isinstance(item, AuditLogItem) and not item.unchanged:
            return self._read_audit(item)
        if (not isinstance(item, DocumentItem) or item.unchanged
                or isinstance(item, PortalSnapshotItem)):
            return item
        extracted = self._in_reader(item, lambda: self.pool.read(
            item.body, item.content_type, item.url, article=self._is_news(item.source_id)))
        item.text = extracted.text
        item.sections = [asdict(section) for section in extracted.sections]
        if not item.title:
            item.title = extracted.title
        for note in extracted.notes:
            logger.warning("source %s: %s: %s", item.source_id, item.url, note)
        logger.debug("source %s: %s: %d characters, %d sections, OCR pages %s", item.source_id,
                     item.url, len(extracted.text), len(extracted.sections), extracted.ocr_pages)
        return item

    def _read_audit(self, item: AuditLogItem) -> AuditLogItem:
        """Set the search audit of an audit-log file's snapshot (pipelines/audit_read.py)."""
        rows = self._in_reader(item, lambda: self.pool.run(
            item.url, "pipelines.audit_read:parse_audit_log", item.body, item.url, self.limits))
        if not rows:
            logger.warning("source %s: %s has a header but no rows", item.source_id, item.url)
        item.snapshot.search_audit = rows
        return item

    def _in_reader(self, item: DocumentItem,
                   read: Callable[[], Any]) -> Any:  # Any: what ``read`` returns
        """``read()`` (a call into the reading pool); DropItem, recorded, if it fails."""
        try:
            return read()
        except TextError as error:
            self._fail(item, str(error))
            raise DropItem(str(error)) from error
        except Exception as error:  # any failure is this document's error, never a silent drop
            logger.exception("source %s: %s: reading the text failed", item.source_id, item.url)
            message = f"{item.url}: could not read the text: {type(error).__name__}: {error}"
            self._fail(item, message)
            raise DropItem(message) from error

    def _is_news(self, source_id: str) -> bool:
        spider = self.spiders.get(source_id)
        return spider is not None and str(spider.source.kind) == "news"

    def _fail(self, item: DocumentItem, message: str) -> None:
        """Record a document whose text could not be read as an error of its source."""
        logger.error("source %s: %s", item.source_id, message)  # the message names the URL
        count(self.crawler, item.source_id, "errors/text")
        report_problem(self.crawler, item.source_id, message)
