"""A search index cut into shards by place: only the shards whose pages changed are indexed
again, and the browser is told which bundles to merge (reports/search.py, searchshards.py)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from reports import searchshards
from reports.incremental import MANIFEST
from reports.search import index_site

# in shards 1, 3, 2, 0, 0, 1 of four
PLACES = ["Marlow, IL", "Dover, DE", "Aurora, CO", "Reno, NV", "Boise, ID", "Akron, OH"]


@pytest.fixture(autouse=True)
def small_shards(monkeypatch):
    monkeypatch.setattr(searchshards, "PAGES_PER_SHARD", 2)
    monkeypatch.setattr(searchshards, "MAX_SHARDS", 4)


def build(folder: Path, extra: str = "") -> None:
    """A site of two finding pages per place, with a build manifest of their fingerprints."""
    manifest = {}
    for number, place in enumerate(PLACES * 2):
        path = f"findings/f{number}/index.html"
        words = f"Plate reads number {number} shared with ICE"
        if extra and number == 0:
            words += f" {extra}"
        (folder / path).parent.mkdir(parents=True)
        (folder / path).write_text(
            '<!doctype html><html lang="en"><body><main data-pagefind-body>'
            f'<span data-pagefind-filter="place">{place}</span><h1>{words}</h1></main>'
            "</body></html>", encoding="utf-8")
        manifest[path] = f"{number}-{extra}" if number == 0 else str(number)
    (folder / "about").mkdir()
    (folder / "about" / "index.html").write_text("<html><body>About</body></html>")
    manifest["about/index.html"] = "about"
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def bundles(site: Path) -> list[Path]:
    merged = json.loads((site / "pagefind" / "shards.json").read_text())["merge"]
    return [site / "pagefind"] + [site / "pagefind" / name for name in merged]


def entry_inode(bundle: Path) -> int:
    return (bundle / "pagefind-entry.json").stat().st_ino


def page_count(bundle: Path) -> int:
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    return sum(language["page_count"] for language in entry["languages"].values())


def test_a_large_site_is_indexed_in_shards_holding_every_page_once(tmp_path: Path) -> None:
    build(tmp_path)
    index_site(tmp_path)
    shards = bundles(tmp_path)
    assert len(shards) == 4  # the places fall in every one of the four
    assert sum(page_count(bundle) for bundle in shards) == 12  # not the about page


def test_a_place_stays_in_one_shard(tmp_path: Path) -> None:
    build(tmp_path)
    index_site(tmp_path)
    state = json.loads((tmp_path / "pagefind" / searchshards.STATE_FILE).read_text())
    keys = {path: entry[1] for path, entry in state["pages"].items()}
    assert keys["findings/f0/index.html"] == keys["findings/f6/index.html"] == "Marlow, IL"
    assert keys["about/index.html"] is None


def test_only_the_shard_of_a_changed_page_is_indexed_again(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    build(old)
    index_site(old)
    build(new, extra="and CBP")
    assert index_site(new, previous=old) is False
    changed = [bundle.relative_to(new) for bundle in bundles(new)
               if entry_inode(bundle) != entry_inode(old / bundle.relative_to(new))]
    assert changed == [Path("pagefind/s01")]  # Marlow's shard, where f0 is


def test_an_unchanged_site_reads_no_page_and_reuses_every_shard(tmp_path: Path,
                                                                caplog) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    build(old)
    index_site(old)
    build(new)
    with caplog.at_level(logging.INFO, logger="reports.searchshards"):
        assert index_site(new, previous=old) is True
    assert "read 0 new or changed pages" in caplog.text
    assert [entry_inode(b) for b in bundles(new)] == [
        entry_inode(old / b.relative_to(new)) for b in bundles(new)]


def test_a_small_site_is_one_index_with_nothing_to_merge(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(searchshards, "PAGES_PER_SHARD", 500)
    build(tmp_path)
    index_site(tmp_path)
    assert bundles(tmp_path) == [tmp_path / "pagefind"]
    assert page_count(tmp_path / "pagefind") == 12
