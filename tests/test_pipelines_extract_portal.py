"""Transparency-portal access lists: federal entries, other states, in-state lists."""

from __future__ import annotations

import csv

import pytest

from pipelines.extract import Category, extract

FED, OOS = Category.FEDERAL_ACCESS, Category.OUT_OF_STATE_SHARING
ACCESS = "External organizations with access:"


def found(text: str) -> list[tuple[Category, tuple[str, ...]]]:
    return [(f.category, f.agencies) for f in extract(text)]


def test_federal_tags_and_names_in_a_row():
    row = (
        "Idaho Falls ID PD | External organizations with access: Ada County ID SO, Homeland "
        "Security Investigations [Federal] [Inactive], US Postal Inspection Service [Federal]"
    )
    assert found(row) == [(FED, ("HSI", "USPIS"))]


def test_an_untagged_federal_name_counts():
    row = "Reno NV PD | External organizations with access: Carson City NV SO, U.S. Border Patrol"
    assert found(row) == [(FED, ("USBP",))]


def test_a_federal_tag_without_a_short_name_counts_with_no_agency():
    row = (
        "Xenia OH PD | External organizations with access: Dayton OH PD, "
        "Wright Patterson OH Air Force Base [Federal]"
    )
    assert found(row) == [(FED, ())]


def test_codes_of_other_states_than_the_owner():
    row = "Barling AR PD | External organizations with access: Anna TX PD, Batesville AR PD"
    assert found(row) == [(OOS, ())]


@pytest.mark.parametrize(
    "row",
    [
        f"SeaTac WA PD | {ACCESS} Everett (WA) Police Department, Federal Way WA PD",
        f"Denver CO PD | {ACCESS} Englewood CO PD, Federal Heights CO PD",
        f"Truckee CA PD | {ACCESS} California Highway Patrol, Nevada County CA SO",
        f"Champaign IL PD | {ACCESS} Cicero IL PD, Marshall IL PD",
        f"Omaha NE PD | {ACCESS} N/A",
        f"Bridgewater VA PD | {ACCESS} We currently do share data with other agencies.",
    ],
)
def test_in_state_lists_and_empty_lists_are_not_findings(row):
    assert found(row) == []


def test_list_one_organisation_per_line_after_its_heading():
    page = (
        "Sharing Network Data With\n\nOrganizations granted access to Grand Rapids MI PD data.\n\n"
        "Germantown OH PD\nMercer County MO SO\n[Federal] Federal Bureau of Investigation (FBI)\n\n"
        "Receiving Network Data From\n\n[Federal] US Postal Inspection Service\n"
    )
    assert found(page) == [(OOS, ()), (FED, ("FBI",))]


def test_list_in_a_csv_row_rendered_as_header_value_pairs():
    row = (
        "Agency Name: Allen Park PD MI; Prohibited Uses: Immigration enforcement, personal use; "
        "External organizations with access: Dearborn MI PD, Toledo OH PD; Hotlists Alerted On: "
        "NCMEC Amber Alert, MI LEIN"
    )
    assert found(row) == [(OOS, ())]


def test_evidence_of_a_long_list_stops_at_the_flagged_entry():
    names = ", ".join(f"Town{i} CA PD" for i in range(300))
    text = f"Organizations granted access to El Cajon CA PD data\n\n{names}, Acworth GA PD, Z CA PD"
    finding = extract(text)[0]
    assert finding.snippet.endswith("Acworth GA PD") or finding.snippet == "Acworth GA PD"


def test_portal_dataset_federal_lists(corpus):
    path = corpus / "portal_dataset" / "flock_all_public_6-11-2025_master.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, federal = rows[0], set()
    for row in rows[1:]:
        cells = zip(header, row, strict=False)
        line = "; ".join(f"{h}: {' '.join(v.split())}" for h, v in cells if v and h)
        if any(f.category == FED for f in extract(line)):
            federal.add(row[0])
    with (corpus / "portal_dataset" / "flock_portals_2025-06-11_federal_orgs_with_access.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        listed = {r["agency"] for r in csv.DictReader(handle)}
    assert listed <= federal and len(federal - listed) <= 13  # the file misses untagged FBI/ATF


def test_search_audit_negative_control(corpus):
    path = corpus / "audit_logs" / "san-mateo-ca-pd_search_audit_a871b2fc.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    lines = ("; ".join(f"{h}: {v}" for h, v in zip(rows[0], r, strict=True)) for r in rows[1:])
    text = "\n".join(lines)
    assert extract(text) == []


def test_el_cajon_portal_page_shares_out_of_state(corpus):
    text = (corpus / "flock_portals" / "old_layout" / "el-cajon-pd-ca_2026-04-29.txt").read_text(
        encoding="utf-8"
    )
    assert [f.category for f in extract(text)] == [OOS]
