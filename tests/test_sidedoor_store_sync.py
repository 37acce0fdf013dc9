"""Syncing sources from processes that start together (crawl workers): the one that loses
the race to insert a new source merges again instead of failing, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sidedoor.store import SourceRecord, Store
from sidedoor.store.models import Source

SOURCE = SourceRecord(id="example_village_board", name="Village Board", place="Example",
                      state="IL", kind="minutes", platform="document_index",
                      start_urls=["https://example.gov/"], schedule="0 6 * * *", enabled=True)


def test_a_source_inserted_by_another_process_meanwhile_is_merged(db_url, monkeypatch):
    store = Store.open(db_url)
    merge = Store._merge_sources
    calls = []

    def lose_the_race(self, records):
        calls.append(len(records))
        if len(calls) == 1:  # the other worker inserts it first, and our insert fails
            merge(self, [SOURCE])
            raise IntegrityError("INSERT INTO sources", {}, Exception("UNIQUE constraint"))
        merge(self, records)

    monkeypatch.setattr(Store, "_merge_sources", lose_the_race)
    store.sync_sources([replace(SOURCE, name="Village Board of Trustees")])
    with store.session() as s:
        names = s.scalars(select(Source.name)).all()
    assert (calls, names) == ([1, 1], ["Village Board of Trustees"])
