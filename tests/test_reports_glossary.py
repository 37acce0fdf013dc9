"""Agencies' full names come from config/patterns.yaml, the one vocabulary of agencies."""

from __future__ import annotations

from pipelines.extract.patterns import AgencyEntry, load_patterns
from reports.glossary import agency_terms, full_names


def test_every_agency_of_patterns_yaml_is_in_the_glossary_in_its_order() -> None:
    patterns = load_patterns()
    assert [t.short for t in agency_terms(patterns)] == list(patterns.agencies)


def test_the_full_name_is_the_longest_spelled_out_name_without_an_ampersand() -> None:
    patterns = load_patterns().model_copy(update={"agencies": {
        "ERO": AgencyEntry(names=("ERO", "Enforcement & Removal Operations",
                                  "Enforcement and Removal Operations"), parent="ICE"),
        "USMS": AgencyEntry(names=("USMS", "U.S. Marshals", "United States Marshals")),
        "XYZ": AgencyEntry(names=("XYZ",)),
    }})
    assert full_names(agency_terms(patterns)) == {
        "ERO": "Enforcement and Removal Operations", "USMS": "United States Marshals"}
