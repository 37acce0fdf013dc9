"""Shared test fixtures: saved pages, the third-party corpus, and the --live switch."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from scrapy.http import HtmlResponse, Request, Response, TextResponse

# PostgreSQL beside SQLite: db_url runs a test on both (tests/postgres.py)
from tests.postgres import db_url, postgres_server, postgres_url  # noqa: F401

if TYPE_CHECKING:
    from spiders.portal_snapshot import PortalSnapshot

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# The shared folder of real third-party pages and labelled sets (never copied into the repo).
SHARED = Path(os.environ.get("SIDEDOOR_SHARED") or ROOT.parent / "shared")
CORPUS = SHARED / "corpus"
# Debian's chromium, as every browser test launches it (Playwright cannot download one here)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI a missing corpus is a failure, not a quiet skip of every test that reads it."""
    if os.environ.get("CI") == "true" and not (CORPUS.is_dir() and (SHARED / "eval").is_dir()):
        pytest.exit(f"{SHARED} has no corpus/ and eval/: CI must provide ../shared "
                    "(or set SIDEDOOR_SHARED)", returncode=1)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--live", action="store_true", help="run tests that use the internet")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--live"):
        return
    skip = pytest.mark.skip(reason="needs --live (uses the internet)")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The folder of real third-party pages; tests that need it skip only when it is absent,
    and fail when it is absent on CI (CI=true)."""
    if not CORPUS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CORPUS} is absent: CI must mount the shared corpus")
        pytest.skip(f"{CORPUS} is absent")
    return CORPUS


@pytest.fixture(scope="session")
def real_portal(corpus: Path) -> Callable[..., PortalSnapshot]:
    """Parse a real saved Flock portal page of ``flock_portals/real_pages`` by its file name
    ("galt-ca-pd_2026-04-26.html"), as fetched from its portal URL; ``html`` replaces the
    page's text (a real page with one thing changed)."""
    from spiders.flock_portal import parse_portal

    def parse(page: str, html: str | None = None) -> PortalSnapshot:
        slug = page.rsplit("_", 1)[0]
        text = html or (corpus / "flock_portals" / "real_pages" / page).read_text("utf-8")
        return parse_portal(text, f"https://transparency.flocksafety.com/{slug}")

    return parse


def response_for(path: Path, url: str, cls: type[Response] = HtmlResponse) -> Response:
    """A Scrapy response carrying a saved file's exact bytes, as if fetched from ``url``."""
    body = path.read_bytes()
    if cls is not Response and issubclass(cls, TextResponse):
        return cls(url=url, body=body, request=Request(url), encoding="utf-8")
    return cls(url=url, body=body, request=Request(url))


@pytest.fixture(scope="session")
def saved_page() -> Callable[..., Response]:
    """Build a response from tests/fixtures/<relative path>."""

    def load(relative: str, url: str, cls: type[Response] = HtmlResponse) -> Response:
        return response_for(FIXTURES / relative, url, cls)

    return load


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo world crawled and published once (``sidedoor demo``): its public folder."""
    import subprocess
    import sys

    base = tmp_path_factory.mktemp("demo-site")
    done = subprocess.run([sys.executable, "-m", "sidedoor.cli", "demo", "--fresh", "--json",
                           "--data", str(base / "data"), "--out", str(base / "public")],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return base / "public"


@pytest.fixture(scope="session")
def demo_base_url(demo_site: Path) -> Iterator[str]:
    """The published demo served on 127.0.0.1."""
    from tests.local_sites import served_folder

    with served_folder(demo_site) as url:
        yield url


@pytest.fixture(scope="module")
def demo_browser() -> Iterator[Any]:
    """Debian's chromium through Playwright, for the demo site's browser tests (one per
    module: Playwright's sync API runs one at a time)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
