"""Fetch policy: a downloader middleware that refuses what spiders/fetch_policy.py refuses.

Every request passes through it before anything else is done with it (robots.txt included),
and so does every redirect, which Scrapy schedules as a new request; responses are checked
again at their final URL, which a browser may have reached through redirects of its own. A
refused request fails with :class:`RequestRefused`, and the source's errback records the
reason against the source (spiders/base.py). See DESIGN.md, "Fetching".

This check comes early and keeps each source to its own start URLs; what the downloader then
connects to is checked again by the crawl's resolver (spiders/resolver.py), on the very
addresses it connects to, since a name may answer differently the second time. The middleware
tells the resolver each policy it uses, and refuses at once a host and port the resolver has
refused (so a retry does not ask again).
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
from spiders.fetch_policy import Endpoint, FetchPolicy, FetchRefused
from spiders.resolver import Lookup, PolicyResolver, installed, name_lookup

logger = logging.getLogger(__name__)
Resolver = Callable[[str], Awaitable[list[str]]]


class RequestRefused(IgnoreRequest):
    """The fetch policy refused a request; the message is the reason."""


def off_reactor(lookup: Lookup) -> Resolver:
    """``lookup`` (by default :func:`spiders.fetch_policy.resolve`) in a thread, so the reactor
    does not wait."""
    async def resolver(host: str) -> list[str]:
        return await maybe_deferred_to_future(deferToThread(lookup, host))
    return resolver


class FetchPolicyMiddleware:
    """Refuses requests and responses the fetch policy does not allow."""

    def __init__(self, crawler: Crawler, resolver: Resolver,
                 gate: PolicyResolver | None = None) -> None:
        self.crawler = crawler
        self.resolver = resolver
        self._gate = gate  # None: the reactor's, once it is installed (after we are built)
        self.addresses: dict[str, list[str]] = {}
        self.policies: dict[str | None, FetchPolicy] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, off_reactor(name_lookup(crawler.settings["SIDEDOOR_NAME_LOOKUP"])))

    @property
    def gate(self) -> PolicyResolver:
        """The resolver the downloader connects through (spiders/resolver.py)."""
        if self._gate is None:
            from twisted.internet import reactor

            self._gate = installed(reactor)
        return self._gate

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
                endpoint = Endpoint.of(url)
                if (endpoint.host, endpoint.port) in self.gate.refused:
                    raise FetchRefused(self.gate.refused[endpoint.host, endpoint.port])
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
            self.gate.allow(self.policies[source_id])
        return self.policies[source_id]

    @property
    def spider(self) -> Spider | None:
        return self.crawler.spider
