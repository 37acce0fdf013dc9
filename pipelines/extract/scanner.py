"""Match every section of config/patterns.yaml over one unit in a single pass.

Python's ``re`` tries the alternatives of a pattern one by one at every position, so a
section of 150 phrases costs 150 tests per character. Instead, one trie-shaped regex finds
the *anchor* (first word) of any phrase of any section; at each anchor only the phrases of
that section starting with that letter are tried, with ``match`` at that position. Phrases
that cannot be anchored (raw regexes, a leading symbol) run as one ordinary regex.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from config.phrases import trie_regex

Pattern = re.Pattern[str]
_ANCHOR = re.compile(r"[a-z0-9]+")
_CACHE_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class Hit:
    """One phrase matched in a unit; ``key`` names the agency, vendor or state it stands for."""

    start: int
    end: int
    text: str
    key: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    """A phrase to match: its regex, its anchor word (lower case, or None) and its key."""

    regex: str
    anchor: str | None
    key: str = ""


def anchor_of(phrase: str) -> str | None:
    """The lower-case literal start of a phrase's first word, or None if it has none."""
    if phrase.startswith("re:") or not phrase[:1].isalnum():
        return None
    found = _ANCHOR.match(phrase.lower())
    return found.group() if found else None


def ascii_lower(text: str) -> bytes:
    """``text`` lower-cased as ASCII bytes, one byte per character (others become "?").

    Offsets are unchanged, and ``re`` scans bytes two to three times faster than text.
    """
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two ("İ"): keep offsets
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.encode("ascii", "replace")


class Section:
    """The phrases of one section, bucketed by the first letter of their anchor."""

    def __init__(self, name: str, entries: list[Entry]) -> None:
        self.name = name
        self.keys = sorted({e.key for e in entries if e.key})
        by_letter: dict[str, list[Entry]] = defaultdict(list)
        loose = []
        for entry in entries:
            if entry.anchor:
                by_letter[entry.anchor[0]].append(entry)
            else:
                loose.append(entry)
        self.buckets = {letter: self._compile(group) for letter, group in by_letter.items()}
        self.loose = self._compile(loose) if loose else None
        self.anchors = frozenset(e.anchor for e in entries if e.anchor)

    def _compile(self, entries: list[Entry]) -> Pattern:
        """One alternation, longest phrases first (``re`` takes the first that matches);
        with keys, each phrase is a group ``k<key>x<n>`` so a match tells its key."""
        ordered = sorted(enumerate(entries), key=lambda pair: -len(pair[1].regex))
        if not self.keys:
            return re.compile("|".join(f"(?:{e.regex})" for _, e in ordered))
        position = {key: index for index, key in enumerate(self.keys)}
        return re.compile(
            "|".join(f"(?P<k{position[e.key]}x{n}>{e.regex})" for n, e in ordered)
        )

    def hit(self, match: re.Match[str]) -> Hit:
        """A match as a :class:`Hit`, with its key when the section has keys."""
        key = ""
        if self.keys and match.lastgroup:
            key = self.keys[int(match.lastgroup[1:].split("x")[0])]
        return Hit(match.start(), match.end(), match.group(), key)


class Scanner:
    """All sections; :meth:`scan` reads a unit once and finds any section's phrases in it."""

    def __init__(self, sections: dict[str, list[Entry]]) -> None:
        self.sections = {name: Section(name, entries) for name, entries in sections.items()}
        owners: dict[str, set[str]] = defaultdict(set)
        for section in self.sections.values():
            for anchor in section.anchors:
                owners[anchor].add(section.name)
        self._owners = {anchor: frozenset(names) for anchor, names in owners.items()}
        self._longest = max(map(len, owners), default=1)
        self._cache: dict[str, frozenset[str]] = {}
        anchors = sorted(owners)
        lookahead = "(?=[" + "".join(sorted({re.escape(a[0]) for a in anchors})) + "])"
        trie = trie_regex([f"{a}*" for a in anchors])
        self.index = re.compile((r"\b" + lookahead + trie).encode())

    def owners(self, word: str) -> frozenset[str]:
        """Sections with a phrase whose anchor starts ``word``."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        found: set[str] = set()
        for length in range(1, min(len(word), self._longest) + 1):
            found |= self._owners.get(word[:length], frozenset())
        if len(self._cache) < _CACHE_SIZE:
            self._cache[word] = frozenset(found)
        return frozenset(found)

    def scan(self, text: str) -> Scan:
        """Read ``text`` once; sections are then matched on demand."""
        by_section: dict[str, list[tuple[int, str]]] = {}
        owners = self.owners
        for match in self.index.finditer(ascii_lower(text)):
            word = match.group().decode()
            for name in owners(word):
                by_section.setdefault(name, []).append((match.start(), word))
        return Scan(self, text, by_section)


class Scan:
    """One unit read by a :class:`Scanner`; :meth:`find` gives a section's hits, cached."""

    def __init__(
        self, scanner: Scanner, text: str, words: dict[str, list[tuple[int, str]]]
    ) -> None:
        self.scanner = scanner
        self.text = text
        self.words = words
        self._found: dict[str, list[Hit]] = {}

    def find(self, name: str) -> list[Hit]:
        """The non-overlapping hits of section ``name``, in order."""
        if name in self._found:
            return self._found[name]
        section = self.scanner.sections[name]
        hits: list[Hit] = []
        last = -1
        for pos, word in self.words.get(name, ()):
            if pos < last:
                continue
            bucket = section.buckets.get(word[0])
            match = bucket.match(self.text, pos) if bucket is not None else None
            if match is not None and match.end() > pos:
                hits.append(section.hit(match))
                last = match.end()
        if section.loose is not None:
            loose = section.loose.finditer(self.text)
            hits += [section.hit(m) for m in loose if m.end() > m.start()]
            hits.sort(key=lambda h: h.start)
        self._found[name] = hits
        return hits
