"""Tests for spiders/flock_portal.py and the organisation reading of spiders/portal_snapshot.py."""

from __future__ import annotations

import asyncio
import csv
import json
import os
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from config.schema import SourceConfig
from spiders.base import LayoutChanged
from spiders.flock_portal import FlockPortalSpider, parse_portal, split_org_list
from spiders.items import PortalSnapshotItem
from spiders.middlewares.layout import parse_as_scrapy_would
from spiders.portal_snapshot import Organization, PortalSnapshot
from tests.conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "flock_portal"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
EL_CAJON = "flock_portals/old_layout/el-cajon-pd-ca_2026-04-29"
EL_CAJON_URL = "https://transparency.flocksafety.com/-el-cajon-pd-ca"
CEDAR_BEND_URL = "https://transparency.flocksafety.com/cedar-bend-il-pd"


def corpus_file(relative: str) -> Path:
    path = CORPUS / relative
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is absent: CI must mount the shared corpus")
        pytest.skip(f"{path} is absent (the shared corpus is not mounted)")
    return path


@pytest.fixture(scope="module")
def el_cajon() -> PortalSnapshot:
    html = corpus_file(f"{EL_CAJON}.html").read_text(encoding="utf-8")
    return parse_portal(html, EL_CAJON_URL)


@pytest.fixture(scope="module")
def cedar_bend() -> PortalSnapshot:
    html = (FIXTURES / "new_layout_cedar_bend_il.html").read_text(encoding="utf-8")
    return parse_portal(html, CEDAR_BEND_URL)


@pytest.fixture(scope="module")
def lakeview() -> PortalSnapshot:
    html = (FIXTURES / "heading_layout_lakeview_shores_tx.html").read_text(encoding="utf-8")
    return parse_portal(html, "https://transparency.flocksafety.com/lakeview-shores-tx-pd")


def spider() -> FlockPortalSpider:
    source = SourceConfig(
        id="cedar_bend_flock", name="Cedar Bend IL PD", place="Cedar Bend", kind="portal",
        platform="flock_portal", start_urls=[CEDAR_BEND_URL],
    )
    return FlockPortalSpider(source=source)


def response(body: bytes, status: int = 200, meta: dict | None = None) -> HtmlResponse:
    request = Request(CEDAR_BEND_URL, meta=meta or {})
    return HtmlResponse(CEDAR_BEND_URL, status=status, body=body, encoding="utf-8",
                        request=request)


# -- the corpus El Cajon page (heading layout) --

def test_el_cajon_lists_683_organizations_with_access(el_cajon):
    assert len(el_cajon.organizations_with_access) == 683


def test_el_cajon_organizations_match_the_expected_names(el_cajon):
    expected = json.loads(corpus_file(f"{EL_CAJON}.json").read_text())["sharing_outbound"]
    assert [o.listed for o in el_cajon.organizations_with_access] == expected


def test_el_cajon_keeps_a_name_with_a_comma_whole(el_cajon):
    names = [o.name for o in el_cajon.organizations_with_access]
    assert "University of California, Berkeley" in names and "Berkeley" not in names


def test_el_cajon_collapses_double_spaces(el_cajon):
    assert "Burlingame CA PD" in [o.listed for o in el_cajon.organizations_with_access]


@pytest.mark.parametrize("field, value", [
    ("data_retention_days", 30), ("camera_count", 102), ("searches_30d", 614),
    ("plate_reads_30d", 774611), ("hotlist_hits_30d", 12657),
])
def test_el_cajon_reads_the_usage_numbers(el_cajon, field, value):
    assert getattr(el_cajon, field) == value


def test_el_cajon_names_the_agency_as_its_overview_does(el_cajon):
    assert (el_cajon.agency, el_cajon.state) == ("El Cajon PD ( CA)", "CA")


def test_el_cajon_reads_last_updated_from_the_timestamp(el_cajon):
    assert el_cajon.last_updated == "2026-04-28T10:11:51.720Z"


