"""Store pipeline: save document versions and their findings, whole, in transactions.

The transactions run in one writer thread, in the order the items come, so the reactor goes on
downloading while the database works. The writer commits in groups: the documents that came
while it saved the last group are saved together, in one transaction and one commit (at most
GROUP), so a burst of documents shares one wait for the disk and a lone document waits for
none. An item is done only once its transaction is committed, so a crawl that is killed loses
only the documents not yet done, and the next crawl, finding them missing, fetches and stores
them. A group that fails is rolled back and its documents saved one by one, so a bad document
fails alone, with its own error.

Finding ids are stable (source + normalised evidence + category), so the same passage in an
agenda and in its minutes is one finding with two occurrences, and feed GUIDs never change.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Self

from scrapy.crawler import Crawler
from sqlalchemy.orm import Session

from config.places import Places, load_places
from config.schema import SourceConfig
from config.vocabulary import vocabulary
from pipelines.extract import Finding, finding_id
from pipelines.facts import fact_record
from pipelines.runstatus import count
from pipelines.text import Section, section_at
from sidedoor.store import FindingRecord, SourceRecord, Store, VersionRecord
from sidedoor.store.saving import save_document
from spiders.batch import sources_of
from spiders.items import DocumentItem, PortalSnapshotItem

logger = logging.getLogger(__name__)
GROUP = 64  # documents saved in one transaction at most
Counts = dict[str, int]  # a source's run counters to add


def source_record(source: SourceConfig) -> SourceRecord:
    """What the store keeps of a configured source."""
    return SourceRecord(
        id=source.id, name=source.name, place=source.place, state=source.state,
        kind=source.kind.value, platform=source.platform, start_urls=source.urls,
        schedule=source.schedule, enabled=source.enabled, list_id=source.list_id,
        verified=source.verified,
    )



def finding_records(item: DocumentItem, findings: Sequence[Finding],
                    places: Sequence[str] = (), source: SourceRecord | None = None,
                    backfill: bool = False, known: Places | None = None,
                    ) -> list[FindingRecord]:
    """The engine's findings as store records, located in the item's sections; with
    ``places`` (the towns of a state-wide source's state), each is filed under the one town
    its evidence, else its document's title, else its section names. With ``source``, each
    carries its fact (pipelines/facts.py); ``backfill`` marks a source's first crawl;
    ``known`` gives the counties of places (config/places.py)."""
    sections = [Section(**s) for s in item.sections]
    records = []
    for f in findings:
        place = place_of(f, item, sections, places) if places else None
        records.append(FindingRecord(
            place=place,
            id=finding_id(item.source_id, f.key or f.snippet, f.category.value),
            category=f.category.value,
            agencies=list(f.agencies),
            snippet=f.snippet,
            highlights=[[a - f.start, b - f.start] for a, b in f.highlights
                        if f.start <= a < b <= f.end],
            confidence=f.confidence,
            rules=list(f.rules),
            start=f.start,
            end=f.end,
            section=section_at(sections, f.start),
            vendors=list(f.vendors),
            systems=list(f.systems),
            fact=fact_record(f, item, source, place or source.place, backfill, known)
            if source is not None else None,
        ))
    return records


def place_of(finding: Finding, item: DocumentItem, sections: Sequence[Section],
             places: Sequence[str]) -> str | None:
    """The one place of ``places`` a finding is about: named in its evidence, else in its
    document's title, else in its section (page) of the document; None when none or several
    are, so a report naming two towns stays with the state."""
    section = next((s for s in reversed(sections) if s.start <= finding.start), None)
    around = item.text[section.start:section.end] if section else ""
    for text in (finding.snippet, item.title, around):
        named = {p for p in places if re.search(rf"\b{re.escape(p)}\b", text)}
        if named:
            return named.pop() if len(named) == 1 else None
    return None


def statewide(place: str, state: str) -> bool:
    """Whether a place is a whole state (the place of a state auditor, the state police)."""
    return vocabulary().is_state(place, state)


def version_record(item: DocumentItem) -> VersionRecord:
    snapshot = item.snapshot if isinstance(item, PortalSnapshotItem) else None
    return VersionRecord(
        sha256=item.sha256, fetched_at=item.fetched_at, content_type=item.content_type,
        size=len(item.body), title=item.title or item.url, archive_path=item.archive_path,
        text=item.text, sections=item.sections, published=item.published, etag=item.etag,
        last_modified=item.last_modified,
        data=snapshot.to_json() if snapshot is not None else None,
    )


class StorePipeline:
    """Saves documents and findings; counts new, unchanged and found for the run summary."""

    def __init__(self, store: Store, crawler: Crawler, places: Places | None = None) -> None:
        self.store = store
        self.crawler = crawler
        self.places = places
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sidedoor-store")
        # items waiting for the writer, each with what its process_item awaits
        self.pending: deque[tuple[DocumentItem, Future[Counts]]] = deque()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        # SIDEDOOR_PLACES_FILE: the places file of the sources crawled (the demo has its own)
        path = crawler.settings.get("SIDEDOOR_PLACES_FILE")
        return cls(Store.open(crawler.settings["SIDEDOOR_DB_URL"]), crawler,
                   load_places(Path(path) if path else None))

    def open_spider(self) -> None:
        self.sources = {source_id: source_record(spider.source)
                        for source_id, spider in sources_of(self.crawler.spider).items()}
        self.store.sync_sources(self.sources.values())
        # sources crawled for the first time: what they find is old news (backfill)
        self.backfill = self.store.never_crawled(self.sources)
        # facts not yet published (made since the last finished run): their id is their
        # smallest evidence's, whatever order the documents came in (store/saving.py)
        self.fresh: set[str] = self.store.unsettled_findings()
        self._towns: dict[str, list[str]] | None = None

    def towns(self) -> dict[str, list[str]]:
        """The towns of each state that some source watches (read when first needed, so a
        broken patterns file is an error of the document that needed it)."""
        if self._towns is None:
            self._towns = {}
            for place, state in self.store.places().items():
                if not statewide(place, state):
                    self._towns.setdefault(state, []).append(place)
        return self._towns

    def close_spider(self) -> None:
        self.writer.shutdown()

    async def process_item(self, item: DocumentItem) -> DocumentItem:
        """Queue the item for the writer thread; count it here, on the reactor, once it is
        committed."""
        done: Future[Counts] = Future()
        self.pending.append((item, done))
        self.writer.submit(self.save_pending)
        for name, value in (await asyncio.wrap_future(done)).items():
            count(self.crawler, item.source_id, name, value)
        return item

    def save_pending(self) -> None:
        """In the writer thread: save the items waiting (GROUP at most; none when an earlier
        call took them) in one transaction, then mark the unchanged ones as seen."""
        group = [self.pending.popleft() for _ in range(min(GROUP, len(self.pending)))]
        new = [(item, done) for item, done in group if not item.unchanged]
        if len(new) > 1:
            fresh = set(self.fresh)
            try:
                with self.store.session() as s:
                    saved = [self.save(s, item) for item, _ in new]
            except Exception:  # each is tried again alone, failing with its own
                self.fresh.clear()
                self.fresh.update(fresh)
            else:
                for (item, done), counts in zip(new, saved, strict=True):
                    self.done(item, done, counts)
                new = []
        for item, done in new:
            self.save_alone(item, done)
        for item, done in group:
            if item.unchanged:
                self.save_alone(item, done)

    def save_alone(self, item: DocumentItem, done: Future[Counts]) -> None:
        """Store one item in its own transaction; its error is its process_item's."""
        try:
            if item.unchanged:
                self.store.touch_document(item.source_id, item.url, item.sha256,
                                          item.fetched_at)
                counts = {"documents_unchanged": 1}
            else:
                with self.store.session() as s:
                    counts = self.save(s, item)
        except Exception as exc:  # handed to the item's own process_item
            done.set_exception(exc)
        else:
            self.done(item, done, counts)

    def done(self, item: DocumentItem, done: Future[Counts], counts: Counts) -> None:
        if not item.unchanged:
            logger.info("source %s: stored %s (%d findings, %d new)", item.source_id,
                        item.url, len(item.findings), counts["findings_new"])
        done.set_result(counts)

    def save(self, s: Session, item: DocumentItem) -> Counts:
        """Save one new or changed item in the session's transaction; returns the source's
        counters to add."""
        source = self.sources[item.source_id]
        towns = self.towns().get(source.state, []) if statewide(source.place, source.state) \
            else []
        is_new, new_findings = save_document(
            s, source, item.url, version_record(item),
            finding_records(item, item.findings, towns, source,
                            backfill=item.source_id in self.backfill, known=self.places),
            item.fetched_at, self.fresh,
        )
        return {"documents_new" if is_new else "documents_unchanged": 1,
                "findings_new": new_findings}
