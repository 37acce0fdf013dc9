"""Tests for pipelines/portal.py: rendering, findings from structured data, snapshot diffs."""

from __future__ import annotations

import copy
import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.audit_read import parse_audit_log
from pipelines.extract.model import Category
from pipelines.portal import (
    PortalPipeline,
    immigration_agencies,
    portal_findings,
    render_snapshot,
)
from pipelines.portal_history import diff_snapshots, portal_changes
from pipelines.portal_rows import MAX_ROWS
from spiders.flock_portal import parse_portal
from spiders.items import DocumentItem, PortalSnapshotItem
from spiders.portal_snapshot import Organization, PortalSnapshot

FIXTURES = Path(__file__).parent / "fixtures" / "flock_portal"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FETCHED = datetime(2026, 9, 10, 8, 0, tzinfo=UTC)


def corpus_file(relative: str) -> Path:
    path = CORPUS / relative
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared corpus is not mounted)")
    return path


def portal(name: str) -> PortalSnapshot:
    html = (FIXTURES / name).read_text(encoding="utf-8")
    return parse_portal(html, f"https://transparency.flocksafety.com/{name}")


def audit(name: str, state: str, body: bytes | None = None) -> PortalSnapshot:
    rows = parse_audit_log(body or (FIXTURES / name).read_bytes(), name)
    return PortalSnapshot(agency="Test PD", url=name, state=state, search_audit=rows)


def findings_of(snapshot: PortalSnapshot):
    text, _ = render_snapshot(snapshot)
    return portal_findings(snapshot, text)


def by_category(snapshot: PortalSnapshot, category: Category):
    return [f for f in findings_of(snapshot) if f.category == category]


def snapshot_with(*listed: str, state: str = "IL", retention: int | None = 30) -> PortalSnapshot:
    return PortalSnapshot(
        agency="Cedar Bend IL PD", url="https://transparency.flocksafety.com/cedar-bend",
        state=state, data_retention_days=retention,
        organizations_with_access=[Organization.from_listing(n) for n in listed])


@pytest.fixture(scope="module")
def cedar_bend() -> PortalSnapshot:
    return portal("new_layout_cedar_bend_il.html")


@pytest.fixture(scope="module")
def el_cajon() -> PortalSnapshot:
    path = corpus_file("flock_portals/old_layout/el-cajon-pd-ca_2026-04-29.html")
    return parse_portal(path.read_text(encoding="utf-8"), "https://example.test/el-cajon")


# -- rendering --

@pytest.mark.parametrize("snapshot", [
    pytest.param(lambda: portal("new_layout_cedar_bend_il.html"), id="new layout"),
    pytest.param(lambda: portal("heading_layout_lakeview_shores_tx.html"), id="heading layout"),
    pytest.param(lambda: audit("network_audit_13_columns.csv", "TX"), id="network audit"),
])
def test_every_finding_quotes_its_line_at_its_offsets(snapshot):
    snap = snapshot()
    text, _ = render_snapshot(snap)
    found = portal_findings(snap, text)
    assert len(found) > 0
    assert all(text[f.start:f.end] == f.snippet for f in found)


def test_evidence_is_whole_numbered_row_lines(cedar_bend):
    text, _ = render_snapshot(cedar_bend)
    lines = set(text.splitlines())
    quoted = [line for f in portal_findings(cedar_bend, text) for line in f.snippet.split("\n")]
    assert all(line in lines and line.startswith("Row ") for line in quoted)


def test_federal_highlight_is_the_federal_tag(cedar_bend):
    text, _ = render_snapshot(cedar_bend)
    first = by_category(cedar_bend, Category.FEDERAL_ACCESS)[0]
    (start, end), = first.highlights
    assert text[start:end] == "[Federal]"


def test_untagged_federal_agency_is_highlighted_whole(cedar_bend):
    text, _ = render_snapshot(cedar_bend)
    second = by_category(cedar_bend, Category.FEDERAL_ACCESS)[1]
    assert [text[a:b] for a, b in second.highlights] == ["U.S. Border Patrol"]


