"""Units around a position: sentences that survive abbreviations, rows, fields of long rows."""

from __future__ import annotations

import pytest

from pipelines.extract.lexicon import get_lexicon
from pipelines.extract.segment import previous_unit, unit_at

LEX = get_lexicon()


def unit(text: str, word: str) -> str:
    start, end = unit_at(text, text.index(word), LEX)
    return text[start:end]


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("It began. The U.S. Border Patrol had access. Then it ended.", "Border",
         "The U.S. Border Patrol had access."),
        ("Staff asked the Dept. of Public Works. The FBI replied.", "Dept",
         "Staff asked the Dept. of Public Works."),
        ("IL Sec. of State confirmed it. Done.", "confirmed", "IL Sec. of State confirmed it."),
        ("Signed by J. Smith for the city. Next.", "Smith", "Signed by J. Smith for the city."),
        ("1. Call to order.\n2. ICE report by the Chief.", "ICE", "2. ICE report by the Chief."),
        ("agencies ... directly shared data. Next one.", "shared",
         "agencies ... directly shared data."),
        ("He said \"we shared it.\" Then he left.", "shared", "He said \"we shared it.\""),
        ("The data went to the U.S.\nBorder Patrol in May. Next.", "Border",
         "The data went to the U.S.\nBorder Patrol in May."),
        ("Heading\n\nA sentence with ICE in it", "ICE", "A sentence with ICE in it"),
    ],
)
def test_sentence_around_a_word(text, word, expected):
    assert unit(text, word) == expected


def test_a_row_is_one_unit_even_with_full_stops():
    text = "intro.\nTruckee CA PD | Orgs: A. B CA PD. C CA SO\nnext"
    assert unit(text, "Orgs") == "Truckee CA PD | Orgs: A. B CA PD. C CA SO"


def test_a_long_csv_row_is_cut_at_its_fields():
    row = "Agency Name: X PD; Prohibited Uses: Immigration enforcement, traffic; " + (
        "Hotlists: " + "A, " * 600 + "B"
    )
    assert unit(row, "Immigration") == "Prohibited Uses: Immigration enforcement, traffic"


def test_previous_unit_stays_in_the_paragraph():
    text = "First one.\n\nSecond one. Third one."
    third = text.index("Third")
    second = previous_unit(text, third, LEX)
    assert second is not None and text[second[0] : second[1]] == "Second one."
    assert previous_unit(text, text.index("Second"), LEX) is None


def test_the_first_field_of_a_long_row_starts_at_the_line():
    row = "Agency Name: X PD; Hotlists: " + "A, " * 600 + "B"
    assert unit(row, "Agency") == "Agency Name: X PD"
