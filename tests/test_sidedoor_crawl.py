"""The crawl process's pool: how many sources run at once, and how many on one host."""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import Settings
from twisted.internet.defer import Deferred

from config.schema import parse_sources
from sidedoor.crawl import Pool


class FakeCrawler:
    def __init__(self) -> None:
        self.settings = Settings()
        self.stats = None


class FakeProcess:
    """Records which sources were started and lets the test finish them."""

    def __init__(self) -> None:
        self.started: dict[str, Deferred[None]] = {}

    def create_crawler(self, _spider: object) -> FakeCrawler:
        return FakeCrawler()

    def crawl(self, _crawler: FakeCrawler, source) -> Deferred[None]:
        self.started[source.id] = Deferred()
        return self.started[source.id]


def sources(hosts: list[str]):
    entries = {f"town_{i}_board": {"name": f"S{i}", "place": "Example", "kind": "minutes",
                         "platform": "document_index", "documents": ["pdf"],
                         "start_urls": [f"https://{host}/list"]}
               for i, host in enumerate(hosts)}
    return list(parse_sources({"sources": entries}, Path("t")).values())


def test_the_pool_starts_no_more_than_its_size_and_the_next_when_one_ends():
    process = FakeProcess()
    pool = Pool(process, sources(["a.gov", "b.gov", "c.gov", "d.gov"]), parallel=2,
                per_host=4)
    pool.fill()
    assert list(process.started) == ["town_0_board", "town_1_board"]
    process.started["town_1_board"].callback(None)
    assert list(process.started) == ["town_0_board", "town_1_board", "town_2_board"]


def test_sources_on_one_host_wait_for_each_other_but_not_for_other_hosts():
    process = FakeProcess()
    pool = Pool(process, sources(["legistar.com", "legistar.com", "other.gov"]), parallel=3,
                per_host=1)
    pool.fill()
    assert list(process.started) == ["town_0_board", "town_2_board"]
    process.started["town_0_board"].callback(None)
    assert list(process.started) == ["town_0_board", "town_2_board", "town_1_board"]


def test_a_source_whose_crawl_failed_to_start_frees_its_place():
    process = FakeProcess()
    pool = Pool(process, sources(["a.gov", "b.gov"]), parallel=1, per_host=1)
    pool.fill()
    process.started["town_0_board"].errback(RuntimeError("spider failed to open"))
    assert list(process.started) == ["town_0_board", "town_1_board"]
