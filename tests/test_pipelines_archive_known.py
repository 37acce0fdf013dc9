"""The archive pipeline asks the crawl's stored documents (read once per source) whether a
fetched document is already stored, and the store only about an older version."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.utils.test import get_crawler
from sqlalchemy import event

from pipelines.archive import ArchivePipeline, archive_bytes
from sidedoor.store import SourceRecord, Store, VersionRecord
from spiders.items import DocumentItem

URL = "https://example.gov/minutes.pdf"
SOURCE = SourceRecord(id="known_village_board", name="Board", place="Example", state="IL",
                      kind="minutes", platform="document_index", start_urls=[URL],
                      schedule="0 6 * * *", enabled=True)
OLD, NEW = b"%PDF-1.4 the minutes", b"%PDF-1.4 the minutes, corrected"


@pytest.fixture
def archive(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    store = Store.open(url)
    store.sync_sources([SOURCE])
    for day, body in ((3, OLD), (4, NEW)):  # NEW is the newest version
        sha, relative = archive_bytes(tmp_path / "archive", body, "application/pdf")
        store.save_document(SOURCE, URL, VersionRecord(
            sha256=sha, fetched_at=datetime(2025, 3, day, tzinfo=UTC),
            content_type="application/pdf", size=len(body), title="Minutes",
            archive_path=relative, text="", sections=[]), [],
            datetime(2025, 3, day, tzinfo=UTC))
    crawler = get_crawler(settings_dict={"SIDEDOOR_DB_URL": url,
                                         "SIDEDOOR_DATA_DIR": str(tmp_path)})
    pipeline = ArchivePipeline.from_crawler(crawler)
    queries: list[str] = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_rest: queries.append(statement))
    return pipeline, queries


def fetched(body: bytes, url: str = URL) -> DocumentItem:
    return DocumentItem(source_id=SOURCE.id, url=url, body=body, content_type="application/pdf",
                        fetched_at=datetime(2025, 3, 5, tzinfo=UTC))


def test_the_newest_version_and_an_unknown_url_are_answered_from_one_read(archive):
    pipeline, queries = archive
    assert pipeline.process_item(fetched(NEW)).unchanged
    assert not pipeline.process_item(fetched(b"%PDF-1.4 agenda", URL + "?a")).unchanged
    assert not pipeline.process_item(fetched(b"%PDF-1.4 agenda", URL + "?b")).unchanged
    assert len([q for q in queries if q.lstrip().upper().startswith("SELECT")]) == 1


def test_an_older_version_is_looked_up_in_the_store(archive):
    pipeline, _queries = archive
    assert pipeline.process_item(fetched(OLD)).unchanged
    assert not pipeline.process_item(fetched(b"%PDF-1.4 the minutes, third")).unchanged
