"""Revisions (sidedoor/store/saving.py): a finding's or document's revision moves when
something the site shows of it changes, and not when it is only seen again; on SQLite and
PostgreSQL (the ``db_url`` fixture). The site build reads again the rows whose revision moved
(reports/reload.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sidedoor.store import Document, DocumentVersion, Finding, Store
from tests.test_sidedoor_store import SOURCE, version
from tests.test_sidedoor_store_facts import NOW, evidence


@pytest.fixture
def store(db_url):
    s = Store.open(db_url)
    s.sync_sources([SOURCE])
    return s


def revisions(store: Store) -> tuple[dict[str, int], dict[str, int]]:
    with store.session() as s:
        return (dict(s.execute(select(Finding.id, Finding.revision)).all()),  # type: ignore[arg-type]
                dict(s.execute(select(Document.url, Document.revision)).all()))  # type: ignore[arg-type]


def test_a_finding_seen_again_in_the_same_version_keeps_its_revision(store):
    record = evidence("agenda", "proposed", "2025-10-14")
    store.save_document(SOURCE, "https://example.gov/agenda", version("a1"), [record], NOW)
    before, _ = revisions(store)
    store.save_document(SOURCE, "https://example.gov/agenda", version("a1"), [record],
                        NOW + timedelta(days=1))
    # the document page says when it was last checked, so the document's moves
    assert revisions(store)[0] == before


def test_a_merged_fact_whose_status_moves_gets_a_new_revision(store):
    store.save_document(SOURCE, "https://example.gov/agenda", version("a1"),
                        [evidence("agenda", "proposed", "2025-10-14")], NOW)
    before, _ = revisions(store)
    store.save_document(SOURCE, "https://example.gov/minutes", version("b2"),
                        [evidence("minutes", "adopted", "2025-10-21")], NOW + timedelta(days=7))
    after, _ = revisions(store)
    assert list(after) == ["agenda"] and after["agenda"] > before["agenda"]


def test_a_new_version_of_a_document_gets_the_document_a_new_revision(store):
    url = "https://example.gov/agenda"
    store.save_document(SOURCE, url, version("a1"), [], NOW)
    _, before = revisions(store)
    store.save_document(SOURCE, url, version("a2"), [], NOW + timedelta(days=1))
    _, after = revisions(store)
    assert after[url] > before[url]


@pytest.mark.parametrize(("checked", "moves"), [(True, True), (False, False)])
def test_a_document_moves_when_the_server_confirms_it_not_when_only_seen(store, checked,
                                                                         moves):
    url = "https://example.gov/agenda"
    store.save_document(SOURCE, url, version("a1"), [], NOW)
    _, before = revisions(store)
    with store.session() as s:
        versions = list(s.scalars(select(DocumentVersion.id)))
    store.touch_versions(versions, NOW + timedelta(days=1), checked=checked)
    _, after = revisions(store)
    assert (after[url] > before[url]) is moves
