"""pipelines/extract/document.py and the document-aware rules, on small constructed examples
of each family of real documents (the real members are in test_pipelines_extract_records.py)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipelines.extract import extract
from pipelines.extract.document import owner_of, read_layout
from pipelines.extract.lexicon import get_lexicon
from pipelines.extract.model import Category
from sidedoor.cli import main

LEX = get_lexicon()


def categories(text: str, **kwargs: str) -> list[str]:
    return [str(f.category) for f in extract(text, **kwargs)]


# --- Direction of flow: data shared with the reader or the owner is coming in --------------

INBOUND_EMAIL = """Subject: Cedar Bend TX PD shared cameras with you!
New Cameras Shared
Good news! Cedar Bend TX PD has just shared their cameras with Lakeview IL
PD, granting you and your organization the ability to search footage from their
cameras.
"""


def test_cameras_shared_with_the_owner_are_data_coming_in():
    assert categories(INBOUND_EMAIL) == []


def test_the_owner_of_a_share_notification_is_read_from_it():
    assert owner_of(INBOUND_EMAIL, LEX).state == "IL"


def test_data_shared_by_the_owner_with_another_state_is_a_finding():
    text = "Lakeview IL PD has shared its cameras with Cedar Bend TX PD since March."
    assert categories(text, home_state="IL") == ["out_of_state_sharing"]


def test_sharing_with_you_is_coming_in_whoever_shares():
    text = "The U.S. Border Patrol shared its hot list data with you and your agency."
    assert categories(text) == []


def test_the_owner_given_by_the_caller_marks_data_coming_in():
    text = "Maple County NV SO shared their cameras with Lakeview Police, granting access."
    assert categories(text, owner="Lakeview Police", home_state="IL") == []


# --- Product capability rows, records-request asks, boilerplate ----------------------------

def test_an_order_form_row_describing_a_product_is_not_a_finding():
    text = ("Statewide Network Plus (Search Only) Enables agencies to search plates on all "
            "cameras opted in to the national network.\t1\t$0.00")
    assert categories(text) == []


@pytest.mark.parametrize("ask", [
    "3. All emails showing that the department shared license plate data with ICE.",
    "Any records showing that Border Patrol searched the city's cameras.",
    "Records documenting how the department shared plate data with agencies nationwide.",
])
def test_an_item_of_a_records_request_is_not_a_finding(ask):
    assert categories(ask) == []


def test_a_sentence_about_a_request_item_still_reads_its_facts():
    text = "Records show that Border Patrol searched the city's cameras 40 times."
    assert categories(text) == ["federal_access"]


@pytest.mark.parametrize("clause", [
    "Records shall be open to inspection and audit by auditors representing the federal "
    "government under this agreement.",
    "The City shall share the data with Vendor Holdings, a Nevada limited liability company.",
    "Access shall follow the Federal Bureau of Investigation Criminal Justice Information "
    "Services policy when agencies share data.",
])
def test_contract_and_grant_boilerplate_is_not_a_finding(clause):
    assert categories(clause, home_state="CA") == []


# --- Negated agreements, label prefixes, ability and receipt verbs --------------------------

def test_access_outside_of_any_agreement_is_access_not_an_agreement():
    text = ("The vendor made the county's plate data available to ICE outside of any "
            "explicit sharing agreement.")
    assert categories(text) == ["federal_access"]


def test_a_label_before_a_while_clause_keeps_the_admission_after_it():
    text = ("Statement: While the company has no contract with DHS, it ran limited pilots "
            "with CBP and HSI on the county's cameras.")
    found = extract(text)
    assert [(f.category, f.agencies) for f in found] == [
        (Category.FEDERAL_ACCESS, ("CBP", "HSI"))
    ]


def test_could_see_in_a_report_of_the_past_is_access():
    text = "For months, Border Patrol agents could see the village's camera data, records show."
    assert categories(text) == ["federal_access"]


def test_could_see_under_a_condition_is_not_a_finding():
    text = "Border Patrol agents could see the village's camera data if the board agreed."
    assert categories(text) == []


def test_received_copies_is_receipt():
    text = "ICE received copies of the county's license plate reads in 2024."
    assert categories(text) == ["federal_access"]


def test_the_federal_agency_takes_the_agency_named_before():
    text = ("The report named Homeland Security Investigations. Officials said the federal "
            "agency had accessed the city's cameras for a year.")
    assert [f.agencies for f in extract(text)] == [("HSI",)]


# --- Printouts: furniture, wrapped lists, inbound lists, request tables ----------------------

PRINTOUT = """Number of LPR and other cameras
12
Organizations granted access to Lakeview
IL PD data
Aurora IL PD, Batavia IL PD, Cicero IL PD, Dixon
IL PD, Elgin IL PD, Lakeview IL PD
Transparency Portal
Last Updated: Mon Mar 02 2026

