"""Why a finding was flagged, retold for readers from the engine's rules."""

from __future__ import annotations

import pytest

from reports.explain import plain_reason

FULL = {"HSI": "Homeland Security Investigations", "USBP": "Border Patrol"}


def test_an_agency_rule_names_the_agency_in_full_and_the_words_that_matched() -> None:
    rule = ("federal agency (HSI) + access wording ('access to'), "
            "no negation, hedge or remediation")
    assert plain_reason(rule, FULL) == (
        "It names a federal agency, Homeland Security Investigations (HSI) with words about "
        "access (“access to”). Nothing in the passage denies it, puts it in doubt or says it "
        "stopped.")


def test_a_cue_over_another_clause_is_explained() -> None:
    rule = ("federal agency (USBP) + agreement ('agreement'), no negation, hedge or remediation "
            "over it (a hedge 'may' covers another clause)")
    assert plain_reason(rule, FULL).endswith(
        "(The hedge “may” is there, but it is about another part of the sentence.)")


def test_an_out_of_state_rule_reads_as_words() -> None:
    rule = ("agency in another state ('TX') + agreement act ('accepted data-sharing requests'), "
            "no negation, hedge or remediation")
    assert plain_reason(rule, FULL).startswith(
        "It names an agency in another state (“TX”) with an act that sets up an agreement "
        "(“accepted data-sharing requests”).")


@pytest.mark.parametrize("rule,start", [
    ("portal lists a [Federal] organization among those granted access to its data",
     "The police department's transparency portal lists an organization it tags [Federal]"),
    ("search audit logs searches whose reason is immigration-related (ICE, ERO, HSI, ...)",
     "The search audit log lists searches whose stated reason is about immigration."),
    ("the same item ('finding 2025-14-02') is also reported elsewhere in the document",
     "The same item (“finding 2025-14-02”) is reported elsewhere"),
])
def test_portal_and_note_rules_read_as_sentences(rule: str, start: str) -> None:
    assert plain_reason(rule, FULL).startswith(start)


def test_a_rule_it_cannot_read_is_shown_as_written() -> None:
    assert plain_reason("names a vendor pilot (Flock).", FULL) == "Names a vendor pilot (Flock)."
