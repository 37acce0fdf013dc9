"""The store pipeline's writer thread: documents that wait for it are saved in one
transaction, each is done only once committed, and a bad one fails alone."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import event, func, select

from pipelines.store import StorePipeline
from sidedoor.store import Document, SourceRecord, Store
from spiders.items import DocumentItem

SOURCE = SourceRecord(id="writer_board", name="Writer board", place="Maplewood", state="IL",
                      kind="minutes", platform="document_index",
                      start_urls=["https://maplewood.example/list.html"], schedule="0 6 * * *",
                      enabled=True)


class Stats:
    def __init__(self) -> None:
        self.values: Counter[str] = Counter()

    def inc_value(self, key: str, value: int = 1) -> None:
        self.values[key] += value


@pytest.fixture
def pipeline(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    store.sync_sources([SOURCE])
    crawler = SimpleNamespace(stats=Stats())
    pipe = StorePipeline(store, crawler)  # type: ignore[arg-type]  # only its stats are used
    pipe.sources = {SOURCE.id: SOURCE}
    pipe.backfill, pipe.fresh, pipe._towns = set(), set(), None
    commits: list[int] = []
    event.listen(store.engine, "commit", lambda _conn: commits.append(1))
    yield pipe, commits
    pipe.close_spider()


def item(n: int, source_id: str = SOURCE.id) -> DocumentItem:
    text = f"Minutes of meeting {n}."
    return DocumentItem(source_id=source_id, url=f"https://maplewood.example/{n}.html",
                        body=text.encode(), content_type="text/html",
                        fetched_at=datetime(2026, 3, n + 1, tzinfo=UTC), title=f"Minutes {n}",
                        sha256=f"{n:064x}", archive_path=f"00/{n:064x}.html", text=text)


def stored(pipe: StorePipeline) -> int:
    with pipe.store.session() as s:
        return s.scalar(select(func.count(Document.id))) or 0


def while_the_writer_waits(pipe: StorePipeline, items: list[DocumentItem]) -> list:
    """Process ``items`` while the writer thread is busy with something else, so that all of
    them are queued before it is free."""
    gate = threading.Event()
    pipe.writer.submit(gate.wait)

    async def run() -> list:
        gathered = asyncio.gather(*(pipe.process_item(i) for i in items),
                                  return_exceptions=True)
        # runs after every process_item has queued its item
        asyncio.get_running_loop().call_soon(gate.set)
        return await gathered

    return asyncio.run(run())


def test_documents_queued_together_are_saved_in_one_transaction(pipeline):
    pipe, commits = pipeline
    items = [item(n) for n in range(5)]
    assert while_the_writer_waits(pipe, items) == items
    assert len(commits) == 1
    assert stored(pipe) == 5
    assert pipe.crawler.stats.values[f"sidedoor/{SOURCE.id}/documents_new"] == 5


def test_a_lone_document_is_committed_before_it_is_done(pipeline):
    pipe, commits = pipeline
    asyncio.run(pipe.process_item(item(1)))
    assert len(commits) == 1
    assert stored(pipe) == 1


def test_a_bad_document_in_a_group_fails_alone(pipeline):
    pipe, _commits = pipeline
    items = [item(1), item(2), item(3, source_id="not_configured"), item(4)]
    results = while_the_writer_waits(pipe, items)
    assert isinstance(results[2], KeyError)
    assert results[:2] + results[3:] == [items[0], items[1], items[3]]
    assert stored(pipe) == 3
    counts = pipe.crawler.stats.values
    assert counts[f"sidedoor/{SOURCE.id}/documents_new"] == 3
    assert "sidedoor/not_configured/documents_new" not in counts
