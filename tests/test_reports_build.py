"""build_site end to end: an empty store, the search step, what the result reports."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import feedparser
from store_seed import SITE

from reports.build import build_site
from sidedoor.store import Store

NOW = datetime(2025, 3, 9, 7, 30, tzinfo=UTC)


def empty_build(tmp_path: Path):
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    (tmp_path / "archive").mkdir()
    return build_site(store, tmp_path / "public", site=SITE, archive_dir=tmp_path / "archive",
                      now=NOW, search_index=False)


def test_an_empty_store_builds_a_site_that_says_so(tmp_path: Path) -> None:
    result = empty_build(tmp_path)
    home = (result.out / "index.html").read_text(encoding="utf-8")
    assert "No findings yet." in home and "No crawl has run yet." in home


def test_an_empty_store_gives_valid_empty_feeds_and_data(tmp_path: Path) -> None:
    result = empty_build(tmp_path)
    parsed = feedparser.parse((result.out / "atom.xml").read_bytes())
    data = json.loads((result.out / "data" / "findings.json").read_text(encoding="utf-8"))
    assert (parsed.bozo, len(parsed.entries), data["findings"]) == (0, 0, [])


def test_the_result_names_the_output_folder_and_counts_the_pages(tmp_path: Path) -> None:
    result = empty_build(tmp_path)
    assert (result.out, result.pages, result.feeds) == (
        tmp_path / "public", len(list((tmp_path / "public").rglob("*.html"))),
        len(list((tmp_path / "public").rglob("*.xml"))))
