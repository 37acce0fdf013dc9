"""The crawl process: which crawlers a batch of sources gets."""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import Settings

from config.schema import parse_sources
from sidedoor.crawl import crawlers_for
from spiders.batch import BatchSpider


class FakeProcess:
    def create_crawler(self, spider: type) -> object:
        assert spider is BatchSpider
        crawler = type("FakeCrawler", (), {})()
        crawler.settings = Settings({"DOWNLOAD_HANDLERS": {"http": "playwright"}})
        return crawler


def sources(platforms: dict[str, str]):
    entries = {source_id: {"name": source_id, "place": "Example", "kind": "minutes",
                           "platform": platform, "documents": ["pdf"],
                           "start_urls": [f"https://{source_id}.example.gov/list"]}
               for source_id, platform in platforms.items()}
    return list(parse_sources({"sources": entries}, Path("t")).values())


def test_plain_sources_share_one_crawler_without_a_browser():
    batch = sources({"town_a_board": "document_index", "town_b_board": "civicplus",
                     "town_c_police": "flock_portal"})
    crawlers = crawlers_for(batch, FakeProcess())
    assert [[s.id for s in group] for _, group in crawlers] == [
        ["town_a_board", "town_b_board"], ["town_c_police"]]
    plain, browser = (crawler for crawler, _ in crawlers)
    assert dict(plain.settings["DOWNLOAD_HANDLERS"]) == {"data": None, "ftp": None, "s3": None}
    assert browser.settings["DOWNLOAD_HANDLERS"] == {"http": "playwright"}


def test_the_browser_crawler_checks_its_requests_against_its_sources_start_urls():
    batch = sources({"town_a_board": "document_index", "town_c_police": "flock_portal"})
    _, (browser, _) = crawlers_for(batch, FakeProcess())
    policy = browser.settings["PLAYWRIGHT_ABORT_REQUEST"].policy
    assert {e.host for e in policy.endpoints} == {"town_c_police.example.gov"}


def test_a_batch_of_plain_sources_starts_no_browser_crawler():
    crawlers = crawlers_for(sources({"town_a_board": "document_index"}), FakeProcess())
    assert len(crawlers) == 1
