"""Read the store into the site's view models (``reports.views``).

All queries of the site live here or in the modules this one calls (``evidence``, ``documents``),
as SQLAlchemy selects; nothing is written. Dismissed findings (``config/reviews.yaml``) are
dropped here, so no page, feed or export can show them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config.reviews import Review
from reports.archived import archive_name
from reports.documents import document_sections, holding, published_documents
from reports.evidence import Located, latest_versions, occurrences
from reports.explain import plain_reason
from reports.facets import Facet, category_facet, place_facet
from reports.fact_view import fact_view
from reports.finding_view import Evidence, FindingView
from reports.links import slugify
from reports.quotes import segments
from reports.sources import load_sources
from reports.views import DocumentView, SiteData, SourceView
from sidedoor.store import Finding, Run
from sidedoor.store.archive import Archive

__all__ = ["agencies_with_parents", "archive_name", "document_sections", "load_site_data"]

_NON_WORD = re.compile(r"[\W_]+")


def load_site_data(
    session: Session, *, reviews: Mapping[str, Review], broken_after: int,
    archive_dir: Archive | Path,
    full_names: Mapping[str, str] | None = None, parents: Mapping[str, str | None] | None = None,
) -> SiteData:
    """Read every published finding, its evidence, the documents and the sources' health.

    ``full_names`` maps an agency's short name to its full name, ``parents`` to the agency it
    is part of (config/patterns.yaml): an agency's page and feed also hold its parts' findings
    (ICE's those of ERO and HSI; CBP's those of the Border Patrol)."""
    latest = latest_versions(session)
    archive: dict[str, str] = {}
    located = occurrences(session, latest, archive_dir, archive)
    sources = load_sources(session, broken_after)
    names = {s.id: s.name for s in sources}
    findings = finding_views(session.scalars(select(Finding)).all(), located, names,
                             reviews, full_names or {}, parents or {})
    documents = published_documents(session, holding(located, {f.id for f in findings}),
                                    names, archive_dir, archive)
    return assemble(session, findings, sources, documents, archive, full_names or {},
                    parents or {})


def finding_views(rows: Iterable[Finding], located: Mapping[str, list[Located]],
                  names: Mapping[str, str], reviews: Mapping[str, Review],
                  full_names: Mapping[str, str],
                  parents: Mapping[str, str | None]) -> list[FindingView]:
    """The views of finding rows, leaving out the dismissed ones."""
    return [_finding(r, located.get(r.id, []), names, reviews.get(r.id), full_names, parents)
            for r in rows if not (reviews.get(r.id) and reviews[r.id].dismissed)]


def assemble(session: Session, findings: list[FindingView], sources: list[SourceView],
             documents: list[DocumentView], archive: Mapping[str, str],
             full_names: Mapping[str, str], parents: Mapping[str, str | None]) -> SiteData:
    """The site's data from its findings, sources and documents: findings that quote the
    same passage linked, newest first, counted by source and grouped into facets."""
    findings = _link_same_passages(findings)
    # newest first; among those found together (a first crawl), the latest event first
    findings.sort(key=lambda f: (f.first_seen, f.event_date, f.id), reverse=True)
    counted = _count_findings(findings)
    sources = [replace(s, findings=counted.get(s.id, 0)) for s in sources]
    used = {e.archive_name for f in findings for e in f.evidence}
    used |= {v.archive_name for d in documents for v in d.versions}
    data = SiteData(findings=findings, sources=sources, documents=documents,
                    latest_run=session.scalar(select(func.max(Run.started_at))),
                    archive_files={k: v for k, v in archive.items() if k in used})
    _group(data, parents, full_names)
    return data


def _count_findings(findings: list[FindingView]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        counts[f.source_id] += 1
    return counts


def _finding(
    row: Finding, located: list[Located], names: Mapping[str, str], review: Review | None,
    full_names: Mapping[str, str], parents: Mapping[str, str | None],
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
        fact=fact_view(row, full_names, parents),
        categories=tuple(category_facet(c) for c in row.categories or [row.category]),
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
        # a finding kept from the last build may have lost its twins
        linked.append(f if f.same_passage == tuple(others)
                      else replace(f, same_passage=tuple(others)))
    return linked


def _group(data: SiteData, parents: Mapping[str, str | None],
           full_names: Mapping[str, str]) -> None:
    for source in data.sources:  # a watched place has a page and a feed before any finding
        data.places.setdefault(source.place, [])
    for f in data.findings:
        data.places.setdefault(f.place, []).append(f)
        for category in f.all_categories:
            data.categories.setdefault(category, []).append(f)
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
