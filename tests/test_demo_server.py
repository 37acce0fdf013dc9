"""The demo world: demo/server.py serves it like a static host, and its content keeps its promises.

Tests that talk to the servers open sockets on 127.0.0.1 only (``enable_socket``).
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from functools import cache
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin

import pypdfium2 as pdfium
import pytest
import yaml

from config.schema import load_sources
from demo import make_pdfs, make_portal
from demo.server import DemoWorld

DEMO = Path(__file__).resolve().parent.parent / "demo"
SITES = DEMO / "sites"
PAGES = sorted(SITES.rglob("*.html"))
PDFS = sorted(SITES.rglob("*.pdf"))
EXPECTED = yaml.safe_load((DEMO / "expected.yaml").read_text(encoding="utf-8"))
IMMIGRATION_REASONS = {"ICE", "ICE WARRANT", "immigration", "ERO assist"}


@pytest.fixture(scope="module")
def world() -> Iterator[DemoWorld]:
    with DemoWorld() as served:
        yield served


def fetch(url: str, **headers: str) -> tuple[int, Message, bytes]:
    """Status, headers (case-insensitive) and body of a GET; 3xx-5xx are returned, not raised."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, b""


class _PageReader(HTMLParser):
    """Collects a page's links, its visible text, full organisation names and embedded CSVs."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        link = values.get("href") or values.get("src")
        if link and link.startswith("data:text/csv"):
            self.text.append(unquote(link.partition(",")[2]))
        elif link and not link.startswith(("mailto:", "tel:", "#")):
            self.links.append(link)
        if "data-tp-full-value" in values:
            self.text.append(values["data-tp-full-value"])

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read_page(path: Path) -> _PageReader:
    reader = _PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


def pdf_text_layer(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(path)
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def squash(text: str) -> str:
    return " ".join(unescape(text).split()).casefold()


@cache
def site_text(site: str) -> str:
    """Everything a reader of one site can read: pages, PDF text layers, scanned pages' text."""
    parts = [" ".join(read_page(p).text) for p in sorted((SITES / site).rglob("*.html"))]
    scanned = make_pdfs.sources()
    for pdf in sorted((SITES / site).rglob("*.pdf")):
        parts += pdf_text_layer(pdf)
        parts.append(scanned[pdf.relative_to(SITES)].scanned_text)
    parts += [p.read_text(encoding="utf-8") for p in sorted((SITES / site).rglob("*.csv"))]
    return squash(" ".join(parts))


def source_sites() -> dict[str, str]:
    """Each demo source id → the site folder its start URL names."""
    raw = yaml.safe_load((DEMO / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    return {sid: re.match(r"http://\{(\w+)\}", e["start_urls"][0]).group(1)  # type: ignore[union-attr]
            for sid, e in raw.items()}


@pytest.mark.enable_socket
def test_serves_every_site_folder_on_its_own_port(world: DemoWorld) -> None:
    folders = sorted(p.name for p in SITES.iterdir() if p.is_dir())
    ports = {host.rsplit(":", 1)[1] for host in world.hosts.values()}
    assert (sorted(world.hosts), len(ports)) == (folders, len(folders))


@pytest.mark.enable_socket
def test_serves_a_site_home_page_as_html(world: DemoWorld) -> None:
    status, headers, body = fetch(world.url("maplewood", "/"))
    assert (status, headers["Content-Type"], b"Village of Maplewood" in body) == (
        200, "text/html; charset=utf-8", True)


@pytest.mark.enable_socket
@pytest.mark.parametrize(("site", "path", "content_type"), [
    ("maplewood", "/government/minutes/2025-08-12-board-minutes.pdf", "application/pdf"),
    ("state_audit", "/audits/alpr/audit-status-2025.csv", "text/csv; charset=utf-8"),
    ("portal", "/robots.txt", "text/plain; charset=utf-8"),
])
def test_sends_the_content_type_of_each_file_kind(
    world: DemoWorld, site: str, path: str, content_type: str
) -> None:
    assert fetch(world.url(site, path))[1]["Content-Type"] == content_type


@pytest.mark.enable_socket
def test_answers_304_when_not_modified_since_last_modified(world: DemoWorld) -> None:
    url = world.url("lakeshore_county", "/board/proceedings.html")
    last_modified = fetch(url)[1]["Last-Modified"]
    assert fetch(url, **{"If-Modified-Since": last_modified})[0] == 304


@pytest.mark.enable_socket
def test_answers_200_when_modified_since_an_older_date(world: DemoWorld) -> None:
    url = world.url("lakeshore_county", "/board/proceedings.html")
    assert fetch(url, **{"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"})[0] == 200


@pytest.mark.enable_socket
def test_answers_304_for_a_matching_etag(world: DemoWorld) -> None:
    url = world.url("state_audit", "/audits/alpr.html")
    etag = fetch(url)[1]["ETag"]
    assert (etag.startswith('"'), fetch(url, **{"If-None-Match": etag})[0]) == (True, 304)


@pytest.mark.enable_socket
def test_lists_no_directories(world: DemoWorld) -> None:
    assert fetch(world.url("maplewood", "/government/agendas/"))[0] == 404


@pytest.mark.enable_socket
def test_robots_txt_allows_everything(world: DemoWorld) -> None:
    bodies = {fetch(world.url(site, "/robots.txt"))[2] for site in world.hosts}
    assert bodies == {b"User-agent: *\nDisallow:\n"}


@pytest.mark.enable_socket
def test_stops_serving_when_the_context_exits() -> None:
    with DemoWorld() as served:
        url = served.url("portal", "/")
        assert fetch(url)[0] == 200
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=5)


@pytest.mark.enable_socket
@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(SITES)) for p in PAGES])
def test_every_link_of_every_page_resolves(world: DemoWorld, page: Path) -> None:
    site, *rest = page.relative_to(SITES).parts
    base = world.url(site, "/".join(rest))
    broken = [link for link in read_page(page).links if fetch(urljoin(base, link))[0] != 200]
    assert broken == []


