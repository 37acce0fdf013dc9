"""Findings pipeline: run the findings engine (pipelines/extract) on a document's text.

Portal snapshots get their findings from pipelines/portal.py instead; unchanged documents
are not re-extracted.
"""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler

from pipelines.extract import extract
from spiders.items import DocumentItem


class FindingsPipeline:
    """Sets ``item.findings`` from ``item.text``; the source's state tells the engine which
    agencies are out of state."""

    def __init__(self, home_state: str | None = None) -> None:
        self.home_state = home_state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        source = getattr(crawler.spider, "source", None)
        return cls(source.state if source is not None else None)

    def process_item(self, item: DocumentItem) -> DocumentItem:
        if not item.unchanged and getattr(item, "snapshot", None) is None:
            item.findings = extract(item.text, home_state=self.home_state)
        return item
