"""The headless browser's way out: a local proxy that connects only where the policy allows.

Chromium looks names up itself, so checking a browser request's host beforehand (as
:class:`spiders.fetch_policy.BrowserPolicy` did) leaves a window: a name may answer a public
address to our check and 127.0.0.1 to Chromium. Here Chromium looks up nothing. It is
launched with this proxy as its only way out (loopback included: Playwright proxies loopback
too) and with a host resolver that resolves no name, and the proxy looks each host up once
per connection, applies :meth:`FetchPolicy.connect_refusal` to the answer and connects to
those very addresses. A refused ``CONNECT`` (https, wss) gets 403; a refused plain http
request gets its connection closed, so the page's request fails rather than showing a page.
The proxy connects directly: Chromium does not use a proxy of the environment.

:class:`PolicyPlaywrightHandler` is scrapy-playwright's download handler with this proxy
started for the crawler, under the policy of its ``PLAYWRIGHT_ABORT_REQUEST``. See DESIGN.md,
"Fetching".
"""

from __future__ import annotations

import logging
import select
import socket
import socketserver
import threading
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from spiders.fetch_policy import (
    BrowserPolicy,
    Endpoint,
    FetchPolicy,
    FetchRefused,
    connect_first,
)
from spiders.resolver import Lookup, name_lookup

logger = logging.getLogger(__name__)
HEAD_LIMIT = 64 * 1024
IDLE_SECONDS = 120.0
# Chromium resolves no name itself (every host goes to the proxy, which is an address), and
# WebRTC sends no UDP around the proxy.
CHROMIUM_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                 "--force-webrtc-ip-handling-policy=disable_non_proxied_udp"]


class PolicyProxy(socketserver.ThreadingTCPServer):
    """An HTTP forward proxy on 127.0.0.1 that connects only to addresses ``policy`` allows."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, policy: FetchPolicy, lookup: Lookup) -> None:
        super().__init__(("127.0.0.1", 0), _Tunnel)
        self.policy = policy
        self.lookup = lookup

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> str:
        """Serve in a daemon thread; the proxy's URL."""
        threading.Thread(target=self.serve_forever, name="policy-proxy", daemon=True).start()
        return self.url

    def open(self, host: str, port: int) -> socket.socket:
        """A connection to ``host``:``port`` at an address the policy allowed; FetchRefused
        says why there is none, OSError that none answered."""
        addresses = self.lookup(host)
        reason = self.policy.connect_refusal(Endpoint("", host.lower(), port), addresses)
        if reason is not None:
            raise FetchRefused(reason)
        return connect_first(addresses, port, IDLE_SECONDS)


class _Tunnel(socketserver.BaseRequestHandler):
    """One client connection: a CONNECT tunnel, or one plain http request and its answer."""

    server: PolicyProxy
    request: socket.socket

    def handle(self) -> None:
        self.request.settimeout(IDLE_SECONDS)
        try:
            head, rest = _read_head(self.request)
            method, target, version = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
        except (OSError, ValueError):
            return
        if method == "CONNECT":
            host, port = _host_port(f"//{target}", 443)
        else:
            parts = urlsplit(target)
            if parts.scheme != "http":
                return
            host, port = _host_port(target, 80)
        try:
            upstream = self.server.open(host, port)
        except FetchRefused as exc:
            logger.warning("browser: refused to connect to %s:%s: %s", host, port, exc)
            if method == "CONNECT":
                self.request.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        except OSError:
            self.request.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        with upstream:
            if method == "CONNECT":
                self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            else:
                upstream.sendall(_origin_form(head, method, target, version))
            if rest:
                upstream.sendall(rest)
            _relay(self.request, upstream)


def _read_head(sock: socket.socket) -> tuple[bytes, bytes]:
    """A request's line and headers, and whatever came after them."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk or len(data) > HEAD_LIMIT:
            raise ValueError("no request head")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _host_port(url: str, default: int) -> tuple[str, int]:
    parts = urlsplit(url)
    if not parts.hostname:
        raise ValueError(f"no host in {url}")
    return parts.hostname, parts.port or default


def _origin_form(head: bytes, method: str, target: str, version: str) -> bytes:
    """The request as the origin server takes it: its path, no proxy headers, one request per
    connection (the next may be for another host)."""
    parts = urlsplit(target)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"{method} {path} {version}".encode("latin-1")]
    for line in head.split(b"\r\n")[1:]:
        name = line.split(b":", 1)[0].strip().lower()
        if name not in (b"proxy-connection", b"proxy-authorization", b"connection",
                        b"keep-alive"):
            lines.append(line)
    lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n"


def _relay(client: socket.socket, upstream: socket.socket) -> None:
    """Copy bytes both ways until either side closes or both stay quiet too long."""
    other = {client: upstream, upstream: client}
    while True:
        ready, _, _ = select.select(list(other), [], [], IDLE_SECONDS)
        if not ready:
            return
        for sock in ready:
            try:
                data = sock.recv(65536)
                if not data:
                    return
                other[sock].sendall(data)
            except OSError:
                return


class PolicyPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler, with Chromium behind a :class:`PolicyProxy`."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        abort = crawler.settings.get("PLAYWRIGHT_ABORT_REQUEST")
        policy = abort.policy if isinstance(abort, BrowserPolicy) else FetchPolicy()
        self.proxy = PolicyProxy(policy, name_lookup(crawler.settings["SIDEDOOR_NAME_LOOKUP"]))
        options: dict[str, Any] = dict(self.config.launch_options)  # Any: Playwright's options
        options["proxy"] = {"server": self.proxy.start()}
        options["args"] = [*options.get("args", []), *CHROMIUM_ARGS]
        self.config.launch_options = options

    async def close(self) -> None:
        await super().close()
        self.proxy.shutdown()
        self.proxy.server_close()
