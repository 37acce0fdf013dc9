"""reports/timeline.py: findings by the date of their event, else of their document."""

from __future__ import annotations

from datetime import UTC, datetime

from reports.fact_view import FactView
from reports.timeline import period_name, timeline
from reports.views import Evidence, FindingView, category_facet, place_facet

SEEN = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)


def finding(key: str, *, event: str | None = None, published: str | None = None) -> FindingView:
    evidence = Evidence(
        document_slug="doc", document_title="Minutes", source_url=None, archive_name=None,
        section="page 1", anchor="page-1", sha256="0" * 64, fetched_at=SEEN,
        published=published, start=0, end=4)
    return FindingView(
        id=key * 20, category=category_facet("federal_access"), agencies=(),
        place=place_facet("Maplewood", "IL"), place_name="Maplewood", state="IL",
        source_id="maplewood_village_board", source_name="Maplewood board", snippet="text",
        parts=(), highlights=(), confidence=0.9, rules=(), first_seen=SEEN, last_seen=SEEN,
        evidence=(evidence,), review=None, fact=FactView(event_start=event))


def order(values: dict[str, object]) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    return [(month, [(d.finding.id[0], d.day_of_month, d.by_event) for d in items])
            for _, month, items in values["months"]]  # type: ignore[attr-defined]


def test_the_event_date_comes_before_the_document_date() -> None:
    """A pilot that began in January 2025, reported in minutes of September, stands in
    January; a finding without an event date stands at its document's date."""
    values = timeline([finding("a", event="2025-01-14", published="2025-09-09"),
                       finding("b", published="2025-03-02")])
    assert order(values) == [("2025-03", [("b", "2", False)]),
                             ("2025-01", [("a", "14", True)])]


def test_a_month_or_a_year_without_a_day_shows_no_day_and_stands_after_the_days() -> None:
    values = timeline([finding("a", event="2025-02"), finding("b", event="2025-02-20"),
                       finding("c", event="2025")])
    assert order(values) == [("2025-02", [("b", "20", True), ("a", "", True)]),
                             ("2025", [("c", "", True)])]


def test_a_finding_without_any_date_is_listed_apart() -> None:
    values = timeline([finding("a"), finding("b", event="2024-11-05")])
    assert ([f.id[0] for f in values["undated"]], len(values["months"])) == (  # type: ignore[attr-defined]
        ["a"], 1)


def test_periods_are_named_in_words() -> None:
    assert (period_name("2025-02"), period_name("2025")) == ("February 2025", "2025")
