"""One fetch outside a crawl (inspect, new-source): the policy, redirects and the limits."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sidedoor.fetch import FetchError, fetch

BODY = b"<html><title>Agendas</title><body>ok</body></html>"


class Site(BaseHTTPRequestHandler):
    """/page answers; /to-* redirect; /drip sends a byte at a time; /endless never stops."""

    hits: list[str] = []
    other_port = 0

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.hits.append(f"{self.server.server_address[0]}:{self.path}")
        targets = {"/to-other-port": f"http://127.0.0.1:{self.other_port}/page",
                   "/to-internal": f"http://127.0.0.2:{self.other_port}/page",
                   "/to-file": "file:///etc/hostname", "/to-self": "/page",
                   "/to-metadata": "http://metadata.example.test/latest/"}
        if self.path in targets:
            self.send_response(302)
            self.send_header("Location", targets[self.path])
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        if self.path == "/endless":
            while True:
                self.wfile.write(b"x" * 65536)
        self.wfile.write(BODY)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[int, list[str]]]:
    hits: list[str] = []
    handler = type("Recording", (Site,), {"hits": hits})
    internal = ThreadingHTTPServer(("127.0.0.2", 0), handler)
    other = ThreadingHTTPServer(("127.0.0.1", internal.server_port), handler)
    handler.other_port = internal.server_port
    site = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    for server in (internal, other, site):
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site.server_port, hits
    for server in (internal, other, site):
        server.shutdown()


def test_the_url_given_is_fetched_even_on_loopback(servers):
    port, _ = servers
    fetched = fetch(f"http://127.0.0.1:{port}/page")
    assert (fetched.body, fetched.media_type) == (BODY, "text/html")


def test_a_redirect_on_the_same_host_and_port_is_followed(servers):
    port, _ = servers
    assert fetch(f"http://127.0.0.1:{port}/to-self").body == BODY


@pytest.mark.parametrize("path", ["/to-other-port", "/to-internal", "/to-file"])
def test_a_redirect_to_an_internal_address_or_a_file_is_refused_before_any_request(
        servers, path):
    port, hits = servers
    hits.clear()
    with pytest.raises(FetchError, match="refused by the fetch policy"):
        fetch(f"http://127.0.0.1:{port}{path}")
    assert hits == [f"127.0.0.1:{path}"]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "data:text/html,<p>hi",
                                 "ftp://files.example.test/a.pdf"])
def test_urls_other_than_http_are_refused(url):
    with pytest.raises(FetchError, match="only http and https URLs are fetched"):
        fetch(url)


def test_a_redirect_to_a_name_resolving_to_the_metadata_address_is_refused(servers):
    port, _ = servers
    # resolution stubbed: the metadata name is never looked up, nothing leaves the machine
    addresses = {"127.0.0.1": ["127.0.0.1"], "metadata.example.test": ["169.254.169.254"]}
    with pytest.raises(FetchError, match=r"metadata.example.test \(169.254.169.254\) is a "
                                         "link-local address"):
        fetch(f"http://127.0.0.1:{port}/to-metadata", resolver=addresses.__getitem__)


def test_an_endless_body_stops_at_the_byte_cap(servers):
    port, _ = servers
    with pytest.raises(FetchError, match="larger than 1 MB"):
        fetch(f"http://127.0.0.1:{port}/endless", max_bytes=1024 * 1024)


def test_a_host_that_does_not_resolve_is_a_dns_failure_not_a_refusal():
    with pytest.raises(FetchError, match="DNS lookup failed"):
        fetch("https://gone.example.test/agendas", resolver=lambda host: [])
