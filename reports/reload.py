"""Read again only what changed in the store since the last build (``reports.viewcache``).

The last build's views come with the stamp of the store they were read from. Comparing that
stamp with the store's now names what moved: findings whose revision moved, that are new,
gone, or reviewed differently; documents whose revision, versions or source changed; and
every occurrence added or moved. A finding is read again when it moved, when its evidence
or a document holding it moved, or when its source was renamed; a document when it moved,
when a finding it holds moved, or when its source moved. Everything else is the last
build's view, unchanged. The result equals what ``load_site_data`` reads from scratch
(tests/test_reports_reload.py builds both ways and compares the sites byte for byte).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.reviews import Review
from reports.context import assemble, finding_views
from reports.documents import published_documents
from reports.evidence import CHUNK, latest_versions, occurrences
from reports.finding_view import FindingView
from reports.incremental import Fingerprints
from reports.sources import load_sources
from reports.viewcache import Stamp, ViewCache, hidden
from reports.views import SiteData
from sidedoor.store import Finding
from sidedoor.store.archive import Archive

logger = logging.getLogger(__name__)


def reload_site_data(
    session: Session, cache: ViewCache, stamp: Stamp, *, reviews: Mapping[str, Review],
    broken_after: int, archive_dir: Archive | Path, full_names: Mapping[str, str],
    parents: Mapping[str, str | None], fingerprints: Fingerprints,
) -> SiteData:
    """The site's data, read again only where ``stamp`` differs from the cache's."""
    old, before = cache.data, cache.stamp
    sources = load_sources(session, broken_after)
    names = {s.id: s.name for s in sources}
    moved = _moved_sources(before, stamp)
    findings, docs = _moved_rows(before, stamp, moved)
    docs |= {d.id for d in old.documents if d.source_id in moved}
    holders = _holders(stamp)
    held = _held(holders)
    findings |= {key for doc in docs for key in held.get(doc, ())}  # titles, anchors
    findings |= {f.id for f in old.findings if f.source_id in moved}
    shown = {f.id for f in old.findings}
    reviewed = {key for key, _ in set(stamp.reviews) ^ set(before.reviews)}
    findings |= {key for key in {*reviews, *shown} if hidden(key) in reviewed}
    # a finding the last build did not show (new, or no longer dismissed); the stamp names
    # those dismissed now by their digest
    findings |= {key for key in stamp.findings if key not in shown and key[:1] != "~"}
    for each in (holders, _holders(before)):  # the findings each document lists
        docs |= {doc for key in findings for doc in each.get(key, ())}

    archive = dict(old.archive_files)
    read = sorted(key for key in findings if key in stamp.findings and key[:1] != "~")
    located = occurrences(session, latest_versions(session), archive_dir, archive, read)
    rows = [row for start in range(0, len(read), CHUNK) for row in session.scalars(
        select(Finding).where(Finding.id.in_(read[start:start + CHUNK])))]
    fresh = finding_views(rows, located, names, reviews, full_names, parents)
    kept = _seen_again(session, [f for f in old.findings if f.id not in findings],
                       before, stamp, fingerprints)
    published = {f.id for f in kept} | {f.id for f in fresh}
    by_document = {doc: {key for key in held.get(doc, ()) if key in published}
                   for doc in docs}
    new_docs = published_documents(session, {d: k for d, k in by_document.items() if k},
                                   names, archive_dir, archive)
    documents = sorted([d for d in old.documents if d.id not in docs] + new_docs,
                       key=lambda d: d.slug)
    data = assemble(session, kept + fresh, sources, documents, archive, full_names, parents)
    logger.info("read again %d of %d findings and %d documents that changed",
                len(read), len(stamp.findings), len(docs))
    return data


def _seen_again(session: Session, kept: list[FindingView], before: Stamp, now: Stamp,
                fingerprints: Fingerprints) -> list[FindingView]:
    """``kept`` with the new ``last_seen`` of those seen again since the last build; pages do
    not show it, so their fingerprints keep their digests (the open data shows it)."""
    moved = sorted(f.id for f in kept if before.seen.get(f.id) != now.seen.get(f.id))
    if not moved:
        return kept
    seen = {key: value for start in range(0, len(moved), CHUNK)
            for key, value in session.execute(select(Finding.id, Finding.last_seen).where(
                Finding.id.in_(moved[start:start + CHUNK])))}
    out = []
    for f in kept:
        if f.id in seen:
            again = replace(f, last_seen=seen[f.id])
            fingerprints.carry(f, again)
            f = again
        out.append(f)
    return out


def _moved_sources(before: Stamp, now: Stamp) -> set[str]:
    """Sources whose row changed (a name, a place) or that came or went."""
    old = {row[0]: row for row in before.sources}
    new = {row[0]: row for row in now.sources}
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


def _moved_rows(before: Stamp, now: Stamp, sources: set[str]) -> tuple[set[str], set[int]]:
    """Findings and documents whose own rows, versions or occurrences differ."""
    findings = {key for key in before.findings.keys() | now.findings.keys()
                if before.findings.get(key) != now.findings.get(key)}
    docs = {key for key in before.documents.keys() | now.documents.keys()
            if before.documents.get(key) != now.documents.get(key)}
    docs |= {key for key, (source, _) in now.documents.items() if source in sources}
    for stamp_a, stamp_b in ((before, now), (now, before)):
        for key, value in stamp_a.versions.items():
            if stamp_b.versions.get(key) != value:
                docs.add(value[0])
        for key, occurrence in stamp_a.occurrences.items():
            if stamp_b.occurrences.get(key) != occurrence:
                findings.add(occurrence[0])
                version = stamp_a.versions.get(occurrence[1])
                if version is not None:
                    docs.add(version[0])
    return findings, docs


def _holders(stamp: Stamp) -> dict[str, set[int]]:
    """The documents holding each finding's evidence: finding id → document ids."""
    found: dict[str, set[int]] = defaultdict(set)
    for key, version_id, *_ in stamp.occurrences.values():
        version = stamp.versions.get(version_id)
        if version is not None:
            found[key].add(version[0])
    return found


def _held(holders: Mapping[str, set[int]]) -> dict[int, set[str]]:
    """The findings each document holds (document id → finding ids), from ``_holders``."""
    found: dict[int, set[str]] = defaultdict(set)
    for key, docs in holders.items():
        for doc in docs:
            found[doc].add(key)
    return found
