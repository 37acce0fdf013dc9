"""``sidedoor new-source``: draft a source entry, or a new platform's spider, from a page.

For a page on a platform sidedoor knows, it drafts the YAML entry (with ``documents``
patterns guessed from the links on the page). For a site unlike any platform, it writes a
spider on the base classes, a saved fixture page and a test that fails until someone writes
real assertions (so an unfinished spider can never pass CI).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from parsel import Selector

from sidedoor.inspect import Page, guess_platform
from spiders.base import attribute

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT_SUFFIX = re.compile(r"\.(pdf|docx?|csv|xlsx?)(?:$|\?)", re.IGNORECASE)
DOCUMENT_WORDS = re.compile(r"\b(agenda|minutes|audit|report|packet)s?\b", re.IGNORECASE)


class ScaffoldError(Exception):
    """The scaffold cannot be written (a file exists, the id is taken); the message says which."""


def document_patterns(page: Page) -> tuple[list[str], int]:
    """Regexes for the document links of a listing page, and how many links they match."""
    html = page.body.decode("utf-8", "replace")
    base = page.location if page.location.startswith("http") else "https://example.invalid/"
    links = [(urljoin(base, h), " ".join(t.split()))
             for h, t in ((attribute(a, "href"), " ".join(a.css("*::text").getall()))
                          for a in Selector(text=html).css("a[href]"))]
    suffixes = Counter(m.group(1).lower() for url, _ in links
                       if (m := DOCUMENT_SUFFIX.search(url)))
    patterns = [rf"\.{suffix}$" for suffix, _ in suffixes.most_common()]
    if not patterns and any(DOCUMENT_WORDS.search(text) for _, text in links):
        patterns = [r"(?i)\b(agenda|minutes|audit|report)s?\b"]
    matched = sum(1 for url, text in links
                  if any(re.search(p, url) or re.search(p, text) for p in patterns))
    return patterns, matched


def draft_entry(page: Page, *, source_id: str, name: str, place: str, kind: str,
                platform: str | None = None) -> tuple[dict[str, Any], str]:  # Any: YAML out
    """A sources.yaml entry for ``page`` and a one-line note on what was guessed."""
    chosen = platform or {"document": "document_index"}.get(guess_platform(page),
                                                              guess_platform(page))
    start = page.location if page.location.startswith("http") else "https://CHANGE-ME.example/"
    entry: dict[str, Any] = {"name": name, "place": place, "kind": kind, "platform": chosen,
                             "start_urls": [start], "schedule": "0 6 * * *"}
    note = f"platform {chosen}"
    if chosen == "document_index":
        patterns, matched = document_patterns(page)
        entry["documents"] = patterns or ["CHANGE-ME"]
        note += f"; documents patterns {patterns} match {matched} links on the page"
    return {source_id: entry}, note


def entry_yaml(entry: dict[str, Any]) -> str:  # Any: YAML out
    """The entry as it would stand under ``sources:`` in config/sources.yaml."""
    text = yaml.safe_dump(entry, sort_keys=False, allow_unicode=True, width=100)
    return "".join(f"  {line}\n" for line in text.splitlines())


def append_entry(sources_path: Path, entry: dict[str, Any]) -> None:  # Any: YAML out
    """Append an entry to a sources file (made if missing), refusing an id already there."""
    source_id = next(iter(entry))
    if not sources_path.exists():
        sources_path.write_text("sources:\n", encoding="utf-8")
    existing = yaml.safe_load(sources_path.read_text(encoding="utf-8")) or {}
    if source_id in (existing.get("sources") or {}):
        raise ScaffoldError(f"{sources_path}: sources.{source_id} exists already; "
                            "choose another --id or edit the entry")
    with sources_path.open("a", encoding="utf-8") as handle:
        handle.write("\n" + entry_yaml(entry))


def write_spider(page: Page, source_id: str, root: Path = ROOT) -> list[Path]:
    """Write spiders/<id>.py, tests/test_spiders_<id>.py and tests/fixtures/<id>/<page>, and
    register the spider in config/platforms.py."""
    name = Path(urlsplit(page.location).path).name or "index.html"
    files = {
        root / "spiders" / f"{source_id}.py": SPIDER.format(id=source_id,
                                                            cls=_class_name(source_id)),
        root / "tests" / f"test_spiders_{source_id}.py": TEST.format(
            id=source_id, cls=_class_name(source_id), page=name, url=page.location),
    }
    taken = [p for p in [*files, root / "tests" / "fixtures" / source_id / name] if p.exists()]
    if taken:
        raise ScaffoldError(f"{taken[0]} exists already; nothing was written")
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    fixture = root / "tests" / "fixtures" / source_id / name
    fixture.parent.mkdir(parents=True, exist_ok=True)
    fixture.write_bytes(page.body)
    registry = root / "config" / "platforms.py"
    register_platform(registry, source_id)
    return [*files, fixture, registry]


def register_platform(registry: Path, name: str) -> None:
    """Add ``name`` to the PLATFORMS tuple of config/platforms.py, keeping it sorted."""
    text = registry.read_text(encoding="utf-8")
    head, _, rest = text.partition("PLATFORMS = (\n")
    body, _, tail = rest.partition("\n)")
    names = {line.strip().strip('",') for line in body.splitlines() if line.strip()}
    lines = "\n".join(f'    "{n}",' for n in sorted(names | {name}))
    registry.write_text(f"{head}PLATFORMS = (\n{lines}\n){tail}", encoding="utf-8")


def _class_name(source_id: str) -> str:
    return "".join(part.title() for part in source_id.split("_")) + "Spider"


SPIDER = '''"""{id}: a spider for a site unlike any platform sidedoor knows.

Written by `sidedoor new-source --spider`; replace the parse method with the site's
structure, and report with self.fail when the page no longer has it.
"""

from __future__ import annotations

from collections.abc import Iterator

from scrapy.http import Request, Response

from spiders.base import SourceSpider, attribute
from spiders.items import DocumentItem


class {cls}(SourceSpider):
    """Documents of {id}."""

    name = "{id}"

    def parse(self, response: Response) -> Iterator[Request | DocumentItem]:
        links = response.css("a[href$='.pdf']")
        if not links:
            self.fail(response.url, "no PDF links; did the page change?")
            return
        for link in links:
            title = " ".join(link.css("*::text").getall()).strip()
            yield self.request(response.urljoin(attribute(link, "href")), self.parse_document,
                               meta={{"conditional": True}}, cb_kwargs={{"title": title}})

    def parse_document(self, response: Response, title: str) -> Iterator[DocumentItem]:
        yield self.document(response, title=title)
'''

TEST = '''"""The {id} spider on its saved page."""

from __future__ import annotations

import pytest

from config.schema import SourceConfig
from spiders.{id} import {cls}

URL = "{url}"


@pytest.fixture
def results(saved_page):
    source = SourceConfig.model_validate({{
        "id": "{id}", "name": "CHANGE ME", "place": "CHANGE ME", "kind": "minutes",
        "platform": "{id}", "start_urls": [URL]}})
    return list({cls}(source=source).parse(saved_page("{id}/{page}", URL)))


def test_finds_every_document_on_the_saved_page(results):
    # Count the documents on the saved page by hand and write the number here.
    assert len(results) == -1
'''
