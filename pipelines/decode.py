"""Bytes to text: the declared charset, a BOM or a <meta> charset, else detection.

Servers and files often say nothing about their encoding, or say Latin-1 when they mean
Windows-1252 (curly quotes then decode as control characters). Text with no declared
charset that is not UTF-8 is given to charset-normalizer, which tells Windows-1252 from
UTF-16 without a BOM and the like. Also here: plain text cut into pages at its page markers.
"""

from __future__ import annotations

import codecs
import logging
import re

from charset_normalizer import from_bytes

from pipelines.sections import ExtractedText, Section, join

logger = logging.getLogger(__name__)

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
# What browsers do (WHATWG Encoding): these labels all mean Windows-1252.
_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii",
                 "cp819", "ibm819", "iso-ir-100", "windows-1252", "cp1252"}
_DETECT_BYTES = 200_000  # charset-normalizer reads this much at most


def charset_of(content_type: str) -> str | None:
    """The charset parameter of a Content-Type, if any."""
    found = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return found.group(1) if found else None


def decode_text(body: bytes, charset: str | None = None) -> str:
    """Decode with a BOM, the declared charset or a <meta> charset; else UTF-8 or detection."""
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", "replace")
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", "replace")
    meta = _META.search(body[:4096])
    for name in (charset, meta.group(1).decode("ascii") if meta else None):
        if name:
            try:
                codecs.lookup(name)
            except LookupError:
                logger.debug("unknown charset %r; trying the next guess", name)
                continue
            if name.lower() in _WINDOWS_1252:
                name = "cp1252"
            return body.decode(name, "replace")
    wide = _utf16_without_bom(body[:_DETECT_BYTES])
    if wide:
        return body.decode(wide, "replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode(detect_charset(body), "replace")


def _utf16_without_bom(sample: bytes) -> str | None:
    zeros_odd, zeros_even = sample[1::2].count(0), sample[0::2].count(0)
    if len(sample) >= 4 and max(zeros_odd, zeros_even) > len(sample) // 4:
        return "utf-16-le" if zeros_odd > zeros_even else "utf-16-be"
    return None


def detect_charset(body: bytes) -> str:
    """The likeliest encoding of text that is not UTF-8; Windows-1252 when unsure."""
    sample = body[:_DETECT_BYTES]
    wide = _utf16_without_bom(sample)
    if wide:
        return wide
    best = from_bytes(sample).best()
    if best is None or _single_byte(best.encoding):
        # One Latin code page reads as well as another to a detector on short text;
        # the documents sidedoor reads are American, so Windows-1252 wins when it decodes.
        try:
            sample.decode("cp1252")
        except UnicodeDecodeError:
            return best.encoding if best is not None else "cp1252"
        return "cp1252"
    return best.encoding


def _single_byte(encoding: str) -> bool:
    return encoding in ("ascii", "utf_8", "latin_1") or encoding.startswith(
        ("cp12", "iso8859", "mac_", "cp4", "cp8", "koi8", "tis"))


# "Page 3", "Page 3 of 12", "- 3 -", "--- Page 3 ---" alone on a line.
_MARKER = re.compile(
    r"^[ \t]*(?:[-=_*]{1,5}[ \t]*)?"
    r"(?:page[ \t]+(\d{1,5})(?:[ \t]+of[ \t]+\d{1,5})?|-[ \t]*(\d{1,5})[ \t]*-)"
    r"[ \t]*(?:[-=_*]{1,5})?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


def plain_text(text: str) -> ExtractedText:
    """Plain text in page sections when it has form feeds or page markers, else one section."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f") if "\f" in text else _pages_at_markers(text)
    if len(pages) < 2:
        return ExtractedText(text, [Section("page", 0, len(text))])
    joined, sections = join(((f"page {n}", page.strip("\n")) for n, page in enumerate(pages, 1)),
                            separator="\n\n")
    return ExtractedText(joined, sections)


def _pages_at_markers(text: str) -> list[str]:
    """Cut at markers numbered 1, 2, 3...: before each when they head pages, after each else."""
    markers = [m for m in _MARKER.finditer(text)]
    numbers = [int(m.group(1) or m.group(2)) for m in markers]
    if len(markers) < 2 or numbers != list(range(numbers[0], numbers[0] + len(numbers))) \
            or numbers[0] not in (1, 2):
        return [text]
    heads = numbers[0] == 1 and not text[:markers[0].start()].strip()
    if numbers[0] == 2:  # the first page carries no marker: markers head pages 2, 3...
        heads = True
    cuts = [m.start() for m in markers] if heads else [m.end() for m in markers]
    bounds = [0, *[c for c in cuts if 0 < c < len(text)], len(text)]
    pages = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    return [page for page in pages if page.strip()] or [text]
