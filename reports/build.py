"""Build the whole public site from the store: pages, feeds, open data, archive, search.

The entry point of ``sidedoor build`` (and of ``sidedoor run`` and ``sidedoor demo`` after
crawling). Output paths are listed in README, "Outputs"; the data files in docs/data.md.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from config.places import Places
from config.reviews import Review
from config.schema import SiteConfig
from pipelines.extract.patterns import PatternConfig, load_patterns
from reports.buildstate import rebind_state, site_digest
from reports.context import load_site_data
from reports.feeds import write_feeds
from reports.glossary import AgencyTerm, agency_terms, full_names
from reports.incremental import Fingerprints
from reports.opendata import write_open_data
from reports.pages import ClockPages, write_pages
from reports.publish import link_archive, publish, staging
from reports.reload import reload_site_data
from reports.search import index_site
from reports.site import SiteWriter
from reports.status import load_status_events, write_status_feed
from reports.unchanged import CLOCK, Clock, list_files, load_clock, retime, save_clock
from reports.viewcache import (
    CACHE,
    Stamp,
    ViewCache,
    inputs_key,
    load_cache,
    read_stamp,
    save_cache,
    thaw,
)
from reports.views import SiteData
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

    The site at ``out`` is the last build's: what did not change is taken from it
    (reports/incremental.py, viewcache.py, reload.py, unchanged.py), and the result is
    the same as a build from scratch. What the next build needs besides is kept beside
    ``out``, never in it (reports/buildstate.py).
    """
    terms = agency_terms(patterns or load_patterns())
    started = time.perf_counter()
    out = Path(out)
    previous = out if out.is_dir() else None
    bound = site_digest(previous)  # the state kept for another site is not ours
    base_url = str(site.base_url).rstrip("/") + "/"
    key = inputs_key(site, terms, places, search_index)
    reviews = reviews or {}
    with staging(out) as folder, store.session() as session, _thawing():
        stamp = read_stamp(session, reviews)
        writer = _writer(folder, previous, site, base_url)
        clock = load_clock(out, bound, key, stamp.digest())
        fresh: list[str] | None = None
        kept: tuple[ViewCache, Clock] | None = None
        if clock is not None and previous is not None and writer.fingerprints.old:
            try:
                fresh = retime(previous, folder, clock, writer, now)
                pages, feeds = clock.counts
            except OSError as exc:  # a file of the last build is gone
                logger.info("cannot reuse the last build as it is (%s); building again", exc)
                _empty(folder)
                writer = _writer(folder, previous, site, base_url)
        if fresh is None:
            cache = load_cache(out, bound, key)
            data = _data(session, cache, stamp, writer.fingerprints, site, reviews,
                         archive_dir, terms)
            writer.kept = cache.fragments if cache is not None else {}
            pages, feeds, shown, held = _write(session, writer, data, site, now, terms,
                                               places, archive_dir)
            facets = [x for f in data.findings for x in (f.place, f.category, *f.agencies)]
            views = ViewCache(key, stamp, data, writer.fingerprints.encodings(
                [*data.findings, *data.documents, *facets]), writer.fragments)
            # let go of what only this build needed before pickling the rest (peak memory)
            writer.fingerprints.forget()
            writer.kept, cache = {}, None
            if search_index:
                index_site(folder, previous=previous, linked=writer.fingerprints.linked)
            files = list_files(folder)
            kept = views, Clock(key, stamp.digest(), shown, held, (pages, feeds), files)
            fresh = [path for path in files if path not in writer.fingerprints.linked]
        publish(folder, out, fresh=fresh)
        _keep_state(out, bound, kept)
    fingerprints = writer.fingerprints
    result = BuildResult(pages=pages, feeds=feeds, rendered=fingerprints.rendered,
                         reused=fingerprints.reused,
                         seconds=round(time.perf_counter() - started, 3), out=out)
    logger.info("built %(pages)d pages and %(feeds)d feeds into %(out)s in %(seconds).1fs "
                "(%(rendered)d files rendered, %(reused)d unchanged and reused)",
                {"pages": result.pages, "feeds": result.feeds, "out": out,
                 "seconds": result.seconds, "rendered": result.rendered,
                 "reused": result.reused})
    return result


def _keep_state(out: Path, bound: str | None, kept: tuple[ViewCache, Clock] | None) -> None:
    """Keep, beside the site just published at ``out``, what the next build needs: this
    build's views and clock pages, or (``kept`` None: the last site retimed) the last
    build's, which describe this site as well. The site is out already: a state that cannot
    be written costs the next build a full read, not this one its site."""
    site = site_digest(out)
    try:
        if kept is None:
            for name in (CACHE, CLOCK):
                rebind_state(out, name, bound, site)
            return
        if site is None:  # no fingerprints: nothing to bind a state to
            return
        views, clock = kept
        save_cache(out, site, views)
        save_clock(out, site, clock)
    except OSError as exc:
        logger.warning("cannot keep the build's state beside %s (%s); the next build reads "
                       "the whole store", out, exc)


@contextmanager
def _thawing() -> Iterator[None]:
    try:
        yield
    finally:
        thaw()


def _writer(folder: Path, previous: Path | None, site: SiteConfig,
            base_url: str) -> SiteWriter:
    return SiteWriter(folder, {"site": site, "base_url": base_url},
                      Fingerprints(folder, previous))


def _empty(folder: Path) -> None:
    for item in folder.iterdir():
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item)
        else:
            item.unlink()


def _data(session: Session, cache: ViewCache | None, stamp: Stamp, fingerprints: Fingerprints,
          site: SiteConfig, reviews: Mapping[str, Review], archive_dir: Archive | Path,
          terms: list[AgencyTerm]) -> SiteData:
    """The site's data: what changed since the last build read again, the rest kept from
    it with its digests; all of it read when there is no usable last build."""
    names, parents = full_names(terms), {t.short: t.parent for t in terms}
    if cache is None:
        return load_site_data(session, reviews=reviews, broken_after=site.broken_after,
                              archive_dir=archive_dir, full_names=names, parents=parents)
    fingerprints.remember(cache.digests)
    return reload_site_data(session, cache, stamp, reviews=reviews,
                            broken_after=site.broken_after, archive_dir=archive_dir,
                            full_names=names, parents=parents, fingerprints=fingerprints)


def _write(session: Session, writer: SiteWriter, data: SiteData, site: SiteConfig,
           now: datetime, terms: list[AgencyTerm], places: Places | None,
           archive_dir: Archive | Path) -> tuple[int, int, ClockPages, dict[str, str]]:
    """Write pages, feeds, open data and archived copies; return the counts of pages and
    feeds, and the pages that show the build time with a digest of what they show."""
    folder, fingerprints = writer.out, writer.fingerprints
    base_url = str(writer.common["base_url"])
    writer.static()
    clock, held = write_pages(writer, data, session, now, terms, places)
    feeds = write_feeds(folder, data, site, writer.env, now, fingerprints)
    write_status_feed(folder, load_status_events(session, site.broken_after), site,
                      fallback=data.findings[0].first_seen if data.findings else now)
    feeds += 1
    write_open_data(folder, data, base_url, now, fingerprints)
    link_archive(open_archive(archive_dir), data.archive_files, folder / "archive")
    fingerprints.save()
    return writer.pages, feeds, clock, held
