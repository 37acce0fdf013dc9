"""View models of the site: what a page shows, already made safe and sorted.

Everything here is plain data built by ``reports.context`` from store rows. Scraped URLs are
checked once, here, so a template cannot link to anything but http(s).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar
from urllib.parse import urlsplit

from config.reviews import Review
from config.vocabulary import vocabulary
from reports.schedules import describe_schedule

CATEGORY_LABELS = {
    "federal_access": "Federal access",
    "out_of_state_sharing": "Out-of-state sharing",
    "immigration_search": "Immigration-related searches",
    "sharing_agreement": "Sharing agreements",
}
CATEGORY_SINGULAR = {
    "federal_access": "Federal access",
    "out_of_state_sharing": "Out-of-state sharing",
    "immigration_search": "Immigration-related search",
    "sharing_agreement": "Sharing agreement",
}
CATEGORY_MEANINGS = {
    "federal_access": "A federal agency obtained, was given, used or searched local or state "
                      "data or systems: directly, through a vendor pilot, a task-force officer "
                      "or a network.",
    "out_of_state_sharing": "Data shared with, or searchable by, agencies of other states.",
    "immigration_search": "Searches logged with immigration-related reasons (ICE, ERO, HSI, "
                          "\u201cimmigration\u201d, \u201cICE WARRANT\u201d and the like).",
    "sharing_agreement": "An agreement or act that establishes access: an MOU or MOA, a 287(g) "
                         "agreement, a LEADS agreement, a data-broker contract, a National "
                         "Lookup opt-in, an accepted sharing request.",
}
KIND_LABELS = {
    "minutes": "Minutes and agendas",
    "audit": "Audits",
    "portal": "Transparency portal",
    "records": "Records releases",
    "news": "News",
}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_PAGE = re.compile(r"page (\d+)")
_WHOLE = frozenset({"page", "text", ""})  # one-section records (a Legistar matter, a CSV)


def slugify(text: str) -> str:
    """A lowercase ASCII slug for a URL path segment: ``"Lake Zürich, IL"`` → ``lake-zurich-il``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-") or "unnamed"


def http_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL with a host, else None (never link to it)."""
    if not url:
        return None
    cleaned = url.strip()
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if any(ch in cleaned for ch in "\x00\r\n\t"):
        return None
    return cleaned


def where_label(section: str) -> str:
    """A page or section for readers; a record with no pages is "the whole text"."""
    return "the whole text" if section in _WHOLE else section


def segments(text: str, spans: list[tuple[int, int]], offset: int = 0) -> tuple[Part, ...]:
    """Cut ``text`` into plain and marked parts; ``spans`` are offsets less ``offset``."""
    clipped = sorted(
        (max(s - offset, 0), min(e - offset, len(text)))
        for s, e in spans if e - offset > 0 and s - offset < len(text) and e > s
    )
    merged: list[list[int]] = []
    for start, end in clipped:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[Part] = []
    cursor = 0
    for start, end in merged:
        if start > cursor:
            parts.append(Part(text[cursor:start], False))
        parts.append(Part(text[start:end], True))
        cursor = end
    if cursor < len(text) or not parts:
        parts.append(Part(text[cursor:], False))
    return tuple(parts)


@dataclass(frozen=True)
class Part:
    """A piece of quoted text; ``marked`` pieces are the words that made a rule fire."""

    text: str
    marked: bool


@dataclass(frozen=True)
class Facet:
    """A place, an agency or a category: something findings are grouped and fed by."""

    kind: str  # "places" | "agencies" | "categories": also the URL folder
    slug: str
    label: str
    full_name: str = ""  # an agency's name in full (config/patterns.yaml), when it has one

    @property
    def key(self) -> str:
        """A category's name in the store, e.g. ``federal_access``."""
        return self.slug.replace("-", "_")

    @property
    def path(self) -> str:
        return f"{self.kind}/{self.slug}/"

    @property
    def feed(self) -> str:
        return f"feeds/{self.kind}/{self.slug}.xml"

    @property
    def atom(self) -> str:
        return f"feeds/{self.kind}/{self.slug}.atom.xml"

    @property
    def csv(self) -> str:
        """This facet's findings as a spreadsheet (reports/opendata.py)."""
        return f"data/{self.kind}/{self.slug}.csv"

    @property
    def subscribe(self) -> str:
        """The page that explains this facet's feeds and gives their addresses."""
        return f"subscribe/{self.kind}/{self.slug}/"

    @property
    def long_label(self) -> str:
        """``HSI (Homeland Security Investigations)``, or the label alone."""
        return f"{self.label} ({self.full_name})" if self.full_name else self.label


def place_facet(place: str, state: str) -> Facet:
    """The facet of a place; a state-wide source's place is the state itself."""
    statewide = vocabulary().is_state(place, state)
    label = f"{place}, {state}" if state and not statewide else place
    return Facet("places", slugify(label), label)


def category_facet(category: str) -> Facet:
    return Facet("categories", slugify(category), CATEGORY_LABELS.get(category, category))


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
        """When it happened as far as the documents tell: the oldest document's date (UTC
        midnight), else the day sidedoor first saw it. Feeds date entries by it, so a first
        crawl of old records does not announce last year's events as today's news."""
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
    def title(self) -> str:
        agencies = ", ".join(a.label for a in self.agencies)
        kind = CATEGORY_SINGULAR.get(self.category.key, self.category.label)
        head = f"{kind} in {self.place.label}"
        return f"{head} ({agencies})" if agencies else head


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
