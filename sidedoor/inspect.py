"""``sidedoor inspect``: run a platform's parser on a saved page or a live URL, store nothing.

For maintainers adding a source: it shows what the spider would yield and which findings the
engines would report, so a YAML entry can be checked before the first crawl.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.media import FORMATS, suffix_media_type

PLATFORMS = ("flock_portal", "audit_log", "document")


class InspectError(Exception):
    """The page cannot be read or parsed; the message names it."""


@dataclass(frozen=True)
class Page:
    """A saved file or a fetched URL."""

    location: str
    body: bytes
    media_type: str


def load(location: str, timeout: float = 30.0) -> Page:
    """Read a saved file, or fetch a live http(s) URL once with sidedoor's User-Agent."""
    if re.match(r"[a-z][a-z0-9+.-]*://", location, re.IGNORECASE) \
            or location.lower().startswith("data:"):
        from sidedoor.fetch import FetchError, fetch

        try:
            fetched = fetch(location, timeout=timeout)
        except FetchError as exc:
            raise InspectError(str(exc)) from None
        return Page(location, fetched.body, fetched.media_type)
    path = Path(location)
    if not path.is_file():
        raise InspectError(f"{location}: no such file (give a saved page or an http(s) URL)")
    return Page(location, path.read_bytes(), suffix_media_type(path.suffix, "text/html"))


def guess_platform(page: Page) -> str:
    """Which parser fits the page: a Flock portal, an audit-log export, or a plain document."""
    head = page.body[:400_000].decode("utf-8", "replace")
    if "transparency.flocksafety.com" in page.location or "data-tp-" in head \
            or re.search(r"Organizations granted access|uses Flock Safety", head, re.IGNORECASE):
        return "flock_portal"
    if page.media_type in (FORMATS["csv"], FORMATS["xlsx"]):
        return "audit_log"
    return "document"


def inspect_each(locations: Iterable[str], platform: str | None = None,
                 url: str | None = None) -> Iterator[dict[str, Any]]:  # Any: JSON out
    """One report per location, in order, each with its ``location``; a location that cannot
    be read or parsed gives ``{"location", "error"}`` and the others are still inspected (one
    process for hundreds of saved pages)."""
    for location in locations:
        try:
            yield {"location": location, **inspect(load(location), platform, url)}
        except (InspectError, ValueError) as exc:
            yield {"location": location, "error": str(exc)}


def inspect(page: Page, platform: str | None = None,
            url: str | None = None) -> dict[str, Any]:  # Any: JSON out
    """What the parser makes of ``page``, with the findings, as JSON-ready data; InspectError
    when the page is not in the parser's layout. ``url`` is where a saved page came from."""
    from spiders.base import LayoutChanged

    try:
        return _inspect(page, platform, url)
    except LayoutChanged as exc:
        raise InspectError(str(exc)) from None


def _inspect(page: Page, platform: str | None, url: str | None = None
             ) -> dict[str, Any]:  # Any: JSON out
    chosen = platform or guess_platform(page)
    if chosen not in PLATFORMS:
        return spider_report(page, chosen, url)
    if chosen == "flock_portal":
        from spiders.flock_portal_page import parse_portal

        return _snapshot_report(parse_portal(page.body.decode("utf-8", "replace"),
                                             page.location), chosen)
    if chosen == "audit_log":
        from spiders.audit_log import parse_audit_log
        from spiders.portal_snapshot import PortalSnapshot

        rows = parse_audit_log(page.body, page.location)
        return _snapshot_report(PortalSnapshot(agency=Path(page.location).stem,
                                               url=page.location, layout="audit_log",
                                               search_audit=rows), chosen)
    return _document_report(page)


def _snapshot_report(snapshot: Any, platform: str) -> dict[str, Any]:  # Any: PortalSnapshot
    from pipelines.portal import portal_findings, render_snapshot

    text, _sections = render_snapshot(snapshot)
    return {"platform": platform, **snapshot.to_json(),
            "findings": [finding_json(f) for f in portal_findings(snapshot, text)]}


def _document_report(page: Page) -> dict[str, Any]:  # Any: JSON out
    from pipelines.extract import extract
    from pipelines.text import TextError, extract_text, section_at

    try:
        text = extract_text(page.body, page.media_type, page.location)
    except TextError as exc:
        raise InspectError(str(exc)) from exc
    findings = extract(text.text)
    return {"platform": "document", "title": text.title, "characters": len(text.text),
            "sections": [s.label for s in text.sections],
            "findings": [{**finding_json(f), "section": section_at(text.sections, f.start)}
                         for f in findings]}


def finding_json(finding: Any) -> dict[str, Any]:  # Any: pipelines.extract.Finding
    """A finding as JSON-ready data (the shape of the evaluation interface)."""
    return {"category": finding.category.value, "agencies": list(finding.agencies),
            "start": finding.start, "end": finding.end, "snippet": finding.snippet,
            "confidence": finding.confidence, "rules": list(finding.rules)}


def spider_report(page: Page, platform: str, url: str | None) -> dict[str, Any]:  # Any: JSON
    """What a platform spider's first callback makes of a saved page: the documents and the
    requests it would yield, and the problems it would record (any platform in spiders/)."""
    import asyncio

    from scrapy.http import Headers
    from scrapy.responsetypes import responsetypes

    from config.schema import SourceConfig
    from spiders import spider_for
    from spiders.middlewares.layout import parse_as_scrapy_would

    where = url or (page.location if re.match(r"https?://", page.location)
                    else f"https://saved.example.invalid/{Path(page.location).name}")
    source = SourceConfig.model_validate({
        "id": "inspected_page", "name": "inspected page", "place": "?", "kind": "minutes",
        "platform": platform, "start_urls": [where], "documents": ["."]})
    spider = spider_for(platform)(source=source)
    first = asyncio.run(_first_request(spider))
    headers = Headers({"Content-Type": page.media_type})
    cls = responsetypes.from_args(headers=headers, url=first.url, body=page.body)
    response = cls(url=first.url, body=page.body, headers=headers, request=first)
    out = parse_as_scrapy_would(first.callback, response, spider, **first.cb_kwargs)
    documents = [o for o in out if hasattr(o, "source_id")]
    requests = [o for o in out if not hasattr(o, "source_id")]
    return {"platform": platform, "url": first.url,
            "documents": [{"url": d.url, "title": d.title, "published": d.published}
                          for d in documents],
            "requests": [{"url": r.url, "callback": getattr(r.callback, "__name__", None),
                          **{k: v for k, v in r.cb_kwargs.items() if isinstance(v, str)}}
                         for r in requests],
            "errors": list(spider.error_messages), "findings": []}


async def _first_request(spider: Any) -> Any:  # Any: a SourceSpider and its Request
    async for request in spider.start():
        return request
    raise InspectError(f"the {spider.name} spider makes no request for this page")
