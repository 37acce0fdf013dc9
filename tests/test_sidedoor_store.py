"""The store: idempotent saves, one finding with many places, last-seen updates; each on
SQLite and on PostgreSQL (the ``db_url`` fixture, tests/postgres.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sidedoor.store import FindingRecord, Occurrence, SourceRecord, Store, StoreError, VersionRecord

NOW = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)
SOURCE = SourceRecord(id="example_village_board", name="Village Board", place="Example",
                      state="IL", kind="minutes", platform="document_index",
                      start_urls=["https://example.gov/"], schedule="0 6 * * *", enabled=True)


def version(sha: str) -> VersionRecord:
    return VersionRecord(sha256=sha, fetched_at=NOW, content_type="application/pdf", size=10,
                         title="Minutes", archive_path=f"{sha[:2]}/{sha}.pdf", text="text",
                         sections=[{"label": "page 1", "start": 0, "end": 4}])


def finding(start: int = 0) -> FindingRecord:
    return FindingRecord(id="f1", category="federal_access", agencies=["CBP"], snippet="CBP",
                         highlights=[[0, 3]], confidence=0.9, rules=["r"], start=start,
                         end=start + 3, section="page 1")


@pytest.fixture
def store(db_url):
    s = Store.open(db_url)
    s.sync_sources([SOURCE])
    return s


def test_saving_the_same_version_twice_is_one_version_and_no_new_findings(store):
    url = "https://example.gov/a.pdf"
    assert store.save_document(SOURCE, url, version("aa11"), [finding()], NOW) == (True, 1)
    assert store.save_document(SOURCE, url, version("aa11"), [finding()], NOW) == (False, 0)
    assert store.count_findings() == 1


def test_the_same_evidence_in_two_documents_is_one_finding_with_two_occurrences(store):
    store.save_document(SOURCE, "https://example.gov/agenda.pdf", version("aa11"), [finding()],
                        NOW)
    store.save_document(SOURCE, "https://example.gov/minutes.pdf", version("bb22"), [finding(7)],
                        NOW)
    with store.session() as s:
        assert s.query(Occurrence).filter_by(finding_id="f1").count() == 2
    assert store.count_findings() == 1


def test_has_version_knows_content_by_url_and_hash(store):
    store.save_document(SOURCE, "https://example.gov/a.pdf", version("aa11"), [], NOW)
    assert store.has_version(SOURCE.id, "https://example.gov/a.pdf", "aa11")
    assert not store.has_version(SOURCE.id, "https://example.gov/a.pdf", "cc33")
    assert not store.has_version(SOURCE.id, "https://example.gov/b.pdf", "aa11")


def test_touching_an_unchanged_document_moves_its_findings_last_seen(store):
    from sidedoor.store import Finding

    store.save_document(SOURCE, "https://example.gov/a.pdf", version("aa11"), [finding()], NOW)
    later = NOW + timedelta(days=1)
    store.touch_document(SOURCE.id, "https://example.gov/a.pdf", "aa11", later)
    with store.session() as s:
        row = s.get(Finding, "f1")
        assert (row.first_seen, row.last_seen) == (NOW, later)


def test_naive_datetimes_are_refused(store):
    naive = VersionRecord(**{**version("dd44").__dict__, "fetched_at": datetime(2025, 1, 1)})
    with pytest.raises(Exception, match="naive datetime"):
        store.save_document(SOURCE, "https://example.gov/n.pdf", naive, [], NOW)


@pytest.mark.parametrize(("url", "message"), [
    ("nonsense://x", "SQLAlchemy has no database driver for it"),
    ("not a url", "is not a database URL"),
])
def test_a_bad_database_url_is_a_store_error_that_says_what_to_use(url, message):
    with pytest.raises(StoreError, match=message):
        Store.open(url)


def test_a_corrupt_sqlite_file_is_a_one_line_store_error(tmp_path):
    (tmp_path / "db.sqlite").write_bytes(b"this is not a database" * 500)
    with pytest.raises(StoreError, match=r"db.sqlite: file is not a database$"):
        Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}")


def test_the_cli_shows_a_store_error_as_one_line(tmp_path):
    from click.testing import CliRunner

    from sidedoor.cli import main

    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "public")],
                                env={"SIDEDOOR_DB_URL": "nonsense://x"})
    assert (result.exit_code, result.output.strip().splitlines()) == (1, [
        "Error: SIDEDOOR_DB_URL 'nonsense://x': SQLAlchemy has no database driver for it; "
        "use sqlite:///... or postgresql+psycopg://..."])
