"""Quoted text cut into plain and marked parts, and where in a document a passage stands."""

from __future__ import annotations

from dataclasses import dataclass

_WHOLE = frozenset({"page", "text", ""})  # one-section records (a Legistar matter, a CSV)


def where_label(section: str) -> str:
    """A page or section for readers; a record with no pages is "the whole text"."""
    return "the whole text" if section in _WHOLE else section


def segments(text: str, spans: list[tuple[int, int]], offset: int = 0,
             anchored: bool = False) -> tuple[Part, ...]:
    """Cut ``text`` into plain and marked parts; ``spans`` are offsets less ``offset``. With
    ``anchored``, each marked part names the (absolute) starts of the spans it holds, so a
    page can give every passage an anchor a link lands on."""
    clipped = sorted(
        (max(s - offset, 0), min(e - offset, len(text)), s)
        for s, e in spans if e - offset > 0 and s - offset < len(text) and e > s
    )
    merged: list[list[int]] = []
    starts: list[list[int]] = []
    for start, end, absolute in clipped:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            starts[-1].append(absolute)
        else:
            merged.append([start, end])
            starts.append([absolute])
    parts: list[Part] = []
    cursor = 0
    for (start, end), held in zip(merged, starts, strict=True):
        if start > cursor:
            parts.append(Part(text[cursor:start], False))
        parts.append(Part(text[start:end], True,
                          tuple(dict.fromkeys(held)) if anchored else ()))
        cursor = end
    if cursor < len(text) or not parts:
        parts.append(Part(text[cursor:], False))
    return tuple(parts)


@dataclass(frozen=True)
class Part:
    """A piece of quoted text; ``marked`` pieces are the words that made a rule fire."""

    text: str
    marked: bool
    # the document offsets of the passages that start in this part: anchors "at-<offset>"
    anchors: tuple[int, ...] = ()
