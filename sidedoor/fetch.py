"""One fetch outside a crawl (``sidedoor inspect URL``, ``sidedoor new-source URL``).

The same fetch policy as a crawl (spiders/fetch_policy.py): the URL the maintainer typed is
the start URL, so its host and port are allowed even on 127.0.0.1; every redirect is checked
before it is followed. Each host is looked up once, and the connection goes to the addresses
the policy checked (the Host header, TLS server name and certificate check still use the
name), so a name answering differently the second time (DNS rebinding) cannot send the
request elsewhere. The connection is direct: a proxy from the environment is not used, since
it would look the name up again itself. The body is read under a byte cap and a deadline for
the whole transfer, so a server that drips bytes or never stops sending cannot hold the
command.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO, Any
from urllib.parse import urljoin

from config.settings import USER_AGENT
from spiders.fetch_policy import FetchPolicy, FetchRefused, connect_first, resolve

MAX_BYTES = 50 * 1024 * 1024
CHUNK = 64 * 1024
Resolver = Callable[[str], list[str]]


class FetchError(Exception):
    """A URL could not be fetched, or was refused; the message names it and why."""


@dataclass(frozen=True)
class Fetched:
    """What a URL answered: its final URL, the body and the media type it declared."""

    url: str
    body: bytes
    media_type: str


class Pins:
    """The addresses the policy approved for each host, and connections to those only."""

    def __init__(self, policy: FetchPolicy, resolver: Resolver) -> None:
        self.policy = policy
        self.resolver = resolver
        self.approved: dict[str, list[str]] = {}

    def check(self, url: str) -> None:
        """Raise FetchRefused when the policy refuses ``url``, FetchError when its host does
        not resolve; otherwise the addresses checked are those its connection will use."""
        host = self.policy.host_to_resolve(url)
        if host is None:
            return
        addresses = self.resolver(host)
        if not addresses:
            raise FetchError(f"{url}: DNS lookup failed (no internet, or the host name is "
                             "wrong)")
        reason = self.policy.refusal(url, addresses)
        if reason:
            raise FetchRefused(reason)
        self.approved[host] = addresses

    def connect(self, address: tuple[str, int], timeout: float | None,
                source_address: tuple[str, int] | None = None) -> socket.socket:
        """http.client's ``_create_connection``: the first approved address that answers."""
        host, port = address
        approved = self.approved.get(host.lower())  # http.client strips IPv6 brackets too
        if not approved:  # every URL is checked before it is opened; this is a bug
            raise OSError(f"{host} was not checked by the fetch policy")
        return connect_first(approved, port, timeout, source_address)

    def handlers(self) -> list[urllib.request.BaseHandler]:
        """urllib handlers whose connections go through :meth:`connect`, and no proxy."""
        def pinned(kind: type[http.client.HTTPConnection]) -> Callable[..., Any]:
            def connection(host: str, **options: Any) -> http.client.HTTPConnection:
                made = kind(host, **options)
                made._create_connection = self.connect  # type: ignore[attr-defined]
                return made
            return connection

        class Plain(urllib.request.HTTPHandler):
            def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(pinned(http.client.HTTPConnection), req)

        class Secure(urllib.request.HTTPSHandler):
            def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(pinned(http.client.HTTPSConnection), req)

        return [urllib.request.ProxyHandler({}), Plain(), Secure()]


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only where the policy allows, and says why it did not."""

    def __init__(self, pins: Pins) -> None:
        self.pins = pins

    def http_error_302(self, req: urllib.request.Request, fp: IO[bytes], code: int,
                       msg: str, headers: HTTPMessage) -> IO[bytes] | None:
        location = headers.get("Location") or headers.get("URI")
        if location:
            newurl = urljoin(req.full_url, location)
            try:
                self.pins.check(newurl)
            except FetchRefused as exc:
                raise FetchError(f"{req.full_url}: redirected to {newurl}, refused by the "
                                 f"fetch policy: {exc}") from None
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def fetch(url: str, *, timeout: float = 30.0, max_bytes: int = MAX_BYTES,
          resolver: Resolver = resolve) -> Fetched:
    """GET ``url`` once with sidedoor's User-Agent, under the fetch policy and the limits."""
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError(f"{url}: only http and https URLs are fetched; give a saved file's "
                         "path instead")
    pins = Pins(FetchPolicy.for_start_urls([url]), resolver)
    try:
        pins.check(url)
    except FetchRefused as exc:
        raise FetchError(f"{url}: refused by the fetch policy: {exc}") from None
    opener = urllib.request.build_opener(*pins.handlers(), _CheckedRedirects(pins))
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            body = _read(response, url, deadline, max_bytes)
            return Fetched(response.geturl(), body, response.headers.get_content_type())
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{url}: the server answered HTTP {exc.code}") from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"{url}: cannot fetch: {reason}") from None


def _read(response: IO[bytes], url: str, deadline: float, max_bytes: int) -> bytes:
    chunks, size = [], 0
    while chunk := response.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{url}: too large: larger than {max_bytes // 1024 // 1024} MB; "
                             "save it and give the file instead")
        if time.monotonic() > deadline:
            raise FetchError(f"{url}: too slow: still sending after the time limit; "
                             "save it and give the file instead")
        chunks.append(chunk)
    return b"".join(chunks)
