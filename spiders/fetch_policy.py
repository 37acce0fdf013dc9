"""The fetch policy: which URLs sidedoor may fetch, decided before any byte is requested.

sidedoor fetches what strangers link to and republishes it, so a link or a redirect must not
make it read a local file or an internal service. One policy decides for every fetch: the
spiders' requests and their redirects (spiders/middlewares/fetch_policy.py), the headless
browser's requests (:class:`BrowserPolicy`), and ``sidedoor inspect`` / ``new-source``.

- Only ``http`` and ``https``; a ``file:`` URL only inside a path a source's own start URL
  names (audit-log exports a maintainer keeps on disk).
- After name resolution, no loopback, private, link-local, multicast, reserved or otherwise
  non-public address, unless it is the host and port of a start URL the maintainer wrote
  (the demo world and tests run on 127.0.0.1): then that host and port only.

The decision is a pure function of the URL (or the host and port connected to), the
addresses its host resolved to and the allowed start URLs: :meth:`FetchPolicy.connect_refusal`
is the one address rule. Resolving the name (:func:`resolve`) is the caller's job, off its
event loop, and tests stub it (``SIDEDOOR_NAME_LOOKUP`` in a crawl).

The guarantee: the addresses checked are the addresses connected to. A name may answer a
public address to a check and 127.0.0.1 or 169.254.169.254 to the connection that follows
(DNS rebinding, TTL 0), so every connection is checked on its own answer:

- a crawl's downloader connects only through spiders/resolver.py, the resolver installed on
  the reactor, which applies the rule to the addresses it hands over (every start URL of the
  crawl allowed) and keeps the first approved answer of a name for the rest of the crawl; the
  middleware's earlier check keeps each source to its own start URLs;
- the headless browser resolves no name itself: it connects only through the local proxy of
  spiders/browser_gate.py, which applies the rule to the addresses it connects to;
- ``inspect`` and ``new-source`` (sidedoor/fetch.py) look each URL's host up once and connect
  to those very addresses, with the name kept for the Host header and TLS verification.

Not covered: behind a proxy from the environment (``http_proxy``, ``https_proxy``), which the
crawl's resolver allows whatever its address, the proxy looks the sites' names up itself; and
the policy judges addresses, so a public address that forwards inside is beyond it.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

WEB_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchRefused(Exception):
    """The fetch policy refused a URL; the message says why in words a maintainer can act on."""


@dataclass(frozen=True)
class Endpoint:
    """A scheme, host and port that a start URL names."""

    scheme: str
    host: str
    port: int

    @classmethod
    def of(cls, url: str) -> Endpoint:
        """The endpoint of an http(s) URL (hosts lower-cased, default ports filled in)."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        return cls(scheme, (parts.hostname or "").lower(),
                   parts.port or DEFAULT_PORTS.get(scheme, 0))


