"""Open data written over a previous build: only changed findings are encoded again,
unchanged files are the previous build's, and every file is byte for byte what a build from
nothing writes (reports/opendata.py, reports/datarows.py)."""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from store_seed import SITE, seed_folder

import reports.opendata
from reports.context import load_site_data
from reports.datarows import STATE_FILE
from reports.incremental import Fingerprints
from reports.opendata import write_open_data
from reports.views import SiteData

BASE = str(SITE.base_url)


@pytest.fixture
def seeded(tmp_path: Path):
    return seed_folder(tmp_path / "seed")


def load(seeded, reviews) -> SiteData:
    with seeded.store.session() as session:
        return load_site_data(session, reviews=reviews, broken_after=SITE.broken_after,
                              archive_dir=seeded.archive_dir)


def write(seeded, data: SiteData, out: Path, previous: Path | None, day: int = 0) -> None:
    """The open data of one build into ``out``, over the build at ``previous``."""
    out.mkdir()
    fingerprints = Fingerprints(out, previous)
    write_open_data(out, data, BASE, seeded.now + timedelta(days=day), fingerprints)
    fingerprints.save()


def files(site: Path) -> dict[str, tuple[int, bytes]]:
    """Each file under ``data/``: its inode and its bytes."""
    return {path.relative_to(site).as_posix(): (path.stat().st_ino, path.read_bytes())
            for path in sorted((site / "data").rglob("*")) if path.is_file()}


def contents(site: Path) -> dict[str, bytes]:
    return {path: body for path, (_, body) in files(site).items()}


@pytest.fixture
def encoded(monkeypatch) -> list[str]:
    """The ids of the findings encoded from their views (not taken from the last build)."""
    seen: list[str] = []
    original = reports.opendata.finding_record

    def record(f, base_url):
        seen.append(f.id)
        return original(f, base_url)

    monkeypatch.setattr(reports.opendata, "finding_record", record)
    return seen


def test_a_changed_finding_is_encoded_again_and_the_rest_reused(tmp_path, seeded, encoded,
                                                                 caplog) -> None:
    one, two, scratch = tmp_path / "one", tmp_path / "two", tmp_path / "scratch"
    write(seeded, load(seeded, seeded.reviews), one, None)
    changed = seeded.finding_ids["hsi_pilot"]  # its review is withdrawn
    data = load(seeded, {k: v for k, v in seeded.reviews.items() if k != changed})
    encoded.clear()
    with caplog.at_level(logging.INFO, logger="reports.opendata"):
        write(seeded, data, two, one, day=1)
    assert encoded == [changed] and "cannot copy" not in caplog.text  # the database's too
    write(seeded, data, scratch, None, day=1)
    assert contents(two) == contents(scratch)
    first, again = files(one), files(two)
    showing = {path for path, (_, body) in first.items()
               if path.endswith(".csv") and changed.encode() in body}
    assert len(showing) >= 3  # findings.csv, its place's, its category's, ...
    assert {path for path in again if again[path][0] != first[path][0]} == showing | {
        "data/findings.json", "data/sources.json", "data/findings.sqlite", STATE_FILE}


def test_an_unchanged_store_encodes_nothing_and_links_every_file_without_the_clock(
        tmp_path, seeded, encoded) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    data = load(seeded, seeded.reviews)
    write(seeded, data, one, None)
    encoded.clear()
    write(seeded, data, two, one, day=1)
    first, again = files(one), files(two)
    assert encoded == []
    assert {path for path in again if again[path][0] != first[path][0]} == {
        "data/findings.json", "data/sources.json", STATE_FILE}
    assert json.loads(again["data/findings.json"][1])["findings"] == json.loads(
        first["data/findings.json"][1])["findings"]


@pytest.mark.parametrize("damage", [
    lambda site: (site / STATE_FILE).write_text("{not json", encoding="utf-8"),
    lambda site: (site / "data" / "findings.json").write_bytes(b"[]"),
    lambda site: (site / "data" / "findings.csv").unlink(),
])
def test_a_damaged_previous_build_is_encoded_from_the_views(tmp_path, seeded, encoded,
                                                            damage) -> None:
    one, two, scratch = tmp_path / "one", tmp_path / "two", tmp_path / "scratch"
    data = load(seeded, seeded.reviews)
    write(seeded, data, one, None)
    damage(one)
    encoded.clear()
    write(seeded, data, two, one, day=1)
    assert len(encoded) == len(data.findings)
    write(seeded, data, scratch, None, day=1)
    assert contents(two) == contents(scratch)


def test_a_finding_missing_from_the_last_database_is_written_from_findings_json(
        tmp_path, seeded, caplog) -> None:
    one, two, scratch = tmp_path / "one", tmp_path / "two", tmp_path / "scratch"
    write(seeded, load(seeded, seeded.reviews), one, None)
    with sqlite3.connect(one / "data" / "findings.sqlite") as db:
        db.execute("DELETE FROM findings WHERE rowid = 2")
    changed = seeded.finding_ids["hsi_pilot"]
    data = load(seeded, {k: v for k, v in seeded.reviews.items() if k != changed})
    with caplog.at_level(logging.INFO, logger="reports.opendata"):
        write(seeded, data, two, one, day=1)
    assert "findings.sqlite lacks 1 of the findings to copy from it" in caplog.text
    write(seeded, data, scratch, None, day=1)
    assert contents(two) == contents(scratch)
