"""Tests of pipelines/officetext.py: Word, RTF, e-mail and images, each made by the test."""

from __future__ import annotations

import io
import shutil
import struct
from email.message import EmailMessage
from pathlib import Path

import docx
import pytest
from PIL import Image, ImageDraw, ImageFont

from config.limits import Limits
from pipelines.reader import read_document
from pipelines.sections import LimitExceeded, TextError
from pipelines.sniff import sniff

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


# -- Word 97 (.doc), written by hand: LibreOffice is not installed, python-docx writes .docx

END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR = 512


def _fib_and_text(text: str) -> tuple[bytes, bytes]:
    body = text.replace("\n", "\r").encode("cp1252") + b"\r"
    fib = bytearray(0x400)
    struct.pack_into("<HHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0409)
    struct.pack_into("<H", fib, 0x0A, 0x0200)  # fWhichTblStm: the table stream is 1Table
    struct.pack_into("<H", fib, 0x0C, 0x00BF)
    struct.pack_into("<II", fib, 0x18, 0x400, 0x400 + len(body))  # fcMin, fcMac
    struct.pack_into("<H", fib, 0x20, 14)
    struct.pack_into("<H", fib, 0x3E, 22)
    struct.pack_into("<I", fib, 0x40, 0x400 + len(body))  # cbMac
    struct.pack_into("<I", fib, 0x4C, len(body))  # ccpText
    struct.pack_into("<H", fib, 0x98, 0x5D)
    pieces = struct.pack("<II", 0, len(body)) + struct.pack("<HIH", 0, (0x400 * 2) | 0x40000000, 0)
    clx = b"\x02" + struct.pack("<I", len(pieces)) + pieces
    struct.pack_into("<II", fib, 0x1A2, 0, len(clx))  # fcClx, lcbClx
    # An empty stylesheet: without one antiword reads past its buffers (valgrind shows it)
    stylesheet = struct.pack("<H9H", 18, 0, 10, 1, 0x5B, 0, 0, 0, 0, 0)
    struct.pack_into("<II", fib, 0xA2, len(clx), len(stylesheet))  # fcStshf, lcbStshf
    table = clx + stylesheet
    word = bytes(fib) + body
    return word + bytes(max(4096 - len(word), 0)), table + bytes(4096 - len(table))


def _entry(name: str, kind: int, start: int, size: int, left=NOSTREAM, right=NOSTREAM,
          child=NOSTREAM) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, left,
                                                   right, child)
            + bytes(16) + bytes(4) + bytes(16) + struct.pack("<II", start, size) + bytes(4))


def _compound(streams: list[tuple[str, bytes]]) -> bytes:
    sectors: list[bytes] = []
    fat: list[int] = []
    starts = []
    for _name, data in streams:
        count = -(-len(data) // SECTOR)
        starts.append(len(sectors))
        for i in range(count):
            sectors.append(data[i * SECTOR:(i + 1) * SECTOR].ljust(SECTOR, b"\0"))
            fat.append(len(sectors) if i < count - 1 else END)
    directory_at = len(sectors)
    # the directory is a tree: the root's child is entry 1, whose left sibling is entry 2
    entries = _entry("Root Entry", 5, END, 0, child=1)
    entries += _entry(streams[0][0], 2, starts[0], len(streams[0][1]), left=2)
    entries += _entry(streams[1][0], 2, starts[1], len(streams[1][1]))
    entries += _entry("", 0, 0, 0)
    sectors.append(entries)
    fat.append(END)
    fat_at = len(sectors)
    fat.append(FATSECT)
    fat += [FREE] * (128 - len(fat))
    sectors.append(struct.pack("<128I", *fat))
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, directory_at, 0, 4096, END, 0, END, 0)
    difat = [fat_at] + [FREE] * 108
    struct.pack_into("<109I", header, 76, *difat)
    return bytes(header) + b"".join(sectors)


def word97(text: str) -> bytes:
    """A Word 97 (.doc) file of ``text``, one paragraph a line: an OLE2 compound file with a
    WordDocument stream (FIB and 8-bit text) and a 1Table stream (the piece table)."""
    word, table = _fib_and_text(text)
    return _compound([("WordDocument", word), ("1Table", table)])


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword is not installed")
def test_doc_paragraphs_are_read_by_antiword():
    page = read_document(word97("\n".join(MEMO)), "application/octet-stream", URL)
    assert [line.strip() for line in page.text.split("\n") if line.strip()] == MEMO


def test_doc_is_archived_as_doc():
    assert sniff(word97("\n".join(MEMO)), "application/x-msdownload") == "doc"


def test_doc_without_antiword_says_what_to_install(monkeypatch):
    from pipelines import officetext

    with pytest.raises(TextError, match=r"\(\.doc\) file, and antiword is not installed "
                                        r"\(apt-get install antiword"):
        officetext.doc_text(b"", URL, Limits(), command="no-such-antiword-here")


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword is not installed")
def test_doc_is_read_when_the_environment_has_no_home(monkeypatch):
    monkeypatch.delenv("HOME", raising=False)
    assert MEMO[3] in read_document(word97("\n".join(MEMO)), "", URL).text
