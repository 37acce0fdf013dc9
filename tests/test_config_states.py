"""Tests for config/states.py: the state of an agency's name, by families of name forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.schema import ConfigError
from config.states import default_resolver, load_resolver, state_of


@pytest.mark.parametrize("name, state", [
    # a code before an agency type; codes that are also agency words give way
    ("Acworth GA PD", "GA"), ("Los Angeles County CA SD", "CA"), ("San Diego County CA SD", "CA"),
    ("Tallapoosa County AL SD", "AL"), ("Cherokee County GA DA", "GA"), ("Hayward, CA PD", "CA"),
    # leading and trailing codes
    ("MN - Isanti CO SO", "MN"), ("NM - Bloomfield PD", "NM"), ("AZ - Pinal County SO", "AZ"),
    ("SO-AZ", "AZ"), ("Mendocino County SO-CA", "CA"), ("ACRATT -CA", "CA"),
    ("CA Iipay Nation of Santa Ysabel", "CA"),
    # codes in brackets win
    ("Harris County (TX) DA Office", "TX"), ("El Cajon PD ( CA)", "CA"),
    ("Dublin CA PD (ACSO)", "CA"), ("Cal State Fullerton (CA)", "CA"),
    # a code last, tags and status words aside
    ("San Jose State University CA", "CA"), ("(Dead/Old) Plymouth IN PD", "IN"),
    ("Homestead FL PD [Inactive]", "FL"), ("UT Southwestern Medical Center TX", "TX"),
    # a county and a state code both read as codes
    ("Weld County CO SO", "CO"), ("Denver CO PD", "CO"), ("Sioux Falls SD PD", "SD"),
    ("Broome CO NY SO", "NY"),
    # state names in full, leading, after "of", with a direction
    ("California Highway Patrol", "CA"), ("Missouri State Highway Patrol", "MO"),
    ("University of California, Berkeley", "CA"), ("University of Central Missouri PD", "MO"),
    ("Northeast Ohio Regional Fusion Center", "OH"), ("West Virginia State Police", "WV"),
    # names of one state's bodies that do not name it
    ("Cal Fire", "CA"), ("Blue Lake Rancheria Tribal PD", "CA"), ("NCRIC", "CA"),
    ("GBI", "GA"), ("FDLE Tampa", "FL"),
])
def test_state_of_agency_names(name, state):
    assert state_of(name) == state


@pytest.mark.parametrize("name", [
    "Shasta County SO", "Shasta County SD", "Isanti CO SO", "Washington Township PD",
    "Nevada City PD", "Kansas City PD", "Virginia Beach PD", "Federal Way PD",
    # bodies that span states
    "Rocky Mountain Information Network (RMIN/RISS) AZ [DEACTIVATED]", "TN ROCIC",
    "Navajo Nation PD", "Gulf Coast HIDTA",
    # no state at all
    "Flock Safety PD Test Org", "", "[Federal] US Postal Inspection Service",
])
def test_names_without_one_state_give_none(name):
    assert state_of(name) is None


def test_a_state_institution_ends_with_its_state_name():
    resolver = default_resolver()
    assert resolver.ends_with_state("University of Texas") is True
    assert resolver.ends_with_state("Iipay Nation of Santa Ysabel") is False


def test_state_named_most_often_in_a_text():
    assert default_resolver().state_in_text("California SVS, NCMEC Amber Alert") == "CA"


def test_resolver_is_built_once():
    assert default_resolver() is default_resolver()


def test_invalid_section_names_the_file_and_key(tmp_path: Path):
    path = tmp_path / "patterns.yaml"
    path.write_text("states: {CA: California}\nagency_states:\n  ambiguous_codes: {SD: 4}\n")
    with pytest.raises(ConfigError, match=r"patterns\.yaml: agency_states\.ambiguous_codes\.SD"):
        load_resolver(path)


def test_the_data_comes_from_the_file(tmp_path: Path):
    path = tmp_path / "patterns.yaml"
    path.write_text("states: {OR: Oregon}\nagency_states:\n  state_names: {OR: [OSP]}\n")
    resolver = load_resolver(path)
    assert (resolver.state_of("OSP"), resolver.state_of("Cal Fire")) == ("OR", None)
