"""One fact, many documents (sidedoor/store/facts.py): equal fact keys merge under the first
evidence's id, the status moves with later documents, and each change is dated; on SQLite and
PostgreSQL (the ``db_url`` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sidedoor.store import FactRecord, Finding, FindingRecord, Occurrence, Store
from tests.test_sidedoor_store import SOURCE, version

NOW = datetime(2025, 10, 20, 12, 0, tzinfo=UTC)


def evidence(fid: str, status: str, date: str, *, key: str = "k1",
             categories: tuple[str, ...] = ("sharing_agreement",),
             recipients: tuple[dict[str, str], ...] = ({"name": "USBP", "state": ""},),
             ) -> FindingRecord:
    return FindingRecord(
        id=fid, category=categories[0], agencies=["USBP"], snippet=f"evidence {fid}",
        highlights=[], confidence=0.8, rules=["r"], start=0, end=5, section="page 1",
        fact=FactRecord(key=key, categories=list(categories), recipients=list(recipients),
                        channel="agreement", kind="agreement", status=status,
                        status_quote=f"{status} in {fid}", status_date=date,
                        event_start=date, event_end=date),
    )


@pytest.fixture
def store(db_url):
    s = Store.open(db_url)
    s.sync_sources([SOURCE])
    return s


def save(store: Store, url: str, sha: str, record: FindingRecord, now: datetime = NOW) -> int:
    return store.save_document(SOURCE, url, version(sha), [record], now)[1]


def one(store: Store) -> Finding:
    with store.session() as s:
        rows = s.query(Finding).all()
        assert len(rows) == 1
        s.expunge(rows[0])
        return rows[0]


def test_three_documents_of_one_fact_are_one_finding_under_the_first_id(store):
    assert save(store, "https://example.gov/matter", "a1",
                evidence("matter", "", "2025-10-14")) == 1
    assert save(store, "https://example.gov/agenda", "b2",
                evidence("agenda", "proposed", "2025-10-14")) == 0
    assert save(store, "https://example.gov/minutes", "c3",
                evidence("minutes", "adopted", "2025-10-14")) == 0
    fact = one(store)
    assert fact.id == "matter"
    assert fact.status == "adopted" and fact.status_quote == "adopted in minutes"
    with store.session() as s:
        assert s.query(Occurrence).filter_by(finding_id="matter").count() == 3


def test_a_later_document_changes_the_status_and_dates_the_change(store):
    save(store, "https://example.gov/minutes", "a1", evidence("m", "adopted", "2025-10-14"))
    assert one(store).status_changed is None
    later = NOW + timedelta(days=30)
    save(store, "https://example.gov/revoked", "b2", evidence("r", "ended", "2025-11-10"), later)
    fact = one(store)
    assert (fact.id, fact.status, fact.status_changed) == ("m", "ended", later)
    assert fact.event_start == "2025-10-14" and fact.event_end == "2025-11-10"


def test_an_older_document_does_not_undo_a_newer_status(store):
    save(store, "https://example.gov/minutes", "a1", evidence("m", "adopted", "2025-10-14"))
    save(store, "https://example.gov/old-agenda", "b2", evidence("a", "proposed", "2025-09-01"))
    assert one(store).status == "adopted"


def test_different_keys_stay_two_findings(store):
    save(store, "https://example.gov/a", "a1", evidence("one", "adopted", "2025-10-14"))
    save(store, "https://example.gov/b", "b2", evidence("two", "adopted", "2025-10-14", key="k2"))
    assert store.count_findings() == 2


def test_merged_evidence_widens_categories_and_recipients(store):
    save(store, "https://example.gov/a", "a1", evidence("one", "adopted", "2025-09-01"))
    save(store, "https://example.gov/b", "b2", evidence(
        "two", "adopted", "2025-09-01", categories=("sharing_agreement", "federal_access"),
        recipients=({"name": "USBP", "state": ""}, {"name": "Cedar Bend TX PD", "state": "TX"})))
    fact = one(store)
    assert fact.categories == ["sharing_agreement", "federal_access"]
    assert {"name": "Cedar Bend TX PD", "state": "TX"} in fact.recipients


def test_never_crawled_names_sources_without_documents(store):
    assert store.never_crawled([SOURCE.id]) == {SOURCE.id}
    save(store, "https://example.gov/a", "a1", evidence("one", "adopted", "2025-09-01"))
    assert store.never_crawled([SOURCE.id]) == set()


def test_a_new_fact_takes_its_smallest_evidence_id_whatever_the_order(store):
    fresh: set[str] = set()
    store.save_document(SOURCE, "https://example.gov/minutes", version("c3"),
                        [evidence("cc", "adopted", "2025-10-14")], NOW, fresh)
    store.save_document(SOURCE, "https://example.gov/agenda", version("a1"),
                        [evidence("aa", "proposed", "2025-10-14")], NOW, fresh)
    fact = one(store)
    assert (fact.id, fact.status, fresh) == ("aa", "adopted", {"aa"})
    with store.session() as s:
        assert s.query(Occurrence).filter_by(finding_id="aa").count() == 2


def test_a_published_fact_keeps_its_id_when_smaller_evidence_comes(store):
    store.save_document(SOURCE, "https://example.gov/minutes", version("c3"),
                        [evidence("cc", "adopted", "2025-10-14")], NOW, set())
    store.save_document(SOURCE, "https://example.gov/agenda", version("a1"),
                        [evidence("aa", "proposed", "2025-10-14")], NOW, set())
    assert one(store).id == "cc"


def test_findings_no_finished_run_has_seen_are_unsettled(store):
    store.save_document(SOURCE, "https://example.gov/a", version("a1"),
                        [evidence("one", "adopted", "2025-09-01")], NOW)
    assert store.unsettled_findings() == {"one"}  # no run has finished
    run = store.start_run("run", NOW)
    store.finish_run(run, NOW + timedelta(minutes=5))
    assert store.unsettled_findings() == set()
    store.save_document(SOURCE, "https://example.gov/b", version("b2"),
                        [evidence("two", "adopted", "2025-09-01", key="k2")],
                        NOW + timedelta(hours=1))
    assert store.unsettled_findings() == {"two"}