def test_el_cajon_reads_hotlists_and_detected(el_cajon):
    assert (el_cajon.hotlists, el_cajon.detected) == (
        ["California SVS", "NCMEC Amber Alert"], "License Plates, Vehicles")


def test_el_cajon_keeps_prohibited_uses_among_policies(el_cajon):
    assert "Prohibited Uses: Immigration enforcement" in el_cajon.policies


def test_el_cajon_has_no_embedded_search_audit(el_cajon):
    assert el_cajon.search_audit == []


def test_el_cajon_lists_no_federal_organization(el_cajon):
    assert [o.listed for o in el_cajon.organizations_with_access if o.federal] == []


@pytest.mark.parametrize("listed, tags", [
    ("Arizona Department of Public Safety [Inactive]", ["Inactive"]),
    ("Rocky Mountain Information Network (RMIN/RISS) AZ [DEACTIVATED]", ["DEACTIVATED"]),
])
def test_el_cajon_reads_tags(el_cajon, listed, tags):
    by_listing = {o.listed: o for o in el_cajon.organizations_with_access}
    assert by_listing[listed].tags == tags


# -- the 2026 data-tp layout --

@pytest.mark.parametrize("field, value", [
    ("data_retention_days", 90), ("camera_count", 14), ("searches_30d", 1204),
    ("plate_reads_30d", 48210), ("hotlist_hits_30d", 377), ("layout", "data-tp"),
    ("agency", "Cedar Bend IL PD"), ("state", "IL"), ("last_updated", "2026-09-10T08:00:00.000Z"),
])
def test_new_layout_reads_each_entry(cedar_bend, field, value):
    assert getattr(cedar_bend, field) == value


def test_new_layout_reads_hotlist_sources(cedar_bend):
    assert cedar_bend.hotlists == ["NCMEC Amber Alert", "IL LEADS"]


def test_new_layout_takes_names_from_full_value_not_truncated_text(cedar_bend):
    assert "Germantown OH PD" in [o.name for o in cedar_bend.organizations_with_access]


def test_new_layout_reads_every_access_cell(cedar_bend):
    assert len(cedar_bend.organizations_with_access) == 8


def test_new_layout_reads_organizations_sharing_in(cedar_bend):
    assert [o.listed for o in cedar_bend.organizations_sharing_in] == [
        "Maple Grove IL PD", "Homeland Security Investigations [Federal]"]


def test_new_layout_decodes_the_embedded_search_audit(cedar_bend):
    assert [r.reason for r in cedar_bend.search_audit[:4]] == [
        "ICE", "ICE", "ICE WARRANT", "immigration"]


def test_new_layout_keeps_policies(cedar_bend):
    assert cedar_bend.policies.splitlines() == [
        "Prohibited Uses: Immigration enforcement, traffic enforcement, personal use.",
        "Access Policy: All system access requires a valid reason.",
    ]


def test_corpus_structure_excerpt_is_read_as_the_new_layout():
    path = corpus_file(
        "flock_portals/new_layout/grand-rapids-mi-pd_page_html_structure_excerpt.html")
    snapshot = parse_portal(path.read_text(encoding="utf-8"), "https://example.test/gr")
    assert (snapshot.layout, snapshot.data_retention_days, snapshot.hotlists) == (
        "data-tp", 30, ["NCMEC Amber Alert", "Wisconsin DOJ", "MI LEIN"])


# -- a heading-layout page written for these tests --

def test_heading_layout_decodes_a_base64_audit_with_offense_types(lakeview):
    assert lakeview.search_audit[1].reason == (
        "Immigration (civil/administrative), Wanted Person (Arrest Warrant/Fugitive)")


def test_heading_layout_collapses_spaces_in_the_agency(lakeview):
    assert lakeview.agency == "Lakeview Shores TX PD"


def test_split_keeps_university_of_texas_austin_whole():
    assert split_org_list(" Harbor City TX PD, University of Texas, Austin, Cal Fire") == [
        "Harbor City TX PD", "University of Texas, Austin", "Cal Fire"]


