"""End to end: a hostile AgendaCenter listing and its redirects reach nothing they should not.

A real crawl (the child process, Scrapy, SQLite) of a CivicPlus source served on 127.0.0.1,
whose listing links and redirects to local files, ``data:`` URLs, another port of 127.0.0.1
and an "internal service" on 127.0.0.2. The internal services count every request they get:
the policy must refuse before connecting, and every refusal is recorded against the source.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from scrapy import Request
from scrapy.exceptions import CannotResolveHostError

from sidedoor.store import Store
from spiders.middlewares.fetch_policy import FetchPolicyMiddleware, RequestRefused
from spiders.resolver import PolicyResolver
from tests.local_sites import Quiet, crawl_sources, serve


def blank_pdf() -> bytes:
    """A one-page PDF with no text."""
    document = pdfium.PdfDocument.new()
    document.new_page(612, 792)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PDF = blank_pdf()
SECRET = b"internal-only: the crawler must never see this"


class Recorder(Quiet):
    """An internal service: answers everything with a secret and counts the requests."""

    hits: list[str]

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.hits.append(self.path)
        self.answer(200, "application/pdf", SECRET)


def internal_services() -> tuple[list[str], ThreadingHTTPServer, ThreadingHTTPServer]:
    """The requests they got, an "internal service" on 127.0.0.2 and another local port."""
    hits: list[str] = []
    recorder = type("Internal", (Recorder,), {"hits": hits})
    return hits, serve(recorder, "127.0.0.2"), serve(recorder)


def agenda_listing(links: list[str]) -> bytes:
    """A CivicPlus AgendaCenter listing of one board, with a row for each link."""
    rows = "".join(f'<tr class="catAgendaRow"><td><p>Meeting</p></td>'
                   f'<td><a href="{link}">file</a></td></tr>' for link in links)
    return (f'<html><body><div id="AgendaCenterContent"><div id="cat1"><h2>Village Board'
            f'</h2><table>{rows}</table></div></div></body></html>').encode()


def hostile_site(internal: int, other_port: int) -> type[BaseHTTPRequestHandler]:
    """The public site: a listing of hostile links, and redirects to internal addresses."""
    view = "/AgendaCenter/ViewFile"
    redirects = {
        f"{view}/Minutes/_01092026-5": f"http://localhost:{other_port}/minutes.pdf",
        f"{view}/Minutes/_01102026-6": f"http://2130706433:{other_port}/minutes.pdf",
        f"{view}/Minutes/_01112026-7": f"http://[::1]:{other_port}/minutes.pdf",
        f"{view}/Minutes/_01122026-8": "file:///etc/hostname",
        f"{view}/Minutes/_01142026-9": f"http://127.0.0.2:{internal}/AgendaCenter/x.pdf",
    }
    links = [f"{view}/Agenda/_01052026-1",
             f"file:///etc/hostname?{view}/Agenda/_01062026-2",
             f"http://127.0.0.2:{internal}{view}/Agenda/_01072026-3",
             f"http://127.0.0.1:{other_port}{view}/Agenda/_01082026-4",
             f"data:application/pdf;base64,JVBERi0xLjQK?{view}/Agenda/_01132026-10",
             *redirects]
    listing = agenda_listing(links)

    class Site(Quiet):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?")[0]
            if path.startswith("/AgendaCenter/Search"):
                self.answer(200, "text/html", listing)
            elif path == f"{view}/Agenda/_01052026-1":
                self.answer(200, "application/pdf", PDF)
            elif path in redirects:
                self.send_response(302)
                self.send_header("Location", redirects[path])
                self.end_headers()
            else:
                self.answer(404, "text/plain", b"not found")

    return Site


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("hostile")
    hits, internal, other = internal_services()
    site = serve(hostile_site(internal.server_port, other.server_port))
    start = f"http://127.0.0.1:{site.server_port}/AgendaCenter/Search/?term="
    try:
        rows = crawl_sources(folder, {"hostile_village_board": {
            "name": "Hostile Village Board", "place": "Hostile", "kind": "minutes",
            "platform": "civicplus", "start_urls": [start]}})
        store = Store.open(f"sqlite:///{folder / 'data' / 'db.sqlite'}")
        yield {"row": rows["hostile_village_board"], "hits": hits,
               "archive": folder / "data" / "archive",
               "documents": store.stored_documents("hostile_village_board")}
    finally:
        for server in (internal, other, site):
            server.shutdown()


def test_no_internal_service_received_any_request(hostile_crawl):
    assert hostile_crawl["hits"] == []


def test_only_the_sites_own_document_was_stored(hostile_crawl):
    assert [url.rsplit("/", 1)[-1] for url in hostile_crawl["documents"]] == ["_01052026-1"]


def test_nothing_local_reached_the_archive(hostile_crawl):
    archived = [p.read_bytes() for p in hostile_crawl["archive"].rglob("*")
                if p.is_file()]
    local = Path("/etc/hostname").read_bytes() if Path("/etc/hostname").is_file() else SECRET
    assert archived == [PDF] and not any(local in body or SECRET in body for body in archived)


def test_every_refusal_is_recorded_against_the_source_with_its_reason(hostile_crawl):
    messages = hostile_crawl["row"].error_messages
    refused = [m for m in messages if "refused by the fetch policy" in m]
    assert len(refused) == 8, messages


def test_a_refused_redirect_names_where_it_came_from(hostile_crawl):
    messages = hostile_crawl["row"].error_messages
    assert any(m.startswith("http://2130706433:") and "redirected from" in m
               and "_01102026-6; 2130706433 (127.0.0.1) is a loopback address" in m
               for m in messages), messages


def test_a_redirect_to_a_file_says_it_was_not_followed(hostile_crawl):
    messages = hostile_crawl["row"].error_messages
    assert any(m.endswith("_01122026-8: redirected to file:///etc/hostname, which is not "
                          "followed (only http and https URLs are fetched)")
               for m in messages), messages


def test_a_data_link_fails_with_a_message_not_a_traceback(hostile_crawl):
    messages = hostile_crawl["row"].error_messages
    assert any(m.startswith("data:") and "not data URLs" in m for m in messages), messages


def portal_behind_a_challenge(internal: int, other_port: int) -> type[BaseHTTPRequestHandler]:
    """A portal answering 403 first (a bot check), then a page whose images and script
    reach for an internal service and another local port, and one image of its own."""
    return challenged_portal(f'<img src="http://127.0.0.2:{internal}/pixel.png"><script>'
                             f'fetch("http://127.0.0.1:{other_port}/admin")</script>')


def challenged_portal(reaching: str) -> type[BaseHTTPRequestHandler]:
    """A portal answering 403 first (a bot check), then a page with one image of its own and
    the ``reaching`` HTML; it records the paths asked and the host names they were asked of."""
    page = (f'<html><body><h1>Transparency Portal</h1><img src="/own.png">{reaching}'
            '</body></html>')

    class Portal(Quiet):
        asked: list[str] = []
        hosts: list[str] = []

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.asked.append(self.path)
            self.hosts.append(self.headers.get("Host", "").rsplit(":", 1)[0])
            if self.path == "/own.png":
                self.answer(200, "image/png", b"")
            elif self.path == "/portal" and self.asked.count("/portal") == 1:
                self.answer(403, "text/html", b"<html>Just a moment...</html>")
            elif self.path == "/portal":
                self.answer(200, "text/html", page.encode())
            else:
                self.answer(404, "text/plain", b"")

    return Portal


@pytest.fixture(scope="module")
def browser_crawl(tmp_path_factory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("browser")
    hits, internal, other = internal_services()
    handler = portal_behind_a_challenge(internal.server_port, other.server_port)
    site = serve(handler)
    try:
        crawl_sources(folder, {"hostile_police_portal": {
            "name": "Hostile Police", "place": "Hostile", "kind": "portal",
            "platform": "flock_portal",
            "start_urls": [f"http://127.0.0.1:{site.server_port}/portal"]}})
        yield {"hits": hits, "asked": handler.asked}
    finally:
        for server in (internal, other, site):
            server.shutdown()


def test_the_browser_rendered_the_page_and_loaded_its_own_image(browser_crawl):
    assert browser_crawl["asked"].count("/portal") == 2 and "/own.png" in browser_crawl["asked"]


def test_the_browser_reached_no_internal_service(browser_crawl):
    assert browser_crawl["hits"] == []


class NoCrawl:
    spider = None
    stats = None


def check(url: str, addresses: list[str], gate: PolicyResolver | None = None,
          **meta: object) -> None:
    async def resolver(host: str) -> list[str]:
        return addresses  # stubbed: no name is looked up, nothing leaves the machine

    gate = gate or PolicyResolver(reactor=None, lookup=lambda host: addresses)
    middleware = FetchPolicyMiddleware(NoCrawl(), resolver=resolver, gate=gate)
    asyncio.run(middleware.check(Request(url, meta=meta), url))


def test_the_middleware_refuses_a_private_address_naming_it():
    with pytest.raises(RequestRefused, match=r"intranet.example.test \(10.2.3.4\) is a private"):
        check("http://intranet.example.test/a.pdf", ["10.2.3.4"])


def test_the_middleware_says_a_refused_redirect_came_from_elsewhere():
    with pytest.raises(RequestRefused, match="redirected from https://town.example.gov/a.pdf;"):
        check("http://metadata.example.test/", ["169.254.169.254"],
              redirect_urls=["https://town.example.gov/a.pdf"])


def test_a_host_that_does_not_resolve_fails_as_a_dns_error():
    with pytest.raises(CannotResolveHostError):
        check("https://gone.example.test/", [])


def test_a_public_address_passes_the_middleware():
    check("https://records.example.test/release.pdf", ["93.184.216.34"])


def test_a_host_and_port_the_resolver_refused_when_connecting_is_refused_with_its_reason():
    gate = PolicyResolver(reactor=None, lookup=lambda host: [])
    gate.decide("rebind.example.test", 80, ["127.0.0.1"])  # the downloader's second answer
    with pytest.raises(RequestRefused, match=r"rebind.example.test \(127.0.0.1\) is a loopback "
                                             r"address.*\(answered when connecting\)"):
        check("http://rebind.example.test/a.pdf", ["93.184.216.34"], gate=gate)
