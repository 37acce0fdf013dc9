"""Conditional requests: validators go out, a 304 comes back as the archived copy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler
from sqlalchemy import select

from pipelines.archive import archive_bytes
from sidedoor.store import Document, Finding, FindingRecord, SourceRecord, Store, VersionRecord
from spiders.middlewares.conditional import ConditionalRequests
from spiders.middlewares.skip_confirmed import SkipConfirmed

URL = "https://example.gov/minutes.pdf"
SOURCE = SourceRecord(id="example_village_board", name="Board", place="Example", state="IL",
                      kind="minutes", platform="document_index", start_urls=[URL],
                      schedule="0 6 * * *", enabled=True)
BODY = b"%PDF-1.4 the minutes"


@pytest.fixture
def middleware(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite'}")
    store.sync_sources([SOURCE])
    sha, relative = archive_bytes(tmp_path / "archive", BODY, "application/pdf")
    store.save_document(SOURCE, URL, VersionRecord(
        sha256=sha, fetched_at=datetime(2025, 3, 4, tzinfo=UTC), content_type="application/pdf",
        size=len(BODY), title="Minutes", archive_path=relative, text="", sections=[],
        etag='"abc"', last_modified="Tue, 04 Mar 2025 10:00:00 GMT"), [],
        datetime(2025, 3, 4, tzinfo=UTC))
    crawler = get_crawler(settings_dict={"SIDEDOOR_DB_URL": f"sqlite:///{tmp_path / 's.sqlite'}",
                                         "SIDEDOOR_DATA_DIR": str(tmp_path)})
    return ConditionalRequests.from_crawler(crawler)


def request(**meta) -> Request:
    return Request(URL, meta={"source_id": SOURCE.id, **meta})


def test_a_known_document_is_requested_with_its_validators(middleware):
    req = request(conditional=True)
    middleware.process_request(req)
    assert (req.headers[b"If-None-Match"], req.headers[b"If-Modified-Since"]) == (
        b'"abc"', b"Tue, 04 Mar 2025 10:00:00 GMT")


def test_listing_pages_are_always_fetched_in_full(middleware):
    req = request()
    middleware.process_request(req)
    assert b"If-None-Match" not in req.headers


def test_a_304_is_answered_with_the_archived_bytes(middleware):
    req = request(conditional=True)
    middleware.process_request(req)
    response = middleware.process_response(req, Response(URL, status=304, request=req))
    assert (response.status, response.body, "not_modified" in response.flags) == (200, BODY, True)


def test_a_changed_document_passes_through(middleware):
    req = request(conditional=True)
    middleware.process_request(req)
    fresh = Response(URL, status=200, body=b"%PDF-1.4 new minutes", request=req)
    assert middleware.process_response(req, fresh) is fresh


def confirmed_now(tmp_path):
    """A store whose document the server confirmed an hour ago, and the skipping middleware."""
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite'}")
    store.sync_sources([SOURCE])
    sha, relative = archive_bytes(tmp_path / "archive", BODY, "application/pdf")
    now = datetime.now(UTC) - timedelta(hours=1)
    store.save_document(SOURCE, URL, VersionRecord(
        sha256=sha, fetched_at=now, content_type="application/pdf", size=len(BODY),
        title="Minutes", archive_path=relative, text="", sections=[]), [FINDING], now)
    crawler = get_crawler(settings_dict={"SIDEDOOR_DB_URL": f"sqlite:///{tmp_path / 's.sqlite'}",
                                         "SIDEDOOR_DATA_DIR": str(tmp_path)})
    return store, crawler, SkipConfirmed.from_crawler(crawler)


FINDING = FindingRecord(id="f1", category="federal_access", agencies=["CBP"], snippet="CBP",
                        highlights=[], confidence=0.9, rules=["r"], start=0, end=3, section="")


def test_a_recently_confirmed_document_is_dropped_before_it_is_scheduled(tmp_path):
    _, crawler, middleware = confirmed_now(tmp_path)
    listing = Request("https://example.gov/minutes/", meta={"source_id": SOURCE.id})
    out = list(middleware.process_spider_output(None, [request(conditional=True), listing]))
    assert out == [listing]
    assert (crawler.stats.get_value(f"sidedoor/{SOURCE.id}/documents_fetched"),
            crawler.stats.get_value(f"sidedoor/{SOURCE.id}/documents_unchanged")) == (1, 1)


def test_a_document_confirmed_long_ago_is_requested(middleware, tmp_path):
    crawler = get_crawler(settings_dict={"SIDEDOOR_DB_URL": f"sqlite:///{tmp_path / 's.sqlite'}",
                                         "SIDEDOOR_DATA_DIR": str(tmp_path)})
    req = request(conditional=True)
    assert list(SkipConfirmed.from_crawler(crawler).process_spider_output(None, [req])) == [req]


def test_skipped_documents_and_their_findings_are_marked_seen_when_the_crawl_ends(tmp_path):
    store, _, middleware = confirmed_now(tmp_path)
    list(middleware.process_spider_output(None, [request(conditional=True)]))
    middleware.spider_closed()
    with store.session() as s:
        document, finding = s.scalar(select(Document)), s.get(Finding, "f1")
        assert document.last_seen == finding.last_seen == middleware.now
        assert document.checked_at < middleware.now  # the server was not asked


def test_a_source_s_stored_documents_are_read_once(tmp_path, monkeypatch):
    store, _, middleware = confirmed_now(tmp_path)
    calls = []
    monkeypatch.setattr(middleware.stored.store, "stored_documents",
                        lambda source_id: calls.append(source_id) or {})
    others = [Request(f"https://example.gov/other{i}.pdf",
                      meta={"source_id": SOURCE.id, "conditional": True}) for i in range(3)]
    assert list(middleware.process_spider_output(None, others)) == others
    assert calls == [SOURCE.id]


def test_both_middlewares_of_a_crawl_share_one_read_of_the_store(tmp_path):
    _, crawler, skip = confirmed_now(tmp_path)
    assert ConditionalRequests.from_crawler(crawler).stored is skip.stored
    other = get_crawler(settings_dict={"SIDEDOOR_DB_URL": f"sqlite:///{tmp_path / 's.sqlite'}",
                                       "SIDEDOOR_DATA_DIR": str(tmp_path)})
    assert ConditionalRequests.from_crawler(other).stored is not skip.stored
