"""Fetch policy: a downloader middleware that refuses what spiders/fetch_policy.py refuses.

Every request passes through it before anything else is done with it (robots.txt included),
and so does every redirect, which Scrapy schedules as a new request; responses are checked
again at their final URL, which a browser may have reached through redirects of its own. A
refused request fails with :class:`RequestRefused`, and the source's errback records the
reason against the source (spiders/base.py). See DESIGN.md, "Fetching".
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Self

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from spiders.batch import sources_of
from spiders.fetch_policy import FetchPolicy, FetchRefused, resolve

logger = logging.getLogger(__name__)
Resolver = Callable[[str], Awaitable[list[str]]]


class RequestRefused(IgnoreRequest):
    """The fetch policy refused a request; the message is the reason."""


async def resolve_off_reactor(host: str) -> list[str]:
    """:func:`spiders.fetch_policy.resolve`, in a thread, so the reactor does not wait."""
    return await maybe_deferred_to_future(deferToThread(resolve, host))


class FetchPolicyMiddleware:
    """Refuses requests and responses the fetch policy does not allow."""

    def __init__(self, crawler: Crawler, resolver: Resolver = resolve_off_reactor) -> None:
        self.crawler = crawler
        self.resolver = resolver
        self.addresses: dict[str, list[str]] = {}
        self.policies: dict[str | None, FetchPolicy] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        await self.check(request, request.url)

    async def process_response(self, request: Request, response: Response) -> Response:
        if response.url != request.url:
            await self.check(request, response.url)
        return response

    async def check(self, request: Request, url: str) -> None:
        """Raise RequestRefused when the policy of the request's source refuses ``url``."""
        policy = self.policy(request.meta.get("source_id"))
        try:
            host = policy.host_to_resolve(url)
            reason = None
            if host is not None:
                if host not in self.addresses:
                    self.addresses[host] = await self.resolver(host)
                if not self.addresses[host]:  # said as Scrapy's own DNS failure is said
                    raise CannotResolveHostError(f"{host} did not resolve")
                reason = policy.refusal(url, self.addresses[host])
        except FetchRefused as exc:
            reason = str(exc)
        if reason is None:
            return
        redirected = request.meta.get("redirect_urls")
        if redirected or url != request.url:
            reason = f"redirected from {(redirected or [request.url])[0]}; {reason}"
        logger.warning("source %s: refused %s: %s", request.meta.get("source_id"), url, reason)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("sidedoor/fetch_policy/refused")
        raise RequestRefused(f"refused by the fetch policy: {reason}")

    def policy(self, source_id: str | None) -> FetchPolicy:
        """The policy for a source's requests; for requests of no source (robots.txt), the
        start URLs of every source of the crawl are allowed."""
        if source_id not in self.policies:
            spiders = sources_of(self.spider)
            chosen = [spiders[source_id]] if source_id in spiders else list(spiders.values())
            self.policies[source_id] = FetchPolicy.for_start_urls(
                url for spider in chosen for url in spider.source.urls)
        return self.policies[source_id]

    @property
    def spider(self) -> Spider | None:
        return self.crawler.spider
