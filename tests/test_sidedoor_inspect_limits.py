"""`sidedoor inspect` and `new-source` on strangers' pages: the parse runs in a reading process
under the limits of a crawl, so a hostile page ends as one line naming it, with exit status 1.

The hostile files are those of bench/hostile.py and tests/test_pipelines_worker.py, served
from 127.0.0.1; the limits are made small so each ends in a fraction of a second.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from test_pipelines_worker import pdf_with_stream

from bench.hostile import html_nested, xlsx_cell_at_xfd1048576
from config.limits import Limits
from config.schema import load_site
from sidedoor.cli import main
from sidedoor.inspect import inspect, load
from tests.conftest import FIXTURES
from tests.local_sites import Quiet, serve

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MINUTES = (b"<html><head><title>Board minutes</title></head><body><h1>Minutes</h1>"
           b"<p>The Chief reported that U.S. Customs and Border Protection had access to the "
           b"village's camera data during the vendor's pilot program.</p></body></html>")
PAGES = {
    "/minutes.html": ("text/html", MINUTES),
    "/agendas.html": ("text/html", (FIXTURES / "document_index" / "agendas.html").read_bytes()),
    "/audit.xlsx": (XLSX, xlsx_cell_at_xfd1048576()),  # inflates to 16 billion cells
    "/bomb.pdf": ("application/pdf", pdf_with_stream(320)),  # a 320 MB content stream
    "/deep.html": ("text/html", html_nested(300_000)),  # seconds of reading its text
    "/links.html": ("text/html", b"".join(b'<a href="/d/%d.pdf">Agenda</a>' % n
                                          for n in range(100_000))),  # seconds of drafting
    "/damaged.pdf": ("application/pdf", b"%PDF-1.7 damaged"),
    "/big.html": ("text/html", MINUTES * 40),
}


class Site(Quiet):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        media, body = PAGES[self.path]
        self.answer(200, media, body)


@pytest.fixture(scope="module")
def site():
    server = serve(Site)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def limits(monkeypatch):
    """Set the limits the commands read from config/site.yaml."""
    def use(**changes):
        site = load_site()
        changed = site.model_copy(update={"limits": Limits(**{**site.limits.model_dump(),
                                                               **changes})})
        monkeypatch.setattr("config.schema.load_site", lambda *args: changed)
    return use


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def one_line_error(result, pattern: str) -> None:
    assert result.exit_code == 1, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert re.fullmatch(pattern, result.output.strip()), result.output


def test_a_normal_page_inspects_as_it_did_in_process(site):
    result = run("inspect", f"{site}/minutes.html", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report == inspect(load(f"{site}/minutes.html"))
    assert (report["title"], [f["agencies"] for f in report["findings"]]) == (
        "Board minutes", [["CBP"]])


def test_a_decompression_bomb_workbook_is_too_large(site, limits):
    # an audit log, read as a crawl reads it (pipelines/audit_read.py): stopped at the cell
    # limit, its claimed 16 billion cells never walked
    limits(memory_mb=200, cells=10_000)
    url = f"{site}/audit.xlsx"
    one_line_error(run("inspect", url), rf"Error: {re.escape(url)}: too large: number of "
                                        r"cells \(at least\) 10,001 is over the limit of "
                                        r"10,000 \(raise limits\.cells in config/site\.yaml "
                                        r"to read it\)")


def test_a_pdf_inflating_past_the_memory_limit_is_too_large(site, limits):
    limits(memory_mb=200)
    url = f"{site}/bomb.pdf"
    one_line_error(run("inspect", url),
                   rf"Error: {re.escape(url)}: too large: .*memory limit of 200 MB .*")


def test_a_page_past_the_wall_time_is_too_slow(site, limits):
    limits(wall_seconds=0.2, nesting=900)
    url = f"{site}/deep.html"
    one_line_error(run("inspect", url), rf"Error: {re.escape(url)}: too slow: seconds to read "
                                        r"it \(at least\) 0\.2 is over the limit of 0\.2 "
                                        r"\(raise limits\.wall_seconds in config/site\.yaml "
                                        r"to read it\)")


def test_a_damaged_pdf_is_unreadable(site):
    url = f"{site}/damaged.pdf"
    one_line_error(run("inspect", url), rf"Error: {re.escape(url)}: not a readable PDF: .*")


def test_a_page_over_the_byte_limit_is_too_large(site, limits):
    limits(bytes=1000)
    url = f"{site}/big.html"
    one_line_error(run("inspect", url), rf"Error: {re.escape(url)}: too large: file size "
                                        rf"\(bytes\) {len(MINUTES) * 40:,} is over the limit "
                                        r"of 1,000 \(raise limits\.bytes in config/site\.yaml "
                                        r"to read it\)")


def test_a_file_over_the_byte_limit_is_refused_unread(tmp_path, limits, monkeypatch):
    limits(bytes=1000)
    big = tmp_path / "big.html"
    big.write_bytes(MINUTES * 40)
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: pytest.fail("read it"))
    one_line_error(run("inspect", str(big)), rf"Error: {re.escape(str(big))}: too large: "
                                             r"file size \(bytes\) .* over the limit of 1,000 .*")


def test_a_hostile_page_among_several_is_an_error_line_and_the_rest_are_read(site, limits):
    limits(memory_mb=200, cells=10_000)
    pages = [f"{site}/audit.xlsx", f"{site}/minutes.html"]
    result = run("inspect", "--json", *pages)
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert result.exit_code == 1
    assert (first["location"], first["error"].split(": too large: ")[0]) == (pages[0], pages[0])
    assert (second["location"], second["title"]) == (pages[1], "Board minutes")


def new_source(url: str):
    return run("new-source", url, "--id", "example_village_board", "--name", "Board",
               "--place", "Example")


def test_new_source_drafts_a_normal_listing_as_before(site):
    result = new_source(f"{site}/agendas.html")
    assert result.exit_code == 0, result.output
    assert "documents:\n    - \\.pdf$" in result.output
    assert "match 4 links on the page" in " ".join(result.output.split())


def test_new_source_on_a_page_past_the_wall_time_is_too_slow(site, limits):
    limits(wall_seconds=0.2)
    url = f"{site}/links.html"
    one_line_error(new_source(url), rf"Error: {re.escape(url)}: too slow: seconds to read it "
                                    r"\(at least\) 0\.2 .*")


def test_new_source_on_a_page_over_the_byte_limit_is_too_large(site, limits):
    limits(bytes=1000)
    url = f"{site}/big.html"
    one_line_error(new_source(url), rf"Error: {re.escape(url)}: too large: file size .*")
