"""The text pipeline in a real crawl over 127.0.0.1: a hostile file stops at its limit with a
one-line error of its source, and the good source of the same batch is stored."""

from __future__ import annotations

import sqlite3

import pytest
from test_pipelines_officetext import MEMO, memo_docx
from test_pipelines_reader import workbook

from config.schema import parse_sources
from demo.server import DemoWorld
from sidedoor import runner

LIMITS = {"cells": 10_000, "wall_seconds": 30}
HOSTILE_SCRIPT = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n<script>alert(1)</script>"


def site(folder, name: str, files: dict[str, bytes]) -> None:
    root = folder / name
    root.mkdir(parents=True)
    links = "".join(f'<li><a href="/docs/{file}">{file}</a></li>' for file in files)
    (root / "index.html").write_text(f"<html><body><ul>{links}</ul></body></html>")
    (root / "docs").mkdir()
    for file, body in files.items():
        (root / "docs" / file).write_bytes(body)


def source(host: str, pattern: str) -> dict:
    return {"name": "Board", "place": "Ridgemoor", "kind": "records",
            "platform": "document_index", "start_urls": [f"http://{host}/index.html"],
            "documents": [pattern]}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sites")
    site(folder, "hostile", {"audit.xlsx": workbook(("A1", "reason"), ("XFD1048576", "ICE"))})
    site(folder, "good", {"memo.docx": memo_docx(), "notice.hta": HOSTILE_SCRIPT})
    data = tmp_path_factory.mktemp("data")
    with DemoWorld(sites=folder, first_port=None) as world:
        sources = parse_sources({"sources": {
            "ridgemoor_hostile_board": source(world.hosts["hostile"], r"\.xlsx$"),
            "ridgemoor_good_board": source(world.hosts["good"], r"/docs/"),
        }}, folder / "sources.yaml")
        paths = runner.Paths(data, f"sqlite:///{data / 's.sqlite'}", data / "public")
        _run_id, rows = runner.crawl(list(sources.values()), paths, command="test",
                                     settings={"SIDEDOOR_LIMITS": LIMITS})
    return {"rows": {r.source_id: r for r in rows}, "db": sqlite3.connect(data / "s.sqlite"),
            "archive": data / "archive"}


@pytest.mark.enable_socket
def test_the_hostile_file_is_its_source_s_one_line_too_large_error(crawled):
    row = crawled["rows"]["ridgemoor_hostile_board"]
    assert (row.errors, [m.split(": ", 1)[1] for m in row.error_messages]) == (1, [
        "too large: number of cells (at least) 10,001 is over the limit of 10,000 (raise "
        "limits.cells in config/site.yaml to read it)"])


@pytest.mark.enable_socket
def test_the_good_source_of_the_batch_is_stored_with_its_text(crawled):
    texts = [t for (t,) in crawled["db"].execute("SELECT text FROM document_versions")]
    assert [MEMO[3] in t for t in texts if "Immigration" in t] == [True]


@pytest.mark.enable_socket
def test_the_store_passes_its_integrity_check(crawled):
    assert crawled["db"].execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.enable_socket
def test_archived_files_are_world_readable_under_their_sniffed_extensions(crawled):
    files = sorted(crawled["archive"].rglob("*.*"))
    assert sorted((p.suffix, p.stat().st_mode & 0o777) for p in files) == [
        (".docx", 0o644), (".pdf", 0o644), (".xlsx", 0o644)]
