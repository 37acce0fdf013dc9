"""Store pipeline: which place a finding is filed under."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.extract import Category, Finding
from pipelines.store import finding_records, place_of, statewide
from pipelines.text import Section
from spiders.items import DocumentItem

TOWNS = ["Maplewood", "Harlan Grove", "Cedar Bend"]
TEXT = ("State audit of the Harlan Grove Police Department.\n"
        "Finding 1: 4 searches were logged with the reason ICE.\n"
        "Finding 2: the department shares data with Maplewood and Cedar Bend.\n")


def document(title: str = "Audit TA-2025-14") -> DocumentItem:
    return DocumentItem(source_id="state_audits", url="https://audits.example.gov/14.pdf",
                        body=TEXT.encode(), content_type="application/pdf",
                        fetched_at=datetime(2025, 11, 3, tzinfo=UTC), title=title,
                        text=TEXT, sections=[{"label": "page 1", "start": 0, "end": len(TEXT)}])


def finding(snippet: str) -> Finding:
    start = TEXT.index(snippet)
    return Finding(Category.IMMIGRATION_SEARCH, ("ICE",), start, start + len(snippet), snippet,
                   0.9, ("test",))


SECTIONS = [Section("page 1", 0, len(TEXT))]


def test_a_town_named_in_the_evidence_is_the_findings_place():
    f = finding("State audit of the Harlan Grove Police Department.")
    assert place_of(f, document(), SECTIONS, TOWNS) == "Harlan Grove"


def test_a_town_named_in_the_documents_title_comes_next():
    f = finding("4 searches were logged with the reason ICE.")
    assert place_of(f, document("Cedar Bend police audit"), SECTIONS, TOWNS) == "Cedar Bend"


def test_two_towns_named_alike_leave_the_finding_with_the_state():
    f = finding("the department shares data with Maplewood and Cedar Bend.")
    assert place_of(f, document(), SECTIONS, TOWNS) is None


def test_without_a_town_in_evidence_or_title_the_section_decides():
    f = finding("4 searches were logged with the reason ICE.")
    page = [Section("page 1", 0, TEXT.index("Finding 2"))]
    assert place_of(f, document(), page, TOWNS) == "Harlan Grove"


def test_a_towns_own_source_keeps_its_place():
    records = finding_records(document(), [finding("4 searches were logged with the reason ICE.")])
    assert records[0].place is None


@pytest.mark.parametrize(("place", "state", "expected"), [
    ("Illinois", "IL", True), ("IL", "IL", True), ("Maplewood", "IL", False)])
def test_a_state_wide_source_is_one_whose_place_is_its_state(place, state, expected):
    assert statewide(place, state) is expected