def test_sections_are_labelled_in_order_with_their_row_numbers(cedar_bend):
    _, sections = render_snapshot(cedar_bend)
    assert [s["label"] for s in sections] == [
        "summary", "policies", "federal organizations with access: rows 2, 3",
        "organizations with access in other states: rows 4, 5, 6, 7",
        "other organizations with access", "organizations sharing in", "search audit",
        "searches with immigration-related reasons: rows 2, 3, 4, 5", "other searches"]


def test_each_finding_starts_at_its_rows_section(cedar_bend):
    text, sections = render_snapshot(cedar_bend)
    starts = {s["start"]: s["label"] for s in sections}
    found = portal_findings(cedar_bend, text)
    assert [starts.get(f.start) for f in found] == [
        "federal organizations with access: rows 2, 3", None,
        "organizations with access in other states: rows 4, 5, 6, 7",
        "searches with immigration-related reasons: rows 2, 3, 4, 5"]


@pytest.mark.parametrize("label, first_line", [
    ("summary", "Agency: Cedar Bend IL PD"),
    ("other organizations with access", "Row 1: Organization with access: Maple Grove IL PD"),
    ("search audit", "Search audit: 8 searches logged, "
                     "2026-09-02T10:00:00.000Z to 2026-09-09T17:00:00.000Z"),
])
def test_section_offsets_start_at_its_first_line(cedar_bend, label, first_line):
    text, sections = render_snapshot(cedar_bend)
    section = next(s for s in sections if s["label"] == label)
    assert text[section["start"]:section["end"]].splitlines()[0] == first_line


def test_last_section_ends_at_the_end_of_the_text(cedar_bend):
    text, sections = render_snapshot(cedar_bend)
    assert sections[-1]["end"] == len(text)


# -- federal access --

def test_each_federal_organization_gives_one_federal_access_finding(cedar_bend):
    found = by_category(cedar_bend, Category.FEDERAL_ACCESS)
    assert [(f.snippet, f.agencies) for f in found] == [
        ("Row 2: Organization with access: [Federal] U.S. Customs and Border Protection",
         ("CBP",)),
        ("Row 3: Organization with access: U.S. Border Patrol", ("USBP",)),
    ]


def test_federal_finding_keeps_the_id_of_its_unnumbered_line(cedar_bend):
    first = by_category(cedar_bend, Category.FEDERAL_ACCESS)[0]
    assert first.key == "Organization with access: [Federal] U.S. Customs and Border Protection"


def test_federal_access_rule_says_why_in_plain_words(cedar_bend):
    tagged = by_category(cedar_bend, Category.FEDERAL_ACCESS)[0]
    assert tagged.rules == (
        "portal lists a [Federal] organization among those granted access to its data",)


def test_federal_body_sharing_in_is_not_a_finding(cedar_bend):
    found = findings_of(cedar_bend)
    assert not any("Homeland Security Investigations" in f.snippet for f in found)


def test_grand_rapids_head_gives_seven_federal_access_findings():
    path = corpus_file("flock_portals/new_layout/grand-rapids-mi-pd_sharing_outbound_head.csv")
    with path.open(encoding="utf-8") as handle:
        names = [row["organization"] for row in csv.DictReader(handle)]
    found = by_category(snapshot_with(*names, state="MI"), Category.FEDERAL_ACCESS)
    assert len(found) == 7
    assert {a for f in found for a in f.agencies} == {"FBI", "USPIS"}


def test_el_cajon_trap_names_give_no_federal_access(el_cajon):
    assert by_category(el_cajon, Category.FEDERAL_ACCESS) == []


# -- out-of-state sharing --

def test_out_of_state_organizations_give_one_finding_quoting_their_rows(cedar_bend):
    (found,) = by_category(cedar_bend, Category.OUT_OF_STATE_SHARING)
    assert found.snippet == (
        "Row 4: Organization with access: Federal Way WA PD\n"
        "Row 5: Organization with access: Germantown OH PD\n"
        "Row 6: Organization with access: Mercer County MO SO [Inactive]\n"
        "Row 7: Organization with access: Tombstone Marshals Office (AZ)")


