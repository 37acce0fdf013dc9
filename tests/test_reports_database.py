"""data/findings.sqlite: the public tables of the open data, for Datasette and SQL tools."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from store_seed import SITE, seed_folder

from reports.build import build_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("database")
    seeded = seed_folder(folder)
    build_site(seeded.store, folder / "public", site=SITE, archive_dir=seeded.archive_dir,
               now=seeded.now, reviews=seeded.reviews, search_index=False)
    return folder / "public" / "data"


@pytest.fixture(scope="module")
def db(site: Path):
    connection = sqlite3.connect(f"file:{site / 'findings.sqlite'}?mode=ro", uri=True)
    yield connection
    connection.close()


def test_it_holds_the_findings_of_findings_json(site: Path, db) -> None:
    published = json.loads((site / "findings.json").read_text("utf-8"))["findings"]
    ids = [r[0] for r in db.execute("SELECT id FROM findings ORDER BY first_seen DESC, id DESC")]
    assert ids == [f["id"] for f in published]


def test_agencies_can_be_faceted(db) -> None:
    counts = dict(db.execute("SELECT agency, count(*) FROM finding_agencies GROUP BY agency"))
    assert counts == {"CBP": 2, "FBI": 1, "HSI": 1, "ICE": 1, "Texas DPS": 1}


def test_every_finding_has_its_evidence(db) -> None:
    missing = db.execute("SELECT count(*) FROM findings WHERE id NOT IN "
                         "(SELECT finding_id FROM evidence)").fetchone()[0]
    assert missing == 0


def test_only_public_tables_are_published(db) -> None:
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"findings", "finding_agencies", "evidence", "sources"}
