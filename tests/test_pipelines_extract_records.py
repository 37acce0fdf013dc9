"""The findings engine on real records-request releases (../shared/corpus/records): the
structure of each family of document, read from the real files, never copied in.

Without the corpus these tests skip, except in CI (``CI=true``), where its absence fails.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

from pipelines.extract import Finding, extract
from pipelines.extract.document import read_layout
from pipelines.extract.lexicon import get_lexicon
from pipelines.extract.portal import portal_list_at
from pipelines.text import extract_text

RECORDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "records"
REQUEST = "W012297-030826"


@pytest.fixture(scope="module")
def records() -> Path:
    if not RECORDS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{RECORDS} is absent: CI must mount ../shared/corpus")
        pytest.skip(f"{RECORDS} is absent")
    return RECORDS


@cache
def text_of(records: Path, name: str) -> str:
    path = records / name
    return extract_text(path.read_bytes(), "", str(path)).text


def findings_of(records: Path, name: str) -> list[Finding]:
    return extract(text_of(records, name))


@pytest.mark.parametrize("email", [
    "_Nephi_UT_PD_shared_Flock_cameras_with_you_.pdf",
    "_Richland_County_SC_SO_shared_Flock_cameras_with_you_.pdf",
    "NM_-_Bloomfield_PD_shared_Flock_cameras_with_you_.pdf",
])
def test_a_share_notification_from_another_state_is_data_coming_in(records, email):
    assert findings_of(records, f"{REQUEST}/{email}") == []


def test_a_share_notification_names_the_owner_and_its_state(records):
    text = text_of(records, f"{REQUEST}/NM_-_Bloomfield_PD_shared_Flock_cameras_with_you_.pdf")
    assert read_layout(text, get_lexicon()).owner.state == "CA"


def test_an_access_request_from_another_state_is_out_of_state_sharing(records):
    found = findings_of(records, f"{REQUEST}/_Camera_Access_Request_from_Robeson_County_NC_SO.pdf")
    assert {str(f.category) for f in found} == {"out_of_state_sharing"}


def test_an_access_request_from_a_federal_agency_is_federal_access(records):
    name = f"{REQUEST}/Camera_Access_Request_from_US_Postal_Inspection_Service.pdf"
    assert {f.agencies for f in findings_of(records, name)} == {("USPIS",)}


def test_an_in_state_pending_share_request_digest_is_not_a_finding(records):
    name = f"{REQUEST}/_Action_Requested__Pending_Flock_Camera_Share_Requests.pdf"
    text = text_of(records, name)
    tables = read_layout(text, get_lexicon()).requests
    assert ([len(t.items) >= 5 for t in tables], extract(text)) == ([True], [])


def test_a_pending_share_request_from_another_state_is_read_from_its_row(records):
    name = f"{REQUEST}/_Action_Requested__Pending_Flock_Camera_Share_Requests.pdf"
    text = text_of(records, name)
    layout = read_layout(text, get_lexicon())
    first = layout.requests[0].items[0]
    name_on_row = text[first[0] : first[1]]
    changed = text.replace(name_on_row, "Harris County (TX) DA Office", 1)
    assert [str(f.category) for f in extract(changed)] == ["out_of_state_sharing"]


def test_the_order_form_and_grant_clauses_of_a_contract_are_not_findings(records):
    assert findings_of(records, "W012159-021226/Flock_Amendment_No_1_-_ORT.pdf") == []


def test_a_cjis_policy_in_an_in_state_mou_is_not_a_finding(records):
    assert findings_of(records, "W012376-032026/GetFileAttachment__1_.pdf") == []


def test_grant_auditors_in_a_council_packet_are_not_a_finding(records):
    assert findings_of(records, "council-474_2020-06-01/packet.txt") == []


def test_records_request_items_give_no_finding_but_a_flagged_request_does(records):
    found = findings_of(records, f"{REQUEST}/{REQUEST}_Message_History.pdf")
    assert sorted(str(f.category) for f in found) == ["federal_access", "federal_access"]


def test_a_portal_list_wrapped_over_lines_and_pages_is_read_whole(records):
    text = text_of(records, "transparency-anoka-county-mn-so/2026-04-26.pdf")
    lex = get_lexicon()
    reading = read_layout(text, lex).reading
    plist = portal_list_at(reading, reading.find("Organizations granted access"), lex)
    assert plist is not None
    last_line = text[: text.rfind(",", plist.start, plist.end)].rsplit("\n", 1)[0]
    items = [" ".join(reading[a:b].split()) for a, b in plist.items]
    # every wrapped name joined, up to the list's last printed line, owner read from the heading
    assert ("Ada County ID SO" in items, plist.end > len(last_line), plist.owner_state) == (
        True, True, "MN")


def test_a_portal_list_naming_other_states_is_out_of_state_sharing(records):
    found = findings_of(records, "transparency-anoka-county-mn-so/2026-04-26.pdf")
    assert [str(f.category) for f in found] == ["out_of_state_sharing"]


def test_a_portal_list_of_organisations_sharing_with_the_owner_is_data_coming_in(records):
    assert findings_of(records, "transparency-mendocino-county-soca/2026-04-29.pdf") == []
