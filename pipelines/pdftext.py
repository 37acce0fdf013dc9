"""The text of a PDF, page by page: pypdfium2 for the text layer, tesseract for scanned pages.

Form-field values (AcroForm) and annotations are flattened into the page before its text
is read, because agencies often fill agenda templates in as forms: the date, place and
agenda items of a meeting notice then live only in the form fields.

A page with no text layer is rendered at ``OCR_DPI`` and read by the ``tesseract`` command
(Debian package ``tesseract-ocr``). Without it such a page stays empty and a WARNING says
so. Limits (``config/limits.py``) bound the pages, the characters and the OCR work.
:func:`pipelines.reader.read_document` is the entry point; this module knows only PDFs.

Why PDFium and not poppler's ``pdftotext`` for every page (measured for issue 16):
``pdftotext -raw`` reads the Helvetica minutes of bench/pdf_text.py in half the processor
time of PDFium's text page alone, but the real records of ../shared/corpus (embedded
TrueType fonts) in 1.5 times the time this whole module takes, so it would slow crawls down;
its default mode reorders a portal printout's heading away from its list and loses a
finding. It reads only the pages that lost their word spaces (pipelines/pdfwords.py).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from config.limits import Limits
from pipelines.ocr import OcrBudget, OcrFailed, ocr_image, scale_for
from pipelines.pagesplit import read_pages
from pipelines.pdfwords import fix_ligatures, lost_spaces, pdftotext_page, spaced_words
from pipelines.sections import over_limit

logger = logging.getLogger(__name__)

OCR_DPI = 300


class PdfUnreadable(Exception):
    """pdfium could not open the file: it is encrypted, damaged or not a PDF."""


@dataclass
class PdfText:
    """The cleaned text of each page (1-based page N is ``pages[N - 1]``)."""

    pages: list[str]
    title: str = ""
    ocr_pages: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was left unread, and why


def pdf_text(body: bytes, url: str, *, tesseract: str = "tesseract",
             limits: Limits | None = None) -> PdfText:
    """Read every page of a PDF; OCR the pages without a text layer with ``tesseract``.

    ``url`` names the document in log lines and errors. Raises :class:`PdfUnreadable`, or
    :class:`~pipelines.sections.LimitExceeded` past ``limits.pages`` or ``limits.text_chars``.
    """
    limits = limits or Limits()
    try:
        pdf = pdfium.PdfDocument(body)
    except pdfium.PdfiumError as error:
        raise PdfUnreadable(str(error)) from error
    with ExitStack() as cleanup:
        cleanup.callback(pdf.close)
        if len(pdf) > limits.pages:
            raise over_limit(url, "number of pages", len(pdf), limits.pages, "pages")
        pdf.init_forms()  # lets pdfium draw fields that have no appearance of their own
        reader = _Reader(pdf, body, url, limits, cleanup)
        result = PdfText(pages=[], title=_title(pdf))
        scanned: list[int] = []
        for index, page in enumerate(read_pages(len(pdf), reader.read)):
            text, blank = reader.page_text(index, page)
            if blank:
                scanned.append(index + 1)
            result.pages.append(text)
        if scanned:
            _ocr_pages(pdf, scanned, result, url, tesseract, limits)
        return result
    raise AssertionError("unreachable")  # ExitStack does not swallow exceptions


@dataclass(frozen=True)
class _Page:
    """One page as :meth:`_Reader.read` left it."""

    chars: int  # characters in its text layer
    text: str  # the cleaned text
    lost: str = ""  # the raw text, when it seems to have lost its word spaces
    blank: bool = False  # no text layer: OCR it
    error: str = ""  # PDFium could not read it


def _title(pdf: pdfium.PdfDocument) -> str:
    title = pdf.get_metadata_value("Title") or ""
    return " ".join(title.split())


class _Reader:
    """Reads page text layers, counting characters against ``limits.text_chars``."""

    def __init__(self, pdf: pdfium.PdfDocument, body: bytes, url: str, limits: Limits,
                 cleanup: ExitStack) -> None:
        self.pdf, self.body, self.url, self.limits = pdf, body, url, limits
        self.cleanup = cleanup
        self.chars = 0
        self.path = ""  # the PDF on disk, written once if pdftotext is needed

    def read(self, indexes: range) -> list[_Page]:
        """Read the given pages; stops after the page that passes ``limits.text_chars``
        (then :meth:`page_text` raises). Runs in a forked child for half of a long PDF."""
        pages, chars = [], 0
        for index in indexes:
            try:
                count, raw = self._flat_page_text(index)
            except pdfium.PdfiumError as error:
                pages.append(_Page(0, "", error=str(error)))
                continue
            lost = lost_spaces(raw)
            pages.append(_Page(count, clean_page_text(raw), raw if lost else "",
                               blank=not raw.strip()))
            chars += count
            if chars > self.limits.text_chars:
                break
        return pages

    def page_text(self, index: int, page: _Page) -> tuple[str, bool]:
        """The cleaned text of a page read by :meth:`read`, and whether the page has no text
        layer (to OCR); a page that lost its word spaces is read by poppler."""
        if page.error:
            logger.warning("%s: page %d: %s; reading it as a scan", self.url, index + 1,
                           page.error)
            return "", True
        self.chars += page.chars
        if self.chars > self.limits.text_chars:
            raise over_limit(self.url, "text characters (at least)", self.chars,
                             self.limits.text_chars, "text_chars")
        if page.lost:
            poppler = pdftotext_page(self._file(), index + 1, self.limits.wall_seconds)
            if poppler is not None and spaced_words(poppler) > spaced_words(page.lost):
                logger.debug("%s: page %d: words run together; read by pdftotext",
                             self.url, index + 1)
                return clean_page_text(poppler), not poppler.strip()
        return page.text, page.blank

    def _flat_page_text(self, index: int) -> tuple[int, str]:
        """The character count and text layer of one page, with form fields and annotations
        flattened into it."""
        page = self.pdf[index]
        # Raw call: PdfPage.flatten() refuses pages of documents without AcroForm, but their
        # annotations (FreeText, stamps) hold text too. A page without any has nothing to
        # flatten, and counting them costs a tenth of trying.
        if pdfium_c.FPDFPage_GetAnnotCount(page) and pdfium_c.FPDFPage_Flatten(
                page, pdfium_c.FLAT_NORMALDISPLAY) == pdfium_c.FLATTEN_SUCCESS:
            page.close()  # flattening rewrote the page contents: load the page again
            page = self.pdf[index]
        try:
            textpage = page.get_textpage()
            try:
                count = textpage.count_chars()
                if count > self.limits.text_chars:  # not read: page_text raises
                    return count, ""
                return count, str(textpage.get_text_bounded())
            finally:
                textpage.close()
        finally:
            page.close()

    def _file(self) -> str:
        if not self.path:
            handle, self.path = tempfile.mkstemp(prefix="sidedoor-", suffix=".pdf")
            self.cleanup.callback(os.unlink, self.path)
            with os.fdopen(handle, "wb") as out:
                out.write(self.body)
        return self.path


def _ocr_pages(pdf: pdfium.PdfDocument, numbers: list[int], result: PdfText, url: str,
               tesseract: str, limits: Limits) -> None:
    """Fill in ``result.pages`` for the given 1-based page numbers by OCR, within budget."""
    if shutil.which(tesseract) is None:
        logger.warning(
            "%s: page(s) %s have no text layer and were not OCRed: install tesseract-ocr "
            "(apt-get install tesseract-ocr) and crawl again",
            url, ", ".join(map(str, numbers)),
        )
        return
    budget = OcrBudget.of(limits)
    for number in numbers:
        if not budget.allows(number):
            continue
        text = _ocr_page(pdf, number, url, tesseract, budget, limits)
        if text is not None:
            result.pages[number - 1] = clean_page_text(text)
            result.ocr_pages.append(number)
    if budget.note():
        logger.warning("%s: %s", url, budget.note())
        result.notes.append(budget.note())


def _ocr_page(pdf: pdfium.PdfDocument, number: int, url: str, tesseract: str,
              budget: OcrBudget, limits: Limits) -> str | None:
    """The OCR text of one page, or None (logged) when it cannot be rendered or read."""
    try:
        image = render_pgm(pdf, number - 1, OCR_DPI, limits.ocr_megapixels)
    except pdfium.PdfiumError as error:
        logger.warning("%s: page %d: cannot render it for OCR (%s); page left empty",
                       url, number, error)
        return None
    try:
        return ocr_image(image, budget, command=tesseract)
    except OcrFailed as error:
        logger.warning("%s: page %d: %s; page left empty", url, number, error)
        return None


def render_pgm(pdf: pdfium.PdfDocument, index: int, dpi: int,
               megapixels: float = 1000.0) -> bytes:
    """Page ``index`` in grey at ``dpi`` (less for a page over ``megapixels``), as PGM."""
    page = pdf[index]
    try:
        width, height = page.get_size()
        bitmap = page.render(scale=scale_for(width, height, dpi, megapixels), grayscale=True,
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
# Patterns start with what is rare in a page (a hyphen, say) so the regex engine can skip to
# it; what must come before is a look-behind after it.
_HYPHEN_BREAK = re.compile(r"[-\xad\x02](?<=[^\W\d_].)\n(?=[a-z])")
_LIST_ITEM = re.compile(r"^(?:[-*•▪◦·●○■□☐✓]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|[ivxIVX]{1,5}[.)])\s")
_BLANK_LINES = re.compile(r"\n{3,}")
# The longest word here has 4 letters: 5 characters from a line's end decide a match.
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
    text = fix_ligatures(_CONTROL.sub("", text))
    if "\t" in text or "\xa0" in text or "  " in text:  # else every run is one space
        text = _HSPACE.sub(" ", text)
    text = _HYPHEN_BREAK.sub("", "\n".join(line.strip() for line in text.split("\n")))
    text = _unwrap(text.split("\n"))
    return (_BLANK_LINES.sub("\n\n", text) if "\n\n\n" in text else text).strip()


def _unwrap(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        # the cheap tests first; _CONTINUES needs only the last word of the line before
        if out and out[-1] and line and (
            line[0].islower() or _CONTINUES.search(out[-1][-5:])
        ) and not _LIST_ITEM.match(line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return "\n".join(out)
