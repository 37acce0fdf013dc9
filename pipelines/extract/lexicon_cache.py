"""Keep the compiled lexicon on disk, so a new process loads it instead of compiling it.

Compiling config/patterns.yaml (validating it, then about 1,400 regular expressions) takes
0.3–0.5 s, which every ``sidedoor extract`` and every crawl process paid before reading a
word. Python pickles a regex as its source and compiles it again when loaded, so the cache
keeps each regex's *compiled* program (what ``re`` hands to its C engine) and loads it
straight into the engine: about 20 ms.

The cache file is keyed on everything the lexicon is made from: the patterns file's bytes,
the source of ``config/`` and ``pipelines/extract/``, the Python version, and the installed
pydantic and PyYAML. A key that differs, or a file that cannot be read, means a rebuild, so
the cache can only save time, never change what the engine finds. A regex whose program
cannot be rebuilt exactly is kept as its source and compiled as before.

The folder is ``$SIDEDOOR_CACHE_DIR`` (set it empty to turn the cache off), else
``$XDG_CACHE_HOME/sidedoor`` or ``~/.cache/sidedoor``; a folder that cannot be written is
skipped without a word.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # re's C engine: compiles a program, not a regex
import contextlib
import hashlib
import importlib.util
import io
import logging
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from re import _compiler, _parser  # type: ignore[attr-defined]
from typing import Any, TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")
CACHE_ENV = "SIDEDOOR_CACHE_DIR"
KEEP = 8  # lexicons kept in the folder, the newest
_ROOT = Path(__file__).resolve().parents[2]
# the code the lexicon is built from; a change in any of it is a new key
_SOURCES = (_ROOT / "config", _ROOT / "pipelines" / "extract")
_LIBRARIES = ("pydantic", "yaml")


def cache_dir() -> Path | None:
    """Where compiled lexicons are kept, or None when the cache is turned off."""
    if CACHE_ENV in os.environ:
        return Path(os.environ[CACHE_ENV]) if os.environ[CACHE_ENV] else None
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path("~/.cache").expanduser())
    except RuntimeError:  # no home folder
        return None
    return base / "sidedoor" if base.is_absolute() else None


def cached(path: Path, build: Callable[[Path], T]) -> T:
    """``build(path)``, or what it built for the same inputs in an earlier process."""
    folder = cache_dir()
    key = _key(path) if folder is not None else None
    if folder is None or key is None:  # an unreadable file: build says what is wrong
        return build(path)
    file = folder / f"lexicon-{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]}"
    kept = _load(file, key)
    if kept is not None:
        return kept  # type: ignore[no-any-return]  # what build returned for this key
    built = build(path)
    _save(file, key, built)
    return built


def _key(path: Path) -> bytes | None:
    digest = hashlib.sha256(sys.version.encode())
    try:
        digest.update(path.read_bytes())
    except OSError:
        return None
    for folder in _SOURCES:
        for source in sorted(folder.glob("*.py")):
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    for name in _LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        stamp = os.stat(origin).st_mtime_ns if origin else 0
        digest.update(f"{name}:{origin}:{stamp}".encode())
    return digest.hexdigest().encode()


def _load(file: Path, key: bytes) -> Any:  # Any: whatever was saved under the key
    try:
        with file.open("rb") as handle:
            if handle.readline().rstrip(b"\n") != key:
                return None
            return pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001  # a damaged or foreign file: build anew
        logger.debug("%s: not a usable lexicon cache (%s); rebuilding it", file, exc)
        return None


def _save(file: Path, key: bytes, value: object) -> None:
    body = io.BytesIO()
    body.write(key + b"\n")
    _Pickler(body, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=file.parent, prefix=file.name, suffix=".tmp")
    except OSError as exc:
        logger.debug("%s: lexicon cache not saved (%s)", file, exc)
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body.getvalue())
        os.replace(name, file)  # another process saving the same key at once is harmless
    except OSError as exc:
        logger.debug("%s: lexicon cache not saved (%s)", file, exc)
        with contextlib.suppress(OSError):
            os.unlink(name)
        return
    _prune(file.parent)


def _prune(folder: Path) -> None:
    """Keep the ``KEEP`` newest lexicons: each patterns file a test writes leaves one."""
    kept = []
    for path in folder.glob("lexicon-*"):
        with contextlib.suppress(OSError):
            if not path.name.endswith(".tmp"):
                kept.append((path.stat().st_mtime_ns, path))
    for _, path in sorted(kept, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            path.unlink()


def compiled(pattern: str | bytes, flags: int, code: list[int], groups: int,
             groupindex: dict[str, int], indexgroup: tuple[str | None, ...]) -> re.Pattern[Any]:
    """A regex from its compiled program (what :func:`re.compile` ends with)."""
    return _sre.compile(  # type: ignore[no-any-return]
        pattern, flags, code, groups, groupindex, indexgroup)


def program(regex: re.Pattern[Any]) -> tuple[Any, ...] | None:
    """The arguments of :func:`compiled` that rebuild ``regex`` exactly, or None."""
    try:
        parsed = _parser.parse(regex.pattern, regex.flags)
        code = [int(op) for op in _compiler._code(parsed, regex.flags)]
        names = parsed.state.groupdict
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in names.items():
            indexgroup[index] = name
        args = (regex.pattern, regex.flags | parsed.state.flags, code,
                parsed.state.groups - 1, dict(names), tuple(indexgroup))
        again = compiled(*args)
    except Exception:  # noqa: BLE001  # re's internals differ: keep the source instead
        return None
    # a Pattern equals another with the same source, flags and program
    same = again == regex and again.groupindex == regex.groupindex
    return args if same else None


class _Pickler(pickle.Pickler):
    """Pickles each regex as its compiled program when that rebuilds it exactly."""

    def reducer_override(self, obj: Any) -> Any:  # Any: pickle's protocol
        if isinstance(obj, re.Pattern):
            args = program(obj)
            if args is not None:
                return compiled, args
        return NotImplemented
