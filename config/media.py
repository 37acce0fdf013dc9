"""Formats and media types: the one table that spiders, readers, the archive and the CLI use.

:data:`FORMATS` is also the allow-list of what the archive publishes under its own extension
(pipelines/sniff.py); everything else is published as ``.bin``.
"""

from __future__ import annotations

# format → media type. Extra suffixes and media types map onto these formats below.
FORMATS = {
    "pdf": "application/pdf",
    "html": "text/html",
    "txt": "text/plain",
    "csv": "text/csv",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "rtf": "application/rtf",
    "eml": "message/rfc822",
    "msg": "application/vnd.ms-outlook",
    "json": "application/json",
    "xml": "application/xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "tif": "image/tiff",
    "bin": "application/octet-stream",
}
# file suffix → format
SUFFIXES = {**{f".{name}": name for name in FORMATS}, ".htm": "html", ".xhtml": "html",
            ".text": "txt", ".jpeg": "jpg", ".tiff": "tif", ".tsv": "csv"}
# media type (as servers send it) → format
MEDIA_FORMATS = {**{media: name for name, media in FORMATS.items()},
                 "application/xhtml+xml": "html", "application/x-pdf": "pdf",
                 "application/csv": "csv", "text/comma-separated-values": "csv",
                 "text/tab-separated-values": "csv", "text/xml": "xml", "text/rtf": "rtf",
                 "image/jpg": "jpg"}


def suffix_media_type(suffix: str, default: str) -> str:
    """The media type of a file suffix (``".PDF"`` → ``application/pdf``), else ``default``."""
    name = SUFFIXES.get(suffix.lower())
    return FORMATS[name] if name else default