@pytest.mark.enable_socket
def test_every_demo_source_start_url_is_served(world: DemoWorld) -> None:
    sources = load_sources(DEMO / "sources.yaml", substitutions=world.hosts)
    statuses = {sid: fetch(s.urls[0])[0] for sid, s in sources.items()}
    assert statuses == dict.fromkeys(sources, 200)


@pytest.mark.parametrize("pdf", PDFS, ids=[p.name for p in PDFS])
def test_every_pdf_page_has_a_text_layer_except_scanned_ones(pdf: Path) -> None:
    scanned = sum(p.scanned for p in make_pdfs.sources()[pdf.relative_to(SITES)].pages)
    empty = sum(not text.strip() for text in pdf_text_layer(pdf))
    assert (2 <= len(pdf_text_layer(pdf)) <= 5, empty) == (True, scanned)


def test_one_pdf_has_a_scanned_page() -> None:
    with_scans = [path for path, doc in make_pdfs.sources().items() if doc.scanned_text]
    assert [p.name for p in with_scans] == ["2025-12-maplewood-pd-follow-up-audit.pdf"]


def test_tesseract_reads_the_finding_on_the_scanned_page(tmp_path: Path) -> None:
    pdf = pdfium.PdfDocument(SITES / "state_audit" / "audits" / "alpr"
                             / "2025-12-maplewood-pd-follow-up-audit.pdf")
    pdf[3].render(scale=300 / 72).to_pil().save(tmp_path / "page4.png")
    pdf.close()
    ocr = subprocess.run(["tesseract", str(tmp_path / "page4.png"), "-"], capture_output=True,
                         text=True, check=True, timeout=120).stdout
    assert "12 plate searches at the request of homeland security investigations" in squash(ocr)


def test_committed_pdfs_are_what_make_pdfs_writes(tmp_path: Path) -> None:
    written = make_pdfs.main(tmp_path)
    stale = [str(p.relative_to(tmp_path)) for p in written
             if p.read_bytes() != (SITES / p.relative_to(tmp_path)).read_bytes()]
    assert (len(written), stale) == (len(PDFS), []), "run: .venv/bin/python -m demo.make_pdfs"


def test_committed_portal_page_is_what_make_portal_writes(tmp_path: Path) -> None:
    written = make_portal.main(tmp_path)
    committed = SITES / "portal" / "harlan-grove-il-pd" / "index.html"
    assert [p.read_bytes() for p in written] == [committed.read_bytes()], (
        "run: .venv/bin/python -m demo.make_portal")


def test_portal_search_audit_has_thirty_rows_four_with_immigration_reasons() -> None:
    page = (SITES / "portal" / "harlan-grove-il-pd" / "index.html").read_text(encoding="utf-8")
    href = unescape(re.search(r'href="(data:text/csv[^"]+)"', page).group(1))  # type: ignore[union-attr]
    rows = list(csv.DictReader(io.StringIO(unquote(href.partition(",")[2]))))
    flagged = [r["reason"] for r in rows if r["reason"] in IMMIGRATION_REASONS]
    assert (len(rows), sorted(flagged)) == (30, sorted(IMMIGRATION_REASONS))


def test_every_expected_source_is_a_demo_source() -> None:
    named = {entry["source"] for entry in EXPECTED["findings"] + EXPECTED["traps"]}
    assert named - set(source_sites()) == set()


@pytest.mark.parametrize("entry", [e for e in EXPECTED["findings"] + EXPECTED["traps"]
                                   if not e.get("generated")],
                         ids=lambda e: f"{e['source']}:{e['phrase'][:40]}")
def test_every_expected_phrase_is_in_its_source_site(entry: dict[str, str]) -> None:
    assert squash(entry["phrase"]) in site_text(source_sites()[entry["source"]])


def test_no_trap_phrase_is_inside_a_finding_phrase() -> None:
    findings = [squash(f["phrase"]) for f in EXPECTED["findings"]]
    overlapping = [t["phrase"] for t in EXPECTED["traps"]
                   if any(squash(t["phrase"]) in f for f in findings)]
    assert overlapping == []
