"""A finding as readers see it, with every place its passage stands (its evidence)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from config.reviews import Review
from reports.facets import CATEGORY_SINGULAR, Facet
from reports.fact_view import FactView, fact_title
from reports.quotes import Part, where_label

_PAGE = re.compile(r"page (\d+)")


@dataclass(frozen=True)
class Evidence:
    """One place a finding's passage stands: a document version and its page or section."""

    document_slug: str
    document_title: str
    source_url: str | None
    archive_name: str | None  # "<sha256>.<ext>" under archive/, when we hold the file
    section: str
    anchor: str  # id of the section on the document page; "" when not in the latest version
    sha256: str
    fetched_at: datetime
    published: str | None
    start: int
    end: int
    before: str = ""  # the sentence before the passage in the document, when there is one
    after: str = ""  # the sentence after it

    @property
    def page(self) -> int | None:
        """The page number of a PDF page ("page 3"), else None."""
        match = _PAGE.fullmatch(self.section)
        return int(match.group(1)) if match else None

    @property
    def is_pdf(self) -> bool:
        return bool(self.archive_name and self.archive_name.endswith(".pdf"))

    @property
    def fragment(self) -> str:
        """``#page=3`` for a PDF page, which PDF viewers open at; else nothing."""
        return f"#page={self.page}" if self.is_pdf and self.page else ""

    @property
    def passage(self) -> str:
        """The id of the passage on the document page (``at-<offset>``, marked there), else
        "" when the latest version no longer holds it."""
        return f"at-{self.start}" if self.anchor else ""

    @property
    def where(self) -> str:
        return where_label(self.section)


@dataclass(frozen=True)
class FindingView:
    """A finding as readers see it."""

    id: str
    category: Facet
    agencies: tuple[Facet, ...]
    place: Facet
    place_name: str
    state: str
    source_id: str
    source_name: str
    snippet: str
    parts: tuple[Part, ...]
    highlights: tuple[tuple[int, int], ...]
    confidence: float
    rules: tuple[str, ...]
    first_seen: datetime
    last_seen: datetime
    evidence: tuple[Evidence, ...]
    review: Review | None
    same_passage: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()  # why it was flagged, in plain words (reports/explain.py)
    fact: FactView = FactView()  # whose data, who got it, how, status, when (fact_view.py)
    categories: tuple[Facet, ...] = ()  # every category that applies, ``category`` first
    # Changes on every run that sees the document again, so pages do not show it (the open
    # data does); reports/incremental.py leaves it out of page fingerprints.
    NOT_ON_PAGES: ClassVar[frozenset[str]] = frozenset({"last_seen"})

    @property
    def year(self) -> int:
        """The year of the event (its document's date), else of the day it was found."""
        return self.event_date.year

    @property
    def path(self) -> str:
        return f"findings/{self.id}/"

    @property
    def only_in_older_versions(self) -> bool:
        """Whether no document's latest version still holds the passage."""
        return bool(self.evidence) and not any(e.anchor for e in self.evidence)

    @property
    def dated(self) -> str | None:
        """The date of the oldest document holding the passage (``2025-02-10``), if any.

        What the timeline orders by until findings carry the date of the event itself."""
        return min((e.published for e in self.evidence if e.published), default=None)

    @property
    def event_date(self) -> datetime:
        """When it happened as far as the documents tell: the event's first day, else the
        oldest document's date (UTC midnight), else the day sidedoor first saw it. Feeds date
        entries by it, so a first crawl of old records does not announce last year's events
        as today's news."""
        if self.fact.event_date is not None:
            return min(self.fact.event_date, self.first_seen)
        day = self.dated
        if day:
            try:
                when = datetime.fromisoformat(day[:10]).replace(tzinfo=UTC)
            except ValueError:
                return self.first_seen
            return min(when, self.first_seen)
        return self.first_seen

    @property
    def review_label(self) -> str:
        """What a person has done with the finding, in words."""
        if self.review is None:
            return "Found automatically; not yet checked by a person"
        if self.review.status == "confirmed":
            return "Confirmed by a reviewer"
        return "Reviewed"

    @property
    def confidence_label(self) -> str:
        if self.confidence >= 0.8:
            return "high"
        return "medium" if self.confidence >= 0.5 else "low"

    @property
    def all_categories(self) -> tuple[Facet, ...]:
        return self.categories or (self.category,)

    @property
    def title(self) -> str:
        """What happened ("Maplewood PD ran 12 plate searches for HSI, Feb–May 2025"); a
        finding without a fact reads "Category in Place (ACRONYMS)"."""
        agencies = ", ".join(a.label for a in self.agencies)
        kind = CATEGORY_SINGULAR.get(self.category.key, self.category.label)
        head = f"{kind} in {self.place.label}"
        fallback = f"{head} ({agencies})" if agencies else head
        return fact_title(self.fact, self.place_name, fallback)
