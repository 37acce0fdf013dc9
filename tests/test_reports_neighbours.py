"""The sentences around a quoted passage."""

from __future__ import annotations

from reports.neighbours import neighbours


def test_keeps_one_whole_sentence_either_side() -> None:
    before = "Roll call. The chief reported on the pilot. "
    after = " The Sheriff limited it to 90 days. The board adjourned."
    assert neighbours(before, after, 400) == ("The chief reported on the pilot.",
                                              "The Sheriff limited it to 90 days.")


def test_does_not_cross_a_page_or_a_paragraph() -> None:
    assert neighbours("End of page one.\f", "\n\nNew paragraph here.", 400) == ("", "")


def test_a_passage_cut_mid_sentence_has_no_neighbour_on_that_side() -> None:
    assert neighbours("The board voted to", "and then adjourned. Next.", 400) == ("", "")


def test_a_sentence_that_may_begin_before_what_was_read_is_left_out() -> None:
    assert neighbours("x" * 30 + " ends here. ", " Fine.", 42) == ("", "Fine.")
