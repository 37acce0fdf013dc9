"""Titles and labels of a fact (reports/fact_view.py): what happened, in the reader's words."""

from __future__ import annotations

import pytest

from reports.fact_view import FactView, RecipientView, fact_title, period_label, short_owner

HSI = RecipientView("HSI", "", "Homeland Security Investigations", ("ICE", "DHS"))
USBP = RecipientView("USBP", "", "Border Patrol", ("CBP", "DHS"))
DHS = RecipientView("DHS", "", "Department of Homeland Security")
ERO = RecipientView("ERO", "", "Enforcement and Removal Operations", ("ICE", "DHS"))


@pytest.mark.parametrize(("start", "end", "words"), [
    ("2025-02", "2025-05", "Feb–May 2025"),
    ("2025-10-14", "2025-10-14", "Oct 14, 2025"),
    ("2008", None, "since 2008"),
    ("2024-12", "2025-03", "Dec 2024 – Mar 2025"),
    ("2025-09-09", "2025-09-25", "Sep 9–25, 2025"),
    ("2025-01-01", "2025-06-30", "Jan 1 – Jun 30, 2025"),
    ("2024-11-03", "2025-01-02", "Nov 3, 2024 – Jan 2, 2025"),
    (None, None, ""),
])
def test_period_in_words(start, end, words):
    assert period_label(start, end) == words


@pytest.mark.parametrize(("fact", "title"), [
    (FactView(kind="access", channel="direct_search", owner="Maplewood Police Department",
              recipients=(HSI,), status="in_effect", event_start="2025-02",
              event_end="2025-05", counts={"searches": 12}),
     "Maplewood PD ran 12 plate searches for HSI, Feb–May 2025"),
    (FactView(kind="agreement", channel="agreement", owner="Ridgemoor County Sheriff's Office",
              recipients=(USBP,), status="adopted", event_start="2025-10-14",
              event_end="2025-10-14"),
     "Ridgemoor County adopted an agreement with USBP, Oct 14, 2025"),
    (FactView(kind="agreement", channel="agreement", recipients=(USBP,), status="proposed"),
     "An agreement with USBP proposed in Ridgemoor County"),
    (FactView(kind="agreement", channel="agreement", recipients=(DHS, ERO), status="adopted"),
     "Ridgemoor County adopted an agreement with ERO"),
    (FactView(kind="agreement", channel="accepted_request", owner="Maplewood Police Department",
              recipients=(RecipientView("Cedar Bend TX PD", "TX"),
                          RecipientView("Pine Hollow GA SO", "GA")),
              status="adopted", event_start="2025-09", event_end="2025-09"),
     "Maplewood PD accepted data-sharing requests from agencies in Texas and Georgia, Sep 2025"),
    (FactView(kind="access", channel="", owner="Harlan Grove IL PD", status="in_effect",
              counts={"organizations": 9}, event_start="2025-06-30", event_end="2025-06-30"),
     "9 agencies in other states have access to Harlan Grove PD's plate-reader data, "
     "as of Jun 30, 2025"),
    (FactView(kind="access", channel="vendor_network", recipients=(HSI,), status="proposed"),
     "HSI requested access to Ridgemoor County's plate-reader data"),
])
def test_a_title_says_what_happened(fact, title):
    assert fact_title(fact, "Ridgemoor County", "fallback") == title


def test_a_fact_that_says_too_little_keeps_the_old_title():
    assert fact_title(FactView(kind="access"), "Maplewood", "Federal access in Maplewood") == \
        "Federal access in Maplewood"


def test_labels_for_requests_searches_and_recipients():
    assert FactView(kind="access", status="proposed").status_label == "Requested"
    assert FactView(kind="searches", status="in_effect").status_label == "Took place"
    assert HSI.long_label == "HSI (Homeland Security Investigations, part of ICE and DHS)"
    assert short_owner("Harlan Grove IL PD") == "Harlan Grove PD"


def test_many_states_are_counted_not_listed():
    many = tuple(RecipientView(f"PD {c}", c) for c in ("TX", "GA", "IA", "WI", "MI"))
    fact = FactView(kind="access", channel="vendor_network", owner="El Cajon PD",
                    recipients=many, status="in_effect")
    assert fact_title(fact, "El Cajon", "") == \
        "Agencies in 5 other states have access to El Cajon PD's plate-reader data through " \
        "the vendor's sharing network"
