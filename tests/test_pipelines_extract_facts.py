"""The fact behind a finding (pipelines/extract/facts.py): channel, status, when, how much,
recipients, categories and the merge key, each from wording families seen in real records."""

from __future__ import annotations

import pytest

from pipelines.extract.facts import (
    Recipient,
    categories_of,
    channel_of,
    counts_of,
    fact_key,
    most_specific,
    recipients_of,
    status_of,
)
from pipelines.extract.periods import period_of

PARENTS = {"ERO": "ICE", "HSI": "ICE", "ICE": "DHS", "USBP": "CBP", "CBP": "DHS", "DHS": None}


@pytest.mark.parametrize(("evidence", "channel"), [
    ("ERO officers get access to LEADS queries", "state_system"),
    ("CBP had access to camera data during the vendor's pilot", "federal_pilot"),
    ("he accepted data-sharing requests from the Cedar Bend TX Police Department",
     "accepted_request"),
    ("the department's opt-in to the vendor's National Lookup network", "vendor_network"),
    ("an intergovernmental agreement with U.S. Border Patrol", "agreement"),
    ("officers ran 12 plate searches at the request of HSI agents", "direct_search"),
])
def test_channel_from_the_words_of_the_evidence(evidence, channel):
    assert channel_of(evidence, [], []) == channel


def test_a_broker_vendor_makes_a_data_broker_contract():
    assert channel_of("a contract for data access", ["LexisNexis"], [], ["LexisNexis"]) \
        == "data_broker"


@pytest.mark.parametrize(("evidence", "title", "kind", "status"), [
    ("The Board adopted Resolution 25-R-41, approving an agreement", "Minutes", "agreement",
     "adopted"),
    ("Resolution approving an agreement (forwarded by the Committee without a "
     "recommendation)", "Agenda 2025-10-14", "agreement", "proposed"),
    ("Resolution approving an agreement with U.S. Border Patrol", "Agenda", "agreement",
     "proposed"),
    ("The agreement, adopted in 2023, was terminated in May", "Minutes", "agreement", "ended"),
    ("CBP had access to the village's camera data", "Minutes", "access", "in_effect"),
    ("Search audit: 4 searches with immigration-related reasons", "Audit", "searches",
     "in_effect"),
    ("Resolution approving an agreement with U.S. Border Patrol", "25-R-41", "agreement", ""),
])
def test_status_by_what_the_evidence_says(evidence, title, kind, status):
    assert status_of(evidence, title, kind)[0] == status


@pytest.mark.parametrize(("evidence", "published", "period"), [
    ("during the vendor's pilot from January through April 2025", None, ("2025-01", "2025-04")),
    ("12 searches between February and May 2025", None, ("2025-02", "2025-05")),
    ("from November 2024 to March 2025", None, ("2024-11", "2025-03")),
    ("from November to March 2025", None, ("2024-11", "2025-03")),
    ("has shared data with ICE since 2008", None, ("2008", None)),
    ("As of June 30, 2025, the data was searchable by 9 agencies", None,
     ("2025-06-30", "2025-06-30")),
    ("in September he accepted requests", "2025-10-06", ("2025-09", "2025-09")),
    ("in December he accepted requests", "2025-10-06", ("2024-12", "2024-12")),
    ("rows 2025-09-22 ICE WARRANT; 2025-09-05 immigration", None, ("2025-09-05", "2025-09-22")),
    ("Finding 2025-14-02: access granted", "2025-11-12", ("2025-11-12", "2025-11-12")),
    ("The Board approved the agreement.", "2025-07-15", ("2025-07-15", "2025-07-15")),
    ("The Board approved the agreement.", None, (None, None)),
])
def test_event_period_from_the_evidence_else_the_document_date(evidence, published, period):
    assert period_of(evidence, published) == period


def test_the_audit_period_comes_from_the_document_when_the_evidence_only_names_it():
    document = "Audit period: January 1, 2025 through June 30, 2025. Report issued Nov 12."
    assert period_of("4 searches logged during the audit period", None, document) == \
        ("2025-01-01", "2025-06-30")


