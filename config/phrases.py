"""Turn the plain phrases of config/patterns.yaml into regular expressions.

The phrase syntax is described at the top of config/patterns.yaml and in docs/findings.md:
CAPITALISED words match only in capitals, ``*`` allows any word ending, ``…`` allows a few
words in between, ``{state}`` stands for any state name, ``re:`` starts a raw regex.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

GAP_WORDS = 8
_GAP = rf"\W+(?:\w+\W+){{0,{GAP_WORDS}}}?"
_HYPHEN = r"[-‐‑–\s]?\s*"
_CAPS = re.compile(r"[A-Z0-9&+]*[A-Z][A-Z0-9&+]*[A-Z][A-Z0-9&+]*s?")
RAW = "re:"

Trie = dict[str, "Trie"]


def is_caps(token: str) -> bool:
    """True for an acronym written in capitals (ICE, MOUs, ICE+ERO): matched case-sensitively."""
    return bool(_CAPS.fullmatch(token.strip(".,;:()[]\"'")))


def _word(token: str, state_names: str) -> str:
    """The regex of one space-free token of a phrase."""
    if token == "{state}":
        return state_names
    stem = token.endswith("*")
    body = token[:-1] if stem else token
    parts = [re.escape(piece).replace("'", "['’]") for piece in body.split("-")]
    out = _HYPHEN.join(parts)
    if "{state}" in body:
        out = re.escape(body).replace(re.escape("{state}"), state_names)
    if not is_caps(body):
        out = f"(?i:{out})"
    return out + (r"\w*" if stem else "")


def phrase_regex(phrase: str, state_names: str = r"(?!x)x") -> str:
    """The regex for one phrase; ``state_names`` is the alternation ``{state}`` stands for."""
    phrase = phrase.strip()
    if phrase.startswith(RAW):
        return phrase[len(RAW) :].strip()
    tokens = phrase.replace("...", " … ").replace("…", " … ").split()
    pieces: list[str] = []
    joiner = r"\s+"
    for token in tokens:
        if token == "…":
            joiner = _GAP
            continue
        if pieces:
            pieces.append(joiner)
        pieces.append(_word(token, state_names))
        joiner = r"\s+"
    body = "".join(pieces)
    first, last = tokens[0], tokens[-1]
    head = r"\b" if (first[0].isalnum() or first == "{state}") else ""
    tail = r"\b" if (last[-1].isalnum() or last == "{state}") else ""
    return f"{head}(?:{body}){tail}"


def alternation(phrases: Iterable[str], state_names: str = r"(?!x)x") -> str:
    """One regex matching any of ``phrases``; longer phrases are tried first."""
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    parts = [phrase_regex(p, state_names) for p in ordered]
    return "(?:" + "|".join(parts) + ")" if parts else r"(?!x)x"


def trie_regex(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, factored as a trie (apply it to lower-cased text).

    A word ending in ``*`` matches any ending; other words must end at a word boundary; a
    space matches any run of white space. Python's ``re`` tries alternatives one by one at
    each position: sharing prefixes keeps that to a few character tests, which is what makes
    the prefilter fast.
    """
    trie: Trie = {}
    for word in words:
        stem = word.endswith("*")
        node = trie
        for char in word.removesuffix("*"):
            node = node.setdefault(char, {})
        node[_STEM if stem else _END] = {}
    return _emit(trie)


_END, _STEM = "\0end", "\0stem"
_ENDINGS = {_END: r"(?!\w)", _STEM: r"\w*"}


def _emit(node: Trie) -> str:
    alts = [_edge(char) + _emit(sub) for char, sub in sorted(node.items()) if char not in _ENDINGS]
    alts += [_ENDINGS[key] for key in (_STEM, _END) if key in node]
    if not alts:
        return ""
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def _edge(char: str) -> str:
    return r"\s+" if char == " " else re.escape(char)