@dataclass(frozen=True)
class FetchPolicy:
    """The allowed start URLs of one source (or of a batch) and the rules above."""

    endpoints: frozenset[Endpoint] = frozenset()
    file_roots: tuple[PurePosixPath, ...] = ()

    @classmethod
    def for_start_urls(cls, urls: Iterable[str]) -> FetchPolicy:
        """The policy for sources whose start URLs are ``urls``."""
        endpoints, roots = set(), []
        for url in urls:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "file":
                roots.append(_file_path(url))
            elif scheme in WEB_SCHEMES:
                endpoints.add(Endpoint.of(url))
        return cls(frozenset(endpoints), tuple(roots))

    def host_to_resolve(self, url: str) -> str | None:
        """The host name whose addresses :meth:`refusal` needs, or None when it needs none.

        Raises FetchRefused for a URL refused on its face (scheme, a file outside the roots,
        no host).
        """
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file":
            path = _file_path(url)
            if not any(path == root or root in path.parents for root in self.file_roots):
                raise FetchRefused(f"a file: URL outside the source's own start URLs ({url})")
            return None
        if scheme not in WEB_SCHEMES:
            raise FetchRefused(f"only http and https are fetched, not {scheme or 'no'} URLs")
        try:
            host = parts.hostname
            parts.port  # noqa: B018 - raises ValueError on a port out of range
        except ValueError as exc:
            raise FetchRefused(f"not a valid URL ({exc})") from None
        if not host:
            raise FetchRefused("the URL has no host")
        return host

    def refusal(self, url: str, addresses: Sequence[str]) -> str | None:
        """Why ``url``, whose host resolved to ``addresses``, may not be fetched; None if it may.

        Call :meth:`host_to_resolve` first; ``addresses`` are ignored when it returned None.
        """
        if urlsplit(url).scheme.lower() == "file":
            return None
        return self.connect_refusal(Endpoint.of(url), addresses)

    def connect_refusal(self, endpoint: Endpoint, addresses: Sequence[str]) -> str | None:
        """Why a connection to ``endpoint``, whose host resolved to ``addresses``, may not be
        made; None if it may. The one address rule: :meth:`refusal` asks it for a URL, and
        the crawl's resolver (spiders/resolver.py) for the host and port it connects to, whose
        scheme it does not know (``endpoint.scheme`` empty: a start URL of any scheme)."""
        if endpoint in self.endpoints or (not endpoint.scheme and any(
                (e.host, e.port) == (endpoint.host, endpoint.port) for e in self.endpoints)):
            return None
        if not addresses:
            return "its host did not resolve to any address"
        for text in addresses:
            kind = non_public(text)
            if kind:
                host = endpoint.host
                shown = text if host == text.strip("[]") else f"{host} ({text})"
                return (f"{shown} is a {kind} address, and only the host and port of a "
                        f"source's own start URL may be one")
        return None


def non_public(address: str) -> str | None:
    """What kind of non-public address ``address`` is ("loopback", "private", ...), or None."""
    try:
        ip: IPAddress = ipaddress.ip_address(address.strip("[]").split("%")[0])
    except ValueError:
        return "unreadable"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind, test in (("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
                       ("multicast", ip.is_multicast), ("unspecified", ip.is_unspecified),
                       ("reserved", ip.is_reserved), ("private", ip.is_private),
                       ("non-public", not ip.is_global)):
        if test:
            return kind
    return None


def resolve(host: str) -> list[str]:
    """Every address ``host`` resolves to, IPv4 and IPv6 (an empty list when it does not).

    It blocks: callers on an event loop run it in a thread."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return []
    return sorted({str(info[4][0]) for info in infos})


def connect_first(addresses: Sequence[str], port: int, timeout: float | None,
                  source_address: tuple[str, int] | None = None) -> socket.socket:
    """A connection to the first of ``addresses`` (those the policy checked, never a name
    looked up again) that answers on ``port``; the last failure when none does."""
    error = OSError(f"no address to connect to on port {port}")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout, source_address)
        except OSError as exc:
            error = exc
    raise error


def _file_path(url: str) -> PurePosixPath:
    """The normalised path of a file: URL ("a/../b" folded, so it cannot climb out of a root)."""
    parts: list[str] = []
    for piece in unquote(urlsplit(url).path).split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return PurePosixPath("/", *parts)


class BrowserPolicy:
    """The policy as Playwright's abort predicate (``PLAYWRIGHT_ABORT_REQUEST``).

    The headless browser loads whatever a page asks for (images, scripts, ``fetch``): each of
    those requests is checked too, with the batch's start URLs allowed. Here on its face and,
    when its host is an address, on that address; a name is not looked up here, since
    Chromium would look it up again: Chromium resolves no name and connects only through
    spiders/browser_gate.py's proxy, which applies this policy to the addresses it connects
    to.
    """

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy

    async def __call__(self, request: object) -> bool:
        """True when the browser must not make ``request`` (a playwright Request)."""
        url = str(getattr(request, "url", ""))
        if url.startswith(("data:", "blob:", "about:")):
            return False  # made by the page itself in memory; nothing is fetched
        try:
            host = self.policy.host_to_resolve(url)
        except FetchRefused:
            return True
        if host is None:
            return True  # the browser never reads local files
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return False  # a name: the proxy decides on the address it connects to
        return self.policy.refusal(url, [host]) is not None
