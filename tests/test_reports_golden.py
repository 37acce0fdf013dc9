"""Golden files: the site built from tests/fixtures/store_seed.json, compared byte for byte.

After a deliberate change to templates, feeds or exports, regenerate with

    SIDEDOOR_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_reports_golden.py    (or: make golden)

and review the diff of tests/golden/ like code. The Pagefind index is not part of the
goldens (it is binary and versioned by Pagefind); the browser tests cover search. Nor is
data/findings.sqlite (SQLite writes its own version into it; tests/test_reports_database.py
reads it), nor what a build keeps for the next (its fingerprints digest sidedoor's own
code); tests/test_reports_incremental.py and tests/test_reports_reload.py cover them.
"""

from __future__ import annotations

import difflib
import os
import shutil
from fnmatch import fnmatch
from pathlib import Path

import pytest
from store_seed import SITE, seed_folder

from reports.build import build_site

GOLDEN = Path(__file__).resolve().parent / "golden" / "site"
# what a build keeps for the next one: its fingerprints (reports/incremental.py), views
# (reports/viewcache.py), clock pages (reports/unchanged.py), open data rows
BOOKKEEPING = ".sidedoor-*"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("golden")
    seeded = seed_folder(folder)
    out = folder / "public"
    build_site(seeded.store, out, site=SITE, archive_dir=seeded.archive_dir, now=seeded.now,
               reviews=seeded.reviews, search_index=False)
    if os.environ.get("SIDEDOOR_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN, ignore=shutil.ignore_patterns(BOOKKEEPING, "*.sqlite"))
    return out


def files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*"))
            if p.is_file() and not fnmatch(p.name, BOOKKEEPING) and p.suffix != ".sqlite"}


def test_built_site_has_exactly_the_golden_files(built: Path) -> None:
    assert sorted(files(built)) == sorted(files(GOLDEN))


def test_every_built_file_matches_its_golden_copy(built: Path) -> None:
    expected = files(GOLDEN)
    differences = []
    for name, path in files(built).items():
        if name not in expected or path.read_bytes() == expected[name].read_bytes():
            continue
        diff = difflib.unified_diff(
            expected[name].read_text(encoding="utf-8").splitlines(),
            path.read_text(encoding="utf-8").splitlines(),
            f"golden/{name}", f"built/{name}", lineterm="", n=1)
        differences.append("\n".join(list(diff)[:40]))
    assert not differences, (
        f"{len(differences)} files differ from tests/golden/site; if the change is meant, "
        "regenerate with SIDEDOOR_UPDATE_GOLDEN=1 .venv/bin/pytest "
        "tests/test_reports_golden.py\n\n" + "\n\n".join(differences[:5]))
