"""Which passages are findings, and of which category: one test per family of phrasing."""

from __future__ import annotations

import pytest

from pipelines.extract import Category, extract

FED, OOS = Category.FEDERAL_ACCESS, Category.OUT_OF_STATE_SHARING
IMM, AGR = Category.IMMIGRATION_SEARCH, Category.SHARING_AGREEMENT


def category(text: str, home: str | None = None) -> Category | None:
    findings = extract(text, home_state=home)
    assert len(findings) <= 1, findings
    return findings[0].category if findings else None


@pytest.mark.parametrize(
    "text",
    [
        "Deputies gave Homeland Security Investigations agents logins to the plate reader system.",
        "FBI analysts had been querying the county's ALPR database for months.",
        "The department provided Border Patrol with a list of plate reads.",
        "A detective sent camera images to an ICE officer a dozen times.",
        "The village's cameras were made available to the DEA through a vendor pilot.",
        "Officers ran plates for an HSI special agent as a favor.",
        "Immigration officers were given user accounts on the county jail database.",
        "Despite the state ban, the county kept sharing booking records with ICE.",
    ],
)
def test_federal_party_with_access_or_sharing_is_federal_access(text):
    assert category(text) == FED


@pytest.mark.parametrize(
    "text",
    [
        "More than 900 police departments outside Virginia can see the county's camera data.",
        "Agencies in 38 other states searched the department's camera data.",
        "Data from the city's cameras was searched by out-of-state police last year.",
        "Records show that agencies in Texas, Georgia and Florida searched the city's cameras.",
    ],
)
def test_other_states_with_access_is_out_of_state_sharing(text):
    assert category(text) == OOS


@pytest.mark.parametrize(
    "text",
    [
        "The county entered into a memorandum of understanding with ICE for booking data.",
        "The sheriff signed a 287(g) agreement last year.",
        "In 2024 the city enabled National Lookup.",
        "The department accepted sharing requests from 40 agencies in Georgia and Florida.",
        "ICE signed a contract with Thomson Reuters for its CLEAR database.",
    ],
)
def test_instrument_or_opt_in_is_sharing_agreement(text):
    assert category(text) == AGR


@pytest.mark.parametrize(
    "text",
    [
        "The audit found 31 plate searches that listed 'immigration hold' as the reason.",
        'Search audit entry: searchDate 2025-06-09, networkCount 6, reason "USBP - illegal alien".',
        "id: 9f2; searchDate: 2025-03-01T01:02:03Z; networkCount: 350; reason: ICE ERO case 44",
        "Officers ran dozens of plate queries for immigration-related reasons.",
    ],
)
def test_immigration_reason_for_searches_is_immigration_search(text):
    assert category(text) == IMM


@pytest.mark.parametrize(
    "text",
    [
        "The chief said the department has never shared license plate data with ICE.",
        "No out-of-state agencies are able to search our cameras.",
        "Flock said it has no contract with Customs and Border Protection.",
        "The department does not share, sell or provide plate data to ICE or CBP.",
        "Our audit found zero searches by federal agencies of the city's cameras.",
        "A request from Border Patrol for access to the cameras was denied.",
        "The sheriff declined a request from ICE to access its plate reader data.",
        "There is no evidence that any federal agency accessed the data.",
    ],
)
def test_denials_are_not_findings(text):
    assert category(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Prohibited Uses: Immigration enforcement, traffic enforcement, personal use.",
        "ALPR data shall not be shared with any out-of-state agency.",
        "The TRUST Act prohibits police from sharing information with ICE for civil enforcement.",
        "Illinois' law allows sharing ALPR data only with Illinois agencies, not those in Iowa.",
        "A bill that would bar sharing plate data with out-of-state agencies passed the Senate.",
        "Flock's policies prohibit its cameras from being used for immigration enforcement.",
        "(National Lookup - network of agencies that opted to allow their cameras to be searched)",
    ],
)
def test_policy_law_and_definitions_are_not_findings(text):
    assert category(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Advocates worry that federal agents could gain access to the cameras.",
        "It is unclear whether any out-of-state agency searched the town's cameras.",
        "Could ICE access the city's license plate data?",
        "The proposed agreement would give HSI access to the cameras if approved.",
        "We received your request for all records of ALPR data sharing with federal agencies.",
        "The audit did not evaluate whether any plate searches were for immigration purposes.",
    ],
)
def test_hedges_questions_and_requests_are_not_findings(text):
    assert category(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "The chief explained that the vendor's National Lookup network lets participating "
        "agencies search one another's plate reads.",
        "Chief Okafor's report said the vendor's National Lookup network lets participating "
        "agencies search one another's plate reads.",
        "The National Lookup network allows agencies nationwide to search each other's cameras.",
        "Flock's platform enables law enforcement agencies in other states to query shared plate "
        "data.",
        "The vendor's system gives agencies across the country the ability to search one "
        "another's plate reads.",
        "The feature is designed to let out-of-state agencies search participating cameras.",
        "The software can be used to share license plate data with federal agencies.",
        "Its sharing feature permits agencies in other states to view participating agencies' "
        "camera data.",
    ],
)
def test_what_a_system_lets_agencies_do_in_general_is_not_a_finding(text):
    assert category(text, home="IL") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The network lets agencies nationwide search the village's plate reads.", OOS),
        ("Flock's National Lookup feature allows agencies across the country to search "
         "Evanston's cameras.", OOS),
        ("The vendor's portal lets CBP agents query the county's plate reader data.", FED),
        ("The county's system lets ICE agents search plate reads.", FED),
        ("The sheriff let ICE agents search the county's plate reads.", FED),
        ("A vendor setting allowed agencies in Texas and Georgia to search the city's cameras.",
         OOS),
        ("The department allows agencies in other states to search its plate reads.", OOS),
        ("The county agreed to allow ERO officers to query its jail booking records.", AGR),
        ("The Board approved the opt-in to the vendor's National Lookup network, which makes the "
         "village's plate reads searchable by agencies nationwide.", AGR),
    ],
)
def test_a_capability_naming_one_agency_s_data_or_an_act_is_a_finding(text, expected):
    assert category(text, home="IL") == expected


