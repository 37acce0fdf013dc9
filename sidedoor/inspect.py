"""``sidedoor inspect``: run a platform's parser on a saved page or a live URL, store nothing.

For maintainers adding a source: it shows what the spider would yield and which findings the
engines would report, so a YAML entry can be checked before the first crawl. The page is a
stranger's: its whole parse runs in a reading process of ``pipelines/worker.py`` under the
limits of a crawl (``limits:`` in config/site.yaml), so a decompression bomb, a pathological
PDF or a huge page ends as one line naming it ("too large", "too slow", "not a readable PDF").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from config.media import FORMATS, suffix_media_type

if TYPE_CHECKING:
    from config.limits import Limits
    from pipelines.worker import ReadingPool

PLATFORMS = ("flock_portal", "audit_log", "document")


class InspectError(Exception):
    """The page cannot be read or parsed; the message names it."""


@dataclass(frozen=True)
class Page:
    """A saved file or a fetched URL."""

    location: str
    body: bytes
    media_type: str


def load(location: str, limits: Limits | None = None, timeout: float = 30.0) -> Page:
    """Read a saved file, or fetch a live http(s) URL once with sidedoor's User-Agent; a page
    over ``limits.bytes`` is an InspectError (a file that big is not read at all)."""
    from config.limits import Limits
    from pipelines.sections import TextError, check_size, file_bytes

    most = (limits or Limits()).bytes
    if re.match(r"[a-z][a-z0-9+.-]*://", location, re.IGNORECASE) \
            or location.lower().startswith("data:"):
        from sidedoor.fetch import FetchError, fetch

        try:
            fetched = fetch(location, timeout=timeout)
        except FetchError as exc:
            raise InspectError(str(exc)) from None
        try:
            check_size(location, len(fetched.body), most)
        except TextError as exc:
            raise InspectError(str(exc)) from None
        return Page(location, fetched.body, fetched.media_type)
    path = Path(location)
    if not path.is_file():
        raise InspectError(f"{location}: no such file (give a saved page or an http(s) URL)")
    try:
        body = file_bytes(path, most, location)
    except TextError as exc:
        raise InspectError(str(exc)) from None
    return Page(location, body, suffix_media_type(path.suffix, "text/html"))


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
                 url: str | None = None, limits: Limits | None = None
                 ) -> Iterator[dict[str, Any]]:  # Any: JSON out
    """One report per location, in order, each with its ``location``; a location that cannot
    be read or parsed, or goes past ``limits`` (default: config/site.yaml's), gives
    ``{"location", "error"}`` and the others are still inspected (one reading process for
    hundreds of saved pages)."""
    with reading_pool(limits) as pool:
        for location in locations:
            try:
                page = load(location, pool.limits)
                report = in_reader(pool, location, "sidedoor.inspect:inspect_page", page,
                                   platform, url, pool.limits)
            except InspectError as exc:
                yield {"location": location, "error": str(exc)}
            else:
                yield {"location": location, **report}


@contextmanager
def reading_pool(limits: Limits | None = None) -> Iterator[ReadingPool]:
    """A pool of reading processes under ``limits`` (default: ``limits:`` in config/site.yaml),
    stopped on leaving; its first process starts now, while the page is fetched."""
    from pipelines.worker import ReadingPool

    if limits is None:
        from config.schema import load_site

        limits = load_site().limits
    pool = ReadingPool(limits.model_copy(update={"workers": 1}))  # a page at a time
    starting = pool.start_in_background()
    try:
        yield pool
    finally:
        starting.join()
        pool.close()


def in_reader(pool: ReadingPool, location: str, function: str, *args: Any,
              **kwargs: Any) -> Any:  # Any: what ``function`` takes and returns
    """``function(*args, **kwargs)`` (``"module:name"``) in a reading process of ``pool``,
    where a page cannot hang or exhaust this machine: InspectError naming ``location`` when
    the page is unreadable or goes past a limit (too large, too slow), as in a crawl."""
    from pipelines.sections import TextError

    try:
        return pool.run(location, function, *args, **kwargs)
    except TextError as exc:
        raise InspectError(str(exc)) from None


def inspect_page(page: Page, platform: str | None = None, url: str | None = None,
                 limits: Limits | None = None) -> dict[str, Any]:  # Any: JSON out
    """:func:`inspect` as run in a reading process: its InspectError is a TextError there, the
    error a reading process passes back as it is (see :func:`in_reader`)."""
    from pipelines.sections import TextError

    try:
        return inspect(page, platform, url, limits)
    except (InspectError, ValueError) as exc:
        raise TextError(str(exc)) from None


def inspect(page: Page, platform: str | None = None, url: str | None = None,
            limits: Limits | None = None) -> dict[str, Any]:  # Any: JSON out
    """What the parser makes of ``page``, with the findings, as JSON-ready data; InspectError
    when the page is not in the parser's layout. ``url`` is where a saved page came from.
    This runs in the calling process: :func:`inspect_each` runs it in a reading process."""
    from spiders.base import LayoutChanged

    try:
        return _inspect(page, platform, url, limits)
    except LayoutChanged as exc:
        raise InspectError(str(exc)) from None


def _inspect(page: Page, platform: str | None, url: str | None = None,
             limits: Limits | None = None) -> dict[str, Any]:  # Any: JSON out
    chosen = platform or guess_platform(page)
    if chosen not in PLATFORMS:
        return spider_report(page, chosen, url)
    if chosen == "flock_portal":
        from spiders.flock_portal_page import parse_portal

        return _snapshot_report(parse_portal(page.body.decode("utf-8", "replace"),
                                             page.location), chosen)
    if chosen == "audit_log":
        from pipelines.audit_read import parse_audit_log
        from pipelines.sections import TextError
        from spiders.portal_snapshot import PortalSnapshot

        try:  # the file's limits as a crawl's (decompressed bytes, cells)
            rows = parse_audit_log(page.body, page.location, limits)
        except TextError as exc:
            raise InspectError(str(exc)) from exc
        return _snapshot_report(PortalSnapshot(agency=Path(page.location).stem,
                                               url=page.location, layout="audit_log",
                                               search_audit=rows), chosen)
    return _document_report(page, limits)


def _snapshot_report(snapshot: Any, platform: str) -> dict[str, Any]:  # Any: PortalSnapshot
    from pipelines.portal import portal_findings, render_snapshot

    text, _sections = render_snapshot(snapshot)
    return {"platform": platform, **snapshot.to_json(),
            "findings": [finding_json(f) for f in portal_findings(snapshot, text)]}


def _document_report(page: Page, limits: Limits | None) -> dict[str, Any]:  # Any: JSON out
    from pipelines.extract import extract
    from pipelines.reader import read_document
    from pipelines.sections import TextError, section_at

    try:
        text = read_document(page.body, page.media_type, page.location, limits)
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
