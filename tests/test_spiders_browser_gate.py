"""The headless browser's proxy: it connects only to addresses the fetch policy allowed.

Name resolution is stubbed (no DNS server is asked, nothing leaves the machine); the sites
and "internal services" are real servers on loopback.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from spiders.browser_gate import PolicyProxy
from spiders.fetch_policy import FetchPolicy
from tests.local_sites import Quiet, crawl_sources, serve
from tests.test_spiders_middlewares_fetch_policy import Recorder, challenged_portal


class Page(Quiet):
    """Answers every path with its own address, so a test sees which server it reached."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.answer(200, "text/plain", f"{self.server.server_address[0]}{self.path}".encode())


@pytest.fixture(scope="module")
def proxy() -> Iterator[tuple[PolicyProxy, int, list[str]]]:
    """A proxy whose lookups answer 127.0.0.1 first and 127.0.0.2 after (both serve Page on
    the same port), allowing village.example.test on that port as a start URL."""
    first = serve(Page)
    second = serve(Page, "127.0.0.2", first.server_port)
    looked: list[str] = []

    def lookup(host: str) -> list[str]:
        looked.append(host)
        return ["127.0.0.1"] if len(looked) == 1 else ["127.0.0.2"]

    port = first.server_port
    gate = PolicyProxy(FetchPolicy.for_start_urls([f"http://village.example.test:{port}/"]),
                       lookup)
    gate.start()
    yield gate, port, looked
    for server in (gate, first, second):
        server.shutdown()
    gate.server_close()


def ask(gate: PolicyProxy, head: str) -> bytes:
    """Send ``head`` to the proxy; everything it answers until it closes."""
    with socket.create_connection(gate.server_address, timeout=10) as client:
        client.sendall(head.encode() + b"\r\n\r\n")
        chunks = []
        while chunk := client.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_plain_request_goes_to_the_address_looked_up_once(proxy):
    gate, port, looked = proxy
    looked.clear()
    answer = ask(gate, f"GET http://village.example.test:{port}/page?x=1 HTTP/1.1\r\n"
                       f"Host: village.example.test:{port}\r\nProxy-Connection: keep-alive")
    assert answer.startswith(b"HTTP/1.0 200") and answer.endswith(b"\r\n\r\n127.0.0.1/page?x=1")
    assert looked == ["village.example.test"]


def test_a_name_answering_a_loopback_address_is_refused_without_connecting(proxy):
    gate, port, looked = proxy
    looked.clear()
    assert ask(gate, f"CONNECT elsewhere.example.test:{port} HTTP/1.1").startswith(
        b"HTTP/1.1 403 Forbidden")
    assert ask(gate, f"GET http://elsewhere.example.test:{port}/ HTTP/1.1") == b""


def test_another_port_of_the_start_urls_host_is_refused(proxy):
    gate, port, _ = proxy
    assert ask(gate, f"CONNECT village.example.test:{port + 1} HTTP/1.1").startswith(
        b"HTTP/1.1 403")


def test_a_tunnel_carries_bytes_both_ways(proxy):
    gate, port, looked = proxy
    looked[:] = ["warm"]  # the next lookup answers 127.0.0.2
    with socket.create_connection(gate.server_address, timeout=10) as client:
        client.sendall(f"CONNECT village.example.test:{port} HTTP/1.1\r\n\r\n".encode())
        assert client.recv(4096) == b"HTTP/1.1 200 Connection established\r\n\r\n"
        client.sendall(b"GET /tunnelled HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b"".join(iter(lambda: client.recv(65536), b""))
    assert answer.endswith(b"127.0.0.2/tunnelled")


@pytest.fixture(scope="module")
def browser_crawl(tmp_path_factory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("browser-gate")
    hits: list[str] = []
    recorder = type("Internal", (Recorder,), {"hits": hits})
    internal = serve(recorder, "127.0.0.2")
    inside = serve(recorder, "127.0.0.1", internal.server_port)
    handler = challenged_portal(
        f'<img src="http://inside.example.test:{internal.server_port}/by-name.png">'
        f'<img src="http://127.0.0.2:{internal.server_port}/by-address.png">')
    site = serve(handler)
    try:
        crawl_sources(folder, {"gated_police_portal": {
            "name": "Gated Police", "place": "Gated", "kind": "portal",
            "platform": "flock_portal",
            "start_urls": [f"http://village.example.test:{site.server_port}/portal"]}},
            SIDEDOOR_NAME_LOOKUP="tests.stub_dns.lookup")
        yield {"hits": hits, "asked": handler.asked, "hosts": handler.hosts}
    finally:
        for server in (internal, inside, site):
            server.shutdown()


def test_the_browser_reached_the_portal_by_name_through_the_proxy(browser_crawl):
    # Chromium resolves no name: it got the page and its image only through the proxy
    assert browser_crawl["asked"].count("/portal") == 2 and "/own.png" in browser_crawl["asked"]
    assert set(browser_crawl["hosts"]) == {"village.example.test"}


def test_the_browser_reached_no_internal_service_by_name_or_address(browser_crawl):
    assert browser_crawl["hits"] == []
