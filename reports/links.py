"""Slugs and links made safe for the site: a URL path segment from any name, and only http(s)
URLs from scraped text, so a template cannot link to anything else."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A lowercase ASCII slug for a URL path segment: ``"Lake Zürich, IL"`` → ``lake-zurich-il``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-") or "unnamed"


def http_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL with a host, else None (never link to it)."""
    if not url:
        return None
    cleaned = url.strip()
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if any(ch in cleaned for ch in "\x00\r\n\t"):
        return None
    return cleaned
