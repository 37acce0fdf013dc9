"""Portal pipeline: a transparency-portal snapshot (or an audit log) → text, sections, findings.

The snapshot is rendered as readable lines in sections ("summary", "policies", the
organisations with access, "organizations sharing in", "search audit" and the searches). The
organisations and the searches are numbered rows, grouped by what they show in sections that
name their numbers ("federal organizations with access: row 1", "searches with
immigration-related reasons: rows 6, 17, 21, 28"; pipelines/portal_rows.py), so every finding
quotes the rows it stands on with their real offsets. Findings from structured data:

- a federal organisation among those granted access → one ``federal_access`` per organisation;
- organisations in other states than the portal's own → one ``out_of_state_sharing``;
- searches logged with immigration-related reasons → one ``immigration_search``;
- searches logged for or by federal agencies ("Usms case", "FBI ASSIST") → one
  ``federal_access`` (``pipelines/portal_audit.py`` reads the reasons).

Inbound lists ("Receiving Network Data From") and policy text are shown, never flagged.
:func:`diff_snapshots` says what changed between two snapshots of the same portal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Self

from scrapy.crawler import Crawler

from pipelines.extract.model import Category, Finding
from pipelines.portal_audit import (
    FEDERAL_ROWS,
    FEDERAL_SEARCH_KEY,
    IMMIGRATION_KEY,
    IMMIGRATION_ROWS,
    audit_groups,
    audit_lines,
    federal_agencies,
    federal_row_agencies,
    federal_rows,
    immigration_agencies,
    immigration_rows,
)
from pipelines.portal_history import (
    OUT_OF_STATE_KEY,
    Change,
    out_of_state,
    portal_changes,
)
from pipelines.portal_rows import Row, RowGroup, mark, rows_finding
from sidedoor.store import Store
from spiders.items import DocumentItem, PortalSnapshotItem
from spiders.portal_snapshot import AuditRow, Organization, PortalSnapshot

ORG = "Organization with access"  # the one cell of an organisation's row
FEDERAL_ORGS = "federal organizations with access"
OTHER_STATE_ORGS = "organizations with access in other states"
_FEDERAL_TAG = re.compile(r"\[\s*federal\s*\]", re.IGNORECASE)


@dataclass
class _Text:
    lines: list[str] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)  # Any: the item's shape
    length: int = 0

    def section(self, label: str, lines: list[str]) -> None:
        if not lines:
            return
        start = self.length
        for line in lines:
            self.lines.append(line)
            self.length += len(line) + 1
        self.sections.append({"label": label, "start": start, "end": self.length - 1})


def render_snapshot(snapshot: PortalSnapshot) -> tuple[str, list[dict[str, Any]]]:
    """The snapshot as text lines, and its sections ``{"label", "start", "end"}``."""
    text = _Text()
    text.section("summary", _summary(snapshot))
    text.section("policies", snapshot.policies.splitlines())
    for group in organization_groups(snapshot):
        text.section(group.label, group.lines)
    text.section("organizations sharing in", [
        f"Organization sharing data in: {o.listed}" for o in snapshot.organizations_sharing_in])
    text.section("search audit", audit_lines(snapshot.search_audit))
    for group in audit_groups(snapshot.search_audit):
        text.section(group.label, group.lines)
    return "\n".join(text.lines), text.sections


def organization_groups(snapshot: PortalSnapshot) -> list[RowGroup]:
    """The organisations with access as rows numbered in the portal's order: the federal
    ones, then those of other states, then the others (empty groups left out)."""
    states = out_of_state(snapshot)
    federal, others, rest = [], [], []
    for number, org in enumerate(snapshot.organizations_with_access, 1):
        if org.federal:
            federal.append(_org_row(number, org, _federal_mark(org.listed)))
        elif org.state in states:
            word = re.search(rf"\b{re.escape(org.state or '')}\b", org.listed)
            state_mark = (ORG, word.start(), word.end()) if word else mark(ORG, org.listed)
            others.append(_org_row(number, org, state_mark))
        else:
            rest.append(_org_row(number, org))
    groups = [RowGroup(FEDERAL_ORGS, tuple(federal)), RowGroup(OTHER_STATE_ORGS, tuple(others)),
              RowGroup("other organizations with access" if federal or others
                       else "organizations with access", tuple(rest), numbered=False)]
    return [g for g in groups if g.rows]


def _federal_mark(listed: str) -> tuple[str, int, int]:
    tag = _FEDERAL_TAG.search(listed)
    return (ORG, tag.start(), tag.end()) if tag else mark(ORG, listed)


def _org_row(number: int, org: Organization, *marks: tuple[str, int, int]) -> Row:
    return Row(number, ((ORG, org.listed),), marks)


def _summary(snapshot: PortalSnapshot) -> list[str]:
    values = [
        ("Agency", snapshot.agency), ("State", snapshot.state), ("Source", snapshot.url),
        ("Last updated", snapshot.last_updated),
        ("Data retention (days)", snapshot.data_retention_days),
        ("Cameras", snapshot.camera_count),
        ("Vehicles detected in the last 30 days", snapshot.plate_reads_30d),
        ("Hotlist hits in the last 30 days", snapshot.hotlist_hits_30d),
        ("Searches in the last 30 days", snapshot.searches_30d),
        ("What's detected", snapshot.detected),
        ("Hotlists alerted on", ", ".join(snapshot.hotlists)),
    ]
    lines = [f"{label}: {value}" for label, value in values if value not in (None, "")]
    orgs = snapshot.organizations_with_access
    if orgs:
        federal = sum(o.federal for o in orgs)
        lines.append(f"Organizations with access: {len(orgs)} ({federal} federal, "
                     f"{sum(out_of_state(snapshot).values())} in other states)")
    oos_line = _out_of_state_line(snapshot)
    return lines + ([oos_line] if oos_line else [])


def _out_of_state_line(snapshot: PortalSnapshot) -> str | None:
    states = out_of_state(snapshot)
    if not states:
        return None
    listing = ", ".join(f"{s} {n}" for s, n in sorted(states.items(), key=lambda i: (-i[1], i[0])))
    return (f"Out-of-state access: {sum(states.values())} of "
            f"{len(snapshot.organizations_with_access)} organizations with access are in "
            f"{len(states)} states other than {snapshot.state}: {listing}")


def _locate(text: str, line: str) -> tuple[int, int]:
    match = re.search(rf"(?m)^{re.escape(line)}$", text)
    if match is None:
        raise ValueError(f"the line {line!r} is not in the text; render it with render_snapshot")
    return match.start(), match.end()


def _finding(text: str, line: str, category: Category, agencies: tuple[str, ...],
             rule: str, confidence: float, key: str = "") -> Finding:
    start, end = _locate(text, line)
    return Finding(category, agencies, start, end, line, confidence, (rule,), key=key)


def portal_findings(snapshot: PortalSnapshot, text: str) -> list[Finding]:
    """Findings of a snapshot, located in ``text`` as rendered by :func:`render_snapshot`."""
    findings: list[Finding] = []
    seen: set[str] = set()
    groups = {g.title: g for g in organization_groups(snapshot)}
    federal = groups[FEDERAL_ORGS].rows if FEDERAL_ORGS in groups else ()
    for row, org in zip(federal, [o for o in snapshot.organizations_with_access if o.federal],
                        strict=True):
        if org.listed in seen:
            continue
        seen.add(org.listed)
        tagged = any(t.casefold() == "federal" for t in org.tags)
        rule = ("portal lists a [Federal] organization among those granted access to its data"
                if tagged else f"portal lists a federal agency ({org.name}) among those "
                "granted access to its data")
        # the id is that of the line this finding quoted before rows were numbered
        findings.append(rows_finding(text, [row], Category.FEDERAL_ACCESS, tuple(org.agencies),
                                     rule, 0.95 if tagged else 0.85,
                                     key=f"Organization with access: {org.listed}"))
    if OTHER_STATE_ORGS in groups:
        findings.append(rows_finding(
            text, groups[OTHER_STATE_ORGS].rows, Category.OUT_OF_STATE_SHARING, (),
            f"portal lists organizations in states other than {snapshot.state} among those "
            "granted access to its data", 0.9, key=OUT_OF_STATE_KEY))
    return findings + _audit_findings(snapshot.search_audit, text)


def _audit_findings(rows: list[AuditRow], text: str) -> list[Finding]:
    findings = []
    groups = {g.title: g for g in audit_groups(rows)}
    if IMMIGRATION_ROWS in groups:
        hits = immigration_rows(rows)
        agencies = [a for r in hits for a in (immigration_agencies(r.reason) or ())]
        agencies += [a for r in hits for a in federal_agencies(r.organization)]
        findings.append(rows_finding(
            text, groups[IMMIGRATION_ROWS].rows, Category.IMMIGRATION_SEARCH,
            tuple(dict.fromkeys(agencies)),
            "search audit logs searches whose reason is immigration-related "
            "(ICE, ERO, HSI, immigration, deportation, ...)", 0.9,
            key=IMMIGRATION_KEY))
    if FEDERAL_ROWS in groups:
        findings.append(rows_finding(
            text, groups[FEDERAL_ROWS].rows, Category.FEDERAL_ACCESS,
            federal_row_agencies(federal_rows(rows)),
            "search audit logs local searches run for federal agencies (their reason names "
            "USMS, FBI, DEA, ATF, ...) or by them", 0.85,
            key=FEDERAL_SEARCH_KEY))
    return findings


def add_changes(text: str, sections: list[dict[str, Any]], changes: list[str],
                since: datetime) -> tuple[str, list[dict[str, Any]]]:
    """The rendered snapshot with a section of what changed since the previous one."""
    if not changes:
        return text, sections
    start = len(text) + 2
    body = "\n".join([f"Changes since the snapshot of {since:%Y-%m-%d}:", *changes])
    return (f"{text}\n\n{body}",
            [*sections, {"label": "changes", "start": start, "end": start + len(body)}])


def change_findings(text: str, changes: list[Change]) -> list[Finding]:
    """The changes that are findings, located in ``text`` (see pipelines/portal_history.py)."""
    return [_finding(text, c.line, c.category, c.agencies, c.rule, 0.9, key=c.key)
            for c in changes if c.category is not None]


class PortalPipeline:
    """Sets text, sections, findings and a title on items that carry a portal snapshot, and
    compares each snapshot with the previous one of the same portal."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(Store.open(crawler.settings["SIDEDOOR_DB_URL"]))

    def process_item(self, item: DocumentItem) -> DocumentItem:
        if not isinstance(item, PortalSnapshotItem) or item.snapshot is None or item.unchanged:
            return item
        snapshot: PortalSnapshot = item.snapshot
        item.text, item.sections = render_snapshot(snapshot)
        item.findings = portal_findings(snapshot, item.text)
        previous = self.store.latest_snapshot(item.source_id, item.url) if self.store else None
        if previous is not None and previous.data is not None:
            changes = portal_changes(PortalSnapshot.from_json(previous.data), snapshot)
            item.text, item.sections = add_changes(item.text, item.sections,
                                                   [c.line for c in changes], previous.fetched_at)
            item.findings += change_findings(item.text, changes)
        item.title = item.title or f"{snapshot.agency} transparency portal"
        return item
