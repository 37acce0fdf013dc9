"""config/places.py: a place's county and position by name and state; errors name the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.places import PLACES_PATH, Places, load_places, places_beside
from config.schema import SITE_PATH, SOURCES_PATH, ConfigError, load_sources

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "places.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_town_gives_its_county_and_position(tmp_path: Path) -> None:
    path = write(tmp_path, "places:\n  IL:\n    Evanston: {county: Cook County, lat: 42.05, "
                           "lon: -87.69}\n")
    info = load_places(path).get("Evanston", "IL")
    assert (info.county, info.lat, info.lon) == ("Cook County", 42.05, -87.69)


def test_a_place_is_found_in_any_case_but_only_in_its_state(tmp_path: Path) -> None:
    places = load_places(write(tmp_path, "places:\n  IL:\n    Oak Park: {county: Cook County}\n"))
    assert (places.county_of("oak park", "il"), places.county_of("Oak Park", "MI")) == \
        ("Cook County", "")


def test_an_unknown_place_has_no_entry_and_no_county(tmp_path: Path) -> None:
    places = load_places(write(tmp_path, "places:\n  IL: {}\n"))
    assert (places.get("Nowhere", "IL"), places.county_of("Nowhere", "IL")) == (None, "")


def test_a_missing_file_means_no_places(tmp_path: Path) -> None:
    assert len(load_places(tmp_path / "absent.yaml")) == 0


def test_a_latitude_out_of_range_is_one_line_naming_file_and_entry(tmp_path: Path) -> None:
    path = write(tmp_path, "places:\n  IL:\n    Skokie: {county: Cook County, lat: 142, "
                           "lon: -87.7}\n")
    with pytest.raises(ConfigError) as error:
        load_places(path)
    assert str(error.value) == (f"{path}: places.IL.Skokie.lat: Input should be less than or "
                                "equal to 90")


def test_a_latitude_without_longitude_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "places:\n  IL:\n    Skokie: {lat: 42.0}\n")
    with pytest.raises(ConfigError, match=r"places\.IL\.Skokie: give both lat and lon"):
        load_places(path)


def test_a_misspelt_key_is_reported_with_the_allowed_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "places:\n  IL:\n    Skokie: {countie: Cook County}\n")
    with pytest.raises(ConfigError, match=r"places\.IL\.Skokie\.countie: unknown key .*"
                                          r"allowed: county, lat, lon"):
        load_places(path)


def test_a_state_that_is_not_a_code_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "places:\n  Illinois:\n    Skokie: {county: Cook County}\n")
    with pytest.raises(ConfigError, match=r"places\.Illinois: not a state code"):
        load_places(path)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, "places:\n  IL:\n    A: {lat: 95, lon: 0}\n    B: [1, 2]\n")
    with pytest.raises(ConfigError) as error:
        load_places(path)
    assert len(str(error.value).splitlines()) == 2


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = write(tmp_path, "places:\n  IL:\n    Skokie: {county: Cook County}\n")
    assert load_places(path).county_of("Skokie", "IL") == "Cook County"
    path.write_text("places:\n  IL:\n    Skokie: {county: Lake County}\n", encoding="utf-8")
    assert load_places(path).county_of("Skokie", "IL") == "Lake County"


def positioned(places: Places, place: str, state: str) -> bool:
    info = places.get(place, state)
    return info is not None and info.has_position


def test_every_place_of_the_sources_but_the_state_has_a_position() -> None:
    places = load_places(PLACES_PATH)  # the sources written out; lists' rows are not yet placed
    missing = sorted(f"{s.place}, {s.state}" for s in load_sources(SOURCES_PATH).values()
                     if s.list_id is None and s.place != "Illinois"
                     and not positioned(places, s.place, s.state))
    assert missing == []


def test_every_demo_place_but_the_state_has_a_county_and_a_position() -> None:
    places = load_places(places_beside(DEMO / "site.yaml"))
    hosts = {site.name: "127.0.0.1:9" for site in (DEMO / "sites").iterdir()}
    sources = load_sources(DEMO / "sources.yaml", substitutions=hosts)
    found = {(s.place, places.county_of(s.place, s.state), positioned(places, s.place, s.state))
             for s in sources.values() if s.place != "Illinois"}
    assert found == {("Maplewood", "Lakeshore County", True),
                     ("Harlan Grove", "Lakeshore County", True),
                     ("Lakeshore County", "Lakeshore County", True),
                     ("Ridgemoor County", "Ridgemoor County", True),
                     ("Bramblewood", "Ridgemoor County", True)}


def test_the_places_beside_the_shipped_site_file_are_the_shipped_ones() -> None:
    assert places_beside(SITE_PATH) == PLACES_PATH


def test_sidedoor_sources_checks_the_places_file_beside_the_sources_file(tmp_path) -> None:
    from click.testing import CliRunner

    from sidedoor.cli import main

    sources = tmp_path / "sources.yaml"
    sources.write_text("sources: {}\n", encoding="utf-8")
    places = write(tmp_path, "places:\n  IL:\n    Skokie: {lat: 42.0}\n")
    result = CliRunner().invoke(main, ["sources", "--sources", str(sources)])
    assert (result.exit_code, f"{places}: places.IL.Skokie: give both lat and lon"
            in result.output) == (1, True), result.output
