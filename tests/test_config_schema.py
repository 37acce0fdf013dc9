"""Validation of config/sources.yaml: every problem named by file, source id and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.schema import SOURCES_PATH, ConfigError, load_site, load_sources, platforms

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