@pytest.mark.parametrize(
    "text",
    [
        "The department revoked access for every agency outside Illinois.",
        "Flock said all federal pilots have been paused.",
        "The city turned off National Lookup last week.",
        "The company ended its partnership with the federal agency.",
    ],
)
def test_remediation_alone_is_not_a_finding(text):
    assert category(text) is None


def test_remediation_that_states_who_got_the_data_is_a_finding():
    text = "Deactivated 19 cameras after Flock confirmed it had shared Evanston data with CBP."
    assert category(text) == FED


def test_a_denial_in_one_clause_leaves_the_admission_in_another():
    text = (
        "While Flock does not have a contract with any DHS agency, it ran limited pilots with "
        "CBP and HSI."
    )
    findings = extract(text)
    assert [(f.category, f.agencies) for f in findings] == [(FED, ("CBP", "HSI"))]


def test_negation_after_the_act_does_not_cover_it():
    text = "The cameras were available to CBP through a vendor pilot the city never authorized."
    assert category(text) == FED


@pytest.mark.parametrize(
    "text",
    [
        "The DEA shared information about the suspect with the department.",
        "Hotlist sources: NCIC, NCMEC Amber Alert, and DHS watch lists.",
        "The department receives alerts from a hot list provided by CBP.",
        "FBI agents searched the suspect's phone records.",
        "Officers searched the FBI's NCIC database for the stolen car.",
    ],
)
def test_data_coming_in_or_not_local_is_not_a_finding(text):
    assert category(text) is None


def test_precedence_puts_immigration_reasons_first():
    text = "Of 9,112 searches, 47 listed 'ICE' as the reason; 31 were run by agencies in Texas."
    assert category(text) == IMM


def test_precedence_puts_agreements_before_access():
    text = "Under the MOU, the department provides ICE with read-only access to booking records."
    assert category(text) == AGR


def test_a_vendor_contract_is_not_a_sharing_agreement():
    text = "The city's contract with Flock gave CBP access to its cameras."
    assert category(text) == FED


def test_home_state_of_the_source_counts_a_single_other_state():
    text = "The Board approved a data sharing agreement with the Indiana State Police."
    assert category(text) is None
    assert category(text, home="IL") == AGR


def test_a_continuation_sentence_is_read_with_the_one_before():
    text = (
        "A detective accidentally accepted over 200 data-sharing requests from various agencies. "
        "Among them was Immigration and Customs Enforcement."
    )
    findings = extract(text)
    assert [(f.category, f.agencies, f.start) for f in findings] == [(AGR, ("ICE",), 0)]


def test_unrelated_sentences_are_not_joined():
    text = "The board approved the contract. Residents spoke about ICE."
    assert extract(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The state police will share the data with federal partners if they obtain a warrant.",
        "Reports that the city shared data with ICE are false, the mayor said.",
        "The department no longer shares data with ICE.",
    ],
)
def test_conditions_refutations_and_past_practice_are_not_findings(text):
    assert category(text) is None


def test_a_relative_clause_keeps_its_fact_from_the_remediation_around_it():
    text = "The county, which had shared data with ICE since 2017, ended the practice in 2024."
    assert category(text) == FED


def test_an_aside_between_dashes_stays_linked():
    text = "About 1,100 agencies — most outside Illinois — had access to the village's cameras."
    assert category(text) == OOS


def test_not_until_is_not_a_denial():
    text = "The department's camera data was not shared with ICE until 2023."
    assert category(text) == FED


@pytest.mark.parametrize(
    "row",
    [
        'Search audit entry: searchDate 2025-04-01, networkCount 2, reason "FBI bank robbery".',
        'Search audit entry: searchDate 2025-04-01, networkCount 2, reason "assist US Marshals".',
        'Search audit entry: searchDate 2025-04-01, networkCount 2, reason "ICE cream van theft".',
        'Search audit entry: searchDate 2025-04-01, networkCount 9, reason "DHS AOD".',
    ],
)
def test_a_federal_agency_in_a_search_reason_is_the_agency_s_own_search(row):
    assert category(row) is None


def test_a_searching_organisation_of_another_state_in_an_audit_row():
    row = ('Inbound search log entry: 2025-05-09; searching organization "Cedar Bend TX PD"; '
           'network searched: this agency (Illinois); reason "stolen vehicle".')
    assert category(row) == OOS


def test_rows_of_a_csv_audit_log_are_audit_rows_by_their_header():
    text = (
        '"id","userId","searchDate","networkCount","reason"\n'
        '"a1","***","2025-04-01T00:00:00Z","4100","ICE HSI"\n'
        '"a2","***","2025-04-01T00:00:00Z","4","FBI bank robbery"\n'
    )
    assert [(f.category, f.agencies) for f in extract(text)] == [(IMM, ("ICE", "HSI"))]
