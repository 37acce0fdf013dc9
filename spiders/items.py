"""Items the spiders yield. Pipelines fill in the fields below the divider."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class DocumentItem:
    """One fetched document (a PDF, an HTML page, a CSV/XLSX file) of one source."""

    source_id: str
    url: str
    body: bytes
    content_type: str
    fetched_at: datetime
    title: str = ""
    published: str | None = None  # ISO date, when the listing or the page gives one
    etag: str | None = None
    last_modified: str | None = None
    # -- filled in by pipelines --
    sha256: str = ""
    archive_path: str = ""
    unchanged: bool = False
    text: str = ""
    sections: list[dict[str, Any]] = field(default_factory=list)  # {"label", "start", "end"}
    # pipelines.extract.Finding objects; spiders cannot import pipelines, hence Any
    findings: list[Any] = field(default_factory=list)


@dataclass
class PortalSnapshotItem(DocumentItem):
    """A vendor transparency-portal page with its structured snapshot."""

    snapshot: Any = None  # a spiders.portal_snapshot.PortalSnapshot


@dataclass
class AuditLogItem(PortalSnapshotItem):
    """An audit-log file (CSV or XLSX) handed on unread: the text pipeline reads its search
    audit into ``snapshot.search_audit`` in a reading process, under the reading limits."""
