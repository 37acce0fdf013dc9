"""What changed between two snapshots of one portal, and which changes are findings.

Pure: two :class:`~spiders.portal_snapshot.PortalSnapshot` values in, :class:`Change` values
out; ``pipelines/portal.py`` shows every change with the newer snapshot and turns those with a
category into findings. Each change says what it was before and after.

- organisations of a state that had no access before added to the access list →
  ``out_of_state_sharing``, a fact of its own (the names added); more of states already there
  are shown, not reported;
- a jump in organisations of other states → evidence for the snapshot's out-of-state fact;
- a federal organisation added → evidence for that organisation's ``federal_access`` fact;
- an audit that starts showing immigration or federal reasons → evidence for the snapshot's
  ``immigration_search`` or ``federal_access`` fact;
- retention lengthened while organisations of other states (or federal ones) have access →
  evidence for that access fact (they can search further back);
- removals, relistings, retention shortened (or lengthened with no outside access), a portal
  gone: shown, not findings (no data flows to anyone in them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipelines.extract.model import Category
from pipelines.portal_audit import (
    FEDERAL_SEARCH_KEY,
    IMMIGRATION_KEY,
    federal_row_agencies,
    federal_rows,
    immigration_rows,
)
from spiders.portal_snapshot import Organization, PortalSnapshot

OUT_OF_STATE_KEY = "organizations in other states with access"
MAX_NAMES = 20  # organisations named in one change line


@dataclass(frozen=True)
class Change:
    """One change between two snapshots: a sentence, and the fact it is evidence of."""

    line: str
    category: Category | None = None  # None: shown with the snapshot, not a finding
    agencies: tuple[str, ...] = ()
    key: str = ""  # the snapshot fact it adds evidence to; "": a fact of its own
    rule: str = ""


def out_of_state(snapshot: PortalSnapshot) -> Counter[str]:
    """Organisations with access per other state (federal bodies are counted apart)."""
    return Counter(o.state or "" for o in _others(snapshot))


def _others(snapshot: PortalSnapshot) -> list[Organization]:
    return [o for o in snapshot.organizations_with_access
            if o.state and snapshot.state and o.state != snapshot.state and not o.federal]


def portal_changes(previous: PortalSnapshot, current: PortalSnapshot | None) -> list[Change]:
    """What changed from ``previous`` to ``current`` (None: the portal is gone)."""
    if current is None:
        return [Change(f"{previous.agency}: the transparency portal is gone ({previous.url})")]
    return [*_federal_changes(previous, current), *_out_of_state_changes(previous, current),
            *_retention_changes(previous, current), *_audit_changes(previous, current)]


def diff_snapshots(previous: PortalSnapshot, current: PortalSnapshot | None) -> list[str]:
    """What changed between two snapshots of one portal, one sentence each."""
    return [change.line for change in portal_changes(previous, current)]


def _federal_changes(previous: PortalSnapshot, current: PortalSnapshot) -> list[Change]:
    agency = previous.agency
    before = {o.name: o for o in previous.organizations_with_access if o.federal}
    after = {o.name: o for o in current.organizations_with_access if o.federal}
    changes = [
        Change(f"{agency}: federal organization added to those with access: {after[n].listed}",
               Category.FEDERAL_ACCESS, tuple(after[n].agencies),
               key=f"Organization with access: {after[n].listed}",
               rule=f"a federal organization ({n}) was added to those granted access to the "
                    "portal's data since the previous snapshot")
        for n in sorted(after.keys() - before.keys())]
    changes += [Change(f"{agency}: federal organization no longer among those with access: "
                       f"{before[n].listed}") for n in sorted(before.keys() - after.keys())]
    relisted = [n for n in sorted(after.keys() & before.keys())
                if after[n].listed != before[n].listed]
    changes += [Change(f"{agency}: federal organization with access now listed as "
                       f"{after[n].listed} (was {before[n].listed})") for n in relisted]
    return changes


def _out_of_state_changes(previous: PortalSnapshot, current: PortalSnapshot) -> list[Change]:
    """Organisations of other states added or gone; a finding when a state that had no access
    before gets some (churn within states already there is shown, not reported)."""
    agency, home = previous.agency, current.state or previous.state
    before = _others(previous)
    had, had_states = {o.name for o in before}, {o.state for o in before}
    others = _others(current)
    added = [o for o in others if o.name not in had]
    opened = [o for o in added if o.state not in had_states]
    more = [o for o in added if o.state in had_states]
    gone = sorted(had - {o.name for o in others})
    changes = []
    if opened and previous.organizations_with_access:
        states = sorted({o.state or "" for o in opened})
        changes.append(Change(
            f"{agency}: {_count(len(opened), 'organization')} in {_count(len(states), 'state')} "
            f"without access before ({', '.join(states)}) added to those with access: "
            f"{_names(opened)}", Category.OUT_OF_STATE_SHARING,
            rule=f"organizations in states other than {home} that had no access before were "
                 "added to those granted access to the portal's data"))
    if more:
        changes.append(Change(f"{agency}: {_count(len(more), 'more organization')} in other "
                              f"states added to those with access: {_names(more)}"))
    if gone:
        changes.append(Change(f"{agency}: {_count(len(gone), 'organization')} in other states no "
                              f"longer among those with access: {_listing(gone)}"))
    was, now = len(had), len(others)
    if now - was >= (1 if was == 0 else max(10, was // 10)):
        changes.append(Change(
            f"{agency}: organizations with access in other states rose from {was} to {now} "
            f"({_share(was, previous)} to {_share(now, current)} of those with access)",
            Category.OUT_OF_STATE_SHARING, key=OUT_OF_STATE_KEY,
            rule="out-of-state organizations with access rose since the previous snapshot"))
    return changes


def _retention_changes(previous: PortalSnapshot, current: PortalSnapshot) -> list[Change]:
    """Retention lengthened or shortened; lengthened while organisations of other states (or
    federal ones) have access, it is evidence of that access: they can search further back."""
    old, new = previous.data_retention_days, current.data_retention_days
    if old is None or new is None or old == new:
        return []
    line = (f"{previous.agency}: data retention {'lengthened' if new > old else 'shortened'} "
            f"from {old} to {new} days")
    others = len(_others(current))
    federal = [o for o in current.organizations_with_access if o.federal]
    rule = "data retention was lengthened while outside organizations have access"
    if new > old and others:
        return [Change(f"{line}, with {_count(others, 'organization')} in other states among "
                       "those with access", Category.OUT_OF_STATE_SHARING, key=OUT_OF_STATE_KEY,
                       rule=rule)]
    if new > old and federal:
        return [Change(f"{line}, with {federal[0].listed} among those with access",
                       Category.FEDERAL_ACCESS, tuple(federal[0].agencies),
                       key=f"Organization with access: {federal[0].listed}", rule=rule)]
    return [Change(line)]


def _audit_changes(previous: PortalSnapshot, current: PortalSnapshot) -> list[Change]:
    """An audit that starts showing immigration or federal reasons (none the time before)."""
    if not previous.search_audit or not current.search_audit:
        return []  # no audit to compare with: the snapshot's own findings say it all
    agency = previous.agency
    changes = []
    immigration = immigration_rows(current.search_audit)
    if immigration and not immigration_rows(previous.search_audit):
        changes.append(Change(
            f"{agency}: the search audit now shows {_count(len(immigration), 'search')} with "
            "immigration-related reasons (none in the previous snapshot)",
            Category.IMMIGRATION_SEARCH, key=IMMIGRATION_KEY,
            rule="the search audit started showing immigration-related reasons"))
    federal = federal_rows(current.search_audit)
    if federal and not federal_rows(previous.search_audit):
        changes.append(Change(
            f"{agency}: the search audit now shows {_count(len(federal), 'search')} for or by "
            f"federal agencies (none in the previous snapshot)", Category.FEDERAL_ACCESS,
            federal_row_agencies(federal), key=FEDERAL_SEARCH_KEY,
            rule="the search audit started showing searches for or by federal agencies"))
    return changes


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "es" if noun.endswith("h") else "s")


def _names(orgs: list[Organization]) -> str:
    return _listing([f"{o.listed} ({o.state})" for o in orgs])


def _listing(names: list[str]) -> str:
    more = len(names) - MAX_NAMES
    return ", ".join(names[:MAX_NAMES]) + (f" and {more} more" if more > 0 else "")


def _share(n: int, snapshot: PortalSnapshot) -> str:
    total = len(snapshot.organizations_with_access)
    return f"{100 * n / total:.1f}%".replace(".0%", "%") if total else "0%"