Geneva IL PD, U.S. Border
Patrol, Harvard IL PD, Joliet IL PD, Kenosha
WI PD, Lisle IL PD
Organizations sharing their data with Lakeview IL PD
[Federal] Naval Station Great Lakes IL, Racine WI PD, Moline IL PD
"""


def test_a_wrapped_list_across_a_page_footer_is_read_whole():
    found = {(str(f.category), f.agencies) for f in extract(PRINTOUT)}
    assert found == {("federal_access", ("USBP",)), ("out_of_state_sharing", ())}


def test_page_furniture_is_blanked_without_moving_offsets():
    reading = read_layout(PRINTOUT, LEX).reading
    assert (len(reading), "Last Updated" in reading) == (len(PRINTOUT), False)


def test_a_list_heading_wrapped_over_two_lines_names_the_owner():
    assert read_layout(PRINTOUT, LEX).owner.state == "IL"


def test_organisations_sharing_their_data_with_the_owner_are_fenced_off():
    text = PRINTOUT.split("Organizations sharing")[0].replace("U.S. Border\nPatrol", "Elburn IL PD")
    inbound = "Organizations sharing" + PRINTOUT.split("Organizations sharing")[1]
    assert categories(text.replace("Kenosha\nWI PD", "Kenosha IL PD") + inbound) == []


SHARE_REQUESTS = """Subject: Action Requested: Pending Camera Share Requests
There are several share requests pending your acceptance.
The following organizations have requested access to your network and await your approval.
Organization Request
Date
Permissions
Springfield IL PD 10-01-2025 Search, Hot List
Harris County (TX) DA
Office
10-02-2025 Search, Hot List, VMS
Historical, VMS Download
Rockford IL PD 09-30-2025 Search

Review Requests
"""


def test_a_table_of_pending_share_requests_reads_each_requester():
    found = extract(SHARE_REQUESTS, home_state="IL")
    assert [(str(f.category), "Harris County (TX) DA" in f.snippet) for f in found] == [
        ("out_of_state_sharing", True)
    ]


def test_a_federal_requester_in_a_share_request_table_is_federal_access():
    text = SHARE_REQUESTS.replace("Rockford IL PD", "US Postal Inspection Service")
    assert "federal_access" in categories(text, home_state="IL")


def test_an_in_state_share_request_table_is_not_a_finding():
    text = SHARE_REQUESTS.replace("Harris County (TX) DA", "Peoria County (IL) SO")
    assert categories(text, home_state="IL") == []


ARTICLE = """Lakeview police shared plate data with Border Patrol, records show.

The department has not commented.

