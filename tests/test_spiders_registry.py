"""Every platform has a spider and a source that uses it (the sources' test_docs.py), and
Scrapy's own `scrapy list` and `scrapy crawl <source_id>` work."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from config.schema import SOURCES_PATH, load_sources, platforms
from sidedoor.store import Store
from spiders import spider_for
from tests.conftest import ROOT
from tests.local_sites import Quiet, serve

SOURCE_FILES = (SOURCES_PATH, ROOT / "demo" / "sources.yaml")


def used_platforms() -> set[str]:
    return {entry["platform"] for path in SOURCE_FILES
            for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"].values()}


@pytest.mark.parametrize("platform", platforms())
def test_every_platform_module_has_its_spider(platform):
    assert spider_for(platform).name == platform


@pytest.mark.parametrize("platform", platforms())
def test_every_platform_is_used_by_a_source(platform):
    assert platform in used_platforms()


def test_an_unknown_platform_says_what_is_missing():
    with pytest.raises(ModuleNotFoundError):
        spider_for("sharepoint")


def test_helper_modules_beside_the_spiders_are_not_platforms():
    assert {"base", "batch", "loader", "fetch_policy", "items"}.isdisjoint(platforms())


def names_its_spider(module: Path) -> bool:
    return re.search(rf"^\s+name\s*=\s*[\"']{module.stem}[\"']",
                     module.read_text(encoding="utf-8"), re.M) is not None


def test_the_registry_names_every_spider_module_named_after_its_spider():
    modules = sorted(p.stem for p in (ROOT / "spiders").glob("*.py") if names_its_spider(p))
    assert platforms() == modules


def scrapy(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_scrapy_list_lists_the_configured_sources():
    done = scrapy("list")
    expected = sorted(load_sources(SOURCES_PATH))  # single sources and source lists' rows
    assert (done.returncode, done.stdout.split()) == (0, expected), done.stderr[-2000:]


class Listing(Quiet):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        pages = {"/agendas": b'<html><body><a href="/agenda-2025-10-06.html">Agenda</a>',
                 "/agenda-2025-10-06.html": b"<html><title>Agenda</title><p>Roll call.</p>"}
        body = pages.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(body or b"")



def test_scrapy_crawl_with_a_source_id_crawls_that_source_into_the_store(tmp_path):
    server = serve(Listing)
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump({"sources": {"town_board": {
        "name": "Town Board", "place": "Town", "kind": "minutes", "platform": "document_index",
        "documents": ["agenda-"], "start_urls": [f"http://127.0.0.1:{server.server_port}/agendas"],
    }}}), encoding="utf-8")
    try:
        done = scrapy("crawl", "town_board", "-s", f"SIDEDOOR_SOURCES_PATH={sources}",
                      "-s", f"SIDEDOOR_DB_URL=sqlite:///{tmp_path / 'db.sqlite'}",
                      "-s", f"SIDEDOOR_DATA_DIR={tmp_path}", "-s", "DOWNLOAD_DELAY=0")
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr[-2000:]
    stored = Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}").stored_documents("town_board")
    assert [url.rsplit("/", 1)[-1] for url in stored] == ["agenda-2025-10-06.html"]
