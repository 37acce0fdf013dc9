"""One fact, many documents: how a finding's fact grows as evidence is added.

A finding whose fact key equals a stored finding's is more evidence of that fact: it adds
an occurrence to the stored finding (whose id, and so its page and feed GUID, stay), widens
its categories, recipients, period and counts, and moves its status when the new document
says something later ("proposed" on the agenda, "adopted" in the minutes). A status change is
news: ``status_changed`` records when, so feeds and notifications can tell.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, select

from sidedoor.store.models import Finding

if TYPE_CHECKING:
    from sidedoor.store import FactRecord, FindingRecord

STATUSES = ("proposed", "adopted", "in_effect", "ended")  # as pipelines/extract/facts.py


def same_fact_query(key: str) -> Select[Finding]:
    """The first-seen finding with fact key ``key``."""
    return (select(Finding).where(Finding.fact_key == key)
            .order_by(Finding.first_seen, Finding.id).limit(1))


def new_fact(finding: Finding, fact: FactRecord) -> None:
    """Fill a new finding's fact fields from its first evidence."""
    finding.fact_key = fact.key
    finding.categories = list(fact.categories)
    finding.owner, finding.county = fact.owner, fact.county
    finding.recipients = list(fact.recipients)
    finding.channel, finding.kind = fact.channel, fact.kind
    finding.status, finding.status_quote = fact.status, fact.status_quote
    finding.status_date = fact.status_date
    finding.event_start, finding.event_end = fact.event_start, fact.event_end
    finding.counts, finding.laws = dict(fact.counts), list(fact.laws)
    finding.backfill = fact.backfill


def add_evidence(finding: Finding, record: FindingRecord, now: datetime) -> bool:
    """Merge more evidence of ``finding``'s fact into it; True when it moved the status."""
    fact = record.fact
    assert fact is not None
    finding.categories = _union(finding.categories or [finding.category], fact.categories)
    finding.recipients = _union(finding.recipients, fact.recipients)
    finding.agencies = _union(finding.agencies, record.agencies)
    finding.vendors = _union(finding.vendors, record.vendors)
    finding.systems = _union(finding.systems, record.systems)
    finding.laws = _union(finding.laws, fact.laws)
    finding.counts = {**fact.counts, **(finding.counts or {})}
    finding.owner = finding.owner or fact.owner
    finding.county = finding.county or fact.county
    finding.channel = finding.channel or fact.channel
    finding.confidence = max(finding.confidence, record.confidence)
    finding.event_start = _earliest(finding.event_start, fact.event_start)
    finding.event_end = _latest(finding.event_end, fact.event_end)
    if not _later(fact.status, fact.status_date, finding.status, finding.status_date):
        return False
    if finding.status and finding.status != fact.status:
        finding.status_changed = now
    finding.status, finding.status_quote = fact.status, fact.status_quote
    finding.status_date = fact.status_date
    return True


def _later(status: str, date: str | None, than: str, than_date: str | None) -> bool:
    """Whether ``status`` said on ``date`` supersedes ``than`` said on ``than_date``: a later
    document wins; on the same day (the agenda and the minutes) the later stage wins."""
    if not status:
        return False
    if not than:
        return True
    if date and than_date and date[:10] != than_date[:10]:
        return date > than_date
    return _rank(status) > _rank(than)


def _rank(status: str) -> int:
    return STATUSES.index(status) if status in STATUSES else -1


def _union(old: list[Any] | None, new: list[Any]) -> list[Any]:
    out = list(old or [])
    for value in new:
        if value not in out:
            out.append(value)
    return out


def _earliest(a: str | None, b: str | None) -> str | None:
    return min((v for v in (a, b) if v), default=None)


def _latest(a: str | None, b: str | None) -> str | None:
    return max((v for v in (a, b) if v), default=None)
