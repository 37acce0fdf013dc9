"""Conditional requests: validators go out, a 304 comes back as the archived copy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from pipelines.archive import archive_bytes
from pipelines.conditional import ConditionalRequests
from sidedoor.store import SourceRecord, Store, VersionRecord

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


def test_a_recently_confirmed_document_is_taken_from_the_archive_without_a_request(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite'}")
    store.sync_sources([SOURCE])
    sha, relative = archive_bytes(tmp_path / "archive", BODY, "application/pdf")
    now = datetime.now(UTC)
    store.save_document(SOURCE, URL, VersionRecord(
        sha256=sha, fetched_at=now, content_type="application/pdf", size=len(BODY),
        title="Minutes", archive_path=relative, text="", sections=[]), [], now)
    crawler = get_crawler(settings_dict={"SIDEDOOR_DB_URL": f"sqlite:///{tmp_path / 's.sqlite'}",
                                         "SIDEDOOR_DATA_DIR": str(tmp_path)})
    response = ConditionalRequests.from_crawler(crawler).process_request(request(conditional=True))
    assert (response.body, response.flags) == (BODY, ["from_archive"])
