"""Incremental builds: only pages and feeds whose inputs changed are rendered again, and the
result is always the site a full build would give."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from store_seed import SITE, load_seed, seed_folder

from reports.build import build_site
from reports.incremental import MANIFEST, Fingerprints
from sidedoor.store import DocumentVersion, Store


def build(seeded, out: Path, now=None):
    return build_site(seeded.store, out, site=SITE, archive_dir=seeded.archive_dir,
                      now=now or seeded.now, reviews=seeded.reviews, search_index=False)


def without(key: str) -> dict:
    data = load_seed()
    data["findings"] = [f for f in data["findings"] if f["key"] != key]
    return data


def files(root: Path) -> dict[str, Path]:
    """The site's files (what a build keeps for the next is beside it, not in it)."""
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}


def inodes(root: Path) -> dict[str, int]:
    return {name: path.stat().st_ino for name, path in files(root).items()}


def same_site(a: Path, b: Path) -> None:
    ours, theirs = files(a), files(b)
    assert sorted(ours) == sorted(theirs)
    changed = [name for name in ours if ours[name].read_bytes() != theirs[name].read_bytes()]
    assert changed == []


def test_an_unchanged_store_renders_only_the_pages_that_show_the_clock(tmp_path):
    seeded = seed_folder(tmp_path / "store")
    out = tmp_path / "public"
    first = build(seeded, out)
    before = inodes(out)
    second = build(seeded, out, now=seeded.now + timedelta(hours=1))
    # the home page and the sources page say when the site was built; nothing else changed
    assert (first.reused, second.rendered) == (0, 2)
    assert second.reused == first.rendered - 2
    after = inodes(out)
    kept = {name for name in before if after.get(name) == before[name]}
    assert {"index.html", "sources/index.html"}.isdisjoint(kept)
    assert {name for name in before if name.startswith(("findings/", "feeds/"))} <= kept


def test_a_document_seen_again_does_not_re_render_its_findings(tmp_path):
    seeded = seed_folder(tmp_path / "store")
    out = tmp_path / "public"
    build(seeded, out)
    with seeded.store.session() as s:
        versions = list(s.scalars(DocumentVersion.__table__.select().with_only_columns(
            DocumentVersion.id)))
    before = inodes(out)
    seen = seeded.now + timedelta(days=1)
    seeded.store.touch_versions(versions, seen, checked=False)
    build(seeded, out)
    after = inodes(out)
    # last_seen is in the open data only: every page and feed is the last build's file
    assert [n for n in before if n.endswith((".html", ".xml")) and after[n] != before[n]] == []
    assert seen.strftime("%Y-%m-%dT%H:%M:%SZ") in (out / "data" / "findings.json").read_text()


def test_a_new_finding_renders_its_pages_and_matches_a_full_build(tmp_path):
    out = tmp_path / "public"
    build(seed_folder(tmp_path / "before", without("prairie_lookup")), out)
    before = inodes(out)
    full = seed_folder(tmp_path / "after")
    result = build(full, out)
    fresh = tmp_path / "fresh"
    build(full, fresh)
    same_site(out, fresh)
    new_id = full.finding_ids["prairie_lookup"]
    after = inodes(out)
    assert f"findings/{new_id}/index.html" not in before
    # another place's finding and feed were not touched
    marlow = full.finding_ids["texas_dps"]
    assert after[f"findings/{marlow}/index.html"] == before[f"findings/{marlow}/index.html"]
    marlow_feeds = [n for n in before if n.startswith("feeds/places/marlow")]
    assert marlow_feeds and all(after[n] == before[n] for n in marlow_feeds)
    assert 0 < result.rendered < result.rendered + result.reused


def test_a_change_to_sidedoor_s_rendering_code_renders_everything(tmp_path, monkeypatch):
    seeded = seed_folder(tmp_path / "store")
    out = tmp_path / "public"
    first = build(seeded, out)
    monkeypatch.setattr("reports.incremental.code_digest", lambda: "another version")
    assert build(seeded, out).reused == 0
    assert first.rendered > 0


@pytest.mark.parametrize("manifest", ["{not json", "[1, 2]", None])
def test_missing_or_damaged_fingerprints_mean_a_full_build(tmp_path, manifest):
    seeded = seed_folder(tmp_path / "store")
    out = tmp_path / "public"
    build(seeded, out)
    if manifest is None:
        (out / MANIFEST).unlink()
    else:
        (out / MANIFEST).write_text(manifest, encoding="utf-8")
    result = build(seeded, out)
    assert result.reused == 0
    fresh = tmp_path / "fresh"
    build(seeded, fresh)
    same_site(out, fresh)


def test_a_page_missing_from_the_published_site_is_rendered_again(tmp_path):
    seeded = seed_folder(tmp_path / "store")
    out = tmp_path / "public"
    build(seeded, out)
    (out / "about" / "index.html").unlink()
    build(seeded, out)
    assert (out / "about" / "index.html").read_text(encoding="utf-8").startswith("<!doctype html>")


def test_the_fingerprints_describe_the_files_beside_them(tmp_path):
    seeded = seed_folder(tmp_path / "store")
    out = tmp_path / "public"
    build(seeded, out)
    manifest = (out / MANIFEST).read_text(encoding="utf-8")
    assert '"index.html"' in manifest and '"feed.xml"' in manifest
    assert os.path.exists(out / "feeds")


def test_a_value_that_cannot_be_fingerprinted_is_refused_by_name(tmp_path):
    fingerprints = Fingerprints(tmp_path, None)
    with pytest.raises(TypeError, match="cannot fingerprint a Store"):
        fingerprints.digest("page.html", {"store": Store.open("sqlite://")})
