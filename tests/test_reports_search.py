"""The Pagefind step: it writes the index, and its failures say what to do."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import reports.search
from reports.search import SearchIndexError, index_site


def test_pagefind_indexes_marked_pages_with_their_filters(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><body><main data-pagefind-body><h1>Plate reads</h1>'
        '<span data-pagefind-filter="place">Marlow, IL</span></main></body></html>',
        encoding="utf-8")
    index_site(tmp_path)
    entry = (tmp_path / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert (tmp_path / "pagefind" / "pagefind.js").is_file() and '"page_count":1' in entry


def test_a_failing_pagefind_names_the_site_and_its_message(tmp_path: Path, monkeypatch) -> None:
    def failed(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 1, "", "Error: unreadable file x.html")

    monkeypatch.setattr(reports.search.subprocess, "run", failed)
    with pytest.raises(SearchIndexError, match=f"pagefind failed on {tmp_path}: Error: unread"):
        index_site(tmp_path)


def test_a_missing_pagefind_says_how_to_install_it(tmp_path: Path, monkeypatch) -> None:
    def missing(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 1, "", "No module named pagefind")

    monkeypatch.setattr(reports.search.subprocess, "run", missing)
    with pytest.raises(SearchIndexError, match=r"pip install 'pagefind\[bin\]'"):
        index_site(tmp_path)


def page(folder: Path, text: str) -> None:
    (folder / "index.html").write_text(
        f'<!doctype html><html lang="en"><body><main data-pagefind-body><h1>{text}</h1>'
        "</main></body></html>", encoding="utf-8")


def test_an_unchanged_site_reuses_the_previous_index(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old, new):
        folder.mkdir()
        page(folder, "Plate reads")
    index_site(old)
    reused = index_site(new, previous=old)
    assert reused and (new / "pagefind" / "pagefind.js").stat().st_ino == (
        old / "pagefind" / "pagefind.js").stat().st_ino


def test_a_changed_page_is_indexed_again(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for folder, text in ((old, "Plate reads"), (new, "Plate reads by ICE")):
        folder.mkdir()
        page(folder, text)
    index_site(old)
    assert index_site(new, previous=old) is False
