"""Shared test fixtures: saved pages, the third-party corpus, and the --live switch."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request, Response, TextResponse

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"


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
    """The folder of real third-party pages; tests that need it skip only when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    return CORPUS


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
