"""Words in PDF text: mend lost word spaces and ligatures that PDFium reads wrongly.

Some PDFs place words side by side with no space character between them; PDFium then runs
words together ("out ofstate", "ImmigrationandCustoms") where poppler's ``pdftotext``, which
judges gaps by glyph positions, keeps them apart. Running both on every page would double
the cost, so :func:`lost_spaces` looks cheaply for the signs, and only such a page is read
again by ``pdftotext`` (Debian package ``poppler-utils``).
"""

from __future__ import annotations

import codecs
import logging
import re
import shutil
import subprocess
import unicodedata

logger = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W\d_]+")
_CAMEL_JOIN = re.compile(r"[a-z]{2}[A-Z][a-z]")
# A function word run into its neighbour: "datawith", "Atthe", "ofstate", "andCustoms".
_GLUED = re.compile(r"[A-Za-z]{2}(?:with|the)$|^of(?![ft])[a-z]{3,}$|"
                    r"[a-z](?:of|and|the|to|for|with|from)[A-Z]")
# Each is a quick search over a whole page that finds every place where _CAMEL_JOIN or
# _GLUED could match one of its words (and more): the per-word look is needed only when one
# finds something. Each starts with a literal or a rare letter, which the regex engine skips
# to quickly; the look-behinds then test what comes before.
_MAYBE_GLUED = (
    re.compile(r"[A-Z](?<=[a-z]{2}[A-Z])"),  # camel joins and "andCustoms"
    re.compile(r"(?:with(?<=[A-Za-z]{2}with)|the(?<=[A-Za-z]{2}the))(?![^\W\d_])"),
    re.compile(r"of(?<![^\W\d_]of)(?![ft])[a-z]{3}"),
)
_WORDS_THAT_END_SO = {"herewith", "therewith", "forthwith", "wherewith", "breathe", "clothe",
                      "soothe", "loathe", "bathe", "lathe", "scythe", "seethe", "writhe",
                      "tithe", "blithe", "lithe"}
# Glyphs of ligatures that fonts map to nothing useful: a digit or a control character
# where "ti", "tf" or "ft" was (Calibri's "ti" often comes out as "2").
_DIGIT_LIGATURE = re.compile(r"2(?<=[a-z]2)(?=[a-z])")
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st"}
_LIGATURE_CHARS = re.compile("[" + "".join(_LIGATURES) + "]")


def lost_spaces(text: str) -> bool:
    """Whether a page's text looks like it lost spaces between words (a cheap check).

    It does when it has 80 letters or more and its words (runs of letters) are 9 letters
    long on average, or two are 22 or longer, or two join a word to the next as above.
    """
    runs = b" " + letter_runs(text)
    letters = runs.count(b"a")
    if letters < 80:
        return False
    if letters / runs.count(b" a") > 9 or runs.count(_LONG_WORD) >= 2:
        return True
    if not any(maybe.search(text) for maybe in _MAYBE_GLUED):  # the usual page
        return False
    joins = sum(1 for word in _WORD.findall(text) if len(word) >= 5 and (
        _CAMEL_JOIN.search(word) or _GLUED.search(word))
        and word.lower() not in _WORDS_THAT_END_SO)
    return joins >= 2


def letter_runs(text: str) -> bytes:
    """One byte a character of ``text``: ``a`` for a letter (what ``_WORD`` matches), a space
    for anything else; counting in these bytes is many times faster than listing words."""
    return text.encode("ascii", _LETTER_ERRORS).translate(_LETTER_BYTES)


def _non_ascii_letters(error: UnicodeError) -> tuple[str, int]:
    """The encoding error handler of :func:`letter_runs` for characters beyond ASCII."""
    assert isinstance(error, UnicodeEncodeError)
    chars = error.object[error.start:error.end]
    return "".join("a" if _WORD.match(char) else " " for char in chars), error.end


_LETTER_ERRORS = "sidedoor-letter-runs"
codecs.register_error(_LETTER_ERRORS, _non_ascii_letters)
_LETTER_BYTES = bytes(ord("a" if _WORD.match(chr(n)) else " ") for n in range(128)).ljust(
    256, b" ")
_LONG_WORD = b" " + b"a" * 22  # where a word of 22 letters or more starts


def fix_ligatures(text: str) -> str:
    """Expand ligature characters; "2" between lower-case letters was a "ti" glyph."""
    text = _LIGATURE_CHARS.sub(lambda m: _LIGATURES[m.group(0)], text)
    return _DIGIT_LIGATURE.sub("ti", text)


def spaced_words(text: str) -> int:
    """How many words a text has: the text with more words kept its spaces better."""
    return len(_WORD.findall(unicodedata.normalize("NFKC", text)))


def pdftotext_page(path: str, number: int, timeout: float,
                   *, command: str = "pdftotext") -> str | None:
    """Page ``number`` (1-based) of the PDF at ``path`` read by poppler, or None."""
    found = shutil.which(command)
    if found is None:
        logger.warning("a page lost its word spaces and pdftotext is not installed "
                       "(apt-get install poppler-utils); the page is read as it is")
        return None
    try:
        done = subprocess.run([found, "-f", str(number), "-l", str(number), "-enc", "UTF-8",
                               path, "-"], capture_output=True, timeout=max(timeout, 0.1),
                              check=False)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace")
