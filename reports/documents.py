"""Read the documents that hold published findings, their versions and their marked text."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reports.archived import document_slug, published_archive
from reports.evidence import CHUNK, Located
from reports.facets import Facet, place_facet
from reports.finding_view import FindingView
from reports.links import http_url, slugify
from reports.quotes import segments
from reports.views import DocumentView, Section, VersionView
from sidedoor.store import Document, DocumentVersion, Source
from sidedoor.store.archive import Archive


def holding(located: Mapping[str, list[Located]], published: set[str]) -> dict[int, set[str]]:
    """The published findings each document holds: document id → finding ids."""
    by_document: dict[int, set[str]] = defaultdict(set)
    for finding_id, items in located.items():
        if finding_id in published:
            for item in items:
                by_document[item.document_id].add(finding_id)
    return by_document


def published_documents(
    session: Session, by_document: Mapping[int, set[str]],
    names: Mapping[str, str], archive_dir: Archive | Path, archive: dict[str, str],
) -> list[DocumentView]:
    """The documents of ``by_document`` (document id → the published findings it holds),
    with their versions, sorted by slug."""
    if not by_document:
        return []
    versions = _versions(session, set(by_document), archive_dir, archive)
    docs = [d for start in range(0, len(by_document), CHUNK)
            for d in session.scalars(select(Document).where(
                Document.id.in_(sorted(by_document)[start:start + CHUNK])))]
    places = _source_places(session)
    views = [
        DocumentView(
            id=d.id, slug=document_slug(d.source_id, d.url), title=d.title, url=http_url(d.url),
            source_id=d.source_id, source_name=names.get(d.source_id, d.source_id),
            place=places.get(d.source_id, place_facet(d.source_id, "")), checked_at=d.checked_at,
            versions=tuple(versions.get(d.id, ())), finding_ids=tuple(sorted(by_document[d.id])),
        )
        for d in docs
    ]
    return sorted(views, key=lambda d: d.slug)


def _versions(
    session: Session, document_ids: set[int], archive_dir: Archive | Path,
    archive: dict[str, str]
) -> dict[int, list[VersionView]]:
    query = (
        select(DocumentVersion.id, DocumentVersion.document_id, DocumentVersion.sha256,
               DocumentVersion.fetched_at, DocumentVersion.content_type, DocumentVersion.size,
               DocumentVersion.published, DocumentVersion.archive_path)
        .order_by(DocumentVersion.fetched_at.desc(), DocumentVersion.id.desc())
    )
    found: dict[int, list[VersionView]] = defaultdict(list)
    ids = sorted(document_ids)
    rows = [row for start in range(0, len(ids), CHUNK) for row in session.execute(
        query.where(DocumentVersion.document_id.in_(ids[start:start + CHUNK])))]
    rows.sort(key=lambda r: (r.fetched_at, r.id), reverse=True)
    for row in rows:
        found[row.document_id].append(VersionView(
            id=row.id, sha256=row.sha256, fetched_at=row.fetched_at,
            content_type=row.content_type, size=row.size, published=row.published,
            archive_name=published_archive(row, archive_dir, archive)))
    return found


def _source_places(session: Session) -> dict[str, Facet]:
    rows = session.execute(select(Source.id, Source.place, Source.state))
    return {r.id: place_facet(r.place, r.state) for r in rows}


def document_sections(session: Session, document: DocumentView,
                      findings: Mapping[str, FindingView]) -> tuple[Section, ...]:
    """The latest version's text by page or section, with every published passage marked."""
    if not document.versions:
        return ()
    version = session.get(DocumentVersion, document.versions[0].id)
    if version is None:
        return ()
    spans = [(e.start, e.end) for fid in document.finding_ids
             for e in findings[fid].evidence
             if e.document_slug == document.slug and e.sha256 == version.sha256]
    raw = version.sections or [{"label": "text", "start": 0, "end": len(version.text)}]
    return tuple(_section(version.text, s, spans) for s in raw)


def _section(text: str, raw: Mapping[str, Any], spans: list[tuple[int, int]]) -> Section:
    start, end = int(raw.get("start", 0)), int(raw.get("end", len(text)))
    label = str(raw.get("label", "text"))
    return Section(label=label, anchor=slugify(label),
                   parts=segments(text[start:end], spans, offset=start, anchored=True))
