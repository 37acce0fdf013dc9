"""Findings pipeline: run the findings engine (pipelines/extract) on a document's text.

Portal snapshots get their findings from pipelines/portal.py instead; unchanged documents
are not re-extracted.
"""

from __future__ import annotations

from pipelines.extract import extract
from spiders.items import DocumentItem


class FindingsPipeline:
    """Sets ``item.findings`` from ``item.text``."""

    def process_item(self, item: DocumentItem) -> DocumentItem:
        if not item.unchanged and getattr(item, "snapshot", None) is None:
            item.findings = extract(item.text)
        return item