def test_out_of_state_highlights_are_the_states(cedar_bend):
    text, _ = render_snapshot(cedar_bend)
    (found,) = by_category(cedar_bend, Category.OUT_OF_STATE_SHARING)
    assert [text[a:b] for a, b in found.highlights] == ["WA", "OH", "MO", "AZ"]


def test_out_of_state_summary_line_is_still_in_the_text(cedar_bend):
    text, _ = render_snapshot(cedar_bend)
    assert ("Out-of-state access: 4 of 8 organizations with access are in 4 states other than "
            "IL: AZ 1, MO 1, OH 1, WA 1") in text.splitlines()


def test_el_cajon_gives_one_out_of_state_finding(el_cajon):
    # Not counted: "Los Angeles County CA SD" and "San Diego County CA SD" (sheriff's
    # departments in California) and the multi-state RMIN/RISS network listed with AZ.
    (found,) = by_category(el_cajon, Category.OUT_OF_STATE_SHARING)
    text, sections = render_snapshot(el_cajon)
    label = next(s["label"] for s in sections if s["start"] == found.start)
    assert (len(found.snippet.splitlines()), label.endswith(" and 347 more")) == (MAX_ROWS, True)


def test_in_state_list_gives_no_out_of_state_finding():
    snapshot = snapshot_with("Cicero IL PD", "Marshall IL PD", "Federal Way IL PD")
    assert by_category(snapshot, Category.OUT_OF_STATE_SHARING) == []


def test_unknown_portal_state_gives_no_out_of_state_finding():
    snapshot = snapshot_with("Germantown OH PD", state="")
    assert by_category(snapshot, Category.OUT_OF_STATE_SHARING) == []


# -- immigration searches --

def test_immigration_reasons_give_one_finding_quoting_their_rows(cedar_bend):
    (found,) = by_category(cedar_bend, Category.IMMIGRATION_SEARCH)
    assert found.snippet.splitlines() == [
        "Row 2: Date: 2026-09-02T10:00:00.000Z; Reason: ICE; Networks searched: 1",
        "Row 3: Date: 2026-09-03T11:00:00.000Z; Reason: ICE; Networks searched: 1412",
        "Row 4: Date: 2026-09-04T12:00:00.000Z; Reason: ICE WARRANT; Networks searched: 3",
        "Row 5: Date: 2026-09-05T13:00:00.000Z; Reason: immigration; Networks searched: 1398"]


def test_immigration_highlights_are_the_reasons(cedar_bend):
    text, _ = render_snapshot(cedar_bend)
    (found,) = by_category(cedar_bend, Category.IMMIGRATION_SEARCH)
    assert [text[a:b] for a, b in found.highlights] == ["ICE", "ICE", "ICE WARRANT",
                                                         "immigration"]


def test_immigration_finding_names_the_agencies_in_the_reasons(cedar_bend):
    (found,) = by_category(cedar_bend, Category.IMMIGRATION_SEARCH)
    assert found.agencies == ("ICE",)


def test_network_audit_counts_immigration_searches_per_agency():
    (found,) = by_category(audit("network_audit_13_columns.csv", "TX"),
                           Category.IMMIGRATION_SEARCH)
    assert [line.split("; Organization: ")[1] for line in found.snippet.splitlines()] == [
        "U.S. Border Patrol", "Bexar County TX SO", "Bexar County TX SO"]


def test_network_audit_agencies_include_reason_and_searching_agency():
    (found,) = by_category(audit("network_audit_13_columns.csv", "TX"),
                           Category.IMMIGRATION_SEARCH)
    assert found.agencies == ("ICE", "ERO", "HSI", "USBP")


def test_san_mateo_search_audit_gives_no_findings():
    body = corpus_file("audit_logs/san-mateo-ca-pd_search_audit_a871b2fc.csv").read_bytes()
    assert findings_of(audit("san_mateo.csv", "CA", body)) == []


def test_desert_hot_springs_and_ice_rink_reasons_give_no_findings():
    assert findings_of(audit("search_audit_california_dhs_aod.csv", "CA")) == []


