"""Tests for reports/rows.py and the finding page's table of rows (portal and audit findings)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from config.schema import load_site
from reports.rows import evidence_rows
from reports.site import SiteWriter
from reports.views import Evidence, Facet, FindingView, Part, category_facet, place_facet, segments

SEEN = datetime(2025, 10, 1, 7, 0, tzinfo=UTC)
ROWS = ("Row 5: Date: 2025-09-05 01:13:00 UTC; Reason: ICE WARRANT; Networks searched: 1; "
        "Organization: Cedar Bend TX PD\n"
        "Row 16: Date: 2025-09-16 00:22:00 UTC; Reason: immigration; Networks searched: 3")
SECTION = "searches with immigration-related reasons: rows 5, 16"


def marks_of(snippet: str, *words: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for w in words for m in re.finditer(re.escape(w), snippet))


def finding(snippet: str, highlights: tuple[tuple[int, int], ...]) -> FindingView:
    evidence = Evidence(
        document_slug="abc123", document_title="Maplewood search audit", section=SECTION,
        source_url="https://example.test/audit.csv", archive_name=None,
        anchor="searches-with-immigration-related-reasons-rows-5-16", sha256="0" * 64,
        fetched_at=SEEN, published=None, start=400, end=400 + len(snippet))
    return FindingView(
        id="f" * 20, category=category_facet("immigration_search"),
        agencies=(Facet("agencies", "ice", "ICE"),), place=place_facet("Maplewood", "IL"),
        place_name="Maplewood", state="IL", source_id="maplewood_police_records",
        source_name="Maplewood Police records", snippet=snippet,
        parts=segments(snippet, list(highlights)), highlights=highlights, confidence=0.9,
        rules=("search audit logs searches whose reason is immigration-related",),
        first_seen=SEEN, last_seen=SEEN, evidence=(evidence,), review=None)


ICE_FINDING = finding(ROWS, marks_of(ROWS, "ICE WARRANT", "immigration"))


def test_rows_are_read_with_their_numbers_and_columns():
    table = evidence_rows(ICE_FINDING)
    assert table is not None
    assert ([r.number for r in table.rows], table.columns) == (
        [5, 16], ("Date", "Reason", "Networks searched", "Organization"))


def test_highlights_mark_the_words_inside_their_cells():
    table = evidence_rows(ICE_FINDING)
    assert table is not None
    assert [r.cells[1] for r in table.rows] == [(Part("ICE WARRANT", True),),
                                                (Part("immigration", True),)]


def test_a_missing_cell_is_empty():
    table = evidence_rows(ICE_FINDING)
    assert table is not None and table.rows[1].cells[3] == ()


def test_a_value_holding_a_colon_stays_one_cell():
    snippet = "Row 3: Date: 2026-04-01; Reason: FBI ASSIST: BANK THEFT; Networks searched: 1"
    table = evidence_rows(finding(snippet, ()))
    assert table is not None and table.rows[0].cells[1] == (Part("FBI ASSIST: BANK THEFT", False),)


@pytest.mark.parametrize("snippet", [
    "The department shared data with U.S. Customs and Border Protection.",
    "Row 3: Date: 2026-04-01\nSearch audit: 4 searches with immigration-related reasons",
])
def test_a_quote_that_is_not_all_rows_is_no_table(snippet):
    assert evidence_rows(finding(snippet, ())) is None


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("site")
    writer = SiteWriter(out, {"site": load_site(), "base_url": "https://watch.example/"})
    writer.page(ICE_FINDING.path, "finding.html", f=ICE_FINDING, same=[],
                feeds=[ICE_FINDING.place, ICE_FINDING.category])
    return (out / ICE_FINDING.path / "index.html").read_text(encoding="utf-8")


def test_finding_page_shows_a_table_of_its_rows_with_a_caption(page):
    assert "<caption>Rows 5 and 16 of the document, as our text copy numbers them</caption>" in page


def test_finding_page_heads_each_row_with_its_number(page):
    assert re.findall(r'<th scope="row" data-label="Row">(\d+)</th>', page) == ["5", "16"]


def test_finding_page_marks_the_words_that_made_the_finding_in_the_table(page):
    assert ('<td data-label="Reason"><mark>ICE WARRANT</mark></td>' in page
            and '<td data-label="Reason"><mark>immigration</mark></td>' in page)


def test_finding_page_links_to_the_rows_on_the_text_copy(page):
    assert 'href="../../documents/abc123/#at-400"' in page  # the rows' passage (start 400)


def test_finding_page_quotes_no_long_line_when_it_shows_rows(page):
    assert "<blockquote>" not in page


def test_other_findings_keep_their_quote(tmp_path: Path):
    quote = finding("The village shared camera data with CBP.", ())
    writer = SiteWriter(tmp_path, {"site": load_site(), "base_url": "https://watch.example/"})
    writer.page(quote.path, "finding.html", f=quote, same=[], feeds=[])
    html = (tmp_path / quote.path / "index.html").read_text(encoding="utf-8")
    assert ("<blockquote>" in html, 'class="stack rows"' in html) == (True, False)
