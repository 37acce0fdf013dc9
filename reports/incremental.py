"""Incremental builds: a page or feed whose inputs did not change is not rendered again.

Every page and feed a build writes gets a fingerprint: a digest of the code and templates
that render it, the template's name, and the data it is given. A build keeps its
fingerprints in ``.sidedoor-build.json`` inside the site it publishes, so they always
describe the files beside them. The next build takes a file whose fingerprint did not change
from the published site by hard link, and renders the others. Nothing else decides what to
reuse: a page changes exactly when its data, its template or sidedoor's rendering code does.

Values that change on every run but that pages do not show (a finding's ``last_seen``) are
named by the view in ``NOT_ON_PAGES`` and left out of the fingerprint.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from datetime import date, datetime
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

logger = logging.getLogger(__name__)
MANIFEST = ".sidedoor-build.json"
REPORTS = Path(__file__).resolve().parent
_FORMAT = 2  # bump when the fingerprint's encoding changes


class Lazy:
    """A page input computed only when the page is rendered (a database read, say). It is
    not part of the fingerprint: the page's other inputs must determine it."""

    def __init__(self, compute: Callable[[], Any]) -> None:  # Any: whatever the page shows
        self.compute = compute


@cache
def code_digest() -> str:
    """A digest of everything under ``reports/`` that renders pages: code, templates, files."""
    digest = hashlib.sha256(f"sidedoor-site-{_FORMAT}".encode())
    for path in sorted(REPORTS.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".html", ".xml", ".css", ".js"}:
            digest.update(str(path.relative_to(REPORTS)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class Fingerprints:
    """Fingerprints of one build, and reuse of the previous build's unchanged files."""

    def __init__(self, out: Path, previous: Path | None) -> None:
        self.out = out
        self.previous = previous
        self.code = code_digest().encode()
        self.old = _load(previous / MANIFEST) if previous is not None else {}
        self.new: dict[str, str] = {}
        self.reused = 0
        self.rendered = 0
        self.linked: set[str] = set()  # files taken from the previous build by hard link
        # plain strings and a set of the folders made: tens of thousands of pages
        self._out, self._previous = f"{out}/", f"{previous}/"
        self._folders: set[str] = set()
        # encodings of small frozen views by value: equal views, one digest
        self._values: dict[object, bytes] = {}
        # digests of view objects, kept with the object so its id is not reused in this build
        self._memo: dict[int, tuple[object, bytes]] = {}

    def digest(self, name: str, inputs: Mapping[str, object]) -> str:
        """The fingerprint of rendering ``name`` (a template or a feed) with ``inputs``."""
        digest = hashlib.sha256(self.code + b"\0" + name.encode())
        for key, value in inputs.items():
            digest.update(b"\0" + key.encode() + b"=" + self._encode(value))
        return digest.hexdigest()

    def reuse(self, paths: tuple[str, ...], digest: str) -> bool:
        """Record ``digest`` for the files at ``paths`` (relative to the site) and, when the
        previous build wrote them from the same inputs, link them into this build."""
        for path in paths:
            self.new[path] = digest
        if self.previous is None or any(self.old.get(p) != digest for p in paths):
            self.rendered += len(paths)
            return False
        linked: list[str] = []
        try:
            for path in paths:
                target = self._out + path
                self._folder(path.rpartition("/")[0])
                os.link(self._previous + path, target)
                linked.append(target)
        except OSError as exc:  # gone, or another file system: render it after all
            logger.debug("cannot reuse %s from the previous build (%s); rendering it", paths, exc)
            for target in linked:
                os.unlink(target)
            self.rendered += len(paths)
            return False
        self.reused += len(paths)
        self.linked.update(paths)
        return True

    def _folder(self, folder: str) -> None:
        """Make a folder of the site (relative, "" for the top) once, with its parents."""
        if folder not in self._folders:
            os.makedirs(self._out + folder, exist_ok=True)
            self._folders.add(folder)

    def encoding(self, value: object) -> bytes:
        """The encoding of one page input (a view's is a digest of its shown fields)."""
        return self._encode(value)

    def remember(self, encodings: Iterable[tuple[object, bytes]]) -> None:
        """Take the encodings of views kept unchanged from the last build
        (reports/viewcache.py), so they are not digested again."""
        for value, encoded in encodings:
            self._memo[id(value)] = (value, encoded)

    def carry(self, old: object, new: object) -> None:
        """Give ``new`` the encoding of ``old``, a view that differs from it only in fields
        pages do not show (``NOT_ON_PAGES``)."""
        known = self._memo.get(id(old))
        if known is not None and known[0] is old:
            self._memo[id(new)] = (new, known[1])

    def encodings(self, values: Iterable[object]) -> list[tuple[object, bytes]]:
        """This build's encodings of ``values`` (those it digested), to keep for the next."""
        found = []
        for value in values:
            known = self._memo.get(id(value))
            if known is not None and known[0] is value:
                found.append(known)
        return found

    def _equal(self, value: object) -> bytes | None:
        """The encoding of an equal value of a small frozen view, if one was encoded."""
        if not _by_value(type(value)):
            return None
        try:
            return self._values.get(value)
        except TypeError:  # a field that cannot be hashed (a mapping)
            return None

    def _long(self, text: str) -> bytes:
        """A long string by its digest, once per string object (a map's state outlines are
        the same strings on 2,000 place pages)."""
        known = self._memo.get(id(text))
        if known is None or known[0] is not text:
            known = (text, b"str#" + hashlib.sha256(text.encode("utf-8", "surrogatepass"))
                     .digest())
            self._memo[id(text)] = known
        return known[1]

    def forget(self) -> None:
        """Drop the digests of this build's page inputs (and so the inputs themselves)."""
        self._memo.clear()
        self._values.clear()

    def save(self) -> None:
        """Write this build's fingerprints beside its files."""
        (self.out / MANIFEST).write_text(json.dumps(self.new, sort_keys=True, indent=0),
                                         encoding="utf-8")

    def _encode(self, value: object) -> bytes:
        # The common cases first, by exact type (a subclass takes the general way below)
        kind = type(value)
        if kind is str and isinstance(value, str) and len(value) > _LONG:
            return self._long(value)
        if kind in _PLAIN:
            return kind.__name__.encode() + b":" + repr(value).encode()
        if kind is list or kind is tuple:
            return b"[" + b",".join([self._encode(v) for v in value]) + b"]"  # type: ignore[attr-defined]
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        if value is None or isinstance(value, (bool, int, float, str, datetime, date, Enum)):
            return type(value).__name__.encode() + b":" + repr(value).encode()
        if isinstance(value, (list, tuple)):
            return b"[" + b",".join(self._encode(v) for v in value) + b"]"
        if isinstance(value, Mapping):
            return b"{" + b",".join(self._encode(k) + b":" + self._encode(v)
                                    for k, v in value.items()) + b"}"
        if isinstance(value, Lazy):
            return b"lazy"
        if isinstance(value, BaseModel):
            return type(value).__name__.encode() + value.model_dump_json().encode()
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            equal = self._equal(value)
            if equal is not None:  # an equal value seen before (a facet, a map's state)
                self._memo[id(value)] = (value, equal)
                return equal
            body = b",".join([self._encode(getattr(value, name))
                              for name in _shown_fields(type(value))])
            encoded = hashlib.sha256(type(value).__name__.encode() + b"(" + body).digest()
            self._memo[id(value)] = (value, encoded)
            if _by_value(type(value)):
                with suppress(TypeError):  # a field that cannot be hashed (a list)
                    self._values[value] = encoded
            return encoded
        raise TypeError(f"cannot fingerprint a {type(value).__name__} given to a page; "
                        "pass plain values, views, or Lazy")


_PLAIN = frozenset({type(None), bool, int, float, str, datetime, date})
_LONG = 512  # characters: a longer string is encoded by its digest
_SMALL = 8  # fields: a frozen view this small is also looked up by value


@cache
def _shown_fields(view: type) -> tuple[str, ...]:
    """The fields of a view class that pages show: all but those in its NOT_ON_PAGES."""
    hidden: frozenset[str] = getattr(view, "NOT_ON_PAGES", frozenset())
    return tuple(f.name for f in dataclasses.fields(view) if f.name not in hidden)


def _by_value(view: type) -> bool:
    """Whether equal instances of a view class can share an encoding looked up by value: a
    frozen dataclass of a few fields, cheap to hash (not FindingView and its like)."""
    known = _BY_VALUE.get(view)
    if known is None:
        params = getattr(view, "__dataclass_params__", None)
        known = _BY_VALUE[view] = bool(
            params is not None and params.frozen and params.eq
            and len(dataclasses.fields(view)) <= _SMALL
            and not getattr(view, "NOT_ON_PAGES", None))
    return known


_BY_VALUE: dict[type, bool] = {}


def _load(path: Path) -> dict[str, str]:
    """The fingerprints of a published site; none when the file is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        logger.info("no usable fingerprints at %s (%s); rendering every page", path, exc)
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items()}
