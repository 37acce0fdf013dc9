"""Published names of documents and of their archived files.

Scraped files are served from our own origin, so any that a browser would run (HTML, XML,
SVG, scripts) are published as text.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from sidedoor.store.archive import Archive, open_archive

# Served from our own origin, these would run scraped markup as ours; publish them as text.
ACTIVE_TYPES = {"text/html", "text/xml", "application/xml", "text/javascript",
                "application/javascript", "application/ecmascript", "text/xsl"}
ACTIVE_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".xml", ".svg", ".js", ".mjs"}
_SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


def document_slug(source_id: str, url: str) -> str:
    """A stable short name for a document page: the same source and URL, the same page."""
    return hashlib.sha256(f"{source_id}\x1f{url}".encode()).hexdigest()[:16]


def archive_name(sha256: str, archive_path: str, content_type: str) -> str:
    """The published file name of an archived version: ``<sha256>.<ext>``."""
    suffix = Path(archive_path).suffix.lower()
    media = content_type.split(";")[0].strip().lower()
    if suffix in ACTIVE_SUFFIXES or media in ACTIVE_TYPES or media.endswith("+xml"):
        return f"{sha256}.txt"
    return f"{sha256}{suffix if _SAFE_SUFFIX.match(suffix) else '.bin'}"


def published_archive(row: Any, archive_dir: Archive | Path,
                      archive: dict[str, str]) -> str | None:
    """The published name of a version's archived file, recorded in ``archive`` (published
    name → archive path); None when the file is not in the archive folder."""
    name = archive_name(row.sha256, row.archive_path, row.content_type)
    if name not in archive:
        if not open_archive(archive_dir).exists(row.archive_path):
            return None
        archive[name] = row.archive_path
    return name
