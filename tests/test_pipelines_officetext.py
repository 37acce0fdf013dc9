"""Tests of pipelines/officetext.py: Word, RTF, e-mail and images, each made by the test."""

from __future__ import annotations

import io
from email.message import EmailMessage
from pathlib import Path

import docx
import pytest
from PIL import Image, ImageDraw, ImageFont

from config.limits import Limits
from pipelines.reader import read_document
from pipelines.sections import LimitExceeded, TextError

URL = "https://town.example.gov/records/response-2024-117"
MEMO = [
    "MEMORANDUM",
    "To: Chief of Police. From: Records Unit. Re: Audit of plate reader sharing, 2023.",
    "The department reviewed every external search of its automated license plate reader "
    "data during calendar year 2023 at the request of the village board.",
    "The audit found that the department shared its plate reader data with Immigration and "
    "Customs Enforcement through the vendor's national lookup between March and June.",
    "The chief ended the national lookup on June 30 and the board will review the policy at "
    "its August meeting.",
]


def memo_docx() -> bytes:
    document = docx.Document()
    document.core_properties.title = "ALPR sharing audit"
    document.add_heading(MEMO[0], level=1)
    for paragraph in MEMO[1:3]:
        document.add_paragraph(paragraph)
    document.add_heading("Findings", level=2)
    document.add_paragraph(MEMO[3])
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("Agency", "Searches"), ("HSI Chicago", "14")],
                          strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.add_paragraph(MEMO[4])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_are_read_in_order():
    text = read_document(memo_docx(), "", URL).text
    assert [line for line in text.split("\n") if line.startswith("The ")] == [
        MEMO[2], MEMO[3], MEMO[4]]


def test_docx_table_row_is_one_line_of_cells():
    assert "HSI Chicago | 14" in read_document(memo_docx(), "", URL).text.split("\n")


def test_docx_headings_start_sections():
    labels = [s.label for s in read_document(memo_docx(), "", URL).sections]
    assert labels == ['section "MEMORANDUM"', 'section "Findings"']


def test_docx_title_comes_from_its_properties():
    assert read_document(memo_docx(), "", URL).title == "ALPR sharing audit"


def test_docx_sent_as_octet_stream_is_read_by_its_bytes():
    assert MEMO[3] in read_document(memo_docx(), "application/octet-stream", URL).text


def test_docx_that_inflates_past_the_limit_is_too_large():
    with pytest.raises(LimitExceeded, match=r"too large: DOCX unpacked size \(bytes\) [\d,]+ is "
                                            r"over the limit of 1,000 \(raise "
                                            r"limits\.decompressed_bytes"):
        read_document(memo_docx(), "", URL, Limits(decompressed_bytes=1000))


def memo_rtf() -> bytes:
    paragraphs = "".join(f"{{\\pard {p.replace('’', chr(92) + chr(39) + '92')}\\par}}\n"
                         for p in MEMO)
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Times New Roman;}}\n"
            + paragraphs + "}").encode("cp1252")


def test_rtf_paragraphs_are_read():
    text = read_document(memo_rtf(), "application/rtf", URL).text
    assert [line.strip() for line in text.split("\n") if line.strip()] == MEMO


def memo_email() -> bytes:
    message = EmailMessage()
    message["From"] = "Records Unit <records@town.example.gov>"
    message["To"] = "requester@example.org"
    message["Date"] = "Tue, 12 Mar 2024 09:30:00 -0500"
    message["Subject"] = "RE: FOIA 2024-117 plate reader audit"
    message.set_content("\n\n".join(MEMO[1:]))
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf",
                           filename="audit-2023.pdf")
    return message.as_bytes()


def test_eml_reads_headers_body_and_attachment_names():
    page = read_document(memo_email(), "", URL)
    assert [s.label for s in page.sections] == ["e-mail header", "e-mail body", "attachments"]


def test_eml_body_is_the_text_part():
    assert MEMO[3] in read_document(memo_email(), "message/rfc822", URL).text


def test_eml_subject_is_the_title():
    assert read_document(memo_email(), "", URL).title == "RE: FOIA 2024-117 plate reader audit"


FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def memo_png() -> bytes:
    """A screenshot of the memo: black text on white, large enough for tesseract."""
    font = ImageFont.truetype(str(FONT), 30)
    lines = ["Re: Audit of plate reader sharing, 2023.", "",
             "The department shared its plate reader data",
             "with Immigration and Customs Enforcement",
             "through the national lookup between March", "and June."]
    image = Image.new("L", (1000, 60 + 45 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((40, 30 + 45 * number), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.mark.skipif(not FONT.exists(), reason="fonts-dejavu-core is not installed")
def test_png_screenshot_is_read_by_ocr():
    page = read_document(memo_png(), "image/png", URL)
    assert "Immigration and Customs Enforcement" in " ".join(page.text.split())


@pytest.mark.skipif(not FONT.exists(), reason="fonts-dejavu-core is not installed")
def test_jpeg_screenshot_is_read_by_ocr_as_one_section():
    out = io.BytesIO()
    Image.open(io.BytesIO(memo_png())).save(out, format="JPEG", quality=95)
    page = read_document(out.getvalue(), "", URL)
    assert ([s.label for s in page.sections], page.ocr_pages) == (["image (OCR)"], [1])


def test_image_larger_than_the_pixel_limit_is_too_large():
    out = io.BytesIO()
    Image.new("1", (4000, 3000), 1).save(out, format="PNG")
    with pytest.raises(LimitExceeded, match=r"too large: image size \(megapixels\) 12 is over "
                                            r"the limit of 4 "):
        read_document(out.getvalue(), "", URL, Limits(ocr_megapixels=1))


def test_broken_image_names_the_url():
    with pytest.raises(TextError, match=rf"^{URL}: not a readable image"):
        read_document(b"\x89PNG\r\n\x1a\n broken", "image/png", URL)


def test_doc_without_antiword_says_what_to_install(monkeypatch):
    from pipelines import officetext

    with pytest.raises(TextError, match=r"\(\.doc\) file, and antiword is not installed "
                                        r"\(apt-get install antiword"):
        officetext.doc_text(b"", URL, Limits(), command="no-such-antiword-here")
