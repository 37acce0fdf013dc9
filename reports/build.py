"""Build the whole public site from the store: pages, feeds, open data, archive, search.

The entry point of ``sidedoor build`` (and of ``sidedoor run`` and ``sidedoor demo`` after
crawling). Output paths are listed in README, "Outputs"; the data files in docs/data.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from config.places import Places
from config.reviews import Review
from config.schema import SiteConfig
from pipelines.extract.patterns import PatternConfig, load_patterns
from reports.context import load_site_data
from reports.feeds import write_feeds
from reports.glossary import agency_terms, full_names
from reports.incremental import Fingerprints
from reports.opendata import write_open_data
from reports.pages import write_pages
from reports.publish import link_archive, publish, staging
from reports.search import index_site
from reports.site import SiteWriter
from reports.status import load_status_events, write_status_feed
from sidedoor.store import Store
from sidedoor.store.archive import Archive, open_archive

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    pages: int
    feeds: int
    rendered: int  # pages and feeds rendered; the others were unchanged and reused
    reused: int
    seconds: float
    out: Path


def build_site(store: Store, out: Path, *, site: SiteConfig, archive_dir: Archive | Path,
               now: datetime,
               reviews: Mapping[str, Review] | None = None,
               search_index: bool = True, patterns: PatternConfig | None = None,
               places: Places | None = None) -> BuildResult:
    """Build the site from ``store`` into a temporary folder, then swap it in at ``out``.

    ``now`` is shown as the build time and written in the data files; everything else comes
    from the store, so the same store gives the same site. Dismissed findings in
    ``reviews`` are left out everywhere. Agencies' full names come from ``patterns``
    (config/patterns.yaml when not given), the positions of places on the maps from
    ``places`` (config/places.yaml). If anything fails, ``out`` keeps the old site.
    """
    terms = agency_terms(patterns or load_patterns())
    archive = open_archive(archive_dir)  # a folder, or an S3-compatible store
    started = time.perf_counter()
    out = Path(out)
    base_url = str(site.base_url).rstrip("/") + "/"
    with staging(out) as folder, store.session() as session:
        data = load_site_data(session, reviews=reviews or {}, broken_after=site.broken_after,
                              archive_dir=archive, full_names=full_names(terms),
                              parents={t.short: t.parent for t in terms})
        fingerprints = Fingerprints(folder, out if out.is_dir() else None)
        writer = SiteWriter(folder, {"site": site, "base_url": base_url}, fingerprints)
        writer.static()
        write_pages(writer, data, session, now, terms, places)
        feeds = write_feeds(folder, data, site, writer.env, now, fingerprints)
        write_status_feed(folder, load_status_events(session, site.broken_after), site,
                          fallback=data.findings[0].first_seen if data.findings else now)
        feeds += 1
        write_open_data(folder, data, base_url, now)
        link_archive(archive, data.archive_files, folder / "archive")
        fingerprints.save()
        if search_index:
            index_site(folder, previous=out if out.is_dir() else None)
        publish(folder, out)
    result = BuildResult(pages=writer.pages, feeds=feeds, rendered=fingerprints.rendered,
                         reused=fingerprints.reused,
                         seconds=round(time.perf_counter() - started, 3), out=out)
    logger.info("built %(pages)d pages and %(feeds)d feeds into %(out)s in %(seconds).1fs "
                "(%(rendered)d files rendered, %(reused)d unchanged and reused)",
                {"pages": result.pages, "feeds": result.feeds, "out": out,
                 "seconds": result.seconds, "rendered": result.rendered,
                 "reused": result.reused})
    return result
