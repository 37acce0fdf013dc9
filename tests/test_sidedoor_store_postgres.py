"""End to end on PostgreSQL: the same crawl of the demo world and the same site build, once into
SQLite and once into a real PostgreSQL server (tests/postgres.py), give the same records.

The demo's browser source (the Flock portal) is left out: what is checked here is the store,
and the browser costs more time than every other source together.
"""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from sqlalchemy import select

from config.schema import load_sources
from demo.server import DemoWorld
from sidedoor.runner import Paths, build, crawl
from sidedoor.store import Document, DocumentVersion, Finding, Occurrence, Store

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "RETRY_TIMES": 1}


def stored(url: str) -> dict[str, object]:
    """What a run left in a store, in a form that does not depend on the backend."""
    store = Store.open(url)
    with store.session() as s:
        return {
            "documents": sorted(s.scalars(select(Document.url)).all()),
            "versions": sorted(s.scalars(select(DocumentVersion.sha256)).all()),
            "findings": sorted(s.execute(select(Finding.id, Finding.category,
                                                Finding.snippet)).all()),
            "occurrences": sorted(s.execute(select(Occurrence.finding_id, Occurrence.start,
                                                   Occurrence.section)).all()),
        }


@pytest.fixture(scope="module")
def runs(tmp_path_factory, postgres_server):
    """Crawl and build on each backend, and crawl PostgreSQL's a second time."""
    name = "sidedoor_e2e"
    postgres_server.sql(f"DROP DATABASE IF EXISTS {name}")
    postgres_server.sql(f"CREATE DATABASE {name}")
    base = tmp_path_factory.mktemp("backends")
    urls = {"sqlite": f"sqlite:///{base / 'sqlite' / 'sidedoor.sqlite'}",
            "postgresql": postgres_server.url(name)}
    results: dict[str, dict[str, object]] = {}
    with DemoWorld() as world:
        sources = [s for s in load_sources(ROOT / "demo" / "sources.yaml",
                                           substitutions=world.hosts).values()
                   if s.platform != "flock_portal"]
        for backend, url in urls.items():
            paths = Paths(data_dir=base / backend, db_url=url, public_dir=base / backend / "site")
            _, first = crawl(sources, paths, command="test", settings=SETTINGS)
            second = (crawl(sources, paths, command="test", settings=SETTINGS)[1]
                      if backend == "postgresql" else [])
            build(paths, ROOT / "demo" / "site.yaml", search=False)
            results[backend] = {"first": first, "second": second, "stored": stored(url),
                                "feed": feedparser.parse(
                                    (paths.public_dir / "feed.xml").read_bytes())}
    yield results
    Store._open.pop(urls["postgresql"]).engine.dispose()
    postgres_server.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_crawl_into_postgresql_stores_what_a_crawl_into_sqlite_stores(runs):
    assert runs["postgresql"]["stored"] == runs["sqlite"]["stored"]


def test_the_crawl_into_postgresql_finds_the_demo_findings_without_errors(runs):
    rows = runs["postgresql"]["first"]
    assert (sum(r.errors for r in rows), sum(r.findings_new for r in rows) > 5) == (0, True)


def test_a_second_crawl_into_postgresql_finds_nothing_new(runs):
    rows = runs["postgresql"]["second"]
    assert (sum(r.documents_new for r in rows), sum(r.findings_new for r in rows)) == (0, 0)


def test_the_site_built_from_postgresql_has_the_feed_built_from_sqlite(runs):
    def guids(backend: str) -> list[str]:
        return sorted(entry.id for entry in runs[backend]["feed"].entries)

    assert guids("postgresql") == guids("sqlite") and len(guids("sqlite")) > 5
