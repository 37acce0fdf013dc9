"""The fact of each finding of a document, as the store keeps it (pipelines/extract/facts.py).

The engine finds passages; this module says what each one means for the reader: whose data
(the owner: the agency of the finding's place, named in the evidence, the document or the
source), who got it (recipients with their states), how and in what status, when, how much,
which categories apply and which state laws it may conflict with, and the key under which
findings of several documents are one fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from config.laws import laws_of_fact
from config.patterns import load_patterns
from config.places import Places, load_places
from config.vocabulary import vocabulary
from pipelines.extract import Finding
from pipelines.extract.facts import (
    KIND,
    Fact,
    categories_of,
    channel_of,
    counts_of,
    fact_key,
    most_specific,
    recipients_of,
    status_of,
)
from pipelines.extract.periods import period_of
from sidedoor.store import FactRecord, SourceRecord
from spiders.items import DocumentItem, PortalSnapshotItem

_AGENCY_WORDS = (r"(?:[A-Z]{2}\s+)?(?:Police\s+Department|Police\s+Dept\.?|PD|"
                 r"County\s+Sheriff['’]s\s+Office|Sheriff['’]s\s+(?:Office|Department)|"
                 r"Sheriff|Police)")
_POLICE = re.compile(r"\b(?:police department|chief of police|police chief|Chief\s+[A-Z])",
                     re.IGNORECASE)
_SHERIFF = re.compile(r"\bsheriff['’]s office\b", re.IGNORECASE)


@dataclass(frozen=True)
class Vocab:
    """What the facts need of config/patterns.yaml beyond its vocabulary
    (config/vocabulary.py): the agency each agency is part of, and the data brokers."""

    parents: dict[str, str | None]
    brokers: frozenset[str]


@lru_cache(maxsize=4)
def vocab() -> Vocab:
    patterns = load_patterns()
    return Vocab(
        parents={short: entry.parent for short, entry in patterns.agencies.items()},
        brokers=frozenset(name for name, v in patterns.vendors.items() if v.broker),
    )


def owner_agency(place: str, texts: tuple[str, ...]) -> str:
    """The agency whose data it is, as the first of ``texts`` (evidence, document title,
    source name) names it: "Maplewood Police Department", "Lakeshore County Sheriff's
    Office"; else the place's police or sheriff when the evidence speaks of one; else ""."""
    named = re.compile(rf"\b{re.escape(place)}\s+{_AGENCY_WORDS}")
    for text in texts:
        match = named.search(text)
        if match:
            return " ".join(match.group(0).split())
    evidence = texts[0] if texts else ""
    if place.endswith("County") and _SHERIFF.search(evidence):
        return f"{place} Sheriff's Office"
    if _POLICE.search(evidence) and not place.endswith("County"):
        return f"{place} Police Department"
    return ""


def fact_of(finding: Finding, *, place: str, state: str, title: str, published: str | None,
            document: str) -> Fact:
    """What ``finding`` (found in a document titled ``title``, dated ``published``, whose
    text is ``document``) says happened to the data of ``place``, ``state``."""
    v, words = vocab(), vocabulary()
    kind = KIND[finding.category]
    recipients = recipients_of(finding.agencies, finding.snippet, state,
                               finding.category.value, words.state_names)
    status, status_quote = status_of(finding.snippet, title, kind)
    start, end = period_of(finding.snippet, published, document)
    return Fact(
        kind=kind,
        channel=channel_of(finding.snippet, finding.vendors, finding.systems, v.brokers),
        recipients=recipients,
        categories=categories_of(finding.category.value, recipients, status, state,
                                 words.federal_agencies),
        status=status, status_quote=status_quote,
        event_start=start, event_end=end,
        counts=counts_of(finding.snippet),
    )


def key_of(fact: Fact, finding: Finding, place: str, state: str) -> str:
    """The store's merge key of a finding's fact."""
    return fact_key((place, state), most_specific(fact.recipients, vocab().parents),
                    fact.channel, fact.kind, aggregate=finding.key)


def fact_record(finding: Finding, item: DocumentItem, source: SourceRecord, place: str,
                backfill: bool = False, places: Places | None = None) -> FactRecord:
    """The fact of ``finding`` in ``item`` as the store keeps it. A portal page has no date
    of its own: its facts stand as of the day it was fetched."""
    published = item.published or (item.fetched_at.date().isoformat()
                                   if isinstance(item, PortalSnapshotItem)
                                   and getattr(item.snapshot, "layout", "") != "audit_log"
                                   else None)
    fact = fact_of(finding, place=place, state=source.state, title=item.title,
                   published=published, document=item.text)
    return FactRecord(
        key=key_of(fact, finding, place, source.state),
        categories=list(fact.categories),
        owner=owner_agency(place, (finding.snippet, item.title, source.name)),
        county=county_of(place, source.state, places),
        recipients=[r.to_json() for r in fact.recipients],
        channel=fact.channel, kind=fact.kind,
        status=fact.status, status_quote=fact.status_quote,
        status_date=published if fact.status else None,
        event_start=fact.event_start, event_end=fact.event_end,
        counts=fact.counts, laws=law_ids(fact, source.state), backfill=backfill,
    )


def county_of(place: str, state: str, places: Places | None = None) -> str:
    """The county of a place, from a places file (config/places.py, the shipped one by
    default); "" when unknown."""
    if place.endswith(" County"):
        return place
    return (places or load_places()).county_of(place, state)




def law_ids(fact: Fact, state: str) -> list[str]:
    """The ids of the state laws (config/laws.yaml) the fact may conflict with."""
    words = vocabulary()
    return [law.id for law in laws_of_fact(
        state, kind=fact.kind, status=fact.status, categories=fact.categories,
        recipients=[r.to_json() for r in fact.recipients], federal=words.federal_agencies,
        immigration=words.immigration_agencies)]
