"""Findings pipeline: run the findings engine (pipelines/extract) on a document's text.

Portal snapshots get their findings from pipelines/portal.py instead; unchanged documents
are not re-extracted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self

from scrapy.crawler import Crawler

from pipelines.extract import extract
from spiders.batch import sources_of
from spiders.items import DocumentItem, PortalSnapshotItem


class FindingsPipeline:
    """Sets ``item.findings`` from ``item.text``; the source's state tells the engine which
    agencies are out of state."""

    def __init__(self, home_states: Mapping[str, str] | None = None) -> None:
        self.home_states = home_states or {}  # by source id

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls({source_id: spider.source.state
                    for source_id, spider in sources_of(crawler.spider).items()})

    def process_item(self, item: DocumentItem) -> DocumentItem:
        if not item.unchanged and not isinstance(item, PortalSnapshotItem):
            item.findings = extract(item.text, home_state=self.home_states.get(item.source_id))
        return item
