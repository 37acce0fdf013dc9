"""The compiled lexicon kept on disk: a process that loads it gets the very regexes and
findings a build gives, and a changed input, a damaged file or no folder means a build."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from config.patterns import PATTERNS_PATH, load_patterns
from pipelines.extract.engine import extract_findings
from pipelines.extract.lexicon import build_lexicon
from pipelines.extract.lexicon_cache import (
    CACHE_ENV,
    KEEP,
    cache_dir,
    cached,
    compiled,
    program,
)

TEXT = ("The Chief said U.S. Immigration and Customs Enforcement had access to the village's "
        "license plate reader data, and that Texas agencies searched it 40 times.\n")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def counting_build():
    calls = []

    def build(path):
        calls.append(path)
        return build_lexicon(load_patterns(path), path)

    return build, calls


def regexes(value, seen=None):
    """Every compiled regex reachable from ``value``, in a stable order."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, re.Pattern):
        return [value]
    if isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, (list, tuple, frozenset, set)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else list(value)
    elif dataclasses.is_dataclass(value) or hasattr(value, "__dict__"):
        items = list(vars(value).values()) if hasattr(value, "__dict__") else [
            getattr(value, f.name) for f in dataclasses.fields(value)]
    else:
        return []
    return [r for item in items for r in regexes(item, seen)]


def test_a_loaded_lexicon_holds_the_built_regexes_and_finds_the_same(cache):
    build, calls = counting_build()
    built = cached(PATTERNS_PATH, build)
    loaded = cached(PATTERNS_PATH, build)
    assert len(calls) == 1 and loaded is not built
    ours, theirs = regexes(built), regexes(loaded)
    # Pattern equality compares the source, the flags and the compiled program
    assert len(ours) > 300 and ours == theirs
    assert [r.groupindex for r in ours] == [r.groupindex for r in theirs]
    assert extract_findings(TEXT, lexicon=loaded) == extract_findings(TEXT, lexicon=built)
    assert extract_findings(TEXT, lexicon=loaded)


def test_a_changed_patterns_file_is_built_again(cache, tmp_path):
    patterns = tmp_path / "patterns.yaml"
    shutil.copyfile(PATTERNS_PATH, patterns)
    build, calls = counting_build()
    cached(patterns, build)
    patterns.write_text(patterns.read_text(encoding="utf-8") + "\n# a comment\n",
                        encoding="utf-8")
    cached(patterns, build)
    cached(patterns, build)
    assert len(calls) == 2


def test_a_damaged_cache_file_is_built_again(cache):
    build, calls = counting_build()
    cached(PATTERNS_PATH, build)
    (file,) = cache.iterdir()
    key = file.read_bytes().split(b"\n", 1)[0]
    file.write_bytes(key + b"\nnot a pickle")
    lexicon = cached(PATTERNS_PATH, build)
    assert len(calls) == 2 and extract_findings(TEXT, lexicon=lexicon)


def test_an_unwritable_folder_and_an_empty_setting_only_cost_a_build(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    build, calls = counting_build()
    monkeypatch.setenv(CACHE_ENV, str(blocked / "cache"))
    cached(PATTERNS_PATH, build)
    monkeypatch.setenv(CACHE_ENV, "")
    cached(PATTERNS_PATH, build)
    cached(PATTERNS_PATH, build)
    assert len(calls) == 3 and blocked.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("regex", [
    re.compile(r"(?P<agency>ICE|CBP)\s+(?:had|has)\s+access"),
    re.compile(r"(?m)^\s*(?i:customs)\s+\w+$"),
    re.compile(r"(?<![\w&])(?:TX|NM)(?![\w&])", re.IGNORECASE | re.MULTILINE),
    re.compile(rb"\b(?=[ict])(?:ice|cbp|texas)(?!\w)"),
    re.compile(r"[^\W\d_]{2,}(?P<k0x1>a)?|(?P<k1x0>b)"),
])
def test_a_program_rebuilds_its_regex_exactly(regex):
    args = program(regex)
    assert args is not None
    again = compiled(*args)
    assert again == regex and again.groupindex == regex.groupindex
    sample = "Customs ICE had access\nTexas" if isinstance(regex.pattern, str) else b"ice cbp"
    assert [m.span() for m in again.finditer(sample)] == [
        m.span() for m in regex.finditer(sample)]


def test_without_a_home_folder_there_is_no_cache(monkeypatch):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "not-a-folder-path")
    assert cache_dir() is None
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/cache/someone")
    assert cache_dir() == Path("/var/cache/someone/sidedoor")


def test_only_the_newest_lexicons_are_kept(cache, tmp_path):
    build, calls = counting_build()
    paths = []
    for n in range(KEEP + 2):
        paths.append(tmp_path / f"patterns-{n}.yaml")
        shutil.copyfile(PATTERNS_PATH, paths[-1])
        cached(paths[-1], build)
    assert len(list(cache.iterdir())) == KEEP
    cached(paths[-1], build)  # the newest is still there
    cached(paths[0], build)  # the oldest is not
    assert len(calls) == KEEP + 3
