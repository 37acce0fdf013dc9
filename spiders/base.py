"""The base of every platform spider: one spider instance crawls one configured source.

A platform spider subclasses :class:`SourceSpider`, sets ``name`` to its platform and
implements ``parse``. The base builds requests (Playwright when the source says
``render_js: true``), turns responses into :class:`DocumentItem`, and records every failed
request with the source id and URL so the run summary and the status page can show it.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from parsel import Selector
from scrapy import exceptions as scrapy_errors
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from twisted.internet import error as twisted_errors
from twisted.python.failure import Failure

from config.media import suffix_media_type
from config.schema import SourceConfig
from spiders.items import DocumentItem


class LayoutChanged(Exception):
    """A page no longer has the structure its parser expects; the site was probably redesigned."""


def attribute(node: Selector, name: str) -> str:
    """An element's attribute, or "" (parsel's ``.attrib`` reads every attribute, and lxml
    raises on a hostile page's malformed attribute names: asking for one name does not)."""
    root = node.root
    value = root.get(name) if hasattr(root, "get") else None
    return value if isinstance(value, str) else ""


def header(response: Response, name: str) -> str | None:
    """A response header as text, or None."""
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class SourceSpider(scrapy.Spider):
    """Crawls one source of ``config/sources.yaml``."""

    name = "source"
    # Whether the spider may retry a page through Playwright (a bot challenge) even when the
    # source does not ask for render_js; only such crawls start a browser driver.
    may_need_browser: ClassVar[bool] = False

    # The source a spider class was made for by spiders/loader.py (``scrapy crawl <id>``).
    configured_source: ClassVar[SourceConfig | None] = None

    def __init__(self, source: SourceConfig | None = None,
                 **kwargs: Any) -> None:  # Any: Scrapy's kwargs
        super().__init__(name=self.name, **kwargs)
        chosen = source or self.configured_source
        if chosen is None:
            raise ValueError(f"the {self.name} spider crawls a configured source: run "
                             "`scrapy crawl <source_id>` (`scrapy list` lists them)")
        self.source = chosen
        self.error_messages: list[str] = []
        self.said_once: set[str] = set()

    async def start(self) -> AsyncIterator[Request]:
        for url in self.source.urls:
            yield self.request(url, self.parse)

    def request(self, url: str, callback: Callable[..., Any], **kwargs: Any) -> Request:
        """A request with this source's errback, and Playwright when it renders JavaScript."""
        meta = dict(kwargs.pop("meta", {}))
        meta.setdefault("source_id", self.source.id)
        # one download slot (concurrency, delay, backoff) per site, port included
        meta.setdefault("download_slot", urlsplit(url).netloc.lower())
        if self.source.render_js:
            meta["playwright"] = True
        return Request(url, callback=callback, errback=self.on_error, meta=meta, **kwargs)

    def on_error(self, failure: Failure) -> None:
        """Record a failed request, naming the source and the URL."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if getattr(failure.value, "once_per_source", False):
            # a limit that stops many requests at once is one problem, said once
            if str(failure.value) in self.said_once:
                return
            self.said_once.add(str(failure.value))
        message = f"{url}: {describe_failure(failure)}"
        self.error_messages.append(message)
        self.logger.error("source %s: %s", self.source.id, message)

    def fail(self, url: str, problem: str) -> None:
        """Record a problem with a page that was fetched but could not be used."""
        message = f"{url}: {problem}"
        self.error_messages.append(message)
        self.logger.error("source %s: %s", self.source.id, message)

    def document(
        self, response: Response, *, title: str = "", published: str | None = None
    ) -> DocumentItem:
        """The fetched response as a document of this source."""
        return DocumentItem(
            source_id=self.source.id,
            url=response.url,
            body=response.body,
            content_type=content_type(response),
            fetched_at=datetime.now(UTC),
            title=title,
            published=published,
            etag=header(response, "ETag"),
            last_modified=header(response, "Last-Modified"),
        )


def content_type(response: Response) -> str:
    """The media type of a response, from its header or, failing that, its URL."""
    value = (header(response, "Content-Type") or "").split(";")[0].strip().lower()
    if value and value != "application/octet-stream":
        return value
    suffix = re.search(r"(\.\w+)(?:$|\?)", response.url)
    return suffix_media_type(suffix.group(1) if suffix else "", value or "text/html")


def describe_failure(failure: Failure) -> str:
    """A one-line, user-facing description of why a request failed."""
    from scrapy.spidermiddlewares.httperror import HttpError

    if failure.check(HttpError):
        response = failure.value.response
        location = header(response, "Location")
        if response.status in (301, 302, 303, 307, 308) and location:
            return (f"redirected to {location[:200]}, which is not followed "
                    "(only http and https URLs are fetched)")
        return f"the server answered HTTP {response.status}"
    if failure.check(IgnoreRequest) and str(failure.value) == "max redirections reached":
        return "too many redirects (a redirect loop?)"
    if failure.check(IgnoreRequest) and str(failure.value):
        return str(failure.value)  # the fetch policy and budgets say why they refused
    for kinds, text in FAILURES:
        if failure.check(*kinds):
            return text
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"


# Scrapy >= 2.14 raises its own exceptions; older ones, Twisted's. Both are recognised.
FAILURES: list[tuple[tuple[type[BaseException], ...], str]] = [
    ((scrapy_errors.CannotResolveHostError, twisted_errors.DNSLookupError),
     "DNS lookup failed (no internet, or the host name is wrong)"),
    ((scrapy_errors.DownloadConnectionRefusedError, twisted_errors.ConnectionRefusedError),
     "connection refused (is the site up?)"),
    ((scrapy_errors.DownloadTimeoutError, twisted_errors.TimeoutError), "timed out"),
    ((scrapy_errors.DownloadCancelledError,),
     "download cancelled: the body was larger than DOWNLOAD_MAXSIZE or the crawl stopped"),
    ((scrapy_errors.ResponseDataLossError,),
     "the connection closed before the whole body arrived (data loss)"),
    ((scrapy_errors.UnsupportedURLSchemeError, scrapy_errors.NotSupported),
     "only http and https URLs are fetched"),
]
