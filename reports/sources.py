"""The health of every source, read from its recent runs, for the sources status page.

A source is flagged broken when its last ``broken_after`` runs all failed or found nothing
(``config/site.yaml``), so a dead source shows up on the site instead of going quiet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reports.views import SourceView, http_url, place_facet
from sidedoor.store import Document, Source, SourceRun

FAILED = ("error", "empty")
SHOWN_RUNS = 5


def load_sources(session: Session, broken_after: int) -> list[SourceView]:
    """Every source with its last runs, last success, last error and document count."""
    recent = _recent_outcomes(session, max(broken_after, SHOWN_RUNS))
    successes = _pairs(session, select(SourceRun.source_id, func.max(SourceRun.started_at))
                       .where(SourceRun.outcome == "ok").group_by(SourceRun.source_id))
    errors = _last_errors(session)
    documents = _pairs(session, select(Document.source_id, func.count(Document.id))
                       .group_by(Document.source_id))
    views = []
    for source in session.scalars(select(Source).order_by(Source.id)):
        runs = recent.get(source.id, [])
        outcomes = tuple(outcome for outcome, _ in runs)
        error_at, messages = errors.get(source.id, (None, ()))
        views.append(SourceView(
            id=source.id, name=source.name, place=place_facet(source.place, source.state),
            place_name=source.place, state=source.state,
            kind=source.kind, platform=source.platform, schedule=source.schedule,
            enabled=source.enabled,
            start_urls=tuple(u for u in (http_url(str(x)) for x in source.start_urls) if u),
            last_run=runs[0][1] if runs else None, last_success=successes.get(source.id),
            last_error=error_at, last_error_messages=messages, recent_outcomes=outcomes,
            broken=source.enabled and is_broken(outcomes, broken_after),
            documents=documents.get(source.id, 0), findings=0, list_id=source.list_id,
            verified=source.verified or source.id in successes,
        ))
    return views


def _pairs(session: Session, query: Any) -> dict[Any, Any]:  # Any: two-column selects
    return {key: value for key, value in session.execute(query)}


def is_broken(outcomes: tuple[str, ...], broken_after: int) -> bool:
    """Whether the newest ``broken_after`` outcomes (newest first) all failed or were empty."""
    last = outcomes[:broken_after]
    return len(last) == broken_after and all(o in FAILED for o in last)


def _ranked(limit: int, *where: Any) -> Any:  # Any: a SQLAlchemy subquery
    rank = func.row_number().over(
        partition_by=SourceRun.source_id,
        order_by=(SourceRun.started_at.desc(), SourceRun.id.desc()),
    ).label("rank")
    query = select(SourceRun.source_id, SourceRun.outcome, SourceRun.started_at,
                   SourceRun.error_messages, rank).where(*where).subquery()
    return select(query).where(query.c.rank <= limit).order_by(query.c.source_id,
                                                                query.c.rank)


def _recent_outcomes(session: Session, limit: int) -> dict[str, list[tuple[str, datetime]]]:
    found: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
    for row in session.execute(_ranked(limit)):
        found[row.source_id].append((row.outcome, row.started_at))
    return found


def _last_errors(session: Session) -> dict[str, tuple[datetime, tuple[str, ...]]]:
    rows = session.execute(_ranked(1, SourceRun.outcome == "error"))
    return {r.source_id: (r.started_at, tuple(str(m) for m in r.error_messages or ()))
            for r in rows}


@dataclass(frozen=True)
class ListHealth:
    """How the sources of one source list are doing, for one row of the sources page."""

    list_id: str
    sources: int
    ok: int  # their newest run found documents
    failing: int  # their newest run failed or found nothing
    never_run: int
    unverified: int  # no live run has reached them yet
    broken: tuple[SourceView, ...]


def list_health(sources: list[SourceView]) -> tuple[list[SourceView], list[ListHealth]]:
    """The sources outside lists, and one summary per list (a list of 5,000 portals is one
    row, with its broken members named)."""
    single = [s for s in sources if not s.list_id]
    members: dict[str, list[SourceView]] = defaultdict(list)
    for s in sources:
        if s.list_id:
            members[s.list_id].append(s)
    return single, [ListHealth(
        list_id=list_id, sources=len(group),
        ok=sum(1 for s in group if s.recent_outcomes[:1] == ("ok",)),
        failing=sum(1 for s in group if s.recent_outcomes[:1] in (("error",), ("empty",))),
        never_run=sum(1 for s in group if not s.recent_outcomes),
        unverified=sum(1 for s in group if not s.verified),
        broken=tuple(s for s in group if s.broken)) for list_id, group in sorted(members.items())]
