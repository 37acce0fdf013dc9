"""Tests for pipelines/portal_history.py on real consecutive weekly snapshots of portals."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract.model import Category
from pipelines.portal import change_findings, render_snapshot
from pipelines.portal_history import portal_changes
from spiders.portal_snapshot import AuditRow


@pytest.fixture(scope="module")
def real(corpus: Path) -> Path:
    return corpus / "flock_portals" / "real_pages"


def changes(parse, agency: str, before: str, after: str) -> list[tuple[Category | None, str]]:
    """The changes between two weekly snapshots of one agency ("el-cajon-pd-ca", dates)."""
    return [(c.category, c.line) for c in portal_changes(parse(f"{agency}_{before}.html"),
                                                         parse(f"{agency}_{after}.html"))]


def test_a_renamed_agency_of_another_state_is_shown_not_reported(real_portal):
    assert changes(real_portal, "el-cajon-pd-ca", "2026-04-22", "2026-04-29") == [
        (None, "El Cajon PD ( CA): 1 more organization in other states added to those with "
               "access: Las Vegas Metro Police Department - NV (NV)"),
        (None, "El Cajon PD ( CA): 1 organization in other states no longer among those with "
               "access: Las Vegas Metro NV PD")]


def test_an_organisation_of_another_state_removed_is_shown_not_reported(real_portal):
    assert changes(real_portal, "el-cajon-pd-ca", "2026-04-15", "2026-04-22") == [
        (None, "El Cajon PD ( CA): 1 organization in other states no longer among those with "
               "access: College Place WA PD")]


def test_shorter_retention_is_shown_not_reported(real_portal):
    assert changes(real_portal, "san-jose-ca-pd", "2026-03-30", "2026-04-08") == [
        (None, "San Jose CA PD: data retention shortened from 365 to 30 days")]


@pytest.mark.parametrize("agency, before, after", [
    ("santa-rosa-ca-pd", "2026-04-08", "2026-04-16"),
    ("visalia-ca-pd", "2026-04-16", "2026-04-23"),
    ("alameda-county-ca-so", "2026-04-21", "2026-04-28"),
])
def test_weeks_of_in_state_additions_change_nothing_reported(agency, before, after, real_portal):
    assert [c for c, _ in changes(real_portal, agency, before, after) if c is not None] == []


def test_an_agency_of_a_new_state_added_the_next_week_is_a_finding(real_portal, real):
    page = "west-sacramento-ca-pd_2026-04-24.html"
    before = real_portal("west-sacramento-ca-pd_2026-04-16.html")
    html = (real / page).read_text().replace(" Albany CA PD,",
                                             " Albany CA PD, Harris County (TX) DA Office,")
    after = real_portal(page, html)
    found = [c for c in portal_changes(before, after) if c.category is not None]
    assert [(c.category, c.line) for c in found] == [
        (Category.OUT_OF_STATE_SHARING,
         "West Sacramento CA PD: 1 organization in 1 state without access before (TX) added to "
         "those with access: Harris County (TX) DA Office (TX)"),
        (Category.OUT_OF_STATE_SHARING,
         "West Sacramento CA PD: organizations with access in other states rose from 0 to 1 "
         "(0% to 0.3% of those with access)")]


def test_a_federal_agency_added_is_evidence_of_its_access_fact(real_portal, real):
    page = "visalia-ca-pd_2026-04-23.html"
    before = real_portal("visalia-ca-pd_2026-04-16.html")
    html = (real / page).read_text().replace(" Albany CA PD,", " Albany CA PD, U.S. Border Patrol,")
    after = real_portal(page, html)
    (change,) = [c for c in portal_changes(before, after) if c.category is not None]
    assert (change.category, change.agencies, change.key) == (
        Category.FEDERAL_ACCESS, ("USBP",), "Organization with access: U.S. Border Patrol")


def test_an_audit_that_starts_showing_federal_searches_is_evidence_of_that_fact(real_portal):
    before = real_portal("west-sacramento-ca-pd_2026-04-16.html")
    after = real_portal("west-sacramento-ca-pd_2026-04-24.html")
    after.search_audit += [AuditRow("x1", "***", "2026-04-23T10:00:00Z", 383, "Usms case"),
                           AuditRow("x2", "***", "2026-04-23T11:00:00Z", 383, "Usms case")]
    changed = portal_changes(before, after)
    text, _ = render_snapshot(after)
    text += "\n" + "\n".join(c.line for c in changed)
    (finding,) = change_findings(text, changed)
    assert (finding.category, finding.key, finding.snippet) == (
        Category.FEDERAL_ACCESS, "searches for federal agencies in the search audit",
        "West Sacramento CA PD: the search audit now shows 2 searches for or by federal "
        "agencies (none in the previous snapshot)")


def test_longer_retention_with_other_states_having_access_is_evidence_of_that_access(
        real_portal, real):
    page = "el-cajon-pd-ca_2026-04-29.html"
    html = (real / page).read_text()
    assert html.count(">30 days<") == 1
    before = real_portal("el-cajon-pd-ca_2026-04-22.html")
    after = real_portal(page, html.replace(">30 days<", ">365 days<"))
    (change,) = [c for c in portal_changes(before, after) if c.category is not None]
    assert (change.category, change.key, change.line) == (
        Category.OUT_OF_STATE_SHARING, "organizations in other states with access",
        "El Cajon PD ( CA): data retention lengthened from 30 to 365 days, with 359 "
        "organizations in other states among those with access")


def test_longer_retention_without_outside_access_is_shown_not_reported(real_portal):
    assert changes(real_portal, "san-jose-ca-pd", "2026-04-08", "2026-03-30") == [
        (None, "San Jose CA PD: data retention lengthened from 30 to 365 days")]
