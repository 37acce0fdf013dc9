"""A search index cut into shards by place: only the shards whose pages changed are indexed
again, and the browser is told which bundles to merge (reports/search.py, searchshards.py)."""

from __future__ import annotations

import gzip
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
    monkeypatch.setattr(searchshards, "MAX_SHARDS", 8)


def build(folder: Path, extra: str = "", new: int = 0, gone: tuple[int, ...] = ()) -> None:
    """A site of two finding pages per place and ``new`` more in places in turn, but for
    those numbered in ``gone``, with a build manifest of their fingerprints."""
    folder.mkdir(exist_ok=True)
    manifest = {}
    for number in range(12 + new):
        place = PLACES[number % len(PLACES)]
        if number in gone:
            continue
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


def found(site: Path) -> dict[str, str]:
    """Every page the index holds, over all its bundles: its URL and indexed words."""
    pages: dict[str, str] = {}
    for bundle in bundles(site):
        for fragment in (bundle / "fragment").iterdir():
            data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(
                b"pagefind_dcd"))
            assert data["url"] not in pages  # no page is in two shards
            pages[data["url"]] = data["content"]
    return pages


def page_count(bundle: Path) -> int:
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    return sum(language["page_count"] for language in entry["languages"].values())


def test_a_large_site_is_indexed_in_shards_holding_every_page_once(tmp_path: Path) -> None:
    build(tmp_path)
    index_site(tmp_path)
    shards = bundles(tmp_path)
    assert len(shards) == 4  # the places fall in every one of the four
    assert sum(page_count(bundle) for bundle in shards) == 12  # not the about page


def test_a_build_from_nothing_keeps_a_place_in_one_shard(tmp_path: Path) -> None:
    build(tmp_path)
    index_site(tmp_path)
    state = json.loads((tmp_path / "pagefind" / searchshards.STATE_FILE).read_text())
    shards = state["shard_of"]
    assert shards["findings/f0/index.html"] == shards["findings/f6/index.html"] == 1
    assert shards["about/index.html"] == searchshards.NOT_INDEXED


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
    linked: set[str] = set()
    with caplog.at_level(logging.INFO, logger="reports.searchshards"):
        assert index_site(new, previous=old, linked=linked) is True
    assert "read 0 new or changed pages" in caplog.text
    files = {path.relative_to(new).as_posix() for path in (new / "pagefind").rglob("*")
             if path.is_file()}
    assert linked == files - {"pagefind/shards.json", f"pagefind/{searchshards.STATE_FILE}"}
    assert all((new / path).stat().st_ino == (old / path).stat().st_ino for path in linked)
    assert [entry_inode(b) for b in bundles(new)] == [
        entry_inode(old / b.relative_to(new)) for b in bundles(new)]


def test_a_small_site_is_one_index_with_nothing_to_merge(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(searchshards, "PAGES_PER_SHARD", 500)
    build(tmp_path)
    index_site(tmp_path)
    assert bundles(tmp_path) == [tmp_path / "pagefind"]
    assert page_count(tmp_path / "pagefind") == 12


def test_new_pages_of_many_places_go_to_one_new_shard(tmp_path: Path) -> None:
    old, new, scratch = tmp_path / "old", tmp_path / "new", tmp_path / "scratch"
    build(old)
    index_site(old)
    build(new, new=4)  # in Marlow, Dover, Aurora and Reno: shards 1, 3, 2 and 0
    build(scratch, new=4)
    assert index_site(new, previous=old) is False
    changed = [bundle.relative_to(new) for bundle in bundles(new)
               if not (old / bundle.relative_to(new)).is_dir()
               or entry_inode(bundle) != entry_inode(old / bundle.relative_to(new))]
    assert changed == [Path("pagefind/s04"), Path("pagefind/s05")]  # two pages a shard
    index_site(scratch)
    assert found(new) == found(scratch) and len(found(new)) == 16


def test_a_page_gone_is_no_longer_found(tmp_path: Path) -> None:
    old, new, scratch = tmp_path / "old", tmp_path / "new", tmp_path / "scratch"
    build(old)
    index_site(old)
    build(new, gone=(0,))
    build(scratch, gone=(0,))
    assert index_site(new, previous=old) is False
    index_site(scratch)
    assert "/findings/f0/" not in found(new) and found(new) == found(scratch)


def test_shards_beyond_the_most_are_merged_and_every_page_still_found_once(
        tmp_path: Path) -> None:
    sites = [tmp_path / f"day{day}" for day in range(5)]
    build(sites[0])
    index_site(sites[0])
    for day in range(1, 5):  # three pages a day, two pages a shard: a new shard or two a day
        build(sites[day], new=3 * day)
        index_site(sites[day], previous=sites[day - 1])
        assert len(bundles(sites[day])) <= searchshards.MAX_SHARDS
    scratch = tmp_path / "scratch"
    build(scratch, new=12)
    index_site(scratch)
    assert found(sites[4]) == found(scratch) and len(found(scratch)) == 24
