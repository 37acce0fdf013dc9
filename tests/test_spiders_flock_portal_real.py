"""spiders/flock_portal.py on the real saved portal pages of ../shared/corpus (both layouts)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipelines.extract.model import Category
from pipelines.portal import portal_findings, render_snapshot
from spiders.flock_portal import parse_portal
from spiders.portal_snapshot import PortalSnapshot

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "flock_portals" / "real_pages"
FIELDS = ("data_retention_days", "camera_count", "searches_30d", "n_orgs_with_access")


def real_page(name: str) -> str:
    path = REAL / name
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is absent: CI must mount the shared corpus")
        pytest.skip(f"{path} is absent (the shared corpus is not mounted)")
    return path.read_text(encoding="utf-8")


def parse(name: str, html: str | None = None) -> PortalSnapshot:
    slug = name.rsplit("_", 1)[0]
    return parse_portal(html or real_page(name), f"https://transparency.flocksafety.com/{slug}")


@pytest.fixture(scope="module")
def truth() -> list[tuple[dict, PortalSnapshot]]:
    lines = real_page("truth.jsonl").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return [(t, parse(t["page"])) for t in rows]


def value(snapshot: PortalSnapshot, field: str) -> int | None:
    if field == "n_orgs_with_access":
        return len(snapshot.organizations_with_access)
    return getattr(snapshot, field)


@pytest.mark.parametrize("field", FIELDS)
def test_every_real_page_agrees_with_the_settled_values(truth, field):
    wrong = [t["page"] for t, s in truth if field in t and value(s, field) != t[field]]
    # Buckeye's truth took the "30" of the label "Searches in the last 30 days"; the page's
    # value is 350 (test_new_layout_value_comes_after_the_description).
    assert wrong == (["buckeye-az-pd_2026-04-29.html"] if field == "searches_30d" else [])


def test_out_of_state_finding_only_where_other_states_really_have_access(truth):
    flagged = []
    for t, snapshot in truth:
        text, _ = render_snapshot(snapshot)
        categories = {f.category for f in portal_findings(snapshot, text)}
        assert Category.FEDERAL_ACCESS not in categories, t["page"]
        if (Category.OUT_OF_STATE_SHARING in categories) != t["out_of_state"]:
            flagged.append(t["page"])
    assert flagged == []


def test_every_real_portal_has_a_state(truth):
    assert {t["slug"] for t, s in truth if s.state is None} == set()


# -- the 2026 layout without data-tp-entry-type: label, description, value --

def test_new_layout_value_comes_after_the_description():
    snapshot = parse("buckeye-az-pd_2026-04-29.html")
    assert (snapshot.data_retention_days, snapshot.camera_count, snapshot.searches_30d,
            snapshot.organizations_with_access) == (30, 59, 350, [])


def test_new_layout_reads_access_cells_as_one_organisation_each():
    names = [o.name for o in parse("city-of-lemoore-ca_2026-04-30.html").organizations_with_access]
    assert len(names) == 284
    assert names[names.index("CA Iipay Nation of Santa Ysabel") + 1] == "Cal Fire"


# -- the older layout: one comma-separated list --

def test_comma_list_splits_a_tribal_nation_from_the_next_agency():
    names = [o.name for o in parse("west-sacramento-ca-pd_2026-04-24.html")
             .organizations_with_access]
    assert ("CA Iipay Nation of Santa Ysabel" in names, "Cal Fire" in names,
            "University of California, Berkeley" in names) == (True, True, True)


def test_access_list_under_another_label_is_read():
    snapshot = parse("hayward-ca-pd_2026-04-26.html")  # "Only Agencies With External Access"
    assert (len(snapshot.organizations_with_access), snapshot.state) == (326, "CA")


def test_state_comes_from_the_access_label_when_the_overview_names_none():
    snapshot = parse("galt-ca-pd_2026-04-26.html")
    assert (snapshot.agency, snapshot.state) == ("Galt Police Department", "CA")


def test_sheriffs_departments_of_the_portals_state_are_not_out_of_state():
    snapshot = parse("ventura-county-ca-so_2026-04-23.html")
    states = {o.name: o.state for o in snapshot.organizations_with_access}
    assert {n: s for n, s in states.items() if s not in ("CA", None)} == {}


@pytest.mark.parametrize("label, field, expected", [
    ("Number of Active LPR cameras", "camera_count", 35),
    ("Number of Owned Cameras", "camera_count", 35),
    ("Flock Data retention (in days)", "data_retention_days", 30),
    ("Marina CA PD searches in the last 30 days", "searches_30d", 145),
    ("Number of Searches (one vehicle may include multiple searches)", "searches_30d", 145),
])
def test_label_variants_are_read_by_meaning(label, field, expected):
    original = {"camera_count": "Number of LPR cameras",
                "data_retention_days": "Data retention (in days)",
                "searches_30d": "Searches in the last 30 days"}[field]
    html = real_page("marina-ca-pd_2026-04-27.html").replace(f">{original}<", f">{label}<")
    assert getattr(parse("marina-ca-pd_2026-04-27.html", html), field) == expected


@pytest.mark.parametrize("label", [
    "External agencies who have access", "Agencies NCRIC Shares With",
    "Only Agencies With External Access", "Sharing Network Data With",
])
def test_access_label_variants_are_read_by_meaning(label):
    page = "west-sacramento-ca-pd_2026-04-24.html"
    html = real_page(page).replace(">Organizations granted access to West Sacramento CA PD data<",
                                   f">{label}<")
    assert len(parse(page, html).organizations_with_access) == 321


def test_inbound_list_is_not_taken_for_the_access_list():
    snapshot = parse("south-gate-ca-pd_2026-04-23.html")
    inbound = {o.name for o in snapshot.organizations_sharing_in}
    assert inbound and len(snapshot.organizations_with_access) == 316


def test_embedded_audit_without_a_reason_column_is_read():
    page = "west-sacramento-ca-pd_2026-04-24.html"
    csv = ('"id","userId","searchDate","networkCount","caseNumber"\n'
           '"a1","***","2026-04-01T10:00:00.000Z","383","26-0412"\n')
    html = real_page(page)
    start = html.index('href="data:text/csv') + len('href="')
    end = html.index('"', start)
    href = "data:text/csv;charset=utf-8," + csv.replace('"', "%22").replace("\n", "%0A")
    snapshot = parse(page, html[:start] + href + html[end:])
    assert [(r.case_number, r.reason) for r in snapshot.search_audit] == [("26-0412", "")]
