"""A search audit read for its reasons: immigration-related searches, searches for federal agencies.

Pure functions over :class:`~spiders.portal_snapshot.AuditRow` lists, used by
``pipelines/portal.py`` to render a snapshot's audit sections (a summary, then the rows grouped
by what they show, pipelines/portal_rows.py) and to report findings:

- reasons naming immigration enforcement ("ICE", "ICE WARRANT", "immigration", "HSI") →
  ``immigration_search``;
- reasons naming another federal agency the search was run for ("Usms case", "US Marshall
  assist", "FBI ASSIST: BANK THEFT", "FBI SAFE ST TF"), or a federal searching organisation in
  a network audit → ``federal_access``: a federal agency used local data through local searches.

Reasons are typed by officers, so the short names match in any case ("Usms"), except where a
word could be something else ("DEA" only in capitals). Look-alikes are not federal: a street
or a person named Marshall ("MARSHALL 417 VEH"), a town marshal, a "US 101" highway.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from config.vocabulary import vocabulary
from pipelines.portal_rows import Row, RowGroup, mark
from spiders.portal_snapshot import AuditRow
from spiders.portal_snapshot import federal_agencies as _federal_agencies

MASKED = re.compile(r"^[\s*#xX-]*$|^redacted$", re.I)
# The facts an audit's counts are evidence of, whatever the counts (stable finding ids).
IMMIGRATION_KEY = "immigration-related reasons in the search audit"
FEDERAL_SEARCH_KEY = "searches for federal agencies in the search audit"
# The titles of the sections holding the rows of those facts.
IMMIGRATION_ROWS = "searches with immigration-related reasons"
FEDERAL_ROWS = "searches for or by federal agencies"


# An audit repeats a few reasons and searchers thousands of times: each is read once.
@lru_cache(maxsize=4096)
def immigration_agencies(reason: str) -> tuple[str, ...] | None:
    """The agencies an immigration-related search reason names (maybe none), or None when the
    reason is not immigration-related (the words of config/patterns.yaml)."""
    return vocabulary().immigration_reason(reason)


@lru_cache(maxsize=4096)
def federal_reason_agencies(reason: str) -> tuple[str, ...]:
    """The federal agencies other than immigration ones a search reason names ("Usms case" →
    USMS, "FBI SAFE ST TF" → FBI), or () (``search_reason_agencies`` of patterns.yaml)."""
    return vocabulary().reason_agencies_in(reason)


@lru_cache(maxsize=4096)
def federal_agencies(organization: str) -> tuple[str, ...]:
    """The federal agencies a searching organisation's name refers to, or ()."""
    return tuple(_federal_agencies(organization))


def searcher(row: AuditRow) -> str:
    """Who ran a search: the searching organisation of network audits, else the user."""
    return row.organization or row.user_id


def immigration_rows(rows: list[AuditRow]) -> list[AuditRow]:
    """Searches logged with immigration-related reasons."""
    return [r for r in rows if immigration_agencies(r.reason) is not None]


def federal_rows(rows: list[AuditRow]) -> list[AuditRow]:
    """Searches run for a federal agency (by their reason) or by one (their organisation),
    immigration searches apart: those are reported as immigration searches."""
    return [r for r in rows if immigration_agencies(r.reason) is None
            and (federal_reason_agencies(r.reason) or federal_agencies(r.organization))]


def federal_row_agencies(rows: list[AuditRow]) -> tuple[str, ...]:
    """The federal agencies named by the reasons and searching organisations of ``rows``."""
    names = [a for r in rows for a in (*federal_reason_agencies(r.reason),
                                       *federal_agencies(r.organization))]
    return tuple(dict.fromkeys(names))


def _counts(values: list[str]) -> str:
    return ", ".join(f"{v}: {n}" for v, n in Counter(values).most_common())


def _with_searchers(line: str, rows: list[AuditRow]) -> str:
    searchers = [searcher(r) for r in rows if not MASKED.match(searcher(r))]
    return f"{line}; by {_counts(searchers)}" if searchers else line


def immigration_line(rows: list[AuditRow]) -> str | None:
    """The audit line counting immigration-related searches, or None."""
    hits = immigration_rows(rows)
    if not hits:
        return None
    searches = "search" if len(hits) == 1 else "searches"
    return _with_searchers(f"Search audit: {len(hits)} {searches} with immigration-related "
                           f"reasons ({_counts([r.reason for r in hits])})", hits)


def federal_line(rows: list[AuditRow]) -> str | None:
    """The audit line counting searches run for or by federal agencies, or None."""
    hits = federal_rows(rows)
    if not hits:
        return None
    searches = "search" if len(hits) == 1 else "searches"
    agencies = ", ".join(federal_row_agencies(hits))
    reasons = _counts([r.reason or "(no reason)" for r in hits])
    return _with_searchers(f"Search audit: {len(hits)} {searches} for or by federal agencies "
                           f"({agencies}): {reasons}", hits)


def audit_lines(rows: list[AuditRow]) -> list[str]:
    """The search audit's summary: how many searches, the immigration and federal counts (its
    rows follow in the sections of :func:`audit_groups`)."""
    if not rows:
        return []
    dates = sorted(r.search_date for r in rows if r.search_date)
    span = f", {dates[0]} to {dates[-1]}" if dates else ""
    searches = "search" if len(rows) == 1 else "searches"
    lines = [f"Search audit: {len(rows)} {searches} logged{span}"]
    return lines + [line for line in (immigration_line(rows), federal_line(rows)) if line]


def audit_groups(rows: list[AuditRow]) -> list[RowGroup]:
    """Every row of the audit, numbered: the immigration-related searches, then those for or
    by federal agencies, then the others (empty groups left out)."""
    immigration_ids = {id(r) for r in immigration_rows(rows)}
    federal_ids = {id(r) for r in federal_rows(rows)}
    immigration: list[Row] = []
    federal: list[Row] = []
    others: list[Row] = []
    for index, row in enumerate(rows):
        by_federal = bool(federal_agencies(row.organization))
        if id(row) in immigration_ids:
            immigration.append(audit_row(row, index, reason=True, organization=by_federal))
        elif id(row) in federal_ids:
            federal.append(audit_row(row, index, organization=by_federal,
                                     reason=bool(federal_reason_agencies(row.reason))))
        else:
            others.append(audit_row(row, index))
    groups = [RowGroup(IMMIGRATION_ROWS, tuple(immigration)),
              RowGroup(FEDERAL_ROWS, tuple(federal)),
              RowGroup("other searches" if immigration or federal else "searches",
                       tuple(others), numbered=False)]
    return [g for g in groups if g.rows]


def audit_row(row: AuditRow, index: int, *, reason: bool = False,
              organization: bool = False) -> Row:
    """One search as a row, numbered as its file numbers it (else by its place, from 1);
    ``reason`` and ``organization`` mark those cells as what made the finding."""
    cells = [("Date", row.search_date) if row.search_date else ("Search", row.id),
             ("Reason", row.reason or "(none)"),
             ("Networks searched",
              str(row.network_count) if row.network_count is not None else "?")]
    who = searcher(row)
    if not MASKED.match(who):
        cells.append(("Organization" if row.organization else "User", who))
    marks = []
    if reason and row.reason:
        marks.append(mark("Reason", row.reason))
    if organization and row.organization:
        marks.append(mark("Organization", row.organization))
    number = row.row if row.row is not None else index + 1
    return Row(number, tuple(cells), tuple(marks))
