"""Tests for pipelines/portal_audit.py: search reasons naming federal agencies and immigration."""

from __future__ import annotations

import pytest

from pipelines.extract.model import Category
from pipelines.portal import portal_findings, render_snapshot
from pipelines.portal_audit import (
    audit_groups,
    federal_line,
    federal_reason_agencies,
    federal_rows,
)
from pipelines.portal_rows import MAX_ROWS
from spiders.portal_snapshot import AuditRow, PortalSnapshot


def row(reason: str, organization: str = "", n: int = 0) -> AuditRow:
    return AuditRow(id=f"r{n}", user_id="***", search_date=f"2026-04-{1 + n % 28:02d}T10:00:00Z",
                    network_count=383, reason=reason, organization=organization)


def audit(*reasons: str) -> list[AuditRow]:
    return [row(reason, n=i) for i, reason in enumerate(reasons)]


def findings(rows: list[AuditRow]):
    snapshot = PortalSnapshot(agency="Galt CA PD", url="https://example.test/galt", state="CA",
                              search_audit=rows)
    text, _ = render_snapshot(snapshot)
    return portal_findings(snapshot, text)


# The shapes of real reasons: "Usms case" was logged on 118 searches of one portal.
REAL = ["Usms case"] * 118 + ["US Marshall assist", "FBI ASSIST: BANK THEFT", "FBI SAFE ST TF"]


@pytest.mark.parametrize("reason, agencies", [
    ("Usms case", ("USMS",)), ("USMS warrant", ("USMS",)), ("US Marshall assist", ("USMS",)),
    ("U.S. Marshals fugitive task force", ("USMS",)), ("FBI ASSIST: BANK THEFT", ("FBI",)),
    ("FBI SAFE ST TF", ("FBI",)), ("fbi request", ("FBI",)), ("DEA case 24-118", ("DEA",)),
    ("ATF NIBIN lead", ("ATF",)), ("Secret Service counterfeit", ("USSS",)),
    ("U.S.M.S. fugitive", ("USMS",)), ("dea task force", ("DEA",)),
])
def test_reasons_naming_federal_agencies(reason, agencies):
    assert federal_reason_agencies(reason) == agencies


@pytest.mark.parametrize("reason", [
    "MARSHALL 417 VEH", "Marshall St burglary", "US 101 hit and run", "town marshal request",
    "Dea Smith missing person", "stolen vehicle", "federal way robbery",
])
def test_look_alikes_are_not_federal_reasons(reason):
    assert federal_reason_agencies(reason) == ()


def test_real_federal_reasons_give_one_federal_access_finding_quoting_its_first_rows():
    rows = audit(*REAL, "MARSHALL 417 VEH", "10851", "stolen plate")
    (found,) = [f for f in findings(rows) if f.category is Category.FEDERAL_ACCESS]
    lines = found.snippet.splitlines()
    assert (len(lines), lines[0]) == (MAX_ROWS, "Row 1: Date: 2026-04-01T10:00:00Z; Reason: "
                                                "Usms case; Networks searched: 383")
    assert found.agencies == ("USMS", "FBI")


def test_federal_rows_section_names_its_row_numbers():
    groups = audit_groups(audit(*REAL, "MARSHALL 417 VEH"))
    assert [g.label for g in groups] == [
        "searches for or by federal agencies: rows 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 "
        "and 109 more", "other searches"]


def test_federal_finding_is_stable_as_counts_change():
    first = [f for f in findings(audit(*REAL)) if f.category is Category.FEDERAL_ACCESS][0]
    later = [f for f in findings(audit(*REAL, "Usms case"))
             if f.category is Category.FEDERAL_ACCESS][0]
    assert first.key == later.key != ""


def test_federal_searching_organisation_counts_without_a_federal_reason():
    rows = [row("Robbery", organization="Federal Bureau of Investigation")]
    assert (len(federal_rows(rows)), federal_line(rows)) == (1, (
        "Search audit: 1 search for or by federal agencies (FBI): Robbery: 1; by Federal "
        "Bureau of Investigation: 1"))


def test_immigration_reasons_stay_immigration_searches_only():
    categories = [f.category for f in findings(audit("HSI assist", "ICE WARRANT"))]
    assert categories == [Category.IMMIGRATION_SEARCH]


def test_audit_without_federal_reasons_gives_no_federal_finding():
    assert findings(audit("MARSHALL 417 VEH", "WARRANT SUSPECT", "10851")) == []
