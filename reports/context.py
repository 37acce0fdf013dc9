"""Read the store into the site's view models (``reports.views``).

All queries of the site live here, as SQLAlchemy selects; nothing is written. Dismissed
findings (``config/reviews.yaml``) are dropped here, so no page, feed or export can show them.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from config.reviews import Review
from reports.explain import plain_reason
from reports.neighbours import neighbours
from reports.sources import load_sources
from reports.views import (
    DocumentView,
    Evidence,
    Facet,
    FindingView,
    Section,
    SiteData,
    VersionView,
    category_facet,
    http_url,
    place_facet,
    segments,
    slugify,
)
from sidedoor.store import Document, DocumentVersion, Finding, Occurrence, Run, Source

# Served from our own origin, these would run scraped markup as ours; publish them as text.
ACTIVE_TYPES = {"text/html", "text/xml", "application/xml", "text/javascript",
                "application/javascript", "application/ecmascript", "text/xsl"}
ACTIVE_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".xml", ".svg", ".js", ".mjs"}
_SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")
_NON_WORD = re.compile(r"[\W_]+")
CONTEXT_CHARS = 400  # read this much text either side of a passage for its neighbours


@dataclass(frozen=True)
class _Located:
    """An occurrence row with its document and version, before it becomes Evidence."""

    finding_id: str
    document_id: int
    evidence: Evidence


def document_slug(source_id: str, url: str) -> str:
    """A stable short name for a document page: the same source and URL, the same page."""
    return hashlib.sha256(f"{source_id}\x1f{url}".encode()).hexdigest()[:16]


def archive_name(sha256: str, archive_path: str, content_type: str) -> str:
    """The published file name of an archived version: ``<sha256>.<ext>``."""
    suffix = Path(archive_path).suffix.lower()
    media = content_type.split(";")[0].strip().lower()
    if suffix in ACTIVE_SUFFIXES or media in ACTIVE_TYPES or media.endswith("+xml"):
        return f"{sha256}.txt"
    return f"{sha256}{suffix if _SAFE_SUFFIX.match(suffix) else '.bin'}"


def load_site_data(
    session: Session, *, reviews: Mapping[str, Review], broken_after: int, archive_dir: Path,
    full_names: Mapping[str, str] | None = None, parents: Mapping[str, str | None] | None = None,
) -> SiteData:
    """Read every published finding, its evidence, the documents and the sources' health.

    ``full_names`` maps an agency's short name to its full name, ``parents`` to the agency it
    is part of (config/patterns.yaml): an agency's page and feed also hold its parts' findings
    (ICE's those of ERO and HSI; CBP's those of the Border Patrol)."""
    latest = _latest_versions(session)
    archive: dict[str, str] = {}
    located = _occurrences(session, latest, archive_dir, archive)
    rows = session.scalars(select(Finding)).all()
    kept = [r for r in rows if not (reviews.get(r.id) and reviews[r.id].dismissed)]
    sources = load_sources(session, broken_after)
    names = {s.id: s.name for s in sources}
    full = full_names or {}
    findings = [_finding(r, located.get(r.id, []), names, reviews.get(r.id), full)
                for r in kept]
    findings = _link_same_passages(findings)
    findings.sort(key=lambda f: (f.first_seen, f.id), reverse=True)
    counted = _count_findings(findings)
    sources = [replace(s, findings=counted.get(s.id, 0)) for s in sources]
    documents = _documents(session, located, {f.id for f in findings}, names, archive_dir,
                           archive)
    used = {e.archive_name for f in findings for e in f.evidence}
    used |= {v.archive_name for d in documents for v in d.versions}
    data = SiteData(findings=findings, sources=sources, documents=documents,
                    latest_run=session.scalar(select(func.max(Run.started_at))),
                    archive_files={k: v for k, v in archive.items() if k in used})
    _group(data, parents or {}, full)
    return data


def _count_findings(findings: list[FindingView]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        counts[f.source_id] += 1
    return counts


def _latest_versions(session: Session) -> dict[int, int]:
    rank = func.row_number().over(
        partition_by=DocumentVersion.document_id,
        order_by=(DocumentVersion.fetched_at.desc(), DocumentVersion.id.desc()),
    ).label("rank")
    ranked = select(DocumentVersion.document_id, DocumentVersion.id, rank).subquery()
    rows = session.execute(select(ranked.c.document_id, ranked.c.id).where(ranked.c.rank == 1))
    return {doc: version for doc, version in rows}


def _archived(row: Any, archive_dir: Path, archive: dict[str, str]) -> str | None:
    name = archive_name(row.sha256, row.archive_path, row.content_type)
    if name not in archive:
        if not (archive_dir / row.archive_path).is_file():
            return None
        archive[name] = row.archive_path
    return name


def _occurrences(
    session: Session, latest: dict[int, int], archive_dir: Path, archive: dict[str, str]
) -> dict[str, list[_Located]]:
    query = (
        select(Occurrence.finding_id, Occurrence.section, Occurrence.start, Occurrence.end,
               Occurrence.first_seen.label("seen"), DocumentVersion.id.label("version_id"),
               DocumentVersion.sha256, DocumentVersion.fetched_at, DocumentVersion.published,
               DocumentVersion.archive_path, DocumentVersion.content_type,
               Document.id.label("document_id"), Document.url, Document.title,
               Document.source_id, *_around(Occurrence.start, Occurrence.end))
        .join(DocumentVersion, DocumentVersion.id == Occurrence.version_id)
        .join(Document, Document.id == DocumentVersion.document_id)
        .order_by(Occurrence.first_seen, Occurrence.id)
    )
    located: dict[str, list[_Located]] = defaultdict(list)
    for row in session.execute(query):
        is_latest = latest.get(row.document_id) == row.version_id
        before, after = neighbours(row.text_before or "", row.text_after or "",
                                   CONTEXT_CHARS)
        evidence = Evidence(
            document_slug=document_slug(row.source_id, row.url), document_title=row.title,
            source_url=http_url(row.url), archive_name=_archived(row, archive_dir, archive),
            section=row.section, anchor=slugify(row.section) if is_latest else "",
            sha256=row.sha256, fetched_at=row.fetched_at, published=row.published,
            start=row.start, end=row.end, before=before, after=after,
        )
        located[row.finding_id].append(_Located(row.finding_id, row.document_id, evidence))
    return located


def _around(start: Any, end: Any) -> tuple[Any, Any]:  # Any: SQL column expressions
    """The text just before and just after a passage, cut in SQL (SQLite and PostgreSQL
    count from 1), so a long document's text never leaves the database."""
    first = case((start > CONTEXT_CHARS, start - CONTEXT_CHARS + 1), else_=1)
    before = func.substr(DocumentVersion.text, first, start + 1 - first)
    after = func.substr(DocumentVersion.text, end + 1, CONTEXT_CHARS)
    return before.label("text_before"), after.label("text_after")


