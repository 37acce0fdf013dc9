"""Crontab schedules read by APScheduler's own trigger, so what validates also schedules."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apscheduler.triggers.cron import CronTrigger

WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def crontab_weekdays(field: str) -> str:
    """A crontab day-of-week field (0 or 7 = Sunday) in APScheduler's terms (names).

    APScheduler numbers weekdays from Monday = 0, so "1-5" would silently mean Tuesday to
    Saturday; names mean the same to both. Raises ValueError for a number past 7.
    """
    if field in ("0-6", "0-7", "1-7"):
        return "*"

    def name(match: re.Match[str]) -> str:
        number = int(match.group(0))
        if number > 7:
            raise ValueError(f"day of week {number} is not 0-7")
        return WEEKDAYS[number]

    return re.sub(r"\d+", name, field)


def cron_trigger(schedule: str, jitter: int = 0) -> CronTrigger:
    """The APScheduler trigger of a five-field crontab ``schedule``, in UTC; ValueError if
    APScheduler cannot read it."""
    from apscheduler.triggers.cron import CronTrigger  # only when a cron schedule is read

    minute, hour, day, month, day_of_week = schedule.split()
    return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                       day_of_week=crontab_weekdays(day_of_week), jitter=jitter, timezone="UTC")
