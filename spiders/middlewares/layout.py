"""Layout changes: a spider middleware that turns :class:`LayoutChanged` into a source failure.

A parse callback raises ``LayoutChanged`` when a page no longer has the structure its parser
expects (spiders/base.py); this middleware records it against the page's source, with the
URL and the parser's own message, and drops the callback's output. Platform spiders need no
try/except of their own. Any other exception in a callback reaches Scrapy's ``spider_error``,
which the run records as an internal error (pipelines/runstatus.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy import Spider
from scrapy.http import Response

from spiders.base import LayoutChanged
from spiders.batch import sources_of


class LayoutChangedMiddleware:
    """Records a LayoutChanged raised while parsing as a failure of the page's source."""

    def process_spider_exception(self, response: Response, exception: Exception,
                                 spider: Spider) -> Iterable[Any] | None:  # Any: no output
        if not isinstance(exception, LayoutChanged):
            return None
        sources = sources_of(spider)
        source_id = response.meta.get("source_id") if response.request else None
        source = sources.get(source_id or "") or (
            next(iter(sources.values())) if len(sources) == 1 else None)
        if source is None:
            return None
        source.fail(response.url, str(exception).removeprefix(f"{response.url}: "))
        return []


def parse_as_scrapy_would(callback: Any, response: Response, spider: Spider,
                          **kwargs: Any) -> list[Any]:  # Any: a callback's arguments and output
    """A callback's output with this middleware's handling of LayoutChanged, for tests and
    ``sidedoor inspect``, which call parse callbacks without an engine."""
    try:
        return list(callback(response, **kwargs))
    except LayoutChanged as exc:
        handled = LayoutChangedMiddleware().process_spider_exception(response, exc, spider)
        if handled is None:
            raise
        return list(handled)
