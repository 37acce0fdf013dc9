"""A source's schedule in words: ``"30 7 * * 1-5"`` → ``weekdays at 07:30 UTC``.

Schedules are cron expressions or intervals (``every 6 hours``), checked by config/schema.py
and run in UTC by sidedoor/scheduler.py. Shapes this module does not put in words are shown
as they are written, so a reader never sees a wrong description.
"""

from __future__ import annotations

import re

# crontab numbers the week from Sunday (0, and 7 again).
_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
         "Sunday")
_NUMBER = re.compile(r"\d{1,2}")
_INTERVAL = re.compile(r"every (\d+) (minute|hour|day)s")


def describe_schedule(schedule: str) -> str:
    """The schedule in words, or the expression itself in words' stead."""
    interval = _INTERVAL.fullmatch(schedule.strip())
    if interval:
        count, unit = interval.groups()
        return f"every {unit}" if count == "1" else f"every {count} {unit}s"
    fields = schedule.split()
    if len(fields) != 5:
        return schedule
    minute, hour, day_of_month, month, day_of_week = fields
    days = _days(day_of_week)
    times = _times(minute, hour)
    if day_of_month != "*" or month != "*" or days is None or times is None:
        return f"on the cron schedule {schedule} (UTC)"
    if days == "every day" and times.startswith("every hour"):
        return times
    return f"{days} {times}"


def _times(minute: str, hour: str) -> str | None:
    if not _NUMBER.fullmatch(minute):
        return None
    if hour == "*":
        return f"every hour at {int(minute):02d} minutes past (UTC)"
    hours = hour.split(",")
    if not all(_NUMBER.fullmatch(h) for h in hours):
        return None
    clock = [f"{int(h):02d}:{int(minute):02d}" for h in hours]
    listed = clock[0] if len(clock) == 1 else ", ".join(clock[:-1]) + " and " + clock[-1]
    return f"at {listed} UTC"


def _days(field: str) -> str | None:
    if field == "*":
        return "every day"
    if field in ("1-5", "mon-fri"):
        return "weekdays"
    if field in ("0,6", "6,0", "sat,sun", "6,7"):
        return "weekends"
    numbers = field.split(",")
    if all(_NUMBER.fullmatch(n) and int(n) <= 7 for n in numbers):
        names = [_DAYS[int(n)] + "s" for n in numbers]
        return "on " + (names[0] if len(names) == 1
                        else ", ".join(names[:-1]) + " and " + names[-1])
    return None
