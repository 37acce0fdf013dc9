"""The archived documents of each source of a crawl, read from the store once per source.

Shared by the two middlewares of cheap re-crawls, :mod:`spiders.middlewares.skip_confirmed`
and :mod:`spiders.middlewares.conditional`, and the archive pipeline, which asks whether a
fetched document is already stored, so a source's documents are read once per crawl.
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

    def of_source(self, source_id: str) -> dict[str, StoredDocument]:
        """A source's stored documents by URL, as they were when first asked for."""
        if source_id not in self.by_source:
            self.by_source[source_id] = self.store.stored_documents(source_id)
        return self.by_source[source_id]

    def of(self, request: Request) -> StoredDocument | None:
        """The newest archived version of a conditional request's document, if any."""
        if not request.meta.get("conditional") or "source_id" not in request.meta:
            return None
        stored = self.of_source(request.meta["source_id"]).get(request.url)
        if stored is None or not self.archive.exists(stored.archive_path):
            return None
        return stored

    def has_version(self, source_id: str, url: str, sha256: str, archive_path: str) -> bool:
        """Whether the store has this content of a source's URL, mostly without asking it: a
        URL the source had no document at when first asked for has none (one fetched twice in
        a crawl is saved again, idempotently), and one whose newest version is archived at
        the same (content-addressed) path has it; only an older version is looked up."""
        stored = self.of_source(source_id).get(url)
        if stored is None:
            return False
        return stored.archive_path == archive_path or self.store.has_version(source_id, url,
                                                                             sha256)
