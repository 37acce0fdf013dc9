"""What callers hand the store and get back: plain records, no sessions (sidedoor/store)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class SourceRecord:
    """What the store keeps of a configured source."""

    id: str
    name: str
    place: str
    state: str
    kind: str
    platform: str
    start_urls: list[str]
    schedule: str
    enabled: bool
    list_id: str | None = None
    verified: bool = True


@dataclass(frozen=True)
class VersionRecord:
    """One fetched version of a document, already archived and turned into text."""

    sha256: str
    fetched_at: datetime
    content_type: str
    size: int
    title: str
    archive_path: str
    text: str
    sections: list[dict[str, Any]]
    published: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    data: dict[str, Any] | None = None


@dataclass(frozen=True)
class StoredDocument:
    """What a re-crawl needs of a document's newest stored version."""

    version_id: int
    archive_path: str
    content_type: str
    etag: str | None
    last_modified: str | None
    checked_at: datetime  # when the server last confirmed the document


@dataclass(frozen=True)
class FindingRecord:
    """A finding located in one document version."""

    id: str
    category: str
    agencies: list[str]
    snippet: str
    highlights: list[list[int]]
    confidence: float
    rules: list[str]
    start: int
    end: int
    section: str
    vendors: list[str] = field(default_factory=list)
    systems: list[str] = field(default_factory=list)
    # the town the finding is about when it is not the source's place (a state audit of one
    # police department); None: the source's place
    place: str | None = None
    fact: FactRecord | None = None


@dataclass(frozen=True)
class FactRecord:
    """What a finding says happened (pipelines/facts.py); equal keys are one fact."""

    key: str
    categories: list[str]
    owner: str = ""
    county: str = ""
    recipients: list[dict[str, str]] = field(default_factory=list)
    channel: str = ""
    kind: str = ""
    status: str = ""
    status_quote: str = ""
    status_date: str | None = None  # the date of the document that says the status
    event_start: str | None = None
    event_end: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    laws: list[str] = field(default_factory=list)
    backfill: bool = False


@dataclass
class SourceRunRecord:
    """Counts of one source in one run; filled in by the crawl and saved at its end."""

    source_id: str
    started_at: datetime
    finished_at: datetime | None = None
    outcome: str = "ok"
    documents_fetched: int = 0
    documents_new: int = 0
    documents_unchanged: int = 0
    findings_new: int = 0
    errors: int = 0
    error_messages: list[str] = field(default_factory=list)
