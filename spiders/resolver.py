"""The crawl's name resolver: the fetch policy applied to the addresses a connection uses.

The fetch policy middleware (spiders/middlewares/fetch_policy.py) checks a request's host
before anything is done with it, but Scrapy's downloader then resolves the name again to
connect. A hostile DNS server answering a public address to the first lookup and 127.0.0.1 or
169.254.169.254 to the second (TTL 0) would get an internal service read and published. So
this resolver, installed on the reactor (``TWISTED_DNS_RESOLVER``), is the one that hands the
downloader its addresses, and it hands over only addresses :meth:`FetchPolicy.connect_refusal`
allows for the host and port being connected to: the address checked is the address
connected to. Its rules are the policy's, with every start URL of the crawl allowed (the
middleware keeps each source to its own).

It caches approved answers only (a name keeps the addresses first approved for the rest of
the crawl, so it cannot rebind later), and a host and port refused once stay refused:
:attr:`refused` says why, and the middleware refuses their later requests (retries included)
with that reason before they reach the downloader.

See DESIGN.md, "Fetching", and Scrapy's "DNS resolver" settings.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Sequence
from typing import Any, Self
from urllib.request import getproxies

from scrapy.crawler import Crawler
from scrapy.utils.datatypes import LocalCache
from scrapy.utils.misc import load_object
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver, IHostResolution
from twisted.internet.threads import deferToThreadPool
from zope.interface import implementer

from spiders.fetch_policy import Endpoint, FetchPolicy

logger = logging.getLogger(__name__)
Lookup = Callable[[str], list[str]]
# Twisted's interfaces (zope) are not types mypy understands: the reactor, a resolution
# receiver and address types are Any here.
Reactor = Any


def name_lookup(settings_value: str) -> Lookup:
    """The blocking name lookup a setting names (``SIDEDOOR_NAME_LOOKUP``; tests stub it)."""
    return load_object(settings_value)  # type: ignore[no-any-return]


@implementer(IHostResolution)
class _Resolution:
    def __init__(self, name: str) -> None:
        self.name = name

    def cancel(self) -> None:  # the lookup runs to its end in its thread; nothing to stop
        pass


@implementer(IHostnameResolver)
class PolicyResolver:
    """Resolves names for the downloader, and answers only addresses the policy allows."""

    def __init__(self, reactor: Reactor, lookup: Lookup,
                 cache_size: int = 10000) -> None:
        self.reactor = reactor
        self.lookup = lookup
        self.policy = FetchPolicy(proxy_endpoints())
        self.approved: LocalCache[str, list[str]] = LocalCache(cache_size)
        self.refused: dict[tuple[str, int], str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Reactor) -> Self:
        # Scrapy builds its resolver from the crawler process: settings, no spider
        return cls(reactor, name_lookup(crawler.settings["SIDEDOOR_NAME_LOOKUP"]),
                   crawler.settings.getint("DNSCACHE_SIZE") or 10000)

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def allow(self, policy: FetchPolicy) -> None:
        """Allow the start URLs of ``policy`` too (each crawler's middleware tells us its own)."""
        self.policy = FetchPolicy(self.policy.endpoints | policy.endpoints)

    def decide(self, host: str, port: int, addresses: Sequence[str]) -> str | None:
        """Why ``host``:``port`` may not be connected to at ``addresses``; None if it may."""
        if (host, port) in self.refused:
            return self.refused[host, port]
        reason = self.policy.connect_refusal(Endpoint("", host, port), addresses)
        if reason is None and addresses:
            self.approved[host] = list(addresses)
        elif reason is not None and addresses:  # once it pointed inside, it is not trusted
            self.refused[host, port] = f"{reason} (answered when connecting)"
            logger.warning("refused to connect to %s:%s: %s", host, port, reason)
        return reason

    def resolveHostName(  # noqa: N802 - Twisted's interface
            self, resolutionReceiver: Any, hostName: str, portNumber: int = 0,
            addressTypes: Sequence[type] | None = None, transportSemantics: str = "TCP",
            ) -> _Resolution:
        """Answer ``hostName``'s approved addresses with ``portNumber``, or none at all."""
        host = hostName.lower()
        resolution = _Resolution(host)
        resolutionReceiver.resolutionBegan(resolution)

        def answer(addresses: list[str]) -> None:
            try:
                if self.decide(host, portNumber, addresses) is None:
                    for address in _addresses(addresses, portNumber, addressTypes):
                        resolutionReceiver.addressResolved(address)
            finally:  # no addresses: the downloader fails with a DNS lookup error
                resolutionReceiver.resolutionComplete()

        if host in self.approved or (host, portNumber) in self.refused:
            answer(self.approved.get(host, []))
        else:
            pool = self.reactor.getThreadPool()
            found = deferToThreadPool(self.reactor, pool, self.lookup, host)
            found.addCallbacks(answer, lambda _failure: answer([]))
        return resolution


def _addresses(texts: Sequence[str], port: int,
               types: Sequence[type] | None) -> list[IPv4Address | IPv6Address]:
    """Twisted's TCP addresses for the address texts, of the types asked for."""
    found: list[IPv4Address | IPv6Address] = []
    for text in texts:
        try:
            ip = ipaddress.ip_address(text.split("%")[0])
        except ValueError:
            continue  # not an address (only a stubbed or broken lookup says such things)
        kind = IPv6Address if ip.version == 6 else IPv4Address
        if types is None or kind in types:
            found.append(kind("TCP", text, port))
    return found


def proxy_endpoints() -> frozenset[Endpoint]:
    """The proxies of the environment (``http_proxy``, ...), which the operator chose: Scrapy
    connects to them, on their own port or, for an https tunnel, through a lookup that names
    no port (0). Behind a proxy, the proxy looks the sites' names up, not this resolver."""
    endpoints = set()
    for scheme, url in getproxies().items():
        if scheme == "no":  # no_proxy: hosts reached directly
            continue
        endpoint = Endpoint.of(url if "//" in url else f"http://{url}")
        endpoints |= {Endpoint("", endpoint.host, endpoint.port), Endpoint("", endpoint.host, 0)}
    return frozenset(endpoints)


def installed(reactor: object) -> PolicyResolver:
    """The reactor's PolicyResolver; raises RuntimeError when another resolver is installed,
    since then connections would go to addresses nobody checked."""
    resolver = getattr(reactor, "nameResolver", None)
    if not isinstance(resolver, PolicyResolver):
        raise RuntimeError("the fetch policy needs TWISTED_DNS_RESOLVER = "
                           "'spiders.resolver.PolicyResolver' (config/settings.py), found "
                           f"{type(resolver).__name__}")
    return resolver