def test_unrelated_page_raises_layout_changed_naming_the_url():
    html = "<html><body><h1>Agendas</h1><p>Next meeting</p><div>March 3</div></body></html>"
    with pytest.raises(LayoutChanged, match=r"https://example\.test/agendas: .*data retention"):
        parse_portal(html, "https://example.test/agendas")


def test_layout_changed_recommends_a_command_that_exists():
    html = "<html><body><h1>Agendas</h1><p>Next meeting</p><div>March 3</div></body></html>"
    with pytest.raises(LayoutChanged) as raised:
        parse_portal(html, "https://example.test/agendas")
    assert "`sidedoor inspect page.html`" in str(raised.value)
    assert "--save" not in str(raised.value)


# -- organisations --

@pytest.mark.parametrize("listed, state", [
    ("Germantown OH PD", "OH"), ("El Cajon PD ( CA)", "CA"), ("Arlington PD (WA)", "WA"),
    ("Dublin CA PD (ACSO)", "CA"), ("Missouri State Highway Patrol", "MO"),
    ("Nevada County CA SO", "CA"), ("(Dead/Old) Plymouth IN PD", "IN"),
    ("Washington Township PD", None), ("Cal Fire", "CA"),
])
def test_organization_state_comes_from_the_name(listed, state):
    assert Organization.from_listing(listed).state == state


@pytest.mark.parametrize("listed", [
    "U.S. Border Patrol", "Homeland Security Investigations", "FBI [turned off]",
    "ATF Nashville TN", "USMS (Inactive)", "[Federal] Wright Patterson OH Air Force Base",
    "Tennessee Valley Authority Police", "Fort Eustis VA US Army",
])
def test_federal_bodies_are_federal_with_or_without_a_tag(listed):
    assert Organization.from_listing(listed).federal is True


@pytest.mark.parametrize("listed", [
    "Federal Way WA PD", "Federal Heights CO PD", "Tombstone Marshals Office (AZ)",
    "Cherokee County GA DA", "Rocky Mountain Information Network (RMIN/RISS) AZ [DEACTIVATED]",
    "MS Office of Homeland Security", "Alabama Drug Enforcement Task Force Region G",
    "Quapaw Nation OK Marshals Service", "Peachtree Corners GA Marshal's Office",
    "Dearborn MI PD", "Georgia Department of Veterans Affairs", "Indiana HIDTA",
])
def test_look_alikes_are_not_federal(listed):
    assert Organization.from_listing(listed).federal is False


def test_tags_are_read_and_removed_from_the_name():
    org = Organization.from_listing("Homeland Security Investigations [Federal] [Inactive]")
    assert (org.name, org.tags, org.agencies) == (
        "Homeland Security Investigations", ["Federal", "Inactive"], ["HSI"])


def test_grand_rapids_head_lists_seven_federal_organizations():
    path = corpus_file("flock_portals/new_layout/grand-rapids-mi-pd_sharing_outbound_head.csv")
    with path.open(encoding="utf-8") as handle:
        orgs = [Organization.from_listing(r["organization"]) for r in csv.DictReader(handle)]
    assert len([o for o in orgs if o.federal]) == 7


# -- the spider --

def test_spider_yields_a_snapshot_item_for_a_portal_page():
    body = (FIXTURES / "new_layout_cedar_bend_il.html").read_bytes()
    (item,) = list(spider().parse(response(body)))
    assert isinstance(item, PortalSnapshotItem) and item.snapshot.camera_count == 14


def test_spider_titles_the_item_after_the_agency():
    body = (FIXTURES / "new_layout_cedar_bend_il.html").read_bytes()
    (item,) = list(spider().parse(response(body)))
    assert item.title == "Cedar Bend IL PD transparency portal"


def test_page_carrying_cloudflare_scripts_is_not_taken_for_a_challenge():
    script = b'<script src="/cdn-cgi/challenge-platform/scripts/jsd/main.js"></script></body>'
    body = (FIXTURES / "new_layout_cedar_bend_il.html").read_bytes().replace(b"</body>", script)
    (item,) = list(spider().parse(response(body)))
    assert isinstance(item, PortalSnapshotItem)


