"""Tests of pipelines/decode.py: charsets (declared, BOM, detected) and page markers."""

from __future__ import annotations

import pytest

from pipelines.decode import decode_text, plain_text
from pipelines.reader import read_document

URL = "https://town.example.gov/records/audit.csv"
ROWS = ("Agency,Searches,Reason\nHSI Chicago,14,ICE WARRANT\n"
        "Peña County Sheriff,3,“stolen vehicle”\nCBP Laredo,2,immigration\n")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_csv_is_read_with_or_without_a_bom(encoding):
    page = read_document(ROWS.encode(encoding), "text/csv", URL)
    assert page.text.split("\n")[0] == "Agency: HSI Chicago; Searches: 14; Reason: ICE WARRANT"


def test_windows_1252_csv_keeps_its_curly_quotes_and_accents():
    page = read_document(ROWS.encode("cp1252"), "text/csv", URL)
    assert page.text.split("\n")[1] == (
        "Agency: Peña County Sheriff; Searches: 3; Reason: “stolen vehicle”")


def test_latin1_label_means_windows_1252_as_browsers_read_it():
    assert decode_text("“ICE”".encode("cp1252"), "iso-8859-1") == "“ICE”"


def test_windows_1252_text_without_a_charset_is_detected():
    memo = ("The village’s “National Lookup” setting was on from March to June; the chief "
            "turned it off after the résumé of searches was read to the board.\n")
    assert decode_text(memo.encode("cp1252")) == memo


def test_utf8_is_kept_when_it_decodes():
    assert decode_text("Peña “ICE”".encode()) == "Peña “ICE”"


MINUTES = """VILLAGE BOARD MINUTES
Regular meeting of March 4, 2024

The board heard public comment on the plate reader contract.
Page 1 of 3
The chief said the vendor's national lookup was turned off in June.
Page 2 of 3
The board voted five to two to renew the contract for one year.
Page 3 of 3
"""


def test_text_with_page_footers_gets_page_sections():
    page = plain_text(MINUTES)
    assert [s.label for s in page.sections] == ["page 1", "page 2", "page 3"]


def test_page_footer_belongs_to_the_page_it_ends():
    page = plain_text(MINUTES)
    second = page.sections[1]
    assert page.text[second.start:second.end] == (
        "The chief said the vendor's national lookup was turned off in June.\nPage 2 of 3")


def test_text_with_page_headers_starts_each_page_at_its_marker():
    text = "- 1 -\nAgenda item one.\n- 2 -\nAgenda item two.\n- 3 -\nAdjourned.\n"
    page = plain_text(text)
    third = page.sections[2]
    assert page.text[third.start:third.end] == "- 3 -\nAdjourned."


def test_form_feeds_separate_pages():
    page = plain_text("First page.\fSecond page.\fThird page.")
    assert [page.text[s.start:s.end] for s in page.sections] == [
        "First page.", "Second page.", "Third page."]


def test_text_without_markers_is_one_page_section():
    page = plain_text("Minutes.\nPage 7 was read aloud.\n")
    assert [s.label for s in page.sections] == ["page"]


def test_markers_out_of_order_are_not_pages():
    page = plain_text("a\nPage 3\nb\nPage 1\nc\n")
    assert [s.label for s in page.sections] == ["page"]
