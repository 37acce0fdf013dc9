"""What a file is, from its bytes: the format sidedoor reads it as and archives it under.

A server's Content-Type and a file's suffix are hints at most: a PDF sent as
``application/hta`` is a PDF, and an executable sent as ``application/pdf`` is not. The
archive publishes a file under the extension of its sniffed format only when the format is
on the allow-list of :data:`config.media.FORMATS`; anything else is published as ``.bin``
(``application/octet-stream``), so no script or program can be served from the site.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

from config.media import FORMATS, MEDIA_FORMATS, SUFFIXES

__all__ = ["FORMATS", "SUFFIXES", "hinted", "media_type", "sniff"]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAGIC = [(b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"), (b"GIF87a", "gif"),
          (b"GIF89a", "gif"), (b"II*\x00", "tif"), (b"MM\x00*", "tif"), (b"{\\rtf", "rtf")]
_HTML = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|p|"
                   rb"table|h[1-6]|a\s|br|ul|section|article|main|span|form)\b",
                   re.IGNORECASE | re.DOTALL)
_XML = re.compile(rb"^\s*<\?xml\b", re.IGNORECASE)
_HEADER = re.compile(r"^(?:From|To|Cc|Subject|Date|Sent|Received|Return-Path|Message-ID|"
                     r"MIME-Version|Content-Type|Delivered-To|Reply-To|X-[\w-]+):",
                     re.IGNORECASE | re.MULTILINE)


def media_type(name: str) -> str:
    """The media type of a format name of :data:`FORMATS`."""
    return FORMATS[name]


def hinted(content_type: str = "", filename: str = "") -> str:
    """The format a Content-Type or a file name claims, or "" when neither says."""
    declared = MEDIA_FORMATS.get(content_type.partition(";")[0].strip().lower(), "")
    suffix = re.search(r"(\.\w+)(?:$|[?#])", filename)
    named = SUFFIXES.get(suffix.group(1).lower(), "") if suffix else ""
    if declared in ("", "txt", "bin"):  # servers send CSV and the rest as text/plain too
        return named or declared
    return declared


def sniff(body: bytes, content_type: str = "", filename: str = "") -> str:
    """The format of ``body``: a key of :data:`FORMATS`, "bin" when it is none of them.

    The hints decide only between text formats the bytes cannot tell apart (a CSV file
    and plain text) and never make a binary file one sidedoor reads.
    """
    head = body[:4096]
    if b"%PDF-" in body[:1024]:
        return "pdf"
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(body)
    if head.startswith(_OLE):
        return _ole_format(body)
    text = _text_head(head)
    if text is None:
        return "bin"
    return _text_format(text, hinted(content_type, filename))


def _zip_format(body: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(body)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "bin"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "bin"  # a jar, an OpenDocument file, a plain zip: none read, none published as is


def _ole_format(body: bytes) -> str:
    """Word, Excel or Outlook by the stream names in an OLE2 compound file's directory."""
    def has(name: str) -> bool:
        return name.encode("utf-16-le") in body

    if has("WordDocument"):
        return "doc"
    if has("Workbook") or has("Book"):
        return "xls"
    if has("__substg1.0_"):
        return "msg"
    return "bin"


def _text_head(head: bytes) -> str | None:
    """The start of a text file as text, or None when the bytes are not text."""
    if head.startswith((b"MZ", b"#!", b"\x7fELF", b"\xca\xfe\xba\xbe")):
        return None  # programs and scripts
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "replace")
    zeros_odd, zeros_even = head[1::2].count(0), head[0::2].count(0)
    if len(head) >= 16 and max(zeros_odd, zeros_even) > len(head) // 4:
        return head.decode("utf-16-le" if zeros_odd > zeros_even else "utf-16-be", "replace")
    if b"\x00" in head:
        return None
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\n\r\f\x1a\x0b")
    if controls > len(head) // 50:
        return None
    return head.decode("utf-8", "replace").lstrip("\ufeff")


def _text_format(text: str, hint: str) -> str:
    raw = text.encode("utf-8")
    if _XML.match(raw):
        return "html" if re.search(r"<html\b", text[:2000], re.IGNORECASE) else (
            "bin" if re.search(r"<svg\b", text[:4096], re.IGNORECASE) else "xml")
    if _HTML.match(raw):
        return "html"
    if re.match(r"\s*<svg\b", text, re.IGNORECASE):
        return "bin"  # SVG can carry script: never published as an image
    if (hint in ("json", "xml") or text.lstrip()[:1] in ("{", "[")) and _is_json_start(text):
        return "json"
    if len(_HEADER.findall(text[:2000])) >= 3 and _HEADER.match(text.lstrip()):
        return "eml"
    if hint in ("csv", "xls") or (hint != "txt" and _looks_tabular(text)):
        return "csv"
    if hint == "html" and re.search(r"<(?:p|div|br|table|a)\b", text, re.IGNORECASE):
        return "html"
    return "txt"


def _is_json_start(text: str) -> bool:
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return error.pos >= len(text.rstrip()) - 1 and error.pos > 0  # cut at 4 KB, not wrong
    return True


def _looks_tabular(text: str) -> bool:
    """Three or more lines with the same number (two or more) of one delimiter."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if len(lines) < 3:
        return False
    if len(lines) > 3:
        lines = lines[:-1]  # the 4 KB head may cut the last line short
    for delimiter in (",", "\t", ";", "|"):
        counts = {len(next(csv.reader([line], delimiter=delimiter))) for line in lines}
        if len(counts) == 1 and counts.pop() >= 3:
            return True
    return False
