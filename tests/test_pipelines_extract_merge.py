"""One finding per fact: neighbouring sentences of a category merge, repeats of an item go."""

from __future__ import annotations

import pytest

from pipelines.extract import Category, extract
from pipelines.extract.lexicon import get_lexicon
from pipelines.extract.merge import item_labels, related_agencies

FED, OOS = Category.FEDERAL_ACCESS, Category.OUT_OF_STATE_SHARING
IMM, AGR = Category.IMMIGRATION_SEARCH, Category.SHARING_AGREEMENT

AGREEMENT = (
    "The Board adopted Resolution 25-R-41, approving an intergovernmental agreement with U.S. "
    "Border\nPatrol for license plate reader data access. Under the agreement, Border Patrol "
    "agents assigned to the station will query the Sheriff's Office plate reader records."
)
AUDIT = (
    "Summary of Findings\n"
    "• Finding 2025-14-01: Searches with prohibited reasons.\n"
    "• Finding 2025-14-02: Access granted to agencies outside Illinois without approval.\n"
    "• Finding 2025-14-03: The policy was not published.\n"
    "Background\n"
    "The department operates 16 cameras and keeps plate reads for 30 days.\n"
    "Finding 2025-14-02: Access granted to agencies outside Illinois\n"
    "As of June 30, 2025, the department's plate data was searchable by 9 agencies in other "
    "states, including agencies in Texas, Georgia and Indiana.\n"
    "Recommendation 2: The department should document every approval.\n"
)


def spans(text: str, home: str | None = None) -> list[tuple[Category, str]]:
    return [(f.category, f.snippet) for f in extract(text, home_state=home)]


def test_the_next_sentence_about_the_same_instrument_merges_into_one_finding():
    [finding] = extract(AGREEMENT)
    assert (finding.category, finding.agencies) == (AGR, ("USBP",))
    assert finding.start == 0 and finding.end == len(AGREEMENT)


def test_a_merged_finding_keeps_the_evidence_of_both_sentences():
    [finding] = extract(AGREEMENT)
    second = AGREEMENT.index("Under the agreement")
    starts = [a for a, _ in finding.highlights]
    assert finding.snippet == AGREEMENT
    assert min(starts) < second < max(starts)


def test_rules_of_a_merged_finding_are_not_repeated():
    rules = extract(AGREEMENT)[0].rules
    assert len(rules) == len(set(rules))


def test_a_heading_that_is_a_finding_merges_with_its_body():
    found = [f for f in extract(AUDIT) if f.category == OOS]
    assert [f.snippet.split("\n")[0] for f in found] == [
        "Finding 2025-14-02: Access granted to agencies outside Illinois"
    ]
    assert found[0].snippet.endswith("Texas, Georgia and Indiana.")


def test_a_summary_bullet_repeating_a_numbered_finding_is_dropped():
    found = extract(AUDIT)
    assert not any(f.snippet.startswith("•") for f in found)
    assert any("also reported elsewhere" in rule for f in found for rule in f.rules)


@pytest.mark.parametrize(
    "text",
    [
        "The county shared plate data with CBP in 2023. It also gave CBP agents logins to the "
        "jail system.",
        "The county shared plate data with CBP in 2023. The board then recessed. CBP agents "
        "were also given logins to the jail system.",
        "The county shared plate data with CBP in 2023.\nCBP agents were also given logins to "
        "the jail system.",
        "The MOU gives DHS Enforcement and Removal Operations access to booking data. Under the "
        "MOU, ICE officers will query the county's jail records.",
    ],
)
def test_neighbouring_sentences_of_one_category_and_related_agencies_merge(text):
    assert len(extract(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "The county shared plate data with CBP in 2023.\n\nCBP agents were also given logins to "
        "the jail system.",
        "The county shared plate data with CBP in 2023. The board recessed. Staff left the "
        "room. CBP agents were also given logins to the jail system.",
        "The county shared plate data with CBP in 2023.\nItem 5. Police Report\nCBP agents were "
        "also given logins to the jail system.",
        "Summary:\n• The county shared plate data with CBP in 2023.\n• CBP agents were given "
        "logins to the jail system.",
        "The county shared plate data with CBP in 2023. The sheriff gave FBI agents logins to "
        "the jail system.",
        "The county signed an MOU with ICE. ICE agents searched the county's cameras.",
    ],
)
def test_paragraphs_sections_list_items_other_agencies_and_categories_stay_apart(text):
    assert len(extract(text)) == 2


