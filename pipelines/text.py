"""Text pipeline: the plain text of a fetched document, cut into sections a reader can find.

:func:`extract_text` dispatches on the media type: HTML blocks (sections at h1-h3
headings), PDF pages (``pipelines/pdftext.py``; OCR for scanned pages), CSV/XLSX rows (one
line per row, "header: value; ..."), plain text. Offsets in :class:`Section` index the
joined text, so a finding's offset maps back to "page 3" with :func:`section_at`.
:class:`TextPipeline` is the thin Scrapy glue around it.
"""

from __future__ import annotations

import asyncio
import bisect
import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Self

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from pipelines.pdftext import PdfUnreadable, pdf_text
from pipelines.runstatus import count
from spiders.batch import sources_of
from spiders.items import DocumentItem

logger = logging.getLogger(__name__)

ROWS_PER_SECTION = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_XLS = "application/vnd.ms-excel"  # many servers send CSV files as this
_CSV = ("text/csv", "application/csv", "text/comma-separated-values")


class TextError(Exception):
    """A document's text could not be read: unsupported type, encrypted or corrupt file."""


@dataclass(frozen=True)
class Section:
    """A part of a document a reader can find: "page 3", 'section "Public comment"'."""

    label: str
    start: int  # offsets into ExtractedText.text
    end: int


@dataclass(frozen=True)
class ExtractedText:
    """A document's text and its sections, in order and not overlapping."""

    text: str
    sections: list[Section]
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages read by OCR
    title: str = ""  # HTML <title> or first h1; PDF metadata title


def extract_text(body: bytes, content_type: str, url: str) -> ExtractedText:
    """The text of a document of media type ``content_type`` fetched from ``url``.

    Raises :class:`TextError`, naming ``url``, for unsupported types and unreadable files.
    """
    media_type, _, params = content_type.partition(";")
    media_type = media_type.strip().lower()
    charset = _charset(params)
    if body.startswith(b"%PDF-") or media_type in ("application/pdf", "application/x-pdf"):
        return _pdf(body, url)
    if media_type in ("text/html", "application/xhtml+xml"):
        return html_text(decode_text(body, charset))
    if media_type in _CSV or (media_type == _XLS and not body.startswith(b"\xd0\xcf\x11\xe0")):
        return table_text([("", csv_rows(decode_csv(body, charset), url))])
    if media_type == XLSX:
        return table_text(xlsx_sheets(body, url))
    if media_type == "text/plain":
        text = decode_text(body, charset).replace("\r\n", "\n")
        return ExtractedText(text, [Section("page", 0, len(text))])
    raise TextError(
        f"{url}: unsupported content type {media_type or '(none)'!r}; sidedoor reads PDF, "
        "HTML, plain text, CSV and XLSX (save other formats as one of these)"
    )


def section_at(sections: Sequence[Section], offset: int) -> str:
    """The label of the section holding ``offset`` (the one before a gap), or "" if none."""
    if not sections:
        return ""
    index = bisect.bisect_right([s.start for s in sections], offset) - 1
    return sections[max(index, 0)].label


def _pdf(body: bytes, url: str) -> ExtractedText:
    try:
        pdf = pdf_text(body, url)
    except PdfUnreadable as error:
        raise TextError(
            f"{url}: not a readable PDF: {error}; it may be password-protected or damaged "
            "(open it in a PDF reader to check)"
        ) from error
    text, sections = _join((f"page {n}", page) for n, page in enumerate(pdf.pages, 1))
    return ExtractedText(text, sections, ocr_pages=pdf.ocr_pages, title=pdf.title)


def _join(parts: Iterable[tuple[str, str]], separator: str = "\n\n") -> tuple[str, list[Section]]:
    """Join labelled texts; each becomes a section spanning exactly its own text."""
    chunks: list[str] = []
    sections: list[Section] = []
    offset = 0
    for label, chunk in parts:
        if chunks:
            chunks.append(separator)
            offset += len(separator)
        chunks.append(chunk)
        sections.append(Section(label, offset, offset + len(chunk)))
        offset += len(chunk)
    return "".join(chunks), sections


# -- HTML -------------------------------------------------------------------------------------

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_DROP = {"script", "style", "noscript", "template", "nav", "form", "select", "button",
         "iframe", "svg", "object", "head"}
_PAGE_CHROME = {"header", "footer"}  # dropped unless inside <main>/<article>
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search"}
_HEADINGS = {"h1", "h2", "h3"}
_BLOCKS = {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
           "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "h4",
           "h5", "h6", "hr", "html", "legend", "li", "main", "ol", "p", "section",
           "summary", "table", "tbody", "tfoot", "thead", "ul"}
