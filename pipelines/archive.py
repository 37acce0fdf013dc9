"""Archive pipeline: keep every fetched document once, content-addressed by sha256.

A version already in the store for the same source and URL is marked ``unchanged``; later
pipelines skip it and the store pipeline only records that it was seen again. The file's
extension is the format its bytes show (``pipelines/sniff.py``), never the server's word:
formats off the allow-list are kept as ``.bin``. Files are world-readable (0644), so a
web server running as another user can serve the archived copy. The archive is a folder or an
S3-compatible store (sidedoor/store/archive.py, ``SIDEDOOR_ARCHIVE_URL``).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Self

from scrapy.crawler import Crawler

from pipelines.runstatus import count
from pipelines.sniff import sniff
from sidedoor.store import Store
from sidedoor.store.archive import Archive, crawl_archive, open_archive
from spiders.items import DocumentItem
from spiders.middlewares.stored import StoredDocuments

logger = logging.getLogger(__name__)


def extension(body: bytes, content_type: str = "", url: str = "") -> str:
    """The archive's extension for a file: its sniffed format, "bin" off the allow-list."""
    return sniff(body, content_type, url)


def archive_bytes(archive: Archive | Path, body: bytes, content_type: str) -> tuple[str, str]:
    """Keep ``body`` in the archive once; return (sha256, path relative to the archive).

    A crash never leaves half a file (the archive writes whole files or none).
    """
    sha256 = hashlib.sha256(body).hexdigest()
    relative = f"{sha256[:2]}/{sha256}.{extension(body, content_type)}"
    archive = open_archive(archive)
    if not archive.exists(relative):
        archive.put(relative, body)
    return sha256, relative


class ArchivePipeline:
    """Archives each document and marks versions the store already has as unchanged."""

    def __init__(self, store: Store, archive: Archive | Path,
                 crawler: Crawler | None = None) -> None:
        self.store = store
        self.archive = open_archive(archive)
        self.crawler = crawler
        # the crawl's stored documents, read once per source (shared with the middlewares)
        self.stored = StoredDocuments.of_crawler(crawler) if crawler is not None else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(Store.open(crawler.settings["SIDEDOOR_DB_URL"]),
                   crawl_archive(crawler.settings), crawler)

    def process_item(self, item: DocumentItem) -> DocumentItem:
        item.sha256, item.archive_path = archive_bytes(self.archive, item.body,
                                                       item.content_type)
        item.unchanged = (self.stored.has_version(item.source_id, item.url, item.sha256,
                                                  item.archive_path)
                          if self.stored is not None
                          else self.store.has_version(item.source_id, item.url, item.sha256))
        count(self.crawler, item.source_id, "documents_fetched")
        logger.debug("source %s: %s %s (%s)", item.source_id, item.url,
                     "unchanged" if item.unchanged else "new or changed", item.sha256[:12])
        return item