def test_counts_the_document_gives():
    assert counts_of("4 of the 214 searches logged") == {"searches": 4}
    assert counts_of("searchable by 9 agencies in other states") == {"organizations": 9}
    assert counts_of("ran 1,200 plate searches on 14 cameras") == {"searches": 1200,
                                                                     "cameras": 14}


def test_other_state_agencies_are_recipients_with_their_state_but_home_ones_are_not():
    found = recipients_of([], "accepted requests from the Cedar Bend TX Police Department, "
                              "the Pine Hollow GA Sheriff's Office and the Cicero IL Police "
                              "Department", "IL", "sharing_agreement")
    assert found == (Recipient("Cedar Bend TX Police Department", "TX"),
                     Recipient("Pine Hollow GA Sheriff's Office", "GA"))


def test_a_count_by_state_gives_one_recipient_per_state():
    found = recipients_of([], "4 of 20 organizations are in states other than IL: IA 1, "
                              "MI 2, IL 3", "IL", "out_of_state_sharing")
    assert found == (Recipient("", "IA"), Recipient("", "MI"))


def test_a_parent_named_beside_its_part_is_dropped():
    assert most_specific([Recipient("DHS"), Recipient("ERO")], PARENTS) == (Recipient("ERO"),)
    assert most_specific([Recipient("ICE"), Recipient("FBI")], PARENTS) == \
        (Recipient("ICE"), Recipient("FBI"))


def test_more_categories_where_more_apply():
    out_of_state = (Recipient("Cedar Bend TX PD", "TX"),)
    assert categories_of("sharing_agreement", out_of_state, "adopted", "IL", ["USBP"]) == \
        ("sharing_agreement", "out_of_state_sharing")
    federal = (Recipient("USBP"),)
    assert categories_of("sharing_agreement", federal, "adopted", "IL", ["USBP"]) == \
        ("sharing_agreement", "federal_access")
    assert categories_of("sharing_agreement", federal, "proposed", "IL", ["USBP"]) == \
        ("sharing_agreement",)


def test_fact_keys_are_equal_for_equal_facts_and_differ_otherwise():
    usbp = (Recipient("USBP"),)
    key = fact_key(("Ridgemoor County", "IL"), usbp, "agreement", "agreement")
    assert key == fact_key(("ridgemoor county", "IL"), usbp, "agreement", "agreement")
    assert key != fact_key(("Ridgemoor County", "IL"), (Recipient("ICE"),), "agreement",
                           "agreement")
    assert key != fact_key(("Ridgemoor County", "IL"), usbp, "agreement", "access")
    assert fact_key(("X", "IL"), (), "", "access", aggregate="portal:oos") == \
        fact_key(("X", "IL"), usbp, "vendor_network", "access", aggregate="portal:oos")


@pytest.mark.parametrize("evidence", [
    "US Postal Inspection Service has requested access to San Mateo CA PD's camera footage",
    "Subject: Camera Access Request from Robeson County NC SO",
])
def test_a_request_for_access_is_not_access(evidence):
    assert status_of(evidence, "Message", "access")[0] == "proposed"


def test_an_access_request_that_was_approved_is_access():
    assert status_of("The Chief approved the access request from HSI", "Minutes",
                     "access")[0] == "in_effect"


def test_a_standing_setting_is_in_effect():
    assert status_of("National Lookup was enabled from day one", "Audit", "agreement")[0] == \
        "in_effect"


def test_a_bare_month_range():
    assert period_of("ran ~600,000 searches Dec 2024–Dec 2025", None) == ("2024-12", "2025-12")


def test_the_status_quote_is_the_whole_sentence_past_abbreviations():
    evidence = ("Item 7 was heard. The Board adopted Resolution 25-R-41, approving an agreement "
                "with U.S. Border Patrol for data access. Under it, the Sheriff shares reads.")
    assert status_of(evidence, "Minutes", "agreement")[1] == (
        "The Board adopted Resolution 25-R-41, approving an agreement with U.S. Border Patrol "
        "for data access.")


def test_the_days_of_logged_timestamps_give_the_period():
    rows = "Row 6: Date: 2025-09-06T02:41:11.957Z; Row 28: Date: 2025-09-25T17:59:09.665Z"
    assert period_of(rows, "2026-11-30") == ("2025-09-06", "2025-09-25")
