"""The text of a PDF, page by page: pypdfium2 for the text layer, tesseract for scanned pages.

Form-field values (AcroForm) and annotations are flattened into the page before its text
is read, because agencies often fill agenda templates in as forms: the date, place and
agenda items of a meeting notice then live only in the form fields.

A page with no text layer is rendered at ``OCR_DPI`` and read by the ``tesseract`` command
(Debian package ``tesseract-ocr``). Without it such a page stays empty and a WARNING says
so. :func:`pipelines.text.extract_text` is the entry point; this module knows only PDFs.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

logger = logging.getLogger(__name__)

OCR_DPI = 300
OCR_TIMEOUT = 180.0  # seconds for one page; a dense 300 dpi page takes about 3 s


class PdfUnreadable(Exception):
    """pdfium could not open the file: it is encrypted, damaged or not a PDF."""


@dataclass
class PdfText:
    """The cleaned text of each page (1-based page N is ``pages[N - 1]``)."""

    pages: list[str]
    title: str = ""
    ocr_pages: list[int] = field(default_factory=list)


def pdf_text(body: bytes, url: str, *, tesseract: str = "tesseract") -> PdfText:
    """Read every page of a PDF; OCR the pages without a text layer with ``tesseract``.

    ``url`` only names the document in log lines. Raises :class:`PdfUnreadable`.
    """
    try:
        pdf = pdfium.PdfDocument(body)
    except pdfium.PdfiumError as error:
        raise PdfUnreadable(str(error)) from error
    try:
        pdf.init_forms()  # lets pdfium draw fields that have no appearance of their own
        result = PdfText(pages=[], title=_title(pdf))
        scanned: list[int] = []
        for index in range(len(pdf)):
            raw = _page_text(pdf, index, url)
            if not raw.strip():
                scanned.append(index + 1)
            result.pages.append(clean_page_text(raw))
        if scanned:
            _ocr_pages(pdf, scanned, result, url, tesseract)
        return result
    finally:
        pdf.close()


def _title(pdf: pdfium.PdfDocument) -> str:
    title = pdf.get_metadata_value("Title") or ""
    return " ".join(title.split())


def _page_text(pdf: pdfium.PdfDocument, index: int, url: str) -> str:
    """The text layer of one page, with form fields and annotations flattened into it."""
    try:
        return _flat_page_text(pdf, index)
    except pdfium.PdfiumError as error:
        logger.warning("%s: page %d: %s; reading it as a scan", url, index + 1, error)
        return ""


def _flat_page_text(pdf: pdfium.PdfDocument, index: int) -> str:
    page = pdf[index]
    # Raw call: PdfPage.flatten() refuses pages of documents without AcroForm, but their
    # annotations (FreeText, stamps) hold text too.
    if pdfium_c.FPDFPage_Flatten(page, pdfium_c.FLAT_NORMALDISPLAY) == pdfium_c.FLATTEN_SUCCESS:
        page.close()  # flattening rewrote the page contents: load the page again
        page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            return str(textpage.get_text_bounded())
        finally:
            textpage.close()
    finally:
        page.close()


def _ocr_pages(
    pdf: pdfium.PdfDocument, numbers: list[int], result: PdfText, url: str, tesseract: str
) -> None:
    """Fill in ``result.pages`` for the given 1-based page numbers by OCR."""
    command = shutil.which(tesseract)
    if command is None:
        logger.warning(
            "%s: page(s) %s have no text layer and were not OCRed: install tesseract-ocr "
            "(apt-get install tesseract-ocr) and crawl again",
            url, ", ".join(map(str, numbers)),
        )
        return
    for number in numbers:
        text = _ocr_page(pdf, number, url, command)
        if text is not None:
            result.pages[number - 1] = clean_page_text(text)
            result.ocr_pages.append(number)


def _ocr_page(pdf: pdfium.PdfDocument, number: int, url: str, command: str) -> str | None:
    """The OCR text of one page, or None (logged) when tesseract fails."""
    try:
        image = render_pgm(pdf, number - 1, OCR_DPI)
    except pdfium.PdfiumError as error:
        logger.warning("%s: page %d: cannot render it for OCR (%s); page left empty",
                       url, number, error)
        return None
    try:
        # tesseract's OpenMP threads fight each other on small machines: one thread read a
        # dense page in 3 s, the default took 19 s on 2 cores. The environment passes through.
        done = subprocess.run(
            [command, "-", "-", "-l", "eng"], input=image,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            capture_output=True, timeout=OCR_TIMEOUT, check=False,
        )
    except subprocess.TimeoutExpired:
        logger.warning("%s: page %d: tesseract took over %.0f s; page left empty",
                       url, number, OCR_TIMEOUT)
        return None
    if done.returncode != 0:
        logger.warning("%s: page %d: tesseract failed (exit %d): %s; page left empty",
                       url, number, done.returncode,
                       done.stderr.decode("utf-8", "replace").strip()[-300:] or "no message")
        return None
    return done.stdout.decode("utf-8", "replace")


def render_pgm(pdf: pdfium.PdfDocument, index: int, dpi: int) -> bytes:
    """Page ``index`` rendered in grey at ``dpi``, as a binary PGM image (tesseract reads it)."""
    page = pdf[index]
    try:
        bitmap = page.render(scale=dpi / 72, grayscale=True,
                             force_bitmap_format=pdfium_c.FPDFBitmap_Gray)
        try:
            width, height, stride = bitmap.width, bitmap.height, bitmap.stride
            buffer = bytes(bitmap.buffer)
        finally:
            bitmap.close()
    finally:
        page.close()
    rows = buffer if stride == width else b"".join(
        buffer[row * stride: row * stride + width] for row in range(height)
    )
    return b"P5\n%d %d\n255\n" % (width, height) + rows


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
_HSPACE = re.compile(r"[ \t\xa0]+")
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])[-\xad\x02]\n(?=[a-z])")
_LIST_ITEM = re.compile(r"^(?:[-*•▪◦·●○■□☐✓]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|[ivxIVX]{1,5}[.)])\s")
_CONTINUES = re.compile(
    r"(?:,|\b(?:a|an|and|as|at|by|for|from|in|into|of|on|or|than|that|the|to|with))$"
)


def clean_page_text(raw: str) -> str:
    """Normalise a page: mend hyphenated line breaks, unwrap lines inside paragraphs.

    Conservative: a line is joined to the next only when the next starts in lower case or
    the line ends with a comma or a word such as "the" or "of"; blank lines (paragraph
    breaks) and lines that start a list item always stay.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\x02\n", "-\n")  # pdfium marks a hyphen at a line end with STX
    text = _CONTROL.sub("", text)
    lines = [_HSPACE.sub(" ", line).strip() for line in text.split("\n")]
    text = _HYPHEN_BREAK.sub("", "\n".join(lines))
    return re.sub(r"\n{3,}", "\n\n", _unwrap(text.split("\n"))).strip()


def _unwrap(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if out and out[-1] and line and not _LIST_ITEM.match(line) and (
            line[0].islower() or _CONTINUES.search(out[-1])
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return "\n".join(out)