12 Comments
Pat Q.
Everyone knows they also shared the cameras with ICE agents for years.
Reply
Sam R. 2 days ago
Not true.
"""


def test_readers_comments_under_an_article_are_not_read():
    found = extract(ARTICLE)
    assert [f.agencies for f in found] == [("USBP",)]


def test_navigation_glued_to_a_headline_is_blanked():
    text = "Add Axios as your preferred source on Google ICE tapped into Lakeview's cameras"
    assert "preferred" not in read_layout(text, LEX).reading


# --- The extract command's options --------------------------------------------------------

def test_extract_reads_the_home_state_from_the_command_line(tmp_path):
    path = tmp_path / "memo.txt"
    path.write_text("The police department shared its camera data with Cedar Bend TX PD.\n")
    result = CliRunner().invoke(main, ["extract", "--json", "--state", "IL", str(path)])
    assert '"out_of_state_sharing"' in result.output


def test_extract_refuses_a_state_that_is_not_a_code(tmp_path):
    path = tmp_path / "memo.txt"
    path.write_text("Nothing here.\n")
    result = CliRunner().invoke(main, ["extract", "--state", "Illinois", str(path)])
    assert (result.exit_code, "two-letter" in result.output) == (2, True)


@pytest.mark.parametrize("text", [
    "The department shared our license plate data with US Border Patrol agents.",
    "The sheriff shared the county's plate data with our federal partners at ICE.",
])
def test_sharing_the_owners_data_out_is_not_mistaken_for_data_coming_in(text):
    assert categories(text) == ["federal_access"]


@pytest.mark.parametrize("text", [
    "Harris County (TX) DA Office has requested access to Lakeview CA PD's camera footage.",
    "NM - Bloomfield PD has requested access to Lakeview CA PD's camera footage.",
    "Mesa County SO-AZ has requested access to Lakeview CA PD's camera footage.",
])
def test_agency_names_written_with_their_state_in_any_form_are_out_of_state(text):
    assert categories(text) == ["out_of_state_sharing"]


@pytest.mark.parametrize("ask", [
    "Please provide all records of ICE access to the department's ALPR data.",
    "I am requesting copies of any agreements that allow Border Patrol to search the city's "
    "plate reader data.",
])
def test_a_request_for_records_in_a_sentence_is_not_a_finding(ask):
    assert categories(ask) == []


def test_a_product_description_column_starting_with_its_verb_is_not_a_finding():
    text = ("Nationwide Network (LP Lookup Only)\t1\t$0.00\n"
            "Allows agencies to look up license plates on all cameras opted in to the "
            "nationwide network.")
    assert categories(text) == []


def test_a_product_named_in_more_words_before_its_capability_is_not_a_finding():
    text = ("The vendor's Nationwide Search feature lets law enforcement agencies across the "
            "country query plates.")
    assert categories(text) == []


def test_another_agency_accepting_your_request_is_data_coming_in():
    text = "Great news! Salt Lake City UT PD has accepted your request to share cameras."
    assert categories(text, home_state="CA") == []


def test_a_logged_reason_told_in_prose_makes_an_immigration_search():
    text = ("Deputies ran 30 plate reader searches last spring; the reason listed for each "
            "search was HSI or ICE.")
    assert categories(text) == ["immigration_search"]


def test_access_for_federal_purposes_to_a_named_places_data_is_federal_access():
    text = ("The council followed reports that data from Lakeview and Dixon had been accessed "
            "by outside agencies for federal purposes.")
    assert categories(text) == ["federal_access"]


def test_a_party_that_is_the_subject_of_a_denial_is_not_a_finding():
    text = ("The council approved a deal with the county for road repairs, and ICE was not "
            "part of it.")
    assert categories(text) == []


def test_not_the_only_agency_is_not_a_denial():
    text = "ICE was not the only agency that accessed the county's cameras."
    assert categories(text) == ["federal_access"]


def test_a_jail_space_contract_with_ice_is_custody_not_data():
    assert categories("ICE has a contract with the county jail to house detainees.") == []


BROWSER_PRINT = """Organizations granted access to Lakeview IL PD data
Aurora IL PD, Batavia IL PD, Cicero IL PD, Bloom
4/26/26, 3:15 PM Lakeview IL PD - Transparency Portal
https://transparency.example.com/lakeview-il-pd 2/5
field NM PD, Elgin IL PD, U.S. Border
Patrol, Geneva IL PD
Hotlists Alerted On
NCMEC Amber Alert
"""


def test_a_browser_print_header_and_footer_inside_a_list_do_not_end_it():
    found = {(str(f.category), f.agencies) for f in extract(BROWSER_PRINT)}
    assert found == {("out_of_state_sharing", ()), ("federal_access", ("USBP",))}


def test_a_search_whose_purpose_is_to_track_migrants_is_an_immigration_search():
    text = ("The office denied helping federal agents, but records reveal deputies scoured "
            "the county's cameras to locate undocumented residents in May.")
    assert categories(text) == ["immigration_search"]


def test_migrants_named_without_a_search_are_not_a_finding():
    assert categories("Migrant workers spoke at the council meeting about bus routes.") == []