_LAYOUT = ["table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"]
_SPACE = re.compile(r"\s+")


def _charset(params: str) -> str | None:
    found = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.IGNORECASE)
    return found.group(1) if found else None


def decode_text(body: bytes, charset: str | None = None) -> str:
    """Decode with the declared charset, a BOM or a <meta> charset; else UTF-8, replacing."""
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", "replace")
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return body.decode("utf-16", "replace")
    meta = _CHARSET.search(body[:4096])
    for name in (charset, meta.group(1).decode("ascii") if meta else None):
        if name:
            try:
                return body.decode(name, "replace")
            except LookupError:
                logger.debug("unknown charset %r; trying the next guess", name)
    return body.decode("utf-8", "replace")


def html_text(html: str) -> ExtractedText:
    """Visible text of a page, one block per line, table rows as "cell | cell"."""
    soup = BeautifulSoup(html, "lxml")
    title = _squash(soup.title.get_text(" ")) if soup.title else ""
    for tag in [t for t in soup.find_all(True) if _is_chrome(t)]:
        if not tag.decomposed:
            tag.decompose()
    lines: list[tuple[str, bool]] = []  # (line, starts a section)
    _walk(soup, lines, [])
    if not title:
        title = next((line for line, heading in lines if heading), "")
    return _html_sections(lines, title)


def _is_chrome(tag: Tag) -> bool:
    """Page furniture and invisible parts whose text is not the document's."""
    if tag.decomposed:  # inside a part dropped already
        return False
    if tag.name == "form":  # ASP.NET pages wrap the whole page in one <form>
        return tag.find(["main", "article", "table", "h1", "h2"]) is None
    if tag.name in _DROP or tag.has_attr("hidden"):
        return True
    if tag.name in _PAGE_CHROME or tag.get("role") in _CHROME_ROLES:
        return tag.find_parent(["main", "article"]) is None
    return "display:none" in str(tag.get("style", "")).replace(" ", "").lower()


def _walk(node: Tag, lines: list[tuple[str, bool]], buffer: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, PreformattedString):  # comments, doctype, CDATA
                buffer.append(str(child))
        elif not isinstance(child, Tag):
            continue
        elif child.name == "br":
            _flush(buffer, lines)
        elif child.name == "pre":
            _flush(buffer, lines)
            for line in child.get_text().split("\n"):
                _emit(lines, line)
        elif child.name in _HEADINGS:
            _flush(buffer, lines)
            _emit(lines, child.get_text(" "), heading=True)
        elif child.name == "tr" and not _is_layout_row(child):
            _flush(buffer, lines)
            cells = (_squash(c.get_text(" ")) for c in child.find_all(["td", "th"]))
            _emit(lines, " | ".join(c for c in cells if c))
        elif child.name in _BLOCKS or child.name in ("tr", "td", "th"):
            _flush(buffer, lines)
            _walk(child, lines, buffer)
            _flush(buffer, lines)
        else:
            _walk(child, lines, buffer)


def _is_layout_row(row: Tag) -> bool:
    """A row that lays out a page (lists, headings, paragraphs in a cell) rather than data."""
    if row.find(_LAYOUT) is not None:
        return True
    cells = row.find_all(["td", "th"])
    return any(len(cell.find_all(["p", "div"], limit=2)) > 1 for cell in cells)


def _flush(buffer: list[str], lines: list[tuple[str, bool]]) -> None:
    if buffer:
        _emit(lines, "".join(buffer))
        buffer.clear()


def _emit(lines: list[tuple[str, bool]], text: str, heading: bool = False) -> None:
    line = _squash(text)
    if line:
        lines.append((line, heading))


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _html_sections(lines: list[tuple[str, bool]], title: str) -> ExtractedText:
    groups: list[tuple[str, list[str]]] = []
    first_label = "top of page" if any(heading for _, heading in lines) else "page"
    for line, heading in lines:
        if heading:
            label = line if len(line) <= 60 else line[:59].rstrip() + "…"
            groups.append((f'section "{label}"', [line]))
        elif groups:
            groups[-1][1].append(line)
        else:
            groups.append((first_label, [line]))
    if not groups:
        return ExtractedText("", [Section("page", 0, 0)], title=title)
    text, sections = _join(((label, "\n".join(g)) for label, g in groups), separator="\n")
    return ExtractedText(text, sections, title=title)


# -- CSV and XLSX -----------------------------------------------------------------------------

Rows = Iterator[Sequence[Any]]  # Any: cell values are str (CSV) or openpyxl's cell types


