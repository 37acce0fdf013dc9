"""View models of the site: what a page shows, already made safe and sorted.

Everything here is plain data built by ``reports.context`` from store rows. Findings, facets,
quoted text and safe links have modules of their own (``finding_view``, ``facets``, ``quotes``,
``links``); their names are importable from here too, as the site's one vocabulary of views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from reports.facets import (
    CATEGORY_LABELS,
    CATEGORY_MEANINGS,
    CATEGORY_SINGULAR,
    Facet,
    category_facet,
    place_facet,
)
from reports.finding_view import Evidence, FindingView
from reports.links import http_url, slugify
from reports.quotes import Part, segments, where_label
from reports.schedules import describe_schedule

__all__ = [
    "CATEGORY_LABELS", "CATEGORY_MEANINGS", "CATEGORY_SINGULAR", "KIND_LABELS", "DocumentView",
    "Evidence", "Facet", "FindingView", "Part", "Section", "SiteData", "SourceView",
    "VersionView", "category_facet", "http_url", "place_facet", "segments", "slugify",
    "where_label",
]

KIND_LABELS = {
    "minutes": "Minutes and agendas",
    "audit": "Audits",
    "portal": "Transparency portal",
    "records": "Records releases",
    "news": "News",
}

@dataclass(frozen=True)
class SourceView:
    """A configured source and how its recent runs went."""

    id: str
    name: str
    place: Facet
    place_name: str
    state: str
    kind: str
    platform: str
    schedule: str
    enabled: bool
    start_urls: tuple[str, ...]
    last_run: datetime | None
    last_success: datetime | None
    last_error: datetime | None
    last_error_messages: tuple[str, ...]
    recent_outcomes: tuple[str, ...]  # newest first
    broken: bool
    documents: int
    findings: int
    list_id: str | None = None  # the source list it comes from (config/lists.py)
    verified: bool = True  # a live run has reached it (its config says so, or a success)

    @property
    def kind_label(self) -> str:
        """What the source publishes, for readers: ``Minutes and agendas``."""
        return KIND_LABELS.get(self.kind, self.kind.capitalize())

    @property
    def schedule_text(self) -> str:
        """When the source is read, in words: ``weekdays at 07:30 UTC``."""
        return describe_schedule(self.schedule)

    @property
    def status(self) -> str:
        if not self.enabled:
            return "disabled"
        if self.broken:
            return "broken"
        if self.last_run is None:
            return "not run yet"
        return self.recent_outcomes[0] if self.recent_outcomes else "ok"


@dataclass(frozen=True)
class VersionView:
    """One fetched version of a document."""

    id: int
    sha256: str
    fetched_at: datetime
    content_type: str
    size: int
    published: str | None
    archive_name: str | None


@dataclass(frozen=True)
class DocumentView:
    """A document that holds at least one published finding."""

    id: int
    slug: str
    title: str
    url: str | None
    source_id: str
    source_name: str
    place: Facet
    checked_at: datetime  # when a fetch last confirmed the content with the source
    versions: tuple[VersionView, ...]  # newest first
    finding_ids: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"documents/{self.slug}/"


@dataclass(frozen=True)
class Section:
    """A page or section of a document's text, with the evidence in it marked."""

    label: str
    anchor: str
    parts: tuple[Part, ...]

    @property
    def title(self) -> str:
        """``Page 3``, ``Section "Minutes"``, ``The whole text``."""
        label = where_label(self.label)
        return label[:1].upper() + label[1:]


@dataclass
class SiteData:
    """Everything the site shows, read from the store in one go."""

    findings: list[FindingView]  # newest first
    sources: list[SourceView]
    documents: list[DocumentView]
    places: dict[Facet, list[FindingView]] = field(default_factory=dict)
    agencies: dict[Facet, list[FindingView]] = field(default_factory=dict)
    categories: dict[Facet, list[FindingView]] = field(default_factory=dict)
    latest_run: datetime | None = None
    archive_files: dict[str, str] = field(default_factory=dict)  # published name → archive path

    @property
    def newest(self) -> datetime | None:
        return self.findings[0].first_seen if self.findings else None

    @property
    def new_in_latest_run(self) -> list[FindingView]:
        if self.latest_run is None:
            return []
        return [f for f in self.findings if f.first_seen >= self.latest_run]

    def by_id(self) -> dict[str, FindingView]:
        return {f.id: f for f in self.findings}
