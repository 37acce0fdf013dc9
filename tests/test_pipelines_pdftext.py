"""Tests of PDF text extraction (pipelines/pdftext.py, through pipelines.text.extract_text).

The PDFs are drawn with reportlab in each test; the OCR tests run the real tesseract.
"""

import io
import logging
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from pipelines.pdftext import clean_page_text, pdf_text, render_pgm
from pipelines.text import TextError, extract_text, section_at

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
corpus = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is absent")
CHICAGO = "council/chicago/chi_police_district_councils__Notice-and-Agenda-001-2023-06-06.pdf"
URL = "https://town.example.gov/agendas/2024-05-01.pdf"
PAGES = [
    ["Regular meeting of the Town Board", "Roll call: all present"],
    ["Item 4: Flock Safety contract renewal", "The chief reported on the camera network."],
    ["Adjourned at 9:05 pm"],
]


def pdf_bytes(pages: list[list[str]], *, size: int = 12, **canvas_options) -> bytes:
    """A PDF with one page per list, one drawn line per string."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter, **canvas_options)
    for lines in pages:
        canvas.setFont("Helvetica", size)
        for number, line in enumerate(lines):
            canvas.drawString(72, 700 - number * size * 1.4, line)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def scanned_pdf(lines: list[str]) -> bytes:
    """A PDF whose page 1 has a text layer and page 2 only a picture of ``lines``."""
    picture = pdfium.PdfDocument(pdf_bytes([lines], size=20))
    image = picture[0].render(scale=200 / 72).to_pil()
    picture.close()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter)
    canvas.drawString(72, 700, "Cover page")
    canvas.showPage()
    canvas.drawImage(ImageReader(image), 0, 0, *letter)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_pdf_has_one_section_per_page():
    pdf = extract_text(pdf_bytes(PAGES), "application/pdf", URL)
    assert [s.label for s in pdf.sections] == ["page 1", "page 2", "page 3"]


def test_pdf_section_offsets_hold_that_page_text():
    pdf = extract_text(pdf_bytes(PAGES), "application/pdf", URL)
    assert pdf.text[pdf.sections[1].start:pdf.sections[1].end] == "\n".join(PAGES[1])


def test_pdf_pages_are_joined_by_a_blank_line():
    pdf = extract_text(pdf_bytes(PAGES), "application/pdf", URL)
    assert pdf.text == "\n\n".join("\n".join(lines) for lines in PAGES)


def test_offset_inside_page_2_is_on_page_2():
    pdf = extract_text(pdf_bytes(PAGES), "application/pdf", URL)
    assert section_at(pdf.sections, pdf.text.index("Flock Safety")) == "page 2"


def test_pdf_title_comes_from_the_metadata():
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.setTitle("Town Board minutes, May 2024")
    canvas.drawString(72, 700, "Minutes")
    canvas.save()
    assert extract_text(out.getvalue(), "application/pdf", URL).title == (
        "Town Board minutes, May 2024"
    )


def test_pdf_is_recognised_by_its_signature_whatever_the_content_type():
    pdf = extract_text(pdf_bytes(PAGES), "application/octet-stream", URL)
    assert pdf.text.startswith("Regular meeting")


def test_pdf_hyphenated_line_break_is_mended():
    pdf = extract_text(pdf_bytes([["The data sharing agree-", "ment with HSI was signed."]]),
                       "application/pdf", URL)
    assert pdf.text == "The data sharing agreement with HSI was signed."


def test_pdf_form_field_values_are_part_of_the_text():
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, "Location/Address:")
    canvas.acroForm.textfield(name="LocationAddress", value="337 E Randolph St",
                              x=200, y=710, width=250, height=20)
    canvas.save()
    pdf = extract_text(out.getvalue(), "application/pdf", URL)
    assert "337 E Randolph St" in pdf.text


def test_corrupt_pdf_error_names_the_url():
    with pytest.raises(TextError, match=r"^https://town\.example\.gov/agendas/2024-05-01\.pdf: "
                                        r"not a readable PDF: "):
        extract_text(b"%PDF-1.7\n1 0 obj garbage", "application/pdf", URL)


def test_password_protected_pdf_error_says_so():
    body = pdf_bytes(PAGES, encrypt="secret")
    with pytest.raises(TextError, match="password-protected or damaged"):
        extract_text(body, "application/pdf", URL)


@corpus
def test_corpus_chicago_agenda_is_one_page():
    pdf = extract_text((CORPUS / CHICAGO).read_bytes(), "application/pdf", URL)
    assert [s.label for s in pdf.sections] == ["page 1"]


@corpus
@pytest.mark.parametrize("phrase", [
    "NOTICE AND AGENDA OF DISTRICT COUNCIL MEETING",
    "If you have any questions regarding this agenda, please contact 312-742-8888.",
    "Maggie Daley Fieldhouse",  # a form field value
    "Superintendent Search Updates",  # a form field value
    "337 E Randolph St",  # a FreeText annotation
])
def test_corpus_chicago_agenda_text(phrase):
    pdf = extract_text((CORPUS / CHICAGO).read_bytes(), "application/pdf", URL)
    assert phrase in pdf.text


# -- OCR ----------------------------------------------------------------------------------------

SCANNED = ["Records request response", "Flock searches by Homeland Security", "Investigations"]


@pytest.fixture(scope="module")
def scanned() -> bytes:
    return scanned_pdf(SCANNED)


def test_page_without_text_layer_is_ocred(scanned):
    pdf = extract_text(scanned, "application/pdf", URL)
    assert pdf.ocr_pages == [2]


def test_ocr_recognises_the_words_of_the_page(scanned):
    pdf = extract_text(scanned, "application/pdf", URL)
    assert pdf.text[pdf.sections[1].start:pdf.sections[1].end] == "\n".join(SCANNED)


def test_missing_tesseract_leaves_the_page_empty(scanned):
    pdf = pdf_text(scanned, URL, tesseract="no-such-tesseract-here")
    assert (pdf.pages, pdf.ocr_pages) == (["Cover page", ""], [])


def test_missing_tesseract_warning_names_url_page_and_package(scanned, caplog):
    with caplog.at_level(logging.WARNING, logger="pipelines.pdftext"):
        pdf_text(scanned, URL, tesseract="no-such-tesseract-here")
    assert [r.getMessage() for r in caplog.records] == [
        f"{URL}: page(s) 2 have no text layer and were not OCRed: install tesseract-ocr "
        "(apt-get install tesseract-ocr) and crawl again"
    ]


def test_failing_tesseract_is_reported_and_the_page_left_empty(scanned, caplog):
    with caplog.at_level(logging.WARNING, logger="pipelines.pdftext"):
        pdf = pdf_text(scanned, URL, tesseract="false")  # the command that always exits 1
    assert (pdf.pages[1], caplog.records[0].getMessage()) == (
        "", f"{URL}: page 2: tesseract failed (exit 1): no message; page left empty"
    )


def test_page_renders_as_a_grey_pgm_at_300_dpi():
    pdf = pdfium.PdfDocument(pdf_bytes(PAGES))
    image = render_pgm(pdf, 0, 300)
    pdf.close()
    header, width, height, depth, pixels = image.split(maxsplit=4)
    assert (header, width, height[:3], depth, len(pixels)) == (
        b"P5", b"2550", b"330", b"255", 2550 * int(height)
    )


# -- clean_page_text ----------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "clean"), [
    ("agree-\r\nment", "agreement"),
    ("Self-\nGovernment", "Self-\nGovernment"),
    ("the request from\nthe agency", "the request from the agency"),
    ("shared with the\nDepartment of State", "shared with the Department of State"),
    ("Item one, two,\nThree", "Item one, two, Three"),
    ("Votes\nNone", "Votes\nNone"),
    ("End of paragraph.\n\nnext paragraph", "End of paragraph.\n\nnext paragraph"),
    ("Items:\n- first\n- second", "Items:\n- first\n- second"),
    ("Agenda for the\n1. Roll call", "Agenda for the\n1. Roll call"),
    ("Agenda for the\na) Roll call", "Agenda for the\na) Roll call"),
    ("Spaced   \t out  \nline", "Spaced out line"),
    ("one\n\n\n\ntwo", "one\n\ntwo"),
    ("bell\x07 char\x00", "bell char"),
])
def test_clean_page_text(raw, clean):
    assert clean_page_text(raw) == clean
