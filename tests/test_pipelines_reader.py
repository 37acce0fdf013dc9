"""Tests of pipelines/reader.py: each hostile file is stopped by its limit, in one line.

The files are small versions of those in bench/hostile.py; the limits are set small to match.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pypdfium2 as pdfium
import pytest
from openpyxl import Workbook
from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from config.limits import Limits
from pipelines.pdftext import render_pgm
from pipelines.reader import read_document
from pipelines.sections import LimitExceeded
from tests.conftest import ROOT

URL = "https://town.example.gov/records/release-7"


def workbook(*cells: tuple[str, str]) -> bytes:
    book = Workbook()
    for ref, value in cells:
        book.active[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(pages: int, *, text: str = "The board met.", size: tuple[float, float] = letter,
        picture: bool = False) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=size)
    for _ in range(pages):
        if picture:
            canvas.drawImage(ImageReader(Image.new("L", (64, 64), 200)), 0, 0, 100, 100)
        else:
            canvas.drawString(72, 700, text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_xlsx_cell_at_xfd1048576_is_stopped_by_the_cell_limit_not_walked():
    body = workbook(("A1", "reason"), ("XFD1048576", "ICE"))
    with pytest.raises(LimitExceeded, match=r"too large: number of cells \(at least\) 10,001 is "
                                            r"over the limit of 10,000 \(raise limits\.cells"):
        read_document(body, "", URL, Limits(cells=10_000))


def test_xlsx_row_with_a_far_cell_is_read_without_the_declared_padding():
    body = workbook(("A1", "agency"), ("A2", "HSI"), ("XFD2", "shared"))
    assert read_document(body, "", URL, Limits(cells=20_000)).text == (
        "agency: HSI; column 16384: shared")


def test_xlsx_zip_bomb_is_refused_before_inflating():
    with pytest.raises(LimitExceeded, match=r"too large: XLSX unpacked size \(bytes\) [\d,]+ is "
                                            r"over the limit of 2,000 "):
        read_document(workbook(("A1", "ICE " * 1000)), "", URL, Limits(decompressed_bytes=2000))


def test_zip_that_is_not_office_is_refused_by_format():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Main-Class: Evil\n")
    with pytest.raises(Exception, match=r"not a format sidedoor reads"):
        read_document(out.getvalue(), "application/pdf", URL)


@pytest.mark.parametrize("depth", [1_500, 20_000])
def test_deep_html_is_stopped_by_the_nesting_limit(depth):
    body = b"<div>" * depth + b"ICE" + b"</div>" * depth
    with pytest.raises(LimitExceeded, match=rf"too large: HTML nesting depth {depth + 2:,} is over "
                                            r"the limit of 256 \(raise limits\.nesting"):
        read_document(body, "text/html", URL)


def test_html_as_deep_as_the_limit_is_read():
    body = b"<div>" * 250 + b"ICE took the data" + b"</div>" * 250
    assert read_document(body, "text/html", URL).text == "ICE took the data"


def test_pdf_with_too_many_pages_is_refused():
    with pytest.raises(LimitExceeded, match=r"too large: number of pages 3 is over the limit of 2 "
                                            r"\(raise limits\.pages"):
        read_document(pdf(3), "", URL, Limits(pages=2))


def test_pdf_text_past_the_character_limit_is_refused_before_it_is_copied():
    with pytest.raises(LimitExceeded, match=r"too large: text characters \(at least\) 28 is over "
                                            r"the limit of 20 "):
        read_document(pdf(2), "", URL, Limits(text_chars=20))


def test_text_past_the_character_limit_is_refused():
    with pytest.raises(LimitExceeded, match=r"too large: text characters 4,000 is over the limit "
                                            r"of 1,000 \(raise limits\.text_chars"):
        read_document(b"ICE " * 1000, "text/plain", URL, Limits(text_chars=1000))


def test_file_past_the_byte_limit_is_refused():
    with pytest.raises(LimitExceeded, match=r"too large: file size \(bytes\) 4,000 is over the "
                                            r"limit of 100 "):
        read_document(b"ICE " * 1000, "text/plain", URL, Limits(bytes=100))


def test_csv_past_the_cell_limit_is_refused():
    body = b"agency,reason\n" + b"Town PD,ICE\n" * 100
    with pytest.raises(LimitExceeded, match=r"too large: number of cells \(at least\) 52 is "
                                            r"over the limit of 50 "):
        read_document(body, "text/csv", URL, Limits(cells=50))


def test_scanned_pages_past_the_ocr_budget_are_left_unread_with_a_note():
    page = read_document(pdf(3, picture=True), "", URL, Limits(ocr_pages=1))
    assert page.notes == ["2 scanned page(s) not OCRed (2, 3): over limits.ocr_pages or "
                          "limits.ocr_seconds in config/site.yaml"]


def test_a_200_inch_page_is_rendered_for_ocr_within_the_pixel_limit():
    document = pdfium.PdfDocument(pdf(1, size=(14400, 14400), picture=True))
    header = render_pgm(document, 0, 300, megapixels=1.0).split(b"\n", 2)[1]
    width, height = map(int, header.split())
    assert width * height <= 1_000_000


LAZY_PROBE = """
import sys
from pipelines.reader import read_document
read_document(sys.argv[1].encode(), "text/plain", "minutes.txt")
print(" ".join(sorted(m for m in ("pypdfium2", "bs4", "lxml", "openpyxl", "PIL", "docx")
                      if m in sys.modules)))
"""


def test_a_text_file_is_read_without_loading_the_other_formats_readers():
    done = subprocess.run([sys.executable, "-c", LAZY_PROBE, "Customs had access.\n"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, ""), done.stderr[-2000:]
