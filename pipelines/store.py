"""Store pipeline: save each document version and its findings in one transaction.

The transactions run in one writer thread, in the order the items come, so the reactor goes on
downloading while the database works (a commit waits for the disk).

Finding ids are stable (source + normalised evidence + category), so the same passage in an
agenda and in its minutes is one finding with two occurrences, and feed GUIDs never change.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Self

from scrapy.crawler import Crawler

from config.places import Places, load_places
from config.schema import SourceConfig
from config.vocabulary import vocabulary
from pipelines.extract import Finding, finding_id
from pipelines.facts import fact_record
from pipelines.runstatus import count
from pipelines.text import Section, section_at
from sidedoor.store import FindingRecord, SourceRecord, Store, VersionRecord
from spiders.batch import sources_of
from spiders.items import DocumentItem, PortalSnapshotItem

logger = logging.getLogger(__name__)


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
        """Save the item in the writer thread; count it here, on the reactor."""
        counts = await asyncio.get_running_loop().run_in_executor(self.writer, self.save, item)
        for name, value in counts.items():
            count(self.crawler, item.source_id, name, value)
        return item

    def save(self, item: DocumentItem) -> dict[str, int]:
        """Store one item; returns the source's counters to add."""
        if item.unchanged:
            self.store.touch_document(item.source_id, item.url, item.sha256, item.fetched_at)
            return {"documents_unchanged": 1}
        source = self.sources[item.source_id]
        towns = self.towns().get(source.state, []) if statewide(source.place, source.state) \
            else []
        is_new, new_findings = self.store.save_document(
            source, item.url, version_record(item),
            finding_records(item, item.findings, towns, source,
                            backfill=item.source_id in self.backfill, known=self.places),
            item.fetched_at, self.fresh,
        )
        logger.info("source %s: stored %s (%d findings, %d new)", item.source_id, item.url,
                    len(item.findings), new_findings)
        return {"documents_new" if is_new else "documents_unchanged": 1,
                "findings_new": new_findings}
