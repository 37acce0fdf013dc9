"""Portal pipeline: a transparency-portal snapshot (or an audit log) → text, sections, findings.

The snapshot is rendered as readable lines in sections ("summary", "policies", "organizations
with access", "organizations sharing in", "search audit"), so every finding quotes one line
with its real offsets. Findings from structured data:

- a federal organisation among those granted access → one ``federal_access`` per organisation;
- organisations in other states than the portal's own → one ``out_of_state_sharing``;
- searches logged with immigration-related reasons → one ``immigration_search``.

Inbound lists ("Receiving Network Data From") and policy text are shown, never flagged.
:func:`diff_snapshots` says what changed between two snapshots of the same portal.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Self

from scrapy.crawler import Crawler

from pipelines.extract.model import Category, Finding
from sidedoor.store import Store
from spiders.items import DocumentItem, PortalSnapshotItem
from spiders.portal_snapshot import AuditRow, PortalSnapshot, federal_agencies

# (pattern, agencies the reason names); word-boundary and case aware: not "Police", not an
# "ice rink", not "In Case of Emergency"; "DHS" is left out on purpose ("DHS AOD" in a
# California audit is Desert Hot Springs).
IMMIGRATION_REASONS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern, flags), agencies) for pattern, flags, agencies in (
        (r"\bICE\b(?!\s*(?i:rink|skat|cream|storm|arena|machine))", 0, ("ICE",)),
        (r"^\W*ice\W*$", re.I, ("ICE",)),
        (r"Immigration and Customs Enforcement", re.I, ("ICE",)),
        (r"\bERO\b|Enforcement and Removal", 0, ("ERO",)),
        (r"\bHSI\b|Homeland Security Investigations", 0, ("HSI",)),
        (r"\bCBP\b|Customs and Border Protection", 0, ("CBP",)),
        (r"Border Patrol|\bUSBP\b", re.I, ("USBP",)),
        (r"\bFUG\s?OPS\b", re.I, ()),
        (r"\bimmigra|\bdeport|\b(criminal|illegal) aliens?\b|\b287\s?\(g\)", re.I, ()),
    )
)
NOT_IMMIGRATION = re.compile(r"in case of emergency", re.I)
MASKED = re.compile(r"^[\s*#xX-]*$|^redacted$", re.I)


def immigration_agencies(reason: str) -> tuple[str, ...] | None:
    """The agencies an immigration-related search reason names (maybe none), or None when the
    reason is not immigration-related."""
    if NOT_IMMIGRATION.search(reason):
        return None
    hits = [agencies for pattern, agencies in IMMIGRATION_REASONS if pattern.search(reason)]
    return tuple(dict.fromkeys(a for agencies in hits for a in agencies)) if hits else None


def out_of_state(snapshot: PortalSnapshot) -> Counter[str]:
    """Organisations with access per other state (federal bodies are counted apart)."""
    return Counter(
        o.state for o in snapshot.organizations_with_access
        if o.state and snapshot.state and o.state != snapshot.state and not o.federal
    )


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
    text.section("organizations with access", [
        f"Organization with access: {o.listed}" for o in snapshot.organizations_with_access])
    text.section("organizations sharing in", [
        f"Organization sharing data in: {o.listed}" for o in snapshot.organizations_sharing_in])
    text.section("search audit", _audit_lines(snapshot.search_audit))
    return "\n".join(text.lines), text.sections


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


def _audit_lines(rows: list[AuditRow]) -> list[str]:
    if not rows:
        return []
    dates = sorted(r.search_date for r in rows if r.search_date)
    span = f", {dates[0]} to {dates[-1]}" if dates else ""
    searches = "search" if len(rows) == 1 else "searches"
    lines = [f"Search audit: {len(rows)} {searches} logged{span}"]
    immigration = _immigration_line(rows)
    if immigration:
        lines.append(immigration)
    for row in rows:
        who = "" if MASKED.match(_searcher(row)) else f"; by {_searcher(row)}"
        lines.append(f"Search {row.search_date or row.id}: reason {row.reason or '(none)'}; "
                     f"networks {row.network_count if row.network_count is not None else '?'}{who}")
    return lines


def _searcher(row: AuditRow) -> str:
    return row.organization or row.user_id


def _immigration_rows(rows: list[AuditRow]) -> list[AuditRow]:
    return [r for r in rows if immigration_agencies(r.reason) is not None]


def _counts(values: list[str]) -> str:
    return ", ".join(f"{v}: {n}" for v, n in Counter(values).most_common())


def _immigration_line(rows: list[AuditRow]) -> str | None:
    hits = _immigration_rows(rows)
    if not hits:
        return None
    searches = "search" if len(hits) == 1 else "searches"
    line = (f"Search audit: {len(hits)} {searches} with immigration-related reasons "
            f"({_counts([r.reason for r in hits])})")
    searchers = [_searcher(r) for r in hits if not MASKED.match(_searcher(r))]
    return f"{line}; by {_counts(searchers)}" if searchers else line


def _locate(text: str, line: str) -> tuple[int, int]:
    match = re.search(rf"(?m)^{re.escape(line)}$", text)
    if match is None:
        raise ValueError(f"the line {line!r} is not in the text; render it with render_snapshot")
    return match.start(), match.end()


def _finding(text: str, line: str, category: Category, agencies: tuple[str, ...],
             rule: str, confidence: float, marked: str = "", key: str = "") -> Finding:
    start, end = _locate(text, line)
    at = line.find(marked) if marked else -1
    highlights = ((start + at, start + at + len(marked)),) if at >= 0 else ()
    return Finding(category, agencies, start, end, line, confidence, (rule,), highlights,
                   key=key)


def portal_findings(snapshot: PortalSnapshot, text: str) -> list[Finding]:
    """Findings of a snapshot, located in ``text`` as rendered by :func:`render_snapshot`."""
    findings: list[Finding] = []
    seen: set[str] = set()
    for org in snapshot.organizations_with_access:
        if not org.federal or org.listed in seen:
            continue
        seen.add(org.listed)
        tagged = any(t.casefold() == "federal" for t in org.tags)
        rule = ("portal lists a [Federal] organization among those granted access to its data"
                if tagged else f"portal lists a federal agency ({org.name}) among those "
                "granted access to its data")
        findings.append(_finding(text, f"Organization with access: {org.listed}",
                                 Category.FEDERAL_ACCESS, tuple(org.agencies), rule,
                                 0.95 if tagged else 0.85, org.listed))
    oos_line = _out_of_state_line(snapshot)
    if oos_line:
        findings.append(_finding(
            text, oos_line, Category.OUT_OF_STATE_SHARING, (),
            f"portal lists organizations in states other than {snapshot.state} among those "
            "granted access to its data", 0.9, key="organizations in other states with access"))
    immigration = _immigration_line(snapshot.search_audit)
    if immigration:
        rows = _immigration_rows(snapshot.search_audit)
        agencies = [a for r in rows for a in (immigration_agencies(r.reason) or ())]
        agencies += [a for r in rows for a in federal_agencies(r.organization)]
        findings.append(_finding(
            text, immigration, Category.IMMIGRATION_SEARCH, tuple(dict.fromkeys(agencies)),
            "search audit logs searches whose reason is immigration-related "
            "(ICE, ERO, HSI, immigration, deportation, ...)", 0.9,
            key="immigration-related reasons in the search audit"))
    return findings


def diff_snapshots(previous: PortalSnapshot, current: PortalSnapshot | None) -> list[str]:
    """What changed between two snapshots of one portal, one sentence each (None: it is gone)."""
    agency = previous.agency
    if current is None:
        return [f"{agency}: the transparency portal is gone ({previous.url})"]
    changes: list[str] = []
    before = {o.name: o.listed for o in previous.organizations_with_access if o.federal}
    after = {o.name: o.listed for o in current.organizations_with_access if o.federal}
    changes += [f"{agency}: federal organization added to those with access: {after[n]}"
                for n in sorted(after.keys() - before.keys())]
    changes += [f"{agency}: federal organization no longer among those with access: {before[n]}"
                for n in sorted(before.keys() - after.keys())]
    changes += [f"{agency}: federal organization with access now listed as {after[n]} "
                f"(was {before[n]})" for n in sorted(after.keys() & before.keys())
                if after[n] != before[n]]
    was, now = sum(out_of_state(previous).values()), sum(out_of_state(current).values())
    if now - was >= (1 if was == 0 else max(10, was // 10)):
        changes.append(f"{agency}: organizations with access in other states rose from "
                       f"{was} to {now}")
    old, new = previous.data_retention_days, current.data_retention_days
    if old is not None and new is not None and old != new:
        changes.append(f"{agency}: data retention changed from {old} to {new} days")
    return changes


def add_changes(text: str, sections: list[dict[str, Any]], changes: list[str],
                since: datetime) -> tuple[str, list[dict[str, Any]]]:
    """The rendered snapshot with a section of what changed since the previous one."""
    if not changes:
        return text, sections
    start = len(text) + 2
    body = "\n".join([f"Changes since the snapshot of {since:%Y-%m-%d}:", *changes])
    return (f"{text}\n\n{body}",
            [*sections, {"label": "changes", "start": start, "end": start + len(body)}])


def change_findings(text: str, changes: list[str], since: datetime) -> list[Finding]:
    """A jump in out-of-state access is news of its own (federal organisations added are
    already findings of the snapshot; removals and retention changes are not findings)."""
    return [_finding(text, line, Category.OUT_OF_STATE_SHARING, (),
                     f"out-of-state organizations with access rose since the snapshot of "
                     f"{since:%Y-%m-%d}", 0.9)
            for line in changes if "in other states rose from" in line]


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
            changes = diff_snapshots(PortalSnapshot.from_json(previous.data), snapshot)
            item.text, item.sections = add_changes(item.text, item.sections, changes,
                                                   previous.fetched_at)
            item.findings += change_findings(item.text, changes, previous.fetched_at)
        item.title = item.title or f"{snapshot.agency} transparency portal"
        return item