def decode_csv(body: bytes, charset: str | None = None) -> str:
    """CSV bytes as text: the declared charset, else UTF-8 (BOM or not), else Latin-1."""
    for name in (charset, "utf-8-sig"):
        if name:
            try:
                return body.decode(name)
            except (LookupError, UnicodeDecodeError):
                continue
    return body.decode("latin-1")


def csv_rows(text: str, url: str) -> Rows:
    """The rows of a CSV text, in the dialect csv.Sniffer guesses (comma when unsure)."""
    try:
        dialect: type[csv.Dialect] = csv.Sniffer().sniff(text[:65536], ",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(io.StringIO(text, newline=""), dialect)
    except csv.Error as error:
        raise TextError(f"{url}: not a readable CSV file: {error}") from error


def xlsx_sheets(body: bytes, url: str) -> Iterator[tuple[str, Rows]]:
    """(sheet name, rows) for each worksheet of an XLSX workbook."""
    from openpyxl import load_workbook  # slow import, needed only for spreadsheets
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise TextError(
            f"{url}: not a readable XLSX workbook: {error} (damaged, or another format "
            "served as XLSX)"
        ) from error
    try:
        for sheet in book.worksheets:
            yield sheet.title, sheet.iter_rows(values_only=True)
    finally:
        book.close()


def table_text(sheets: Iterable[tuple[str, Rows]]) -> ExtractedText:
    """One line per data row, "header: value; ...", in sections of ROWS_PER_SECTION rows.

    Row numbers are those a spreadsheet shows: the header is row 1. A sheet name of ""
    (a CSV file) gives labels "rows 2-501"; otherwise "sheet Audit rows 2-501".
    """
    parts: list[tuple[str, str]] = []
    for name, rows in sheets:
        header = [_cell(value) for value in next(rows, ())]
        chunk: list[str] = []
        first = 2
        for number, row in enumerate(rows, 2):
            line = _row_line(header, row)
            if line:
                chunk.append(line)
            if number - first + 1 == ROWS_PER_SECTION:
                if chunk:
                    parts.append((_rows_label(name, first, number), "\n".join(chunk)))
                chunk, first = [], number + 1
        if chunk:
            parts.append((_rows_label(name, first, number), "\n".join(chunk)))
    if not parts:
        return ExtractedText("", [Section("rows", 0, 0)])
    text, sections = _join(parts, separator="\n")
    return ExtractedText(text, sections)


def _rows_label(sheet: str, first: int, last: int) -> str:
    return f"sheet {sheet} rows {first}-{last}" if sheet else f"rows {first}-{last}"


def _row_line(header: list[str], row: Sequence[Any]) -> str:
    pairs = []
    for index, value in enumerate(row):
        text = _cell(value)
        if text:
            name = header[index] if index < len(header) and header[index] else f"column {index + 1}"
            pairs.append(f"{name}: {text}")
    return "; ".join(pairs)


def _cell(value: Any) -> str:  # Any: whatever openpyxl or csv hands over
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _squash(str(value))


# -- Scrapy glue ------------------------------------------------------------------------------


# One worker thread reads every document's text, off the reactor: OCR takes seconds a page,
# and a crawl process fetches many sources at once. One, because PDFium is not thread-safe.
READER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sidedoor-text")


class TextPipeline:
    """Sets ``text``, ``sections`` (and an empty ``title``) of new document versions."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler
        self.spiders = sources_of(crawler.spider) if crawler is not None else {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_item(self, item: Any) -> Any:  # Any: Scrapy hands every item type through
        """Read the item's text in the reader thread, so downloads go on meanwhile."""
        return await asyncio.get_running_loop().run_in_executor(READER, self.read, item)

    def read(self, item: Any) -> Any:  # Any: as process_item
        """Set the text of a new document version; DropItem (recorded) if it is unreadable."""
        if (not isinstance(item, DocumentItem) or item.unchanged
                or getattr(item, "snapshot", None) is not None):
            return item
        try:
            extracted = extract_text(item.body, item.content_type, item.url)
        except TextError as error:
            self._fail(item, str(error))
            raise DropItem(str(error)) from error
        item.text = extracted.text
        item.sections = [asdict(section) for section in extracted.sections]
        if not item.title:
            item.title = extracted.title
        logger.debug("source %s: %s: %d characters, %d sections, OCR pages %s", item.source_id,
                     item.url, len(extracted.text), len(extracted.sections), extracted.ocr_pages)
        return item

    def _fail(self, item: DocumentItem, message: str) -> None:
        """Record a document whose text could not be read as an error of its source."""
        logger.error("source %s: %s", item.source_id, message)  # the message names the URL
        count(self.crawler, item.source_id, "errors/text")
        if item.source_id in self.spiders:
            self.spiders[item.source_id].error_messages.append(message)
