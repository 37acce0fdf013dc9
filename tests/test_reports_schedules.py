"""A source's schedule in words for the sources page."""

from __future__ import annotations

import pytest

from reports.schedules import describe_schedule


@pytest.mark.parametrize("schedule,words", [
    ("30 7 * * 1-5", "weekdays at 07:30 UTC"),
    ("0 5 * * *", "every day at 05:00 UTC"),
    ("0 6,18 * * *", "every day at 06:00 and 18:00 UTC"),
    ("15 * * * *", "every hour at 15 minutes past (UTC)"),
    ("0 9 * * 1", "on Mondays at 09:00 UTC"),
    ("0 9 * * 0,3", "on Sundays and Wednesdays at 09:00 UTC"),
    ("every 6 hours", "every 6 hours"),
    ("every 1 days", "every day"),
])
def test_common_schedules_read_as_words(schedule: str, words: str) -> None:
    assert describe_schedule(schedule) == words


def test_a_shape_it_does_not_describe_is_shown_as_written() -> None:
    assert describe_schedule("0 6 1 * *") == "on the cron schedule 0 6 1 * * (UTC)"