@pytest.mark.parametrize("reason, agencies", [
    ("ICE", ("ICE",)), ("ice", ("ICE",)), ("ICE+ERO", ("ICE", "ERO")),
    ("ICE WARRANT", ("ICE",)), ("ERO assist", ("ERO",)), ("HSI case", ("HSI",)),
    ("FUGOPS", ()), ("Immigration (civil/administrative)", ()), ("deportation order", ()),
    ("criminal alien", ()), ("Homeland Security Investigations lead", ("HSI",)),
])
def test_immigration_reasons_are_recognised(reason, agencies):
    assert immigration_agencies(reason) == agencies


@pytest.mark.parametrize("reason", [
    "Police assist", "stolen car at the ice rink", "ICE RINK theft",
    "In Case of Emergency (ICE) contact", "DHS AOD", "Cherokee burglary", "HERO unit",
    "Investigation", "Juice bar robbery", "Service call",
])
def test_look_alike_reasons_are_not_immigration(reason):
    assert immigration_agencies(reason) is None


# -- diffs --

def test_identical_snapshots_have_no_changes(cedar_bend):
    assert diff_snapshots(cedar_bend, copy.deepcopy(cedar_bend)) == []


def test_added_federal_organization_is_reported():
    before = snapshot_with("Cicero IL PD")
    after = snapshot_with("Cicero IL PD", "U.S. Border Patrol")
    assert diff_snapshots(before, after) == [
        "Cedar Bend IL PD: federal organization added to those with access: U.S. Border Patrol"]


def test_removed_federal_organization_is_reported():
    before, after = snapshot_with("FBI [turned off]"), snapshot_with()
    assert diff_snapshots(before, after) == [
        "Cedar Bend IL PD: federal organization no longer among those with access: "
        "FBI [turned off]"]


def test_federal_organization_with_new_tags_is_reported():
    before = snapshot_with("Homeland Security Investigations [Federal]")
    after = snapshot_with("Homeland Security Investigations [Federal] [Inactive]")
    assert diff_snapshots(before, after) == [
        "Cedar Bend IL PD: federal organization with access now listed as Homeland Security "
        "Investigations [Federal] [Inactive] (was Homeland Security Investigations [Federal])"]


def test_jump_in_out_of_state_access_is_reported():
    before = snapshot_with(*[f"Town {i} IL PD" for i in range(5)])
    after = snapshot_with(*[f"Town {i} OH PD" for i in range(3)], "Gary IN PD")
    assert diff_snapshots(before, after) == [
        "Cedar Bend IL PD: 4 organizations in 2 states without access before (IN, OH) added to "
        "those with access: Town 0 OH PD (OH), Town 1 OH PD (OH), Town 2 OH PD (OH), Gary IN PD "
        "(IN)",
        "Cedar Bend IL PD: organizations with access in other states rose from 0 to 4 (0% to "
        "100% of those with access)"]


def test_more_organisations_of_states_already_there_are_shown_not_reported():
    before = snapshot_with(*[f"Town {i} OH PD" for i in range(100)])
    after = snapshot_with(*[f"Town {i} OH PD" for i in range(103)])
    (change,) = portal_changes(before, after)
    assert (change.category, change.line) == (None, (
        "Cedar Bend IL PD: 3 more organizations in other states added to those with access: "
        "Town 100 OH PD (OH), Town 101 OH PD (OH), Town 102 OH PD (OH)"))


def test_a_new_state_among_those_with_access_is_a_finding_of_its_own():
    before = snapshot_with(*[f"Town {i} OH PD" for i in range(100)])
    after = snapshot_with(*[f"Town {i} OH PD" for i in range(100)], "Dallas TX PD")
    (change,) = portal_changes(before, after)
    assert (change.category, change.key) == (Category.OUT_OF_STATE_SHARING, "")


def test_retention_change_is_reported():
    assert diff_snapshots(snapshot_with(retention=30), snapshot_with(retention=365)) == [
        "Cedar Bend IL PD: data retention lengthened from 30 to 365 days"]


def test_vanished_portal_is_reported():
    assert diff_snapshots(snapshot_with(), None) == [
        "Cedar Bend IL PD: the transparency portal is gone "
        "(https://transparency.flocksafety.com/cedar-bend)"]


# -- JSON --

