"""Atomic publish: the new site replaces the old in one step; a failed build changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from store_seed import SITE, seed_folder

import reports.build
import reports.publish
from reports.build import build_site
from reports.buildstate import state_folder
from reports.publish import link_archive, publish, staging


@pytest.fixture
def seeded(tmp_path: Path):
    return seed_folder(tmp_path / "store")


def build(seeded, out: Path, reviews=None):
    return build_site(seeded.store, out, site=SITE, archive_dir=seeded.archive_dir,
                      now=seeded.now, reviews=seeded.reviews if reviews is None else reviews,
                      search_index=False)


def leftovers(parent: Path) -> list[str]:
    """Staging folders and old sites beside ``parent / "public"`` (not the state a build
    keeps there for the next: reports/buildstate.py)."""
    reports.publish.settle()  # old sites are deleted in the background
    kept = state_folder(parent / "public")
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".public.")
                  and p != kept)


def test_a_failed_build_keeps_the_old_site(seeded, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "public"
    build(seeded, out)
    before = (out / "index.html").read_bytes()

    def fail(*args: object, **kwargs: object) -> int:
        raise RuntimeError("feed writer exploded")

    monkeypatch.setattr(reports.build, "write_feeds", fail)
    with pytest.raises(RuntimeError, match="exploded"):
        build(seeded, out, reviews={})
    assert ((out / "index.html").read_bytes(), leftovers(tmp_path)) == (before, [])


def test_a_new_build_replaces_the_old_site_and_leaves_nothing_behind(seeded,
                                                                     tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(seeded, out)
    (out / "stale.html").write_text("from an old build", encoding="utf-8")
    build(seeded, out)
    assert ((out / "stale.html").exists(), (out / "index.html").is_file(),
            leftovers(tmp_path)) == (False, True, [])


def test_publishing_works_without_an_atomic_exchange(seeded, tmp_path: Path,
                                                     monkeypatch) -> None:
    monkeypatch.setattr(reports.publish, "_exchange", lambda a, b: False)
    out = tmp_path / "public"
    build(seeded, out)
    (out / "stale.html").write_text("old", encoding="utf-8")
    build(seeded, out)
    reports.publish.settle()
    assert ((out / "stale.html").exists(), sorted(p.name for p in tmp_path.iterdir())) == (
        False, [".public.build-state", "public", "store"])


def test_the_published_folder_is_readable_by_a_web_server(seeded, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(seeded, out)
    assert out.stat().st_mode & 0o755 == 0o755


def test_staging_removes_its_folder_when_the_build_fails(tmp_path: Path) -> None:
    with pytest.raises(KeyError), staging(tmp_path / "public") as folder:
        (folder / "half.html").write_text("half", encoding="utf-8")
        raise KeyError("boom")
    assert list(tmp_path.iterdir()) == []


def test_publish_into_a_new_place_is_a_rename(tmp_path: Path) -> None:
    built = tmp_path / "built"
    built.mkdir()
    (built / "index.html").write_text("new", encoding="utf-8")
    publish(built, tmp_path / "public")
    assert (tmp_path / "public" / "index.html").read_text() == "new" and not built.exists()


def test_an_old_site_left_half_deleted_is_deleted_by_the_next_publish(tmp_path: Path) -> None:
    left = tmp_path / ".public.old-dead" / "public"  # a process ended while deleting it
    left.mkdir(parents=True)
    (left / "index.html").write_text("old", encoding="utf-8")
    for text in ("first", "second"):
        built = tmp_path / f"built-{text}"
        built.mkdir()
        (built / "index.html").write_text(text, encoding="utf-8")
        publish(built, tmp_path / "public")
    reports.publish.settle()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]
    assert (tmp_path / "public" / "index.html").read_text() == "second"


def test_archive_files_are_hard_linked_not_copied(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    (archive / "ab").mkdir(parents=True)
    (archive / "ab" / "abc.pdf").write_bytes(b"%PDF-1.7")
    link_archive(archive, {"abc.pdf": "ab/abc.pdf"}, tmp_path / "public" / "archive")
    assert os.stat(tmp_path / "public" / "archive" / "abc.pdf").st_ino == os.stat(
        archive / "ab" / "abc.pdf").st_ino


def test_archive_files_are_copied_when_a_link_is_impossible(tmp_path: Path,
                                                            monkeypatch) -> None:
    archive = tmp_path / "archive"
    (archive / "ab").mkdir(parents=True)
    (archive / "ab" / "abc.pdf").write_bytes(b"%PDF-1.7")

    def cross_device(src: object, dst: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(reports.publish.os, "link", cross_device)
    link_archive(archive, {"abc.pdf": "ab/abc.pdf"}, tmp_path / "public" / "archive")
    assert (tmp_path / "public" / "archive" / "abc.pdf").read_bytes() == b"%PDF-1.7"


def test_a_rebuild_keeps_unchanged_files_untouched_and_replaces_changed_ones(tmp_path):
    from reports.publish import publish, staging

    out = tmp_path / "public"
    for contents in ({"a.html": "same", "b.html": "old"}, {"a.html": "same", "b.html": "new"}):
        with staging(out) as folder:
            for name, text in contents.items():
                (folder / name).write_text(text, encoding="utf-8")
            if (out / "a.html").exists():
                before = {n: (out / n).stat().st_ino for n in contents}
            publish(folder, out)
    after = {n: (out / n).stat().st_ino for n in ("a.html", "b.html")}
    assert (after["a.html"] == before["a.html"], after["b.html"] == before["b.html"]) == (
        True, False)
    assert (out / "b.html").read_text(encoding="utf-8") == "new"


def test_a_file_linked_into_both_builds_is_published_without_leftovers(tmp_path):
    archive = tmp_path / "archive" / "ab.pdf"
    archive.parent.mkdir()
    archive.write_bytes(b"%PDF-1.4 minutes")
    out = tmp_path / "public"
    for _ in range(2):
        built = tmp_path / "built"
        link_archive(archive.parent, {"ab.pdf": "ab.pdf"}, built / "archive")
        publish(built, out)
    assert sorted(p.name for p in (out / "archive").iterdir()) == ["ab.pdf"]
