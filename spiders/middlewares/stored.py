"""The archived documents of each source of a crawl, read from the store once per source.

Shared by the two middlewares of cheap re-crawls, :mod:`spiders.middlewares.skip_confirmed`
and :mod:`spiders.middlewares.conditional`, so a source's documents are read once per crawl.
"""

from __future__ import annotations

from typing import ClassVar
from weakref import WeakKeyDictionary

from scrapy import Request
from scrapy.crawler import Crawler

from sidedoor.store import Store, StoredDocument
from sidedoor.store.archive import crawl_archive


class StoredDocuments:
    """The archived documents of each source of a crawl, read from the store once each."""

    _of_crawler: ClassVar[WeakKeyDictionary[Crawler, StoredDocuments]] = WeakKeyDictionary()

    def __init__(self, crawler: Crawler) -> None:
        self.store = Store.open(crawler.settings["SIDEDOOR_DB_URL"])
        self.archive = crawl_archive(crawler.settings)
        self.by_source: dict[str, dict[str, StoredDocument]] = {}

    @classmethod
    def of_crawler(cls, crawler: Crawler) -> StoredDocuments:
        """The one instance of a crawler, shared by both middlewares, so each source's
        documents are read once per crawl."""
        if crawler not in cls._of_crawler:
            cls._of_crawler[crawler] = cls(crawler)
        return cls._of_crawler[crawler]

    def of(self, request: Request) -> StoredDocument | None:
        """The newest archived version of a conditional request's document, if any."""
        if not request.meta.get("conditional") or "source_id" not in request.meta:
            return None
        source_id = request.meta["source_id"]
        if source_id not in self.by_source:
            self.by_source[source_id] = self.store.stored_documents(source_id)
        stored = self.by_source[source_id].get(request.url)
        if stored is None or not self.archive.exists(stored.archive_path):
            return None
        return stored
