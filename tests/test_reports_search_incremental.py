"""A site built over the last one finds, through its search index, exactly the pages a site
built from nothing finds (reports/search.py, reports/searchshards.py, with real Pagefind)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from store_seed import SITE, seed_folder
from test_reports_searchshards import found

from reports import searchshards
from reports.build import build_site


@pytest.fixture(autouse=True)
def small_shards(monkeypatch):
    monkeypatch.setattr(searchshards, "PAGES_PER_SHARD", 1)
    monkeypatch.setattr(searchshards, "MAX_SHARDS", 4)


def test_a_dismissed_finding_is_no_longer_found_and_the_rest_are(tmp_path: Path) -> None:
    seeded = seed_folder(tmp_path / "seed")
    public, scratch = tmp_path / "public", tmp_path / "scratch"

    def build(out: Path, reviews, day: int) -> None:
        build_site(seeded.store, out, site=SITE, archive_dir=seeded.archive_dir,
                   now=seeded.now + timedelta(days=day), reviews=reviews, search_index=True)

    build(public, seeded.reviews, 0)
    before = found(public)
    gone = seeded.finding_ids["hsi_pilot"]
    reviews = {**seeded.reviews, gone: seeded.reviews[seeded.finding_ids["vega_denial"]]}
    build(public, reviews, 1)
    build(scratch, reviews, 1)
    after = found(public)
    assert f"/findings/{gone}/" in before and f"/findings/{gone}/" not in after
    assert after == found(scratch) and len(after) == len(before) - 1
