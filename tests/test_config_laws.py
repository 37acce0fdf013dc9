"""config/laws.yaml: cited state laws, matched to a fact; errors name the file and entry."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from config.laws import LAWS_PATH, Law, laws_for, load_laws
from config.schema import ConfigError

SHIPPED = load_laws(LAWS_PATH)


def ids(laws: list[Law]) -> list[str]:
    return [law.id for law in laws]


def match(state: str, *, federal: bool = False, out_of_state: bool = False,
          immigration: bool = False, alpr: bool = True) -> list[Law]:
    return laws_for(state, federal=federal, out_of_state=out_of_state,
                    immigration=immigration, alpr=alpr, laws=SHIPPED)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "laws.yaml"
    path.write_text(text, encoding="utf-8")
    return path


LAW = """\
laws:
  xx_code_1:
    state: XX
    title: Test law
    citation: Code 1
    url: https://example.org/code/1
    effective: 2024-01-01
    data: alpr
    clauses:
      - section: (a)
        words: Data shall not be shared.
        checked: [https://example.org/code/1]
        recipients: [federal]
"""


def test_the_shipped_file_is_valid_and_every_clause_is_cited() -> None:
    assert ids(list(SHIPPED))[:3] == ["il_625_ilcs_5_2_130", "il_5_ilcs_805_15",
                                      "ca_civ_1798_90_55"]
    assert all(clause.checked and clause.words for law in SHIPPED for clause in law.clauses)


def test_illinois_data_reaching_an_immigration_agency_may_conflict_with_both_laws() -> None:
    found = match("IL", federal=True, immigration=True)
    assert ids(found) == ["il_625_ilcs_5_2_130", "il_5_ilcs_805_15"]
    assert [c.section for c in found[0].clauses] == ["(b)"]
    assert "immigration status" in found[0].words


def test_illinois_data_reaching_another_state_may_conflict_with_the_declaration_rule() -> None:
    found = match("il", out_of_state=True)
    assert ids(found) == ["il_625_ilcs_5_2_130"]
    assert [c.section for c in found[0].clauses] == ["(c)"]
    assert "written declaration" in found[0].words


def test_another_state_seeking_illinois_data_for_immigration_matches_both_clauses() -> None:
    found = match("IL", out_of_state=True, immigration=True)
    assert [c.section for c in found[0].clauses] == ["(b)", "(c)"]


def test_illinois_data_for_a_federal_agency_outside_immigration_matches_no_law() -> None:
    assert match("IL", federal=True) == []


def test_california_data_leaving_california_may_conflict_whatever_the_purpose() -> None:
    assert ids(match("CA", federal=True)) == ["ca_civ_1798_90_55"]
    assert ids(match("CA", out_of_state=True)) == ["ca_civ_1798_90_55"]
    assert SHIPPED[2].definition is not None
    assert SHIPPED[2].definition.words.startswith('"Public agency" means the state')


def test_washington_and_oregon_laws_need_an_immigration_purpose() -> None:
    assert ids(match("WA", federal=True, immigration=True)) == ["wa_rcw_43_17_425"]
    assert match("WA", federal=True) == []
    assert ids(match("OR", out_of_state=True, immigration=True)) == ["or_ors_181a_826"]
    assert match("OR", out_of_state=True) == []


def test_a_fact_that_stays_home_or_in_a_state_without_a_law_matches_nothing() -> None:
    assert match("IL") == []
    assert match("TX", federal=True, out_of_state=True, immigration=True) == []
    assert match("", federal=True, immigration=True) == []


def test_alpr_laws_leave_out_other_data() -> None:
    assert ids(match("IL", federal=True, immigration=True, alpr=False)) == ["il_5_ilcs_805_15"]
    assert match("CA", federal=True, alpr=False) == []


def test_the_default_reads_the_shipped_file() -> None:
    assert ids(laws_for("CA", federal=True, out_of_state=False, immigration=False)) == [
        "ca_civ_1798_90_55"]


def test_a_narrowed_law_keeps_the_shipped_one_whole() -> None:
    match("IL", out_of_state=True)
    assert len(SHIPPED[0].clauses) == 2


def test_a_small_valid_file_is_read_with_its_words(tmp_path: Path) -> None:
    law = load_laws(write(tmp_path, LAW))[0]
    assert (law.id, law.state, law.words, str(law.url)) == (
        "xx_code_1", "XX", "Data shall not be shared.", "https://example.org/code/1")


@pytest.mark.parametrize(("change", "expected"), [
    (("recipients: [federal]", "recipients: [feds]"),
     "laws.xx_code_1.clauses[0].recipients[0]: Input should be 'federal' or 'out_of_state', "
     "got 'feds'"),
    (("state: XX", "state: Illinois"),
     "laws.xx_code_1.state: got 'Illinois'; expected two capital letters, like IL"),
    (("    data: alpr\n", ""), "laws.xx_code_1.data: missing; every law needs it"),
    (("title: Test law", "title: Test law\n    note: x"), "laws.xx_code_1.note: unknown key"),
    (("checked: [https://example.org/code/1]", "checked: []"),
     "laws.xx_code_1.clauses[0].checked: empty; give at least one"),
    (("words: Data shall not be shared.", "words: '\"Data shall not be shared.\"'"),
     "laws.xx_code_1.clauses[0].words: give the words without surrounding quotation marks"),
    (("url: https://example.org/code/1", "url: ilga.gov"), "laws.xx_code_1.url: "),
    (("  xx_code_1:", "  Code 1:"), "laws.Code 1: not a law id"),
    (("  xx_code_1:", "  il_code_1:"), "laws.il_code_1: the id should start with xx_"),
])
def test_a_bad_entry_is_one_line_naming_the_file_and_the_key(
        tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    path = write(tmp_path, LAW.replace(*change))
    with pytest.raises(ConfigError) as error:
        load_laws(path)
    lines = str(error.value).splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{path.resolve()}: {expected}")


def test_every_problem_is_reported_together(tmp_path: Path) -> None:
    path = write(tmp_path, LAW.replace("state: XX", "state: x").replace("data: alpr",
                                                                         "data: plates"))
    with pytest.raises(ConfigError) as error:
        load_laws(path)
    assert [line.split(": ")[1] for line in str(error.value).splitlines()] == [
        "laws.xx_code_1.state", "laws.xx_code_1.data"]


@pytest.mark.parametrize(("text", "expected"), [
    ("laws: [a, b]\n", "expected a top-level 'laws:' mapping of law id → entry"),
    ("other: {}\n", "expected a top-level 'laws:' mapping of law id → entry"),
    ("laws:\n  xx_code_1: [oops]\n", "laws.xx_code_1: expected a mapping"),
    ("laws: {a: [}\n", "not valid YAML: while parsing"),
])
def test_a_malformed_file_is_one_line(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_laws(path)
    assert str(error.value).startswith(f"{path.resolve()}: {expected}")
    assert "\n" not in str(error.value)


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"absent\.yaml: cannot read the laws file: No such"):
        load_laws(tmp_path / "absent.yaml")


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    path = write(tmp_path, LAW)
    assert load_laws(path)[0].title == "Test law"
    path.write_text(LAW.replace("Test law", "Edited law"), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a new mtime, whatever the clock's resolution
    assert load_laws(path)[0].title == "Edited law"
