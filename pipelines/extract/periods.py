"""When a fact happened, from its evidence and its document: a date or a period as ISO
prefixes ("2025-02", "2025-10-14", "2008"), as pipelines/extract/facts.py keeps it."""

from __future__ import annotations

import re

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH = r"(?P<{0}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|" \
         r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?:\s+(?P<{0}>\d{{1,2}})(?:st|nd|rd|th)?,?)?"
_YEAR = r"(?:,?\s+(?P<{0}>(?:19|20)\d\d))"
_RANGE = re.compile(
    r"\b(?:from|between|during|period:?|period of)\s+(?:the\s+\w+\s+)?"
    + _MONTH.format("m1") + _DAY.format("d1") + _YEAR.format("y1")
    + r"?\s*(?:through|thru|to|until|and|[-–—])\s*"
    + _MONTH.format("m2") + _DAY.format("d2") + _YEAR.format("y2"), re.IGNORECASE)
_BARE_RANGE = re.compile(_MONTH.format("m1") + _DAY.format("d1") + _YEAR.format("y1")
                         + r"\s*(?:[-–—]|through|to)\s*" + _MONTH.format("m2")
                         + _DAY.format("d2") + _YEAR.format("y2"), re.IGNORECASE)
_SINCE = re.compile(r"\bsince\s+(?:" + _MONTH.format("m") + r"\s+)?(?P<y>(?:19|20)\d\d)\b",
                    re.IGNORECASE)
_ON = re.compile(r"\b(?:as of|on|in|during)\s+" + _MONTH.format("m") + _DAY.format("d")
                 + _YEAR.format("y") + "?", re.IGNORECASE)


def _month(name: str) -> int:
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(name.lower()[:3]))


def _iso(year: str | int, month: str, day: str | None) -> str:
    iso = f"{int(year):04d}-{_month(month):02d}"
    return f"{iso}-{int(day):02d}" if day else iso


_PERIOD_WORDS = re.compile(r"\b(?:audit|review|reporting|report)\s+period\b", re.IGNORECASE)


def period_of(evidence: str, published: str | None,
              document: str = "") -> tuple[str | None, str | None]:
    """The event's date or period as ISO prefixes, from the evidence, else the document's
    date: "from January through April 2025" → ("2025-01", "2025-04"); "since 2008" →
    ("2008", None); "As of June 30, 2025" → ("2025-06-30", "2025-06-30"); "in September" in
    minutes dated 2025-10-06 → ("2025-09", "2025-09"). Evidence "during the audit period"
    takes the period the ``document`` states ("Audit period: January 1, 2025 through ...")."""
    if _PERIOD_WORDS.search(evidence) and not _RANGE.search(evidence):
        stated = next((m for m in _RANGE.finditer(document)
                       if _PERIOD_WORDS.search(document, max(m.start() - 40, 0), m.end())),
                      None)
        if stated is not None:
            return _range(stated)
    match = _RANGE.search(evidence) or _BARE_RANGE.search(evidence)
    if match:
        return _range(match)
    match = _SINCE.search(evidence)
    if match:
        return (_iso(match["y"], match["m"], None) if match["m"] else match["y"]), None
    days = sorted(_iso_days(evidence))
    if days:  # rows of a search log: the first and the last search
        return days[0], days[-1]
    match = _ON.search(evidence)
    if match and (match["y"] or published):
        year = match["y"] or _year_before(published or "", _month(match["m"]))
        day = _iso(year, match["m"], match["d"])
        return day, day
    return (published, published) if published else (None, None)


_ISO_DAY = re.compile(r"\b((?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))"
                      r"(?:\b|(?=T\d))")  # a day, or the day of a timestamp
_US_DAY = re.compile(r"\b(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/((?:19|20)\d\d)\b")


def _iso_days(evidence: str) -> list[str]:
    """Dates written as numbers in the evidence (2025-03-14, 3/14/2025), as ISO days."""
    days = _ISO_DAY.findall(evidence)
    days += [f"{y}-{int(m):02d}-{int(d):02d}" for m, d, y in _US_DAY.findall(evidence)]
    return days


def _range(match: re.Match[str]) -> tuple[str, str]:
    y2 = match["y2"]
    y1 = match["y1"] or (int(y2) - 1 if _month(match["m1"]) > _month(match["m2"]) else y2)
    return _iso(y1, match["m1"], match["d1"]), _iso(y2, match["m2"], match["d2"])


def _year_before(published: str, month: int) -> int:
    """The year of a month named without one in a document dated ``published``: the same
    year, or the year before when the month is later than the document's."""
    year, doc_month = int(published[:4]), int(published[5:7] or 12)
    return year - 1 if month > doc_month else year
