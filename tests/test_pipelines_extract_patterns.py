"""config/patterns.yaml: the default file loads, the phrase syntax, errors naming file and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from config.patterns import PATTERNS_PATH, PatternConfig, load_patterns
from config.phrases import phrase_regex, trie_regex
from config.schema import ConfigError
from pipelines.extract.lexicon import build_lexicon, get_lexicon


def test_default_patterns_file_sits_next_to_the_config_schema():
    assert Path(__file__).resolve().parents[1] / "config" / "patterns.yaml" == PATTERNS_PATH


def test_default_patterns_compile():
    assert len(get_lexicon().agency_short) == 14


@pytest.mark.parametrize(
    ("phrase", "text", "found"),
    [
        ("ICE", "ICE agents", "ICE"),
        ("ICE", "the ice rink", None),
        ("Border Patrol", "the border patrol", "border patrol"),
        ("share*", "they shared it", "shared"),
        ("shared … with", "shared plate data for a year with", "shared plate data for a year with"),
        ("out-of-state", "by out of state police", "out of state"),
        ("out-of-state", "outofstate", "outofstate"),
        ("agent's request", "at the agent’s request", "agent’s request"),
        ("outside {state}", "outside Oregon", "outside Oregon"),
    ],
)
def test_phrase_syntax(phrase, text, found):
    match = re.search(phrase_regex(phrase, "(?:Oregon|Texas)"), text)
    assert (match.group() if match else None) == found


def test_raw_regex_phrases_are_used_as_written():
    assert phrase_regex(r"re:\bmay\b") == r"\bmay\b"


def test_trie_regex_keeps_word_boundaries_except_for_stems():
    pattern = re.compile(r"\b" + trie_regex(["ice", "immigra*", "other state"]))
    assert [m.group() for m in pattern.finditer("nice ice immigrants other states")] == [
        "ice", "immigrants"
    ]


def write(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(PATTERNS_PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "patterns.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_unknown_key_is_named_with_the_file(tmp_path):
    path = write(tmp_path, lambda d: d.update(hedgez=["maybe"]))
    with pytest.raises(ConfigError, match=rf"{re.escape(str(path))}: hedgez: unknown key"):
        load_patterns(path)


def test_unquoted_no_is_explained(tmp_path):
    path = write(tmp_path, lambda d: d["negation"].append(False))
    with pytest.raises(ConfigError, match=r"negation\[\d+\]: got False: quote the word"):
        load_patterns(path)


def test_broken_regex_names_its_key(tmp_path):
    path = write(tmp_path, lambda d: d["hedges"].append("re:(unclosed"))
    with pytest.raises(ConfigError, match=r"hedges\[\d+\]: 're:\(unclosed' does not compile"):
        load_patterns(path)


def test_missing_section_is_named(tmp_path):
    path = write(tmp_path, lambda d: d.pop("negation"))
    with pytest.raises(ConfigError, match=r"negation: missing"):
        load_patterns(path)


def test_party_phrase_without_trigger_word_is_refused(tmp_path):
    path = write(tmp_path, lambda d: d["federal_parties"].append("tsa screeners"))
    message = r"federal_parties\[\d+\]: 'tsa screeners' holds no trigger"
    with pytest.raises(ConfigError, match=message):
        build_lexicon(load_patterns(path), path)


def test_a_parent_that_is_not_an_agency_is_named(tmp_path):
    path = write(tmp_path, lambda d: d["agencies"]["ERO"].update(parent="ICEE"))
    with pytest.raises(ConfigError, match=r"agencies: .*ERO: parent 'ICEE' is not an agency"):
        load_patterns(path)


def test_unreadable_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the patterns file"):
        load_patterns(tmp_path / "absent.yaml")


def test_every_section_of_the_patterns_file_is_documented():
    docs = (Path(__file__).resolve().parents[1] / "docs" / "findings.md").read_text("utf-8")
    assert [key for key in PatternConfig.model_fields if f"`{key}`" not in docs] == []
