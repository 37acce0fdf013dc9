"""Saving one document version and its findings (``Store.save_document``): a finding whose
fact is already stored becomes more evidence of it (sidedoor/store/facts.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, insert, inspect, select, update
from sqlalchemy.orm import InstanceState, Session

from sidedoor.store.facts import add_evidence, new_fact, same_fact_query
from sidedoor.store.models import Document, DocumentVersion, Finding, Occurrence
from sidedoor.store.records import FindingRecord, SourceRecord, VersionRecord


def save_document(
    s: Session,
    source: SourceRecord,
    url: str,
    version: VersionRecord,
    findings: Sequence[FindingRecord],
    now: datetime,
    fresh: set[str] | None = None,
) -> tuple[bool, int]:
    """Save a document version and its findings in the session's transaction.

    Returns (whether the version is new, how many findings are new).
    """
    doc = s.scalar(select(Document).where(Document.source_id == source.id,
                                          Document.url == url))
    if doc is None:
        doc = Document(source_id=source.id, url=url, title=version.title,
                       first_seen=now, last_seen=now, checked_at=now)
        s.add(doc)
        s.flush()
    doc.title, doc.last_seen = version.title or doc.title, max(doc.last_seen, now)
    doc.checked_at = max(doc.checked_at, now)
    bump_if_shown_changed(doc)
    row = s.scalar(select(DocumentVersion).where(
        DocumentVersion.document_id == doc.id, DocumentVersion.sha256 == version.sha256))
    is_new = row is None
    if row is None:
        row = DocumentVersion(document_id=doc.id, **version.__dict__)
        s.add(row)
        doc.revision += 1
        s.flush()
    new_findings = sum(save_finding(s, source, row.id, f, now, fresh) for f in findings)
    return is_new, new_findings


def save_finding(
    s: Session, source: SourceRecord, version_id: int, record: FindingRecord, now: datetime,
    fresh: set[str] | None = None,
) -> bool:
    """Save one finding of a version; True when it is a new fact. ``fresh`` holds the ids of
    the facts this writer made (a crawl process): nothing has published them yet, so one of
    them takes the smallest id of its evidence, whatever order the documents came in."""
    finding = s.get(Finding, record.id) or _same_fact(s, record)
    is_new = finding is None
    if (finding is not None and fresh is not None and finding.id in fresh
            and record.id < finding.id):
        fresh.discard(finding.id)
        finding = _rekey(s, finding, record.id)
        fresh.add(finding.id)
    if finding is None:
        finding = Finding(
            id=record.id, source_id=source.id, category=record.category,
            agencies=record.agencies, place=record.place or source.place,
            state=source.state,
            snippet=record.snippet, highlights=record.highlights,
            confidence=record.confidence, rules=record.rules, vendors=record.vendors,
            systems=record.systems, first_seen=now, last_seen=now,
            categories=[record.category],
        )
        s.add(finding)
        if record.fact is not None:
            new_fact(finding, record.fact)
        s.flush()
        if fresh is not None:
            fresh.add(finding.id)
    elif (record.fact is not None and add_evidence(finding, record, now)
          and finding.id != record.id):
        # the evidence that says the newest status is the one to quote
        finding.snippet, finding.highlights = record.snippet, record.highlights
    if not is_new and finding.id == record.id and now >= finding.last_seen:
        # the newest wording wins: aggregate findings (counts) keep their id as they change
        finding.snippet, finding.highlights = record.snippet, record.highlights
        finding.agencies, finding.rules = record.agencies, record.rules
    finding.last_seen = max(finding.last_seen, now)
    bump_if_shown_changed(finding)
    exists = s.scalar(select(Occurrence.id).where(
        Occurrence.finding_id == finding.id, Occurrence.version_id == version_id,
        Occurrence.start == record.start))
    if exists is None:
        s.add(Occurrence(finding_id=finding.id, version_id=version_id, start=record.start,
                         end=record.end, section=record.section, first_seen=now))
        finding.revision += 1
    return is_new


_NOT_SHOWN = frozenset({"last_seen", "revision"})  # a sighting alone changes no page


def bump_if_shown_changed(row: Finding | Document) -> None:
    """Move ``row``'s revision when a column other than ``last_seen`` changed since it was
    loaded (or flushed), so the next site build reads it again (reports/viewcache.py)."""
    state: InstanceState[Finding | Document] = inspect(row)
    if state.pending or state.transient:
        return  # a new row: the build knows it by its id
    if any(attr.history.has_changes() for attr in state.attrs if attr.key not in _NOT_SHOWN):
        row.revision += 1

def _rekey(s: Session, finding: Finding, new_id: str) -> Finding:
    """The same finding under ``new_id``, its evidence moved along."""
    s.flush()
    values = {column.key: getattr(finding, column.key) for column in Finding.__mapper__.columns}
    old_id = finding.id
    s.expunge(finding)
    s.execute(insert(Finding).values(**{**values, "id": new_id}))
    s.execute(update(Occurrence).where(Occurrence.finding_id == old_id)
              .values(finding_id=new_id))
    s.execute(delete(Finding).where(Finding.id == old_id))
    moved = s.get(Finding, new_id)
    assert moved is not None
    return moved


def _same_fact(s: Session, record: FindingRecord) -> Finding | None:
    """The stored finding of the same fact as ``record`` (equal keys), the first seen."""
    if record.fact is None or not record.fact.key:
        return None
    return s.scalar(same_fact_query(record.fact.key))
