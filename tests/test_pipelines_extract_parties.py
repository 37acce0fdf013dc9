"""Who gets the data: agencies and their short names, look-alikes left out, other states."""

from __future__ import annotations

import pytest

from pipelines.extract import extract
from pipelines.extract.lexicon import get_lexicon
from pipelines.extract.parties import Context, agency_mentions, other_states, redefined_acronym

LEX = get_lexicon()


def agencies_in(text: str, redefined: frozenset[str] = frozenset()) -> list[str]:
    scan = LEX.party_scanner.scan(text)
    return [m.key for m in agency_mentions(scan, Context(LEX, redefined))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("U.S. Immigration and Customs Enforcement", ["ICE"]),
        ("ICE's Enforcement and Removal Operations", ["ICE", "ERO"]),
        ("DHS Enforcement and Removal Operations", ["DHS", "ERO"]),
        ("Homeland Security Investigations", ["HSI"]),
        ("U.S. Customs and Border Protection (CBP)", ["CBP", "CBP"]),
        ("the U.S. Border Patrol", ["USBP"]),
        ("US Postal Inspection Service", ["USPIS"]),
        ("Naval Criminal Investigative Service", ["NCIS"]),
        ("Drug Enforcement Administration", ["DEA"]),
        ("U.S. Marshals Service", ["USMS"]),
        ("ATF Nashville TN", ["ATF"]),
        ("Federal Bureau of Investigation (FBI)", ["FBI", "FBI"]),
    ],
)
def test_agency_names_give_short_names(text, expected):
    assert agencies_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the ice rink at Memorial Arena",
        "ICE (In Case of Emergency) contact information",
        "reason: veh burg - Ice Arena lot",
        "Cherokee Co SO assist; Jerome County; Cicero PD; the HERO team",
        "[DEACTIVATED] Rocky Mountain Information Network",
        "officers attended the FBI National Academy",
        "the FBI's Uniform Crime Reporting data show",
        "a grant from the state Office of Homeland Security",
        "the Homeland Security and Emergency Management Committee",
        "the Illinois DHS caseworkers",
        "the Department of Homeland Security, Cybersecurity & Infrastructure Security Agency",
        "Alabama Drug Enforcement Task Force Region G",
        "Tombstone Marshals Office (AZ), Quapaw Nation OK Marshals Service",
        "RCATF CA PD",
        "DHS watch lists",
    ],
)
def test_look_alikes_are_not_agencies(text):
    assert agencies_in(text) == []


def test_an_acronym_spelt_out_as_something_else_is_redefined():
    text = "Desert Hot Springs (DHS) police made an arrest."
    start = text.index("DHS")
    assert redefined_acronym(text, start, start + 3, "DHS", LEX)


def test_small_words_count_in_initials_when_they_must():
    text = "Update your ICE (In Case of Emergency) contact."
    start = text.index("ICE")
    assert redefined_acronym(text, start, start + 3, "ICE", LEX)


def test_an_acronym_spelt_out_as_itself_is_not_redefined():
    text = "Homeland Security Investigations (HSI) agents"
    start = text.index("HSI")
    assert not redefined_acronym(text, start, start + 3, "HSI", LEX)


def test_a_parenthesis_with_other_initials_does_not_redefine():
    text = "ICE (the agency) asked for data"
    assert not redefined_acronym(text, 0, 3, "ICE", LEX)


def test_redefinition_holds_for_the_rest_of_the_document():
    text = (
        "Desert Hot Springs (DHS) police joined the pursuit. Later, DHS officers searched "
        "the city's license plate camera data for the stolen car."
    )
    assert extract(text) == []


def states(text: str, home: str | None = None) -> list[str]:
    scan = LEX.scanner.scan(text)
    return [m.key for m in other_states(scan, Context(LEX, home_state=home), [])]


def test_two_states_in_one_passage_cross_a_state_line():
    assert states("the Illinois department accepted a request from a Texas sheriff") == ["TX"]


def test_one_state_alone_crosses_nothing():
    assert states("agencies in Texas searched the cameras") == []


def test_the_source_home_state_makes_one_other_state_enough():
    assert states("agencies in Texas searched the cameras", home="IL") == ["TX"]


def test_state_names_in_place_names_are_places():
    assert states("Nevada County and Kansas City and Washington Street", home="IL") == []


def test_agency_codes_count_as_states():
    assert states('searching organization "Cedar Bend TX PD"; this agency (Illinois)') == ["TX"]
