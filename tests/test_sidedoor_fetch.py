"""One fetch outside a crawl (inspect, new-source): the policy, redirects and the limits."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sidedoor.fetch import FetchError, fetch
from tests.local_sites import serve

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


class Answers:
    """A stubbed name lookup (no DNS server is asked): each name's addresses in turn, the last
    one repeating; it records what it was asked."""

    def __init__(self, **answers: str) -> None:
        self.answers = {name.replace("_", "."): address.split()
                        for name, address in answers.items()}
        self.asked: list[str] = []

    def __call__(self, host: str) -> list[str]:
        self.asked.append(host)
        turns = self.answers.get(host, [host])
        return [turns[min(self.asked.count(host), len(turns)) - 1]]


@pytest.fixture
def no_system_dns(monkeypatch):
    """Any name reaching the system's resolver fails the test instead of leaving the machine."""
    real = socket.getaddrinfo

    def numeric_only(host, *args, **kwargs):
        ipaddress.ip_address(host)  # raises ValueError on a name
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", numeric_only)


def test_each_connection_goes_to_the_address_checked_for_its_url(no_system_dns):
    hits: list[str] = []
    first = serve(type("Twin", (Site,), {"hits": hits}))
    second = serve(type("Twin", (Site,), {"hits": hits}), "127.0.0.2", first.server_port)
    # the name answers 127.0.0.1, then 127.0.0.2, where the same port is served too
    answers = Answers(village_example_test="127.0.0.1 127.0.0.2")
    try:
        fetched = fetch(f"http://village.example.test:{first.server_port}/to-self",
                        resolver=answers)
    finally:
        first.shutdown()
        second.shutdown()
    assert fetched.body == BODY and fetched.url.startswith("http://village.example.test:")
    assert answers.asked == ["village.example.test"] * 2  # the URL, then its redirect
    assert hits == ["127.0.0.1:/to-self", "127.0.0.2:/page"]


def certificate_for(name: str, folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for ``name`` and its key, as PEM files in ``folder``."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def tls_site(tmp_path, monkeypatch) -> Iterator[int]:
    """An https server on 127.0.0.1 whose certificate names village.example.test, trusted
    through SSL_CERT_FILE (the default context reads it) for this test only."""
    cert, key = certificate_for("village.example.test", tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Tls", (Site,), {"hits": []}))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port
    server.shutdown()


def test_https_to_the_checked_address_still_verifies_the_certificate_for_the_name(
        tls_site, no_system_dns):
    answers = Answers(village_example_test="127.0.0.1", other_example_test="127.0.0.1")
    assert fetch(f"https://village.example.test:{tls_site}/page", resolver=answers).body == BODY
    with pytest.raises(FetchError, match="certificate is not valid for .other.example.test."):
        fetch(f"https://other.example.test:{tls_site}/page", resolver=answers)
