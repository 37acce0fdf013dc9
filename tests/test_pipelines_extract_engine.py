"""Whole documents: offsets point at the evidence, ids are stable, the prefilter is exact."""

from __future__ import annotations

import re

from pipelines.extract import Category, extract, finding_id
from pipelines.extract.engine import trigger_hits
from pipelines.extract.lexicon import get_lexicon

MINUTES = """VILLAGE OF MAPLE GROVE
MINUTES OF THE REGULAR MEETING

1. PUBLIC COMMENT
Ms. J. Ortiz asked whether the village's cameras share data with U.S. Immigration and
Customs Enforcement. Mr. D. Young asked about the ice rink schedule.

2. POLICE REPORT
The Chief stated that the department does not share plate data with any federal agency.
He noted that the Secretary of State found that a U.S. Customs and Border Protection account
had been able to query the village's cameras through a Flock pilot. Officer Smith completed
training at the FBI National Academy.

3. CONSENT AGENDA
c. Resolution No. 2025-14 approving a Memorandum of Understanding with the Drug Enforcement
Administration, including access to the department's records management system.
"""


def test_findings_of_a_document_in_order():
    found = [(f.category, f.agencies) for f in extract(MINUTES)]
    assert found == [
        (Category.FEDERAL_ACCESS, ("CBP",)),
        (Category.SHARING_AGREEMENT, ("DEA",)),
    ]


def test_offsets_give_the_evidence_sentence():
    finding = extract(MINUTES)[0]
    assert MINUTES[finding.start : finding.end] == finding.snippet
    assert finding.snippet.startswith("He noted that") and finding.snippet.endswith("Flock pilot.")


def test_highlights_point_at_the_words_that_fired():
    finding = extract(MINUTES)[0]
    words = [MINUTES[a:b] for a, b in finding.highlights]
    assert "able to query" in words and any("Border" in w for w in words)


def test_rules_explain_in_words():
    assert extract(MINUTES)[0].rules == (
        "federal agency (CBP) + access wording ('able to query'), "
        "no negation, hedge or remediation",
    )


def test_ids_are_stable_across_runs():
    first = [finding_id("maple_grove_board", f.snippet, f.category) for f in extract(MINUTES)]
    again = [finding_id("maple_grove_board", f.snippet, f.category) for f in extract(MINUTES)]
    assert first == again


def test_ids_survive_changes_of_white_space_and_line_breaks():
    rewrapped = re.sub(r"[ \t]+", "  ", MINUTES).replace("the village's cameras\nthrough",
                                                         "the village's cameras through")
    original = {finding_id("s", f.snippet, f.category) for f in extract(MINUTES)}
    changed = {finding_id("s", f.snippet, f.category) for f in extract(rewrapped)}
    assert original == changed


def test_each_unit_is_read_once_however_many_triggers():
    text = "ICE, ERO, HSI and CBP all had access to the city's camera data."
    assert len(extract(text)) == 1


def test_trigger_words_in_capitals_only_match_in_capitals():
    text = "the ice rink and ICE agents"
    assert [start for start, _, _ in trigger_hits(text, get_lexicon())] == [text.index("ICE")]


def test_text_without_trigger_words_has_no_findings():
    assert extract("The board shared the budget with residents and approved the contract.") == []


def test_non_ascii_text_keeps_offsets():
    text = "Café owners spoke — “İstanbul” trip. The city’s cameras were shared with ICE agents."
    finding = extract(text)[0]
    assert text[finding.start : finding.end] == finding.snippet
    assert finding.snippet.startswith("The city’s cameras")


def test_audit_rows_are_one_finding_each():
    rows = "\n".join(
        f'id: {i}; searchDate: 2025-01-0{i}T00:00:00Z; networkCount: 9; reason: {reason}'
        for i, reason in enumerate(["Investigation", "ICE WARRANT", "Stolen", "HSI case"], 1)
    )
    found = [(f.category, f.agencies) for f in extract(rows)]
    imm = Category.IMMIGRATION_SEARCH
    assert found == [(imm, ("ICE",)), (imm, ("HSI",))]


def test_a_state_named_alone_in_each_sentence_gives_nothing():
    text = "Springfield, Illinois 62701. The Illinois State Police searched the city's cameras."
    assert extract(text) == []


def test_two_states_in_one_sentence_are_read():
    text = "Springfield, Illinois. The Illinois department let a Texas sheriff search its cameras."
    assert [f.category for f in extract(text)] == [Category.OUT_OF_STATE_SHARING]


def test_empty_text_has_no_findings():
    assert extract("") == [] and extract(" \n\n ") == []


def test_patterns_are_compiled_once():
    assert get_lexicon() is get_lexicon()


def test_vendors_and_systems_named_in_the_evidence():
    finding = extract("Flock Safety gave CBP access to the village's National Lookup cameras.")[0]
    assert (finding.vendors, finding.systems) == (("Flock",), ("National Lookup",))
