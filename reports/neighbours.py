"""The sentences next to a quoted passage, shown greyed around the quote.

A quote alone can mislead: the sentence after "HSI was given access" may be the Sheriff's
limits, the vote that rejected it, or a question still open. The text either side of the
passage is read from the document's text (reports/context.py); this module keeps one
sentence of it on each side, and never crosses a paragraph or a page.
"""

from __future__ import annotations

import re

# A blank line, a form feed (a PDF page break) or a line that is a heading ends a paragraph.
_PARAGRAPH = re.compile(r"\n[ \t]*\n|\f")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+")
SENTENCE_CHARS = 300  # a longer "sentence" is a table or a list: leave it out


def neighbours(before: str, after: str, limit: int) -> tuple[str, str]:
    """The last sentence of ``before`` and the first of ``after``, within the paragraph.

    ``before`` and ``after`` were read up to ``limit`` characters from the passage; a
    sentence that may run past what was read is left out rather than shown cut."""
    return _last_sentence(before, limit), _first_sentence(after)


def _last_sentence(text: str, limit: int) -> str:
    paragraph = _PARAGRAPH.split(text)[-1]
    ends = list(_SENTENCE_END.finditer(paragraph))
    if not ends or ends[-1].end() != len(paragraph):
        return ""  # the passage starts mid-sentence: what is before is part of its sentence
    if len(ends) > 1:
        return _tidy(paragraph[ends[-2].end():])
    if paragraph == text and len(text) >= limit:
        return ""  # the sentence may begin before what was read
    return _tidy(paragraph)


def _first_sentence(text: str) -> str:
    paragraph = _PARAGRAPH.split(text)[0]
    if not paragraph[:1].isspace():
        return ""  # the passage ends mid-sentence
    body = paragraph.lstrip()
    end = _SENTENCE_END.search(body + " ")
    return _tidy(body[:end.end()]) if end else ""


def _tidy(sentence: str) -> str:
    folded = " ".join(sentence.split())
    return folded if 0 < len(folded) <= SENTENCE_CHARS else ""