def _finding(
    row: Finding, located: list[_Located], names: Mapping[str, str], review: Review | None,
    full_names: Mapping[str, str],
) -> FindingView:
    highlights = tuple((int(s), int(e)) for s, e in row.highlights or [])
    rules = tuple(row.rules or ())
    return FindingView(
        id=row.id, category=category_facet(row.category),
        agencies=tuple(Facet("agencies", slugify(a), a, full_names.get(a, ""))
                       for a in sorted(set(row.agencies))),
        place=place_facet(row.place, row.state), place_name=row.place, state=row.state,
        source_id=row.source_id,
        source_name=names.get(row.source_id, row.source_id), snippet=row.snippet,
        parts=segments(row.snippet, list(highlights)), highlights=highlights,
        confidence=row.confidence, rules=rules, first_seen=row.first_seen,
        last_seen=row.last_seen, evidence=_newest_first(x.evidence for x in located),
        review=review, reasons=tuple(plain_reason(r, full_names) for r in rules),
    )


def _newest_first(evidence: Iterable[Evidence]) -> tuple[Evidence, ...]:
    return tuple(sorted(evidence, key=lambda e: (e.fetched_at, e.document_slug, e.start),
                        reverse=True))


def _link_same_passages(findings: list[FindingView]) -> list[FindingView]:
    groups: dict[str, list[str]] = defaultdict(list)
    for f in findings:
        groups[_NON_WORD.sub(" ", f.snippet).strip().casefold()].append(f.id)
    linked = []
    for f in findings:
        others = sorted(i for i in groups[_NON_WORD.sub(" ", f.snippet).strip().casefold()]
                        if i != f.id)
        linked.append(replace(f, same_passage=tuple(others)) if others else f)
    return linked


def _documents(
    session: Session, located: dict[str, list[_Located]], published: set[str],
    names: Mapping[str, str], archive_dir: Path, archive: dict[str, str],
) -> list[DocumentView]:
    by_document: dict[int, set[str]] = defaultdict(set)
    for finding_id, items in located.items():
        if finding_id in published:
            for item in items:
                by_document[item.document_id].add(finding_id)
    if not by_document:
        return []
    versions = _versions(session, set(by_document), archive_dir, archive)
    docs = session.execute(select(Document).where(Document.id.in_(by_document))).scalars()
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
    session: Session, document_ids: set[int], archive_dir: Path, archive: dict[str, str]
) -> dict[int, list[VersionView]]:
    query = (
        select(DocumentVersion.id, DocumentVersion.document_id, DocumentVersion.sha256,
               DocumentVersion.fetched_at, DocumentVersion.content_type, DocumentVersion.size,
               DocumentVersion.published, DocumentVersion.archive_path)
        .where(DocumentVersion.document_id.in_(document_ids))
        .order_by(DocumentVersion.fetched_at.desc(), DocumentVersion.id.desc())
    )
    found: dict[int, list[VersionView]] = defaultdict(list)
    for row in session.execute(query):
        found[row.document_id].append(VersionView(
            id=row.id, sha256=row.sha256, fetched_at=row.fetched_at,
            content_type=row.content_type, size=row.size, published=row.published,
            archive_name=_archived(row, archive_dir, archive)))
    return found


def _source_places(session: Session) -> dict[str, Facet]:
    rows = session.execute(select(Source.id, Source.place, Source.state))
    return {r.id: place_facet(r.place, r.state) for r in rows}


def _group(data: SiteData, parents: Mapping[str, str | None],
           full_names: Mapping[str, str]) -> None:
    for source in data.sources:  # a watched place has a page and a feed before any finding
        data.places.setdefault(source.place, [])
    for f in data.findings:
        data.places.setdefault(f.place, []).append(f)
        data.categories.setdefault(f.category, []).append(f)
        for agency in agencies_with_parents(f.agencies, parents, full_names):
            data.agencies.setdefault(agency, []).append(f)


def agencies_with_parents(agencies: Iterable[Facet], parents: Mapping[str, str | None],
                          full_names: Mapping[str, str]) -> list[Facet]:
    """The agencies a finding names and every agency they are part of, once each
    (ERO → ERO, ICE, DHS)."""
    found: dict[str, Facet] = {}
    for facet in agencies:
        found.setdefault(facet.label, facet)
        parent, seen = parents.get(facet.label), {facet.label}
        while parent and parent not in seen:
            seen.add(parent)
            found.setdefault(parent, Facet("agencies", slugify(parent), parent,
                                           full_names.get(parent, "")))
            parent = parents.get(parent)
    return list(found.values())


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
                   parts=segments(text[start:end], spans, offset=start))