def test_audit_rows_are_records_and_never_merge():
    rows = (
        "id: 1; searchDate: 2025-01-01T00:00:00Z; networkCount: 9; reason: ICE WARRANT\n"
        "id: 2; searchDate: 2025-01-02T00:00:00Z; networkCount: 9; reason: ICE+ERO\n"
    )
    assert [f.category for f in extract(rows)] == [IMM, IMM]


def test_search_rows_citing_the_same_file_number_are_two_searches():
    rows = (
        "id: 1; searchDate: 2025-01-01T00:00:00Z; networkCount: 9; reason: ICE File 2025-7\n"
        "id: 2; searchDate: 2025-01-02T00:00:00Z; networkCount: 9; reason: ICE File 2025-7\n"
    )
    assert len(extract(rows)) == 2


def test_portal_rows_one_agency_per_line_never_merge():
    rows = (
        "Reno NV PD | External organizations with access: Carson City NV SO, U.S. Border Patrol\n"
        "Sparks NV PD | External organizations with access: Washoe County NV SO, U.S. Border "
        "Patrol\n"
    )
    found = extract(rows)
    assert [rows.count("\n", 0, f.start) for f in found] == [0, 1]
    assert all("\n" not in f.snippet for f in found)


def test_a_portal_list_is_not_merged_with_the_prose_after_it():
    page = (
        "Oak IL PD | Organizations with access: U.S. Border Patrol, Peoria IL PD\n"
        "The department shared plate data with Border Patrol in 2024."
    )
    assert [f.category for f in extract(page)] == [FED, FED]


def test_a_repeat_naming_another_agency_is_kept():
    text = (
        "Summary: Resolution 2025-31 approved an agreement with CBP for plate data.\n\n"
        "Roads were discussed.\n\nThe Board adopted Resolution 2025-31, approving an agreement "
        "with the FBI for access to the county's plate reader data."
    )
    assert [f.agencies for f in extract(text)] == [("CBP",), ("FBI",)]


def test_a_repeat_of_an_item_without_new_agencies_is_dropped_for_the_longer_finding():
    text = (
        "Summary: Resolution 2025-31 approved an agreement with CBP for plate data.\n\n"
        "Roads were discussed.\n\nThe Board adopted Resolution No. 2025-31, approving an "
        "agreement with U.S. Customs and Border Protection for access to the county's plate "
        "reader data."
    )
    [finding] = extract(text)
    assert finding.snippet.startswith("The Board adopted")


@pytest.mark.parametrize(
    ("snippet", "labels"),
    [
        ("Finding 2025-14-02: Access granted", ["finding 2025-14-02"]),
        ("The Board adopted RESOLUTION No. 25-R-41.", ["resolution 25-r-41"]),
        ("Agenda Item 5 and Ordinance 2025 were tabled.", []),
    ],
)
def test_numbered_items_need_a_number_with_a_separator(snippet, labels):
    assert item_labels(snippet, get_lexicon()) == labels


@pytest.mark.parametrize(
    ("first", "second", "related"),
    [
        (("ICE",), ("ERO",), True),
        (("DHS",), ("USBP",), True),
        ((), ("FBI",), True),
        (("ICE",), ("CBP",), False),
        (("ICE",), ("FBI",), False),
    ],
)
def test_agencies_are_related_through_their_parents(first, second, related):
    assert related_agencies(first, second, get_lexicon()) is related