def test_to_json_gives_the_inspect_fields(cedar_bend):
    data = cedar_bend.to_json()
    assert (data["data_retention_days"], data["camera_count"], data["searches_30d"]) == (
        90, 14, 1204)
    assert data["organizations_with_access"][1] == {
        "name": "U.S. Customs and Border Protection",
        "listed": "[Federal] U.S. Customs and Border Protection", "state": None,
        "tags": ["Federal"], "federal": True, "agencies": ["CBP"]}
    assert data["search_audit"][0]["reason"] == "ICE"


def test_from_json_restores_the_snapshot(cedar_bend):
    assert PortalSnapshot.from_json(cedar_bend.to_json()) == cedar_bend


# -- the Scrapy pipeline --

def item(snapshot: PortalSnapshot | None, **values) -> PortalSnapshotItem:
    return PortalSnapshotItem(source_id="cedar_bend_flock", url="https://example.test/p",
                              body=b"", content_type="text/html", fetched_at=FETCHED,
                              snapshot=snapshot, **values)


def test_pipeline_sets_text_sections_and_findings(cedar_bend):
    result = PortalPipeline().process_item(item(cedar_bend))
    assert (result.text.splitlines()[0], len(result.sections), len(result.findings)) == (
        "Agency: Cedar Bend IL PD", 9, 4)


def test_pipeline_titles_an_untitled_item_after_the_agency(cedar_bend):
    result = PortalPipeline().process_item(item(cedar_bend))
    assert result.title == "Cedar Bend IL PD transparency portal"


def test_pipeline_keeps_an_existing_title(cedar_bend):
    result = PortalPipeline().process_item(item(cedar_bend, title="Audit release 2026-02"))
    assert result.title == "Audit release 2026-02"


def test_pipeline_skips_unchanged_items(cedar_bend):
    result = PortalPipeline().process_item(item(cedar_bend, unchanged=True))
    assert (result.text, result.findings) == ("", [])


def test_pipeline_leaves_plain_documents_alone():
    document = DocumentItem(source_id="x_y", url="https://example.test/a.pdf", body=b"",
                            content_type="application/pdf", fetched_at=FETCHED, text="minutes")
    assert PortalPipeline().process_item(document).text == "minutes"


def _portal_item(orgs: list[str], fetched: datetime):
    from spiders.items import PortalSnapshotItem

    snapshot = PortalSnapshot(agency="Example IL PD", url="https://portal.example/x", state="IL",
                              organizations_with_access=[Organization.from_listing(o)
                                                         for o in orgs])
    return PortalSnapshotItem(source_id="example_police_portal", url=snapshot.url,
                              body=repr(orgs).encode(), content_type="text/html",
                              fetched_at=fetched, snapshot=snapshot)


def test_a_jump_in_out_of_state_access_since_the_stored_snapshot_is_a_finding(tmp_path):
    from pipelines.portal import PortalPipeline
    from pipelines.store import version_record
    from sidedoor.store import SourceRecord, Store

    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite'}")
    source = SourceRecord(id="example_police_portal", name="P", place="Example", state="IL",
                          kind="portal", platform="flock_portal", start_urls=[], schedule="",
                          enabled=True)
    store.sync_sources([source])
    before = _portal_item(["Oak Lawn IL PD", "Joliet IL PD"], datetime(2026, 1, 1, tzinfo=UTC))
    PortalPipeline(store).process_item(before)
    before.sha256, before.archive_path = "a" * 64, "aa/x.html"
    store.save_document(source, before.url, version_record(before), [], before.fetched_at)
    after = _portal_item(["Oak Lawn IL PD", "Joliet IL PD", "Gary IN PD", "Dallas TX PD"],
                         datetime(2026, 2, 1, tzinfo=UTC))
    PortalPipeline(store).process_item(after)
    changes = [f for f in after.findings if "rose from" in f.snippet]
    assert [(f.category.value, f.snippet) for f in changes] == [
        ("out_of_state_sharing",
         "Example IL PD: organizations with access in other states rose from 0 to 2 (0% to 50% "
         "of those with access)")]
    assert "Changes since the snapshot of 2026-01-01:" in after.text
