"""Tests of pipelines/pdfwords.py: lost word spaces (pdftotext for that page only), ligatures."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from pipelines import pdfwords
from pipelines.pdftext import clean_page_text
from pipelines.reader import read_document

URL = "https://town.example.gov/records/audit-memo.pdf"
MEMO = [
    "The department shared license plate data with Immigration and Customs",
    "Enforcement through the out of state lookup in the national network.",
    "",
    "The board approved the agreement with the county sheriff on a vote of five",
    "to two, and asked the chief to report on every search at its next meeting.",
]


def memo_pdf(word_gap: float, pages: int = 2) -> bytes:
    """Page 1 is drawn word by word with no space characters, ``word_gap`` ems apart;
    the other pages are ordinary text."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter)
    for number in range(pages):
        canvas.setFont("Helvetica", 11)
        for row, line in enumerate(MEMO):
            y = 700 - 16 * row
            if number:
                canvas.drawString(72, y, line)
                continue
            x = 72.0
            for word in line.split():
                canvas.drawString(x, y, word)
                x += stringWidth(word, "Helvetica", 11) + word_gap * 11
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_page_that_lost_its_spaces_is_read_by_pdftotext():
    page = read_document(memo_pdf(0.14), "application/pdf", URL)
    first = page.sections[0]
    assert " ".join(page.text[first.start:first.end].split()) == " ".join(" ".join(MEMO).split())


def test_pdftotext_reads_only_the_page_that_lost_its_spaces(monkeypatch):
    asked = []
    real = pdfwords.pdftotext_page

    def spy(path, number, timeout, **kwargs):
        asked.append(number)
        return real(path, number, timeout, **kwargs)

    monkeypatch.setattr("pipelines.pdftext.pdftotext_page", spy)
    read_document(memo_pdf(0.14, pages=3), "application/pdf", URL)
    assert asked == [1]


def test_ordinary_pdf_is_never_given_to_pdftotext(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("pdftotext was run on a page that kept its spaces")

    monkeypatch.setattr("pipelines.pdftext.pdftotext_page", refuse)
    page = read_document(memo_pdf(0.3), "application/pdf", URL)
    assert "data with Immigration and Customs" in page.text


@pytest.mark.parametrize(("text", "lost"), [
    (" ".join(MEMO), False),
    ("ThedepartmentsharedlicenseplatedatawithImmigrationandCustoms Enforcementthroughthe"
     "outofstatelookupinthenationalnetwork.", True),
    ("The department shared license plate datawith Immigration andCustoms Enforcement "
     "through the out of state lookup. The board approved the agreementwith the county.", True),
    ("McDonald and LaSalle of DeKalb County sent the contract herewith to the board, which "
     "approved the renewal of the camera network for the coming year.", False),
])
def test_lost_spaces(text, lost):
    assert pdfwords.lost_spaces(text) is lost


@pytest.mark.parametrize(("raw", "fixed"), [
    ("Public no2ce of ac2on by the Administra2on", "Public notice of action by the Administration"),
    ("the \ufb01nal \ufb02ow of o\ufb03cial data", "the final flow of official data"),
    ("Item 2 of 12: H2O and 2a", "Item 2 of 12: H2O and 2a"),
])
def test_ligatures_are_mended(raw, fixed):
    assert clean_page_text(raw) == fixed


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "records"
corpus = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is absent")


@corpus
def test_corpus_email_printout_keeps_out_of_state_apart():
    path = CORPUS / ("W012376-032026/_ALPR_Technology_in_the_News_and_Resources_for_Partner_"
                     "Agencies_and_the_Public__1_.pdf")
    text = read_document(path.read_bytes(), "application/pdf", str(path)).text
    assert "No Federal or out of state law enforcement agencies" in " ".join(text.split())


@corpus
def test_corpus_order_form_ti_ligature_reads_as_ti():
    path = CORPUS / "W012159-021226/Flock_Amendment_No_1_-_ORT.pdf"
    text = read_document(path.read_bytes(), "application/pdf", str(path)).text
    assert (text.count("Descrip2on"), text.count("Description") > 0) == (0, True)


def words_listed_lost_spaces(text: str) -> bool:
    """lost_spaces as first written, one word at a time: what the fast version must equal."""
    words = pdfwords._WORD.findall(text)
    lengths = list(map(len, words))
    letters = sum(lengths)
    if letters < 80:
        return False
    if letters / len(words) > 9 or sum(1 for n in lengths if n >= 22) >= 2:
        return True
    joins = sum(1 for word in words if len(word) >= 5 and (
        pdfwords._CAMEL_JOIN.search(word) or pdfwords._GLUED.search(word))
        and word.lower() not in pdfwords._WORDS_THAT_END_SO)
    return joins >= 2


PIECES = st.sampled_from(["the", "data", "with", "Customs", "andCustoms", "ofstate", "x" * 23,
                          "é", "²", "_", "9", " ", "  ", "\n", ".", "’", "İ", "\ud800", "ß",
                          "Immigration", "of", "a"])


@given(st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=120))
@settings(max_examples=400, deadline=None)
def test_lost_spaces_counts_as_listing_every_word_would(pieces):
    text = "".join(pieces)
    assert pdfwords.lost_spaces(text) is words_listed_lost_spaces(text)


def test_letter_runs_mark_what_the_word_pattern_calls_a_letter():
    text = "Hé is_9 café²½—’x İ"
    assert pdfwords.letter_runs(text) == b"aa aa   aaaaaa  a a"
