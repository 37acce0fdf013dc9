"""What a build keeps for the next one (its views and clock pages) is kept beside the
published site, never in it, bound to the site it describes: a state kept for another site
is ignored, and a failed build leaves the old state with the old site."""

from __future__ import annotations

import hashlib
import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from store_seed import SITE, load_seed, seed_folder

from reports.build import build_site
from reports.buildstate import site_digest, state_folder
from reports.incremental import MANIFEST


def build(seeded, out: Path, now=None):
    return build_site(seeded.store, out, site=SITE, archive_dir=seeded.archive_dir,
                      now=now or seeded.now, reviews=seeded.reviews, search_index=False)


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def state(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(state_folder(out).iterdir())}


def test_the_state_is_beside_the_site_and_named_by_its_fingerprints(tmp_path):
    seeded = seed_folder(tmp_path / "store")
    out = tmp_path / "public"
    build(seeded, out)
    assert [p for p in out.rglob("*") if p.suffix == ".pickle"] == []
    assert [p.name for p in out.rglob(".sidedoor-*")] == [MANIFEST, ".sidedoor-rows.json"]
    digest = hashlib.sha256((out / MANIFEST).read_bytes()).hexdigest()
    assert state_folder(out) == tmp_path / ".public.build-state"
    assert sorted(state(out)) == [f"clock-{digest}.pickle", f"views-{digest}.pickle"]

    again = build(seeded, out, now=seeded.now + timedelta(hours=1))
    assert again.rendered == 2  # the pages that show the build time, from the kept clock
    assert [p for p in out.rglob("*") if p.suffix == ".pickle"] == []
    assert sorted(state(out)) == sorted(f"{name}-{site_digest(out)}.pickle"
                                        for name in ("clock", "views"))


def test_a_state_kept_for_another_site_is_ignored(tmp_path):
    data = load_seed()
    dropped = next(f["key"] for f in data["findings"] if f["key"] not in data["reviews"])
    data["findings"] = [f for f in data["findings"] if f["key"] != dropped]
    one = seed_folder(tmp_path / "one", data)  # one finding fewer: its files are all in two's
    two = seed_folder(tmp_path / "two")
    out, other = tmp_path / "public", tmp_path / "other"
    build(one, out)
    build(two, other)
    kept = state(out)
    shutil.rmtree(out)  # the site replaced by another build's; the state stays
    os.rename(other, out)

    later = one.now + timedelta(hours=1)
    result = build(one, out, now=later)
    assert result.rendered > 2  # not the clock of `one`'s site retimed over `two`'s
    build(one, tmp_path / "scratch", now=later)
    ours, theirs = files(out), files(tmp_path / "scratch")
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []
    assert set(state(out)).isdisjoint(kept)


def test_a_failed_build_leaves_the_old_state_with_the_old_site(tmp_path, monkeypatch):
    seeded = seed_folder(tmp_path / "store")
    out = tmp_path / "public"
    build(seeded, out)
    site, kept = files(out), state(out)

    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("reports.build.publish", fail)
    with pytest.raises(RuntimeError):
        build(seeded, out, now=seeded.now + timedelta(hours=1))
    assert files(out) == site
    assert state(out) == kept
    monkeypatch.undo()
    assert build(seeded, out, now=seeded.now + timedelta(hours=2)).rendered == 2
