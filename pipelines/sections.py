"""What reading a document gives: its text and the sections a reader can find in it.

Offsets in :class:`Section` index the joined text, so a finding's offset maps back to
"page 3" with :func:`section_at`. The readers (``pipelines/reader.py`` and the modules it
dispatches to) raise :class:`TextError`, or :class:`LimitExceeded` when a limit of
``config/limits.py`` stops them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


class TextError(Exception):
    """A document's text could not be read: unsupported type, encrypted or corrupt file."""


class LimitExceeded(TextError):
    """Reading a document went past one of its limits; the message names the limit."""


def over_limit(url: str, what: str, value: float, limit: float, key: str,
               *, slow: bool = False) -> LimitExceeded:
    """The one-line error for ``value`` of ``what`` past ``limits.<key>``."""
    return LimitExceeded(
        f"{url}: too {'slow' if slow else 'large'}: {what} {_number(value)} is over the limit "
        f"of {_number(limit)} (raise limits.{key} in config/site.yaml to read it)"
    )


def check_size(name: str, size: int, limit: int) -> None:
    """LimitExceeded naming ``name`` (a URL or a file) when its ``size`` in bytes is over
    ``limit`` (``limits.bytes``)."""
    if size > limit:
        raise over_limit(name, "file size (bytes)", size, limit, "bytes")


def file_bytes(path: Path, limit: int, name: str | None = None) -> bytes:
    """The bytes of the file at ``path``; one over ``limit`` bytes is not read at all, and
    its error (LimitExceeded, naming ``name`` or the path) comes from its size."""
    check_size(name or str(path), path.stat().st_size, limit)
    return path.read_bytes()


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() or value >= 100 else f"{value:.1f}"


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
    notes: list[str] = field(default_factory=list)  # what was left unread, and why


def join(parts: Iterable[tuple[str, str]], separator: str = "\n\n") -> tuple[str, list[Section]]:
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


def section_at(sections: Sequence[Section], offset: int) -> str:
    """The label of the section holding ``offset`` (the one before a gap), or "" if none."""
    if not sections:
        return ""
    index = bisect.bisect_right([s.start for s in sections], offset) - 1
    return sections[max(index, 0)].label
