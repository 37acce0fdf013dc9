"""Run status: errors Scrapy signals in pipelines and callbacks reach the source's outcome."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from config.schema import parse_sources
from pipelines.runstatus import RunStatus
from pipelines.store import source_record
from sidedoor.store import Store
from spiders.batch import BatchSpider
from spiders.items import DocumentItem

URL = "http://127.0.0.1:8000/minutes.pdf"


@pytest.fixture
def closed(tmp_path):
    """Run status for a batch of two sources; call it with signals to send, get the rows."""
    sources = parse_sources({"sources": {
        source_id: {"name": source_id, "place": "Example", "kind": "minutes",
                    "platform": "document_index", "documents": ["pdf"],
                    "start_urls": [f"http://127.0.0.1:8000/{source_id}"]}
        for source_id in ("town_board", "county_board")}}, Path("t"))
    store = Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store.sync_sources(source_record(s) for s in sources.values())
    run_id = store.start_run("test", datetime.now(UTC))
    crawler = get_crawler(BatchSpider, {"SIDEDOOR_RUN_ID": run_id})
    spider = BatchSpider(sources=list(sources.values()))
    crawler.spider = spider
    status = RunStatus(store, run_id, crawler)

    def close(*send) -> dict:
        for signal in send:
            signal(status)
        status.spider_closed(spider, "finished")
        return {row.source_id: row for row in store.source_runs(run_id)}

    return close


def failure(exc: Exception) -> Failure:
    try:
        raise exc
    except type(exc):
        return Failure()


def response_of(source_id: str) -> HtmlResponse:
    return HtmlResponse(URL, body=b"<html></html>",
                        request=Request(URL, meta={"source_id": source_id}))


def test_an_exception_in_a_pipeline_is_an_error_of_the_items_source(closed):
    item = DocumentItem(source_id="town_board", url=URL, body=b"%PDF", content_type="x",
                        fetched_at=datetime.now(UTC))
    rows = closed(lambda s: s.item_error(item, response_of("town_board"), None,
                                         failure(ValueError("patterns.yaml: bad rule"))))
    assert rows["town_board"].error_messages[0] == (
        f"{URL}: internal error: could not be processed: ValueError: patterns.yaml: bad rule")
    assert rows["county_board"].errors == 1  # empty, but not blamed for the other's error


def test_an_exception_in_a_callback_is_an_error_of_the_responses_source(closed):
    rows = closed(lambda s: s.spider_error(failure(KeyError("EventItems")),
                                           response_of("county_board"), None))
    assert rows["county_board"].error_messages[0].startswith(
        f"{URL}: internal error: could not be parsed: KeyError")
