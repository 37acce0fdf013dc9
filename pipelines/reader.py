"""Read a document's text: sniff what the bytes are, then hand them to that format's reader.

:func:`read_document` is pure (bytes in, :class:`~pipelines.sections.ExtractedText` out)
and bounded by :class:`~config.limits.Limits`; ``pipelines/worker.py`` runs it in a
process that can be killed, for the wall-time and memory limits no Python code can keep.
"""

from __future__ import annotations

from config.limits import Limits
from pipelines.decode import charset_of, decode_text, plain_text
from pipelines.sections import ExtractedText, TextError, check_size, join, over_limit
from pipelines.sniff import hinted, sniff

# Each format's reader (PDFium, lxml, openpyxl, ...) is imported when a document of that
# format comes: a reading process started for one text file does not load them all
# (bench/startup.py).

READS = "PDF, HTML, plain text, CSV, XLSX, DOCX, DOC, RTF, EML and PNG/JPEG/GIF/TIFF images"
_REFUSED = {
    "xls": "a legacy Excel (.xls) workbook, which sidedoor does not read (save it as .xlsx "
           "or CSV)",
    "msg": "an Outlook (.msg) message, which sidedoor does not read (save it as .eml)",
}


def read_document(body: bytes, content_type: str, url: str, limits: Limits | None = None,
                  *, article: bool = False) -> ExtractedText:
    """The text of a document fetched from ``url`` (or read from the file ``url``).

    The format comes from the bytes (``pipelines/sniff.py``); ``content_type`` (and the
    suffix of ``url``) only tell text formats apart. Raises :class:`TextError`, naming
    ``url``, for unsupported and unreadable files, and its subclass ``LimitExceeded``.
    ``article``: the page is a news article (its source is ``kind: news``); only its main
    content is read, as for any page that marks itself as an article.
    """
    limits = limits or Limits()
    check_size(url, len(body), limits.bytes)
    kind = sniff(body, content_type, url)
    claimed = hinted(content_type, url)
    if kind == "bin" and claimed in ("xlsx", "docx") and body.startswith(b"PK"):
        kind = claimed  # a damaged Office file: its reader says what is wrong with it
    if kind == "html":
        extracted = _html(decode_text(body, charset_of(content_type)), url, limits, article)
    else:
        extracted = _read(kind, body, charset_of(content_type), url, limits)
    if len(extracted.text) > limits.text_chars:
        raise over_limit(url, "text characters", len(extracted.text), limits.text_chars,
                         "text_chars")
    return extracted


def _read(kind: str, body: bytes, charset: str | None, url: str,
          limits: Limits) -> ExtractedText:
    if kind in ("txt", "json"):
        return plain_text(decode_text(body, charset))
    if kind == "pdf":
        return _pdf(body, url, limits)
    if kind in ("html", "xml"):
        from pipelines.htmltext import html_text

        return html_text(decode_text(body, charset), url, limits)
    if kind in ("csv", "xlsx"):
        return _table(kind, body, charset, url, limits)
    if kind in ("docx", "doc", "rtf", "eml", "png", "jpg", "gif", "tif"):
        return _office(kind, body, url, limits)
    what = _REFUSED.get(kind, "not a format sidedoor reads (its first bytes are "
                              f"{body[:8]!r})")
    raise TextError(f"{url}: {what}; sidedoor reads {READS}")


def _table(kind: str, body: bytes, charset: str | None, url: str,
           limits: Limits) -> ExtractedText:
    from pipelines.tabletext import csv_rows, table_text, xlsx_sheets

    if kind == "csv":
        return table_text([("", csv_rows(decode_text(body, charset), url))], url, limits)
    return table_text(xlsx_sheets(body, url, limits), url, limits)


def _office(kind: str, body: bytes, url: str, limits: Limits) -> ExtractedText:
    from pipelines.officetext import doc_text, docx_text, eml_text, image_text, rtf_text

    if kind == "docx":
        return docx_text(body, url, limits)
    if kind == "doc":
        return doc_text(body, url, limits)
    if kind == "rtf":
        return rtf_text(body, url)
    if kind == "eml":
        return eml_text(body, url, limits)
    return image_text(body, url, limits)


def _html(html: str, url: str, limits: Limits, article: bool) -> ExtractedText:
    from pipelines.htmltext import article_text, html_text, is_article

    if article or is_article(html):
        main = article_text(html, url, limits)
        if main is not None and main.text:
            return main
    return html_text(html, url, limits)


def _pdf(body: bytes, url: str, limits: Limits) -> ExtractedText:
    from pipelines.pdftext import PdfUnreadable, pdf_text

    try:
        pdf = pdf_text(body, url, limits=limits)
    except PdfUnreadable as error:
        raise TextError(
            f"{url}: not a readable PDF: {error}; it may be password-protected or damaged "
            "(open it in a PDF reader to check)"
        ) from error
    text, sections = join((f"page {n}", page) for n, page in enumerate(pdf.pages, 1))
    return ExtractedText(text, sections, ocr_pages=pdf.ocr_pages, title=pdf.title,
                         notes=pdf.notes)
