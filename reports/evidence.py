"""Read where findings' passages stand (occurrences) from the store, as ``Evidence``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from reports.archived import document_slug, published_archive
from reports.finding_view import Evidence
from reports.links import http_url, slugify
from reports.neighbours import neighbours
from sidedoor.store import Document, DocumentVersion, Occurrence
from sidedoor.store.archive import Archive

CONTEXT_CHARS = 400  # read this much text either side of a passage for its neighbours
CHUNK = 500  # ids in one IN (...) list


@dataclass(frozen=True)
class Located:
    """An occurrence row with its document and version, before it becomes Evidence."""

    finding_id: str
    document_id: int
    evidence: Evidence


def latest_versions(session: Session) -> dict[int, int]:
    """Each document's latest version: document id → version id."""
    rank = func.row_number().over(
        partition_by=DocumentVersion.document_id,
        order_by=(DocumentVersion.fetched_at.desc(), DocumentVersion.id.desc()),
    ).label("rank")
    ranked = select(DocumentVersion.document_id, DocumentVersion.id, rank).subquery()
    rows = session.execute(select(ranked.c.document_id, ranked.c.id).where(ranked.c.rank == 1))
    return {doc: version for doc, version in rows}


def occurrences(
    session: Session, latest: dict[int, int], archive_dir: Archive | Path,
    archive: dict[str, str], finding_ids: Collection[str] | None = None,
) -> dict[str, list[Located]]:
    """Every occurrence as evidence (of ``finding_ids`` only, when given), by finding id,
    oldest first; archived files it names are recorded in ``archive`` (published name →
    archive path)."""
    if finding_ids is not None:
        found: dict[str, list[Located]] = {}
        ids = sorted(finding_ids)
        for start in range(0, len(ids), CHUNK):
            found.update(_occurrences(session, latest, archive_dir, archive,
                                      Occurrence.finding_id.in_(ids[start:start + CHUNK])))
        return found
    return _occurrences(session, latest, archive_dir, archive)


def _occurrences(session: Session, latest: dict[int, int], archive_dir: Archive | Path,
                 archive: dict[str, str], *where: Any) -> dict[str, list[Located]]:
    query = (
        select(Occurrence.finding_id, Occurrence.section, Occurrence.start, Occurrence.end,
               Occurrence.first_seen.label("seen"), DocumentVersion.id.label("version_id"),
               DocumentVersion.sha256, DocumentVersion.fetched_at, DocumentVersion.published,
               DocumentVersion.archive_path, DocumentVersion.content_type,
               Document.id.label("document_id"), Document.url, Document.title,
               Document.source_id, *_around(Occurrence.start, Occurrence.end))
        .join(DocumentVersion, DocumentVersion.id == Occurrence.version_id)
        .join(Document, Document.id == DocumentVersion.document_id)
        .where(*where)
        .order_by(Occurrence.first_seen, Occurrence.id)
    )
    located: dict[str, list[Located]] = defaultdict(list)
    for row in session.execute(query):
        is_latest = latest.get(row.document_id) == row.version_id
        before, after = neighbours(row.text_before or "", row.text_after or "",
                                   CONTEXT_CHARS)
        evidence = Evidence(
            document_slug=document_slug(row.source_id, row.url), document_title=row.title,
            source_url=http_url(row.url), archive_name=published_archive(row, archive_dir, archive),
            section=row.section, anchor=slugify(row.section) if is_latest else "",
            sha256=row.sha256, fetched_at=row.fetched_at, published=row.published,
            start=row.start, end=row.end, before=before, after=after,
        )
        located[row.finding_id].append(Located(row.finding_id, row.document_id, evidence))
    return located


def _around(start: Any, end: Any) -> tuple[Any, Any]:  # Any: SQL column expressions
    """The text just before and just after a passage, cut in SQL (SQLite and PostgreSQL
    count from 1), so a long document's text never leaves the database."""
    first = case((start > CONTEXT_CHARS, start - CONTEXT_CHARS + 1), else_=1)
    before = func.substr(DocumentVersion.text, first, start + 1 - first)
    after = func.substr(DocumentVersion.text, end + 1, CONTEXT_CHARS)
    return before.label("text_before"), after.label("text_after")
