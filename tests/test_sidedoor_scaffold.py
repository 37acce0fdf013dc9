"""`sidedoor new-source`: a drafted YAML entry, or a new spider with a failing test."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
import yaml

from config.schema import ConfigError, parse_sources
from sidedoor.inspect import Page
from sidedoor.scaffold import ScaffoldError, append_entry, draft_entry, write_spider
from tests.conftest import FIXTURES

LISTING = Page("https://village.example.gov/board/agendas.html",
               (FIXTURES / "document_index" / "agendas.html").read_bytes(), "text/html")


def test_a_listing_page_drafts_a_valid_document_index_entry(tmp_path):
    entry, note = draft_entry(LISTING, source_id="example_village_board", name="Board",
                              place="Example", kind="minutes")
    sources = parse_sources({"sources": entry}, tmp_path / "s.yaml")
    assert sources["example_village_board"].documents == (r"\.pdf$",)
    assert note.endswith("match 4 links on the page")


def test_appending_refuses_an_id_that_exists(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n", encoding="utf-8")
    entry, _ = draft_entry(LISTING, source_id="example_village_board", name="Board",
                           place="Example", kind="minutes")
    append_entry(path, entry)
    assert list(yaml.safe_load(path.read_text())["sources"]) == ["example_village_board"]
    with pytest.raises(ScaffoldError, match="sources.example_village_board exists already"):
        append_entry(path, entry)


def test_a_new_spider_comes_with_its_saved_page_and_a_failing_test(tmp_path):
    root = FIXTURES.parent.parent  # a throwaway copy of the project's code to write into
    for folder in ("spiders", "config"):
        shutil.copytree(root / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "tests").mkdir()
    for helper in ("conftest.py", "postgres.py"):  # the conftest imports its PostgreSQL part
        shutil.copy(root / "tests" / helper, tmp_path / "tests" / helper)
    written = write_spider(LISTING, "example_village_board", root=tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "spiders/example_village_board.py", "tests/test_spiders_example_village_board.py",
        "tests/fixtures/example_village_board/agendas.html", "config/platforms.py"]
    registry = (tmp_path / "config" / "platforms.py").read_text(encoding="utf-8")
    assert '    "example_village_board",\n' in registry
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          str(written[1]), "--rootdir", str(tmp_path), "-c", "/dev/null"],
                         cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(tmp_path)})
    assert "assert 4 == -1" in run.stdout, run.stdout[-2000:]


def test_an_unknown_platform_in_a_draft_is_caught_by_validation(tmp_path):
    entry, _ = draft_entry(LISTING, source_id="example_village_board", name="Board",
                           place="Example", kind="minutes", platform="sharepoint")
    with pytest.raises(ConfigError, match="got 'sharepoint'"):
        parse_sources({"sources": entry}, tmp_path / "s.yaml")
