"""Validation of config/sources.yaml: every problem named by file, source id and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from config.schema import (
    SOURCES_PATH,
    ConfigError,
    load_site,
    load_sources,
    parse_sources,
    platforms,
)

GOOD = """
sources:
  springfield_city_council:
    name: Springfield City Council
    place: Springfield
    kind: minutes
    platform: document_index
    start_urls: ["https://springfield.example.gov/agendas"]
    documents: ['\\.pdf$']
    schedule: "0 6 * * 1-5"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as info:
        load_sources(write(tmp_path, text))
    return str(info.value)


def test_a_valid_file_loads_its_sources(tmp_path):
    sources = load_sources(write(tmp_path, GOOD))
    assert sources["springfield_city_council"].urls == ["https://springfield.example.gov/agendas"]


def test_unknown_platform_names_the_file_source_field_and_choices(tmp_path):
    message = error_for(tmp_path, GOOD.replace("document_index", "sharepoint"))
    known = ", ".join(repr(p) for p in platforms())
    assert "'document_index', " in known
    assert message == (
        f"{tmp_path}/sources.yaml: sources.springfield_city_council.platform: expected one of "
        f"{known} (a module in spiders/), got 'sharepoint'")


def test_a_misspelt_key_is_an_error(tmp_path):
    message = error_for(tmp_path, GOOD.replace("schedule:", "schedul:"))
    assert "sources.springfield_city_council.schedul: unknown key (a typo?)" in message


def test_a_bad_schedule_says_what_is_allowed(tmp_path):
    message = error_for(tmp_path, GOOD.replace('"0 6 * * 1-5"', '"daily"'))
    assert message.endswith(
        "sources.springfield_city_council.schedule: expected a cron expression like "
        "'0 6 * * 1-5' or an interval like 'every 6 hours', got 'daily'")


def test_every_problem_is_reported_together(tmp_path):
    text = GOOD.replace("kind: minutes", "kind: blog").replace("https://", "ftp:/")
    assert len(error_for(tmp_path, text).splitlines()) == 2


def test_source_ids_must_be_snake_case_jurisdiction_and_body(tmp_path):
    message = error_for(tmp_path, GOOD.replace("springfield_city_council", "Springfield"))
    assert "sources.Springfield.id: expected <jurisdiction>_<body>" in message


def test_an_invalid_regex_is_named(tmp_path):
    message = error_for(tmp_path, GOOD.replace("'\\.pdf$'", "'(unclosed'"))
    assert ("sources.springfield_city_council.documents: '(unclosed' is not a valid regular"
            in message)


def test_broken_yaml_names_the_file(tmp_path):
    message = error_for(tmp_path, "sources: [unclosed")
    assert message.startswith(f"{tmp_path}/sources.yaml: not valid YAML")


def test_placeholders_are_filled_from_substitutions(tmp_path):
    path = write(tmp_path, GOOD.replace("springfield.example.gov", "{springfield}"))
    sources = load_sources(path, {"springfield": "127.0.0.1:8123"})
    assert sources["springfield_city_council"].urls == ["https://127.0.0.1:8123/agendas"]


def test_the_shipped_sources_and_site_files_are_valid():
    assert len(load_sources(SOURCES_PATH)) >= 4
    assert load_site().title


