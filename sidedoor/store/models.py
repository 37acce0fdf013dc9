"""SQLAlchemy tables of the store: sources, runs, documents and their versions, findings.

The same models serve SQLite (the default) and PostgreSQL (by URL).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime; SQLite returns naive values, so attach UTC on the way out."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass timezone-aware UTC values")
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        from datetime import UTC

        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    place: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(20))
    platform: Mapped[str] = mapped_column(String(40))
    start_urls: Mapped[list[Any]]
    schedule: Mapped[str] = mapped_column(String(60))
    enabled: Mapped[bool]
    # the source list it comes from (config/lists.py), and whether its config says a live
    # run has reached it; a success in the store verifies it too
    list_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    verified: Mapped[bool] = mapped_column(server_default=true(), default=True)


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    command: Mapped[str] = mapped_column(String(40))


class SourceRun(Base):
    """The outcome of one source in one run."""

    __tablename__ = "source_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(20))  # ok | empty | error
    documents_fetched: Mapped[int] = mapped_column(default=0)
    documents_new: Mapped[int] = mapped_column(default=0)
    documents_unchanged: Mapped[int] = mapped_column(default=0)
    findings_new: Mapped[int] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)
    error_messages: Mapped[list[Any]]


class Document(Base):
    """A URL of a source; its content over time is in ``document_versions``."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("source_id", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    # when a fetch last confirmed the content with the server (a 200 or a 304), as opposed
    # to a re-crawl that took the archived copy without asking
    # (spiders/middlewares/skip_confirmed.py)
    checked_at: Mapped[datetime]
    # moves whenever something the site shows of the document changes (a title, a new
    # version, a confirmation), never for last_seen: a build reads again only the rows whose
    # revision moved (reports/viewcache.py)
    revision: Mapped[int] = mapped_column(default=0, server_default="0")


class DocumentVersion(Base):
    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    fetched_at: Mapped[datetime]
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(10))  # ISO date when the page gives one
    archive_path: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    sections: Mapped[list[Any]]  # [{"label": "page 2", "start": n, "end": n}, ...]
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    # structured data parsed from the document (a portal snapshot), to diff the next one with
    data: Mapped[dict[str, Any] | None]


class Finding(Base):
    __tablename__ = "findings"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    category: Mapped[str] = mapped_column(String(40), index=True)
    agencies: Mapped[list[Any]]
    place: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(2))
    snippet: Mapped[str] = mapped_column(Text)
    highlights: Mapped[list[Any]]  # [[start, end], ...] offsets into snippet of matched words
    confidence: Mapped[float] = mapped_column(Float)
    rules: Mapped[list[Any]]
    # vendors ("Flock Safety") and systems or programmes ("National Lookup") in the evidence
    vendors: Mapped[list[Any]] = mapped_column(default=list)
    systems: Mapped[list[Any]] = mapped_column(default=list)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    # --- the fact (DESIGN.md, "The core records"; docs/data.md) ---
    # every category that applies, the first being ``category``
    categories: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    owner: Mapped[str] = mapped_column(Text, default="", server_default="")  # "Maplewood PD"
    county: Mapped[str] = mapped_column(Text, default="", server_default="")
    # [{"name": "HSI", "state": ""}, {"name": "Cedar Bend TX Police Department", "state": "TX"}]
    recipients: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    channel: Mapped[str] = mapped_column(String(40), default="", server_default="")
    kind: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # proposed | adopted | in_effect | ended, or "" when the documents do not say
    status: Mapped[str] = mapped_column(String(20), default="", server_default="")
    status_quote: Mapped[str] = mapped_column(Text, default="", server_default="")
    status_date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    status_changed: Mapped[datetime | None] = mapped_column(nullable=True)
    # the event's date or period as ISO prefixes ("2025-02", "2025-05-31"); None: unknown
    event_start: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    event_end: Mapped[str | None] = mapped_column(String(10), nullable=True)
    # how much, where the documents say: {"searches": 12, "organizations": 9}
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    laws: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")  # config/laws.yaml
    # found by a source's first crawl: old news, dated by its event, never pushed
    backfill: Mapped[bool] = mapped_column(default=False, server_default=false())
    # (owner, recipients, channel, kind): findings with equal keys are one fact
    fact_key: Mapped[str] = mapped_column(String(64), default="", server_default="",
                                          index=True)
    # moves whenever something the site shows of the finding changes (its wording, fact,
    # evidence), never for last_seen alone (reports/viewcache.py)
    revision: Mapped[int] = mapped_column(default=0, server_default="0")


class Occurrence(Base):
    """Where a finding's evidence stands: a document version, offsets, page or section."""

    __tablename__ = "occurrences"
    __table_args__ = (UniqueConstraint("finding_id", "version_id", "start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[str] = mapped_column(ForeignKey("findings.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id"), index=True)
    start: Mapped[int]
    end: Mapped[int]
    section: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[datetime]


class Notification(Base):
    """A finding pushed to one notification target (``notify:`` in config/site.yaml), with
    the status it had: each finding is sent once per target, and once more per later status."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("target", "finding_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # config/notify.py's target_key(): a digest of the feed and the URL as written
    target: Mapped[str] = mapped_column(String(64), index=True)
    finding_id: Mapped[str] = mapped_column(ForeignKey("findings.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))  # the finding's status when sent, or ""
    sent_at: Mapped[datetime]
