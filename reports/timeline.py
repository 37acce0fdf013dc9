"""Timelines: findings by the date of the event they report, the site's and each place's.

A finding's date on a timeline is its fact's event date when the documents give one
(``FindingView.fact.event_start``: the vote, the start of a pilot, the first logged search, as
an ISO prefix like "2025", "2025-02" or "2025-02-10"), else the date of the oldest document
that holds it. Findings with neither are listed apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, partial

from reports.incremental import Lazy
from reports.site import MONTHS, SiteWriter
from reports.views import Facet, FindingView


@dataclass(frozen=True)
class Dated:
    """A finding on a timeline, with the date it stands at."""

    finding: FindingView
    day: str  # an ISO date or prefix: "2025-02-10", "2025-02", "2025"
    by_event: bool  # the date is the event's, not the document's

    @property
    def day_of_month(self) -> str:
        """``10`` for 2025-02-10; "" when the date gives no day."""
        return str(int(self.day[8:10])) if len(self.day) >= 10 else ""


def timeline_date(finding: FindingView) -> tuple[str, bool] | None:
    """The date a finding stands at on a timeline and whether it is the event's."""
    if finding.fact.event_start:
        return finding.fact.event_start, True
    return (finding.dated, False) if finding.dated else None


def timeline(findings: Iterable[FindingView]) -> dict[str, object]:
    """The timeline template's values: dated findings by month (or year, when only the year
    is known), newest first; then the undated."""
    dated, undated = [], []
    for finding in findings:
        when = timeline_date(finding)
        if when is None:
            undated.append(finding)
        else:
            dated.append(Dated(finding, *when))
    dated.sort(key=lambda d: (d.day, d.finding.id), reverse=True)
    months: dict[str, list[Dated]] = {}
    for entry in dated:
        months.setdefault(entry.day[:7], []).append(entry)
    return {"months": [(period_name(m), m, items) for m, items in months.items()],
            "undated": undated}


def period_name(period: str) -> str:
    """``2025-02`` → ``February 2025``; ``2025`` → ``2025``."""
    if len(period) < 7:
        return period
    year, number = period[:4], period[5:7]
    return f"{MONTHS[int(number) - 1]} {year}"


def write_timelines(writer: SiteWriter, findings: list[FindingView],
                    places: Mapping[Facet, list[FindingView]]) -> None:
    """``timeline/`` with every finding, and ``places/<slug>/timeline/`` for each place."""
    _timeline_page(writer, "timeline/", None, findings)
    for facet, items in places.items():
        _timeline_page(writer, f"{facet.path}timeline/", facet, items)


def _timeline_page(writer: SiteWriter, path: str, place: Facet | None,
                   findings: list[FindingView]) -> None:
    """A timeline follows from its findings: they are its fingerprint, and they are put in
    order only when the page is rendered (the site's holds every finding)."""
    ordered = cache(partial(timeline, findings))
    writer.page(path, "timeline.html", {"place": place, "findings": findings}, place=place,
                months=Lazy(lambda: ordered()["months"]),
                undated=Lazy(lambda: ordered()["undated"]))
