"""Search in a real browser over an index cut into shards: the page merges every shard
(Pagefind's ``mergeIndex``) and finds, filters and counts as over one index."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_reports_browser as browser_tests
from playwright.sync_api import Page
from store_seed import SITE, seed_folder

from reports import searchshards
from reports.build import build_site
from tests.local_sites import served_folder

pytestmark = pytest.mark.enable_socket
browser, page = browser_tests.browser, browser_tests.page  # the same fixtures


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shards")
    seeded = seed_folder(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(searchshards, "PAGES_PER_SHARD", 1)
        patch.setattr(searchshards, "MAX_SHARDS", 4)
        build_site(seeded.store, folder / "public", site=SITE,
                   archive_dir=seeded.archive_dir, now=seeded.now, reviews=seeded.reviews,
                   search_index=True)
    return folder / "public"


@pytest.fixture(scope="module")
def base_url(sharded_site: Path) -> Iterator[str]:
    with served_folder(sharded_site) as url:
        yield url


def test_the_site_has_several_shards(sharded_site: Path) -> None:
    merged = json.loads((sharded_site / "pagefind" / "shards.json").read_text())["merge"]
    assert merged and all((sharded_site / "pagefind" / name / "pagefind-entry.json").is_file()
                          for name in merged)


def test_filters_count_the_pages_of_every_shard(page: Page, base_url: str) -> None:
    page.goto(base_url + "search/")
    page.locator("#search-filters:not([hidden])").wait_for()
    years = page.locator("#filter-year option").all_inner_texts()
    assert (years, page.errors) == (["any", "2025 (8)"], [])  # type: ignore[attr-defined]


def test_a_place_filter_finds_all_its_pages(page: Page, base_url: str) -> None:
    page.goto(base_url + "search/?place=Marlow%2C+IL")
    page.locator("#search-status", has_text="result").wait_for()
    titles = sorted(page.locator("#search-results li > a").all_inner_texts())
    assert titles == ["Federal access in Marlow, IL (CBP)",
                      "Immigration-related search in Marlow, IL (ICE)",
                      "Marlow Police Department: Flock transparency portal",
                      "Out-of-state sharing in Marlow, IL (Texas DPS)"]


def test_words_are_found_across_shards(page: Page, base_url: str) -> None:
    page.goto(base_url + "search/?q=warrant")
    first = page.locator("#search-results li a").first
    first.wait_for()
    assert first.inner_text() == "Immigration-related search in Marlow, IL (ICE)"
    assert page.errors == []  # type: ignore[attr-defined]
