"""A search audit read for its reasons: immigration-related searches, searches for federal agencies.

Pure functions over :class:`~spiders.portal_snapshot.AuditRow` lists, used by
``pipelines/portal.py`` to render a snapshot's audit section and to report findings:

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

from config.vocabulary import vocabulary
from spiders.portal_snapshot import AuditRow, federal_agencies

MASKED = re.compile(r"^[\s*#xX-]*$|^redacted$", re.I)
# The facts an audit's counts are evidence of, whatever the counts (stable finding ids).
IMMIGRATION_KEY = "immigration-related reasons in the search audit"
FEDERAL_SEARCH_KEY = "searches for federal agencies in the search audit"


def immigration_agencies(reason: str) -> tuple[str, ...] | None:
    """The agencies an immigration-related search reason names (maybe none), or None when the
    reason is not immigration-related (the words of config/patterns.yaml)."""
    return vocabulary().immigration_reason(reason)


def federal_reason_agencies(reason: str) -> tuple[str, ...]:
    """The federal agencies other than immigration ones a search reason names ("Usms case" →
    USMS, "FBI SAFE ST TF" → FBI), or () (``search_reason_agencies`` of patterns.yaml)."""
    return vocabulary().reason_agencies_in(reason)


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
    """The search-audit section: a summary, the immigration and federal counts, every row."""
    if not rows:
        return []
    dates = sorted(r.search_date for r in rows if r.search_date)
    span = f", {dates[0]} to {dates[-1]}" if dates else ""
    searches = "search" if len(rows) == 1 else "searches"
    lines = [f"Search audit: {len(rows)} {searches} logged{span}"]
    lines += [line for line in (immigration_line(rows), federal_line(rows)) if line]
    for row in rows:
        who = "" if MASKED.match(searcher(row)) else f"; by {searcher(row)}"
        lines.append(f"Search {row.search_date or row.id}: reason {row.reason or '(none)'}; "
                     f"networks {row.network_count if row.network_count is not None else '?'}{who}")
    return lines
