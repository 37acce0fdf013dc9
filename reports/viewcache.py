"""The views of the last build, kept beside the published site for the next build.

A build reads the store into view models (``reports.context``) and digests them for its
fingerprints (``reports.incremental``); both cost more than rendering what a day's crawl
changed. So a build keeps its ``SiteData`` and the digests of its views, the state ``CACHE``
beside the site it publishes (``reports.buildstate``: never inside it, and bound to that
site's fingerprints), with a ``Stamp`` of the store it read: the id and revision of every
finding and document (``sidedoor/store/models.py``: a revision moves whenever something a
page shows changes), the id and place of every version and occurrence, the sources and
their runs, and the reviews. The next build reads the stamp again (a few cheap queries),
and reads from the store only the views whose rows differ (``reports.reload``); with an
equal stamp it reads nothing (``reports.unchanged``).

The cache is keyed by ``inputs_key``: sidedoor's rendering code and the configuration the
views are made from. Any difference, a cache that cannot be read, or one kept for another
site than the one published, means a full build.
"""

from __future__ import annotations

import gc
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from config.laws import LAWS_PATH
from config.places import PLACES_PATH
from config.reviews import Review
from config.vocabulary import PATTERNS_PATH
from reports import incremental
from reports.buildstate import load_state, save_state
from reports.site import Fragments
from reports.views import SiteData
from sidedoor.store import Document, DocumentVersion, Finding, Occurrence, Run, Source, SourceRun

logger = logging.getLogger(__name__)
CACHE = "views"
_FORMAT = 1


@dataclass(frozen=True)
class Stamp:
    """What the build read of the store, row by row, cheaply."""

    findings: dict[str, int]  # id (a dismissed finding's ``hidden``) → revision
    seen: dict[str, str]  # id → last_seen as the database writes it (the open data shows it)
    documents: dict[int, tuple[str, int]]  # id → (source id, revision)
    versions: dict[int, tuple[int, str]]  # id → (document id, sha256)
    occurrences: dict[int, tuple[str, int, int, int, str]]  # id → finding, version, offsets,
    sources: tuple[tuple[Any, ...], ...]  # every column of every source
    runs: tuple[Any, ...]  # counts and newest ids of runs and source runs
    reviews: tuple[tuple[str, str], ...]  # digests of finding ids and their reviews

    def digest(self) -> str:
        """A digest of the whole stamp: equal digests, the same store."""
        return hashlib.sha256(repr((
            sorted(self.findings.items()), sorted(self.seen.items()),
            sorted(self.documents.items()),
            sorted(self.versions.items()), sorted(self.occurrences.items()), self.sources,
            self.runs, self.reviews)).encode()).hexdigest()


def hidden(key: str) -> str:
    """How the stamp names a dismissed finding, or a review: the published site must not
    hold a dismissed finding's id (tests/test_reports_site.py)."""
    return "~" + hashlib.sha256(key.encode()).hexdigest()[:20]


def read_stamp(session: Session, reviews: Mapping[str, Review]) -> Stamp:
    """The stamp of the store as it is now."""
    dismissed = {key for key, review in reviews.items() if review.dismissed}

    def name(key: str) -> str:
        return hidden(key) if key in dismissed else key

    runs = session.execute(select(func.count(Run.id), func.max(Run.id),
                                  func.max(Run.started_at))).one()
    source_runs = session.execute(select(func.count(SourceRun.id),
                                         func.max(SourceRun.id))).one()
    findings, seen = {}, {}
    for key, revision, last_seen in session.execute(
            select(Finding.id, Finding.revision, cast(Finding.last_seen, String))):
        findings[name(key)], seen[name(key)] = revision, last_seen
    return Stamp(
        findings=findings, seen=seen,
        documents={i: (s, r) for i, s, r in session.execute(
            select(Document.id, Document.source_id, Document.revision))},
        versions={i: (d, h) for i, d, h in session.execute(
            select(DocumentVersion.id, DocumentVersion.document_id, DocumentVersion.sha256))},
        occurrences={i: (name(f), v, a, b, section) for i, f, v, a, b, section in session.execute(
            select(Occurrence.id, Occurrence.finding_id, Occurrence.version_id,
                   Occurrence.start, Occurrence.end, Occurrence.section))},
        sources=tuple(tuple(row) for row in session.execute(
            select(*Source.__table__.columns).order_by(Source.id))),
        runs=(*runs, *source_runs),
        reviews=tuple(sorted((hidden(key), hidden(repr(review)))
                             for key, review in reviews.items())),
    )


def inputs_key(*values: object) -> str:
    """The cache's key: the rendering code, the configuration files the views and pages are
    made from, and ``values`` (the site's settings, agency names, places...)."""
    digest = hashlib.sha256(f"{_FORMAT}\0{incremental.code_digest()}".encode())
    for path in (LAWS_PATH, PATTERNS_PATH, PLACES_PATH):
        digest.update(b"\0" + (Path(path).read_bytes() if Path(path).is_file() else b""))
    for value in values:
        digest.update(b"\0" + repr(value).encode())
    return digest.hexdigest()


@dataclass
class ViewCache:
    """One build's views, the stamp of the store they were read from, and their digests."""

    key: str
    stamp: Stamp
    data: SiteData
    # (view, its encoding in the fingerprints) for the views of ``data``: kept together so
    # that a view reused as it is keeps its digest (reports.incremental.Fingerprints.remember)
    digests: list[tuple[object, bytes]] = field(default_factory=list)
    # each finding's card and table row, with the encoding they were rendered from
    fragments: Fragments = field(default_factory=dict)


def load_cache(out: Path, site: str | None, key: str) -> ViewCache | None:
    """The cache kept for the site published at ``out`` when its fingerprints hash to
    ``site`` (``reports.buildstate.site_digest``) and it was made with ``key``; else None."""
    cache = load_state(out, CACHE, site, ViewCache)
    if cache is None:
        return None
    if cache.key != key:
        logger.info("the views kept beside %s were made by other code or settings; reading "
                    "the whole store", out)
        return None
    # out of the collector's sight until the build ends (thaw): it would walk these
    # million objects at each full collection while the build makes more
    gc.freeze()
    return cache


def save_cache(out: Path, site: str, cache: ViewCache) -> None:
    """Keep ``cache`` for the site just published at ``out``, whose fingerprints hash to
    ``site``."""
    save_state(out, CACHE, site, cache)


def thaw() -> None:
    """Hand the views frozen by :func:`load_cache` back to the garbage collector."""
    gc.unfreeze()