def write_bytes(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_bytes(data)
    return path


def test_a_sources_file_that_is_not_utf8_is_a_one_line_error_naming_the_line(tmp_path):
    with pytest.raises(ConfigError, match=r"sources.yaml: line 2: not UTF-8 text \(byte 0xe9\)"):
        load_sources(write_bytes(tmp_path, b"sources:\n  caf\xe9_board: {}\n"))


def test_a_deeply_nested_sources_file_is_refused_without_a_recursion_error(tmp_path):
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_sources(write_bytes(tmp_path, b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"))


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path):
    levels = [b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]".encode())
    with pytest.raises(ConfigError, match=r"more than 1,000,000 values once its aliases"):
        load_sources(write_bytes(tmp_path, b"\n".join(levels) + b"\nsources: {}\n"))


def test_a_few_plain_aliases_as_yaml_dumpers_write_them_are_read(tmp_path):
    urls = ["https://town.example.gov/agendas"]
    entry = {"name": "x", "place": "y", "kind": "minutes", "platform": "document_index",
             "documents": ["pdf"], "start_urls": urls}
    text = yaml.safe_dump({"sources": {"town_board": entry,
                                       "town_council": {**entry, "start_urls": urls}}})
    assert "*id001" in text
    assert set(load_sources(write_bytes(tmp_path, text.encode()))) == {"town_board",
                                                                        "town_council"}


def test_a_source_id_with_a_trailing_newline_is_invalid():
    with pytest.raises(ConfigError, match=r"got 'town_board\\n'"):
        parse_sources({"sources": {"town_board\n": {
            "name": "x", "place": "y", "kind": "minutes", "platform": "document_index",
            "documents": ["pdf"], "start_urls": ["https://town.example.gov/"]}}}, Path("t"))


@pytest.mark.parametrize("schedule", ["99 6 * * mon-fri-x", "0 25 * * *", "0 6 * * 8",
                                      "0 6 31 2 *x", "0 6 * * 1-5 extra"])
def test_a_schedule_the_scheduler_cannot_read_is_invalid(schedule):
    with pytest.raises(ConfigError, match="schedule: expected a cron expression"):
        parse_sources({"sources": {"town_board": {
            "name": "x", "place": "y", "kind": "minutes", "platform": "document_index",
            "documents": ["pdf"], "start_urls": ["https://town.example.gov/"],
            "schedule": schedule}}}, Path("t"))


@pytest.mark.parametrize("schedule", ["30 7 * * 1-5", "0 6 * * 0,6", "*/15 * * * *",
                                      "every 6 hours"])
def test_schedules_the_scheduler_reads_are_valid(schedule):
    parse_sources({"sources": {"town_board": {
        "name": "x", "place": "y", "kind": "minutes", "platform": "document_index",
        "documents": ["pdf"], "start_urls": ["https://town.example.gov/"],
        "schedule": schedule}}}, Path("t"))


def test_sidedoor_sources_rejects_a_broken_patterns_file(tmp_path, monkeypatch):
    from functools import partial

    from click.testing import CliRunner

    import config.patterns
    from sidedoor.cli import main

    broken = tmp_path / "patterns.yaml"
    broken.write_text(config.patterns.PATTERNS_PATH.read_text(encoding="utf-8")
                      + "\nnot_a_section: [1, 2]\n", encoding="utf-8")
    monkeypatch.setattr(config.patterns, "load_patterns",
                        partial(config.patterns.load_patterns, broken))
    result = CliRunner().invoke(main, ["sources"])
    assert result.exit_code == 1 and "not_a_section" in result.output, result.output


def test_sidedoor_sources_rejects_a_broken_laws_file(tmp_path, monkeypatch):
    from functools import partial

    from click.testing import CliRunner

    import config.laws
    from sidedoor.cli import main

    broken = tmp_path / "laws.yaml"
    broken.write_text(config.laws.LAWS_PATH.read_text(encoding="utf-8").replace(
        "recipients: [", "recipients: [nowhere, ", 1), encoding="utf-8")
    monkeypatch.setattr(config.laws, "load_laws", partial(config.laws.load_laws, broken))
    result = CliRunner().invoke(main, ["sources"])
    assert result.exit_code == 1 and "laws.yaml" in result.output, result.output
    assert "nowhere" in result.output


@pytest.mark.parametrize(("contact", "valid"), [
    ("mailto:tips@example.org", True), ("https://example.org/tips", True),
    ("javascript:alert(1)", False), ("tips@example.org", False)])
def test_the_site_contact_is_a_mailto_or_https_address(tmp_path, contact, valid):
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump({"title": "t", "base_url": "https://example.org/",
                                    "description": "d", "contact": contact}), encoding="utf-8")
    if valid:
        assert load_site(path).contact == contact
    else:
        with pytest.raises(ConfigError, match="contact"):
            load_site(path)
