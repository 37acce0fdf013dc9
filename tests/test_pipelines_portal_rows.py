"""Tests for pipelines/portal_rows.py: numbered rows as a finding's evidence."""

from __future__ import annotations

import pytest

from pipelines.extract.model import Category
from pipelines.portal_rows import MAX_ROWS, Row, RowGroup, mark, numbers, rows_finding

ICE = Row(5, (("Date", "2025-09-05"), ("Reason", "ICE WARRANT"),
              ("Organization", "Cedar Bend TX PD")),
          (mark("Reason", "ICE WARRANT"), ("Organization", 11, 13)))


def test_a_row_is_one_line_of_labelled_cells_after_its_number():
    assert ICE.line == ("Row 5: Date: 2025-09-05; Reason: ICE WARRANT; "
                        "Organization: Cedar Bend TX PD")


def test_row_spans_point_at_the_marked_words_of_its_line():
    assert [ICE.line[a:b] for a, b in ICE.spans()] == ["ICE WARRANT", "TX"]


@pytest.mark.parametrize("value, word, marked", [
    ("[Federal] U.S. Customs", "[federal]", "[Federal]"),
    ("U.S. Border Patrol", "", "U.S. Border Patrol"),
    ("U.S. Border Patrol", "[Federal]", "U.S. Border Patrol"),  # absent: the whole value
])
def test_mark_finds_its_word_in_any_case_else_the_whole_value(value, word, marked):
    _, start, end = mark("Organization", value, word)
    assert value[start:end] == marked


@pytest.mark.parametrize("values, label", [
    ([7], "row 7"),
    ([6, 17, 21], "rows 6, 17, 21"),
    (list(range(1, 15)), "rows 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 2 more"),
])
def test_numbers_name_the_rows(values, label):
    assert numbers(values) == label


def test_an_unnumbered_group_is_labelled_by_its_title_alone():
    assert RowGroup("other searches", (ICE,), numbered=False).label == "other searches"


def text_of(rows: list[Row]) -> str:
    return "\n".join(["Search audit: 1 search logged", *(r.line for r in rows), "Row 99: x: y"])


def test_finding_quotes_its_rows_at_their_offsets_with_their_highlights():
    other = Row(7, (("Date", "2025-09-07"), ("Reason", "immigration")),
                (mark("Reason", "immigration"),))
    text = text_of([ICE, other])
    found = rows_finding(text, [ICE, other], Category.IMMIGRATION_SEARCH, ("ICE",), "rule",
                         0.9, key="k")
    assert (found.snippet, text[found.start:found.end]) == (f"{ICE.line}\n{other.line}",) * 2
    assert [text[a:b] for a, b in found.highlights] == ["ICE WARRANT", "TX", "immigration"]


def test_finding_quotes_at_most_max_rows():
    rows = [Row(n, (("Reason", "ICE"),), (mark("Reason", "ICE"),)) for n in range(2, 40)]
    found = rows_finding(text_of(rows), rows, Category.IMMIGRATION_SEARCH, (), "rule", 0.9,
                         key="k")
    assert (len(found.snippet.splitlines()), len(found.highlights)) == (MAX_ROWS, MAX_ROWS)


def test_rows_not_together_in_the_text_are_an_error_naming_them():
    other = Row(7, (("Reason", "x"),))
    with pytest.raises(ValueError, match=r"^rows 5, 7 are not together in the text"):
        rows_finding(text_of([other, ICE]), [ICE, other], Category.IMMIGRATION_SEARCH, (),
                     "rule", 0.9, key="k")