def test_bot_challenge_403_is_retried_through_playwright():
    challenge = b"<html><head><title>Just a moment...</title></head><body></body></html>"
    (retry,) = list(spider().parse(response(challenge, status=403)))
    assert (retry.url, retry.meta["playwright"], retry.dont_filter) == (CEDAR_BEND_URL, True, True)


def test_playwright_retry_still_accepts_a_403():
    challenge = b"<html><head><title>Just a moment...</title></head><body></body></html>"
    (retry,) = list(spider().parse(response(challenge, status=403)))
    assert 403 in retry.meta["handle_httpstatus_list"]


def test_challenge_page_with_status_200_is_retried_too():
    challenge = b"<html><head><title>Just a moment...</title></head><body></body></html>"
    (retry,) = list(spider().parse(response(challenge)))
    assert retry.meta["playwright"] is True


def test_challenge_seen_through_playwright_is_recorded_not_retried():
    crawler = spider()
    challenge = b"<html><head><title>Just a moment...</title></head><body></body></html>"
    results = list(crawler.parse(response(challenge, 403, meta={"playwright": True})))
    assert (results, len(crawler.error_messages)) == ([], 1)


def test_vanished_portal_is_recorded_as_gone():
    crawler = spider()
    list(crawler.parse(response(b"<html><body>Not found</body></html>", status=404)))
    assert crawler.error_messages == [
        f"{CEDAR_BEND_URL}: the portal is gone (HTTP 404): the agency may have removed it or "
        "changed its slug; check the URL in config/sources.yaml"]


def test_redesigned_portal_is_recorded_with_the_layout_problem():
    crawler = spider()
    parse_as_scrapy_would(crawler.parse, response(b"<html><body><h1>New portal</h1></body></html>"),
                          crawler)
    assert crawler.error_messages[0].startswith(
        f"{CEDAR_BEND_URL}: not a Flock transparency portal in a known layout")


def test_start_requests_let_403_and_404_reach_the_callback():
    async def first() -> Request:
        return await anext(spider().start())

    request = asyncio.run(first())
    assert request.meta["handle_httpstatus_list"] == [403, 404]


def test_new_layout_entry_of_an_unknown_type_is_read_by_its_label():
    html = (FIXTURES / "new_layout_cedar_bend_il.html").read_text(encoding="utf-8")
    html = html.replace('"numberOfOwnedCameras"', '"numberOfActiveCameras"').replace(
        '"numberOfOwnedLprCameras"', '"numberOfActiveLprCameras"')
    assert parse_portal(html, CEDAR_BEND_URL).camera_count == 14


@pytest.mark.parametrize("retention, days", [
    ("30 Days (per CA law)", 30), ("1 year", 365), ("6 months", 180),
    ("In 2024 deputies found a stolen car with the help of the cameras", None),
])
def test_retention_is_read_from_short_values_only(retention, days):
    html = (f'<html><body><div id="overview"><p>Galt CA PD uses Flock Safety</p></div><div>'
            f'<p>Data retention (in days)</p><div>{retention}</div></div><div><p>Number of LPR '
            f'cameras</p><div>4</div></div></body></html>')
    assert parse_portal(html, "https://transparency.flocksafety.com/galt-ca-pd"
                        ).data_retention_days == days


def test_control_characters_in_a_pages_attributes_do_not_stop_the_parser():
    saved = ROOT / "tests" / "fixtures" / "flock_portal" / "new_layout_cedar_bend_il.html"
    page = saved.read_text(encoding="utf-8")
    url = "https://transparency.flocksafety.com/town-il-pd"
    # an unquoted attribute value running into text with a control character in it
    broken = page.replace('data-tp-entry-type="',
                          'data-note=over the last 3\x10 days data-tp-entry-type="', 1)
    assert broken != page
    assert parse_portal(broken, url) == parse_portal(page, url)
