"""A finding's fact as readers see it: whose data, who got it, how, status, when, how much,
and a title that says what happened ("Maplewood PD ran 12 plate searches for HSI,
Feb–May 2025")."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from config.vocabulary import vocabulary

STATUS_LABELS = {"proposed": "Proposed", "adopted": "Adopted", "in_effect": "In effect",
                 "ended": "Ended"}
CHANNEL_LABELS = {
    "vendor_network": "the vendor's sharing network",
    "federal_pilot": "a federal pilot",
    "accepted_request": "accepted sharing requests",
    "direct_search": "searches of the data",
    "agreement": "an agreement",
    "data_broker": "a data-broker contract",
    "state_system": "a state system (such as LEADS)",
}
COUNT_LABELS = {"searches": "searches", "organizations": "agencies or organisations",
                "cameras": "cameras", "requests": "requests"}
def state_name(code: str) -> str:
    """"TX" → "Texas" (config/patterns.yaml ``states``); the code when unknown."""
    return vocabulary().state_names.get(code, code)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class RecipientView:
    """Who got the data: a federal agency (with its full name and the agencies it is part
    of) or another state's agency (with its state)."""

    name: str
    state: str = ""
    full_name: str = ""
    parents: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        if self.state and not self.name:
            return f"agencies in {state_name(self.state)}"
        return self.name

    @property
    def long_label(self) -> str:
        """"HSI (Homeland Security Investigations, part of ICE and DHS)"."""
        if self.state:
            return self.label
        inside = ", ".join(x for x in (self.full_name,
                                       "part of " + " and ".join(self.parents)
                                       if self.parents else "") if x)
        return f"{self.name} ({inside})" if inside else self.name


@dataclass(frozen=True)
class FactView:
    """The fact fields of a stored finding (docs/data.md)."""

    kind: str = ""
    channel: str = ""
    owner: str = ""
    county: str = ""
    recipients: tuple[RecipientView, ...] = ()
    status: str = ""
    status_quote: str = ""
    status_changed: datetime | None = None
    event_start: str | None = None
    event_end: str | None = None
    counts: Mapping[str, int] = field(default_factory=dict)
    laws: tuple[str, ...] = ()
    backfill: bool = False

    @property
    def status_label(self) -> str:
        if self.status == "in_effect" and self.kind == "searches":
            return "Took place"
        if self.status == "proposed" and self.kind == "access":
            return "Requested"
        return STATUS_LABELS.get(self.status, "")

    @property
    def channel_label(self) -> str:
        return CHANNEL_LABELS.get(self.channel, "")

    @property
    def when(self) -> str:
        """The event's date or period in words: "Feb–May 2025", "Oct 14, 2025", "since 2008"."""
        return period_label(self.event_start, self.event_end)

    @property
    def event_date(self) -> datetime | None:
        """The first day of the event, at UTC midnight."""
        return _day(self.event_start)

    @property
    def counts_label(self) -> str:
        return ", ".join(f"{n:,} {COUNT_LABELS.get(k, k)}" for k, n in self.counts.items())

    @property
    def out_of_state(self) -> tuple[RecipientView, ...]:
        return tuple(r for r in self.recipients if r.state)


def fact_view(row: Any, full_names: Mapping[str, str],  # Any: a store Finding row
              parents: Mapping[str, str | None]) -> FactView:
    """The fact of a stored finding, its recipients with their full names and parents."""
    return FactView(
        kind=row.kind or "", channel=row.channel or "", owner=row.owner or "",
        county=row.county or "",
        recipients=tuple(_recipient(r, full_names, parents) for r in row.recipients or []),
        status=row.status or "", status_quote=row.status_quote or "",
        status_changed=row.status_changed, event_start=row.event_start,
        event_end=row.event_end, counts=dict(row.counts or {}), laws=tuple(row.laws or ()),
        backfill=bool(row.backfill),
    )


def _recipient(data: Mapping[str, str], full_names: Mapping[str, str],
               parents: Mapping[str, str | None]) -> RecipientView:
    name, state = data.get("name", ""), data.get("state", "")
    chain: list[str] = []
    parent = None if state else parents.get(name)
    while parent and parent not in chain:
        chain.append(parent)
        parent = parents.get(parent)
    return RecipientView(name, state, "" if state else full_names.get(name, ""), tuple(chain))


def _day(iso: str | None) -> datetime | None:
    if not iso:
        return None
    parts = [int(p) for p in iso.split("-")] + [1, 1]
    try:
        return datetime(parts[0], parts[1], parts[2], tzinfo=UTC)
    except ValueError:
        return None


def period_label(start: str | None, end: str | None) -> str:
    """ISO prefixes in words: ("2025-02", "2025-05") → "Feb–May 2025"; ("2008", None) →
    "since 2008"; ("2025-10-14", "2025-10-14") → "Oct 14, 2025"."""
    if not start:
        return ""
    if not end:
        return f"since {_words(start)}"
    if start == end:
        return _words(start)
    if start[:4] == end[:4] and len(start) == len(end) == 7:
        return f"{_MONTHS[int(start[5:7]) - 1]}–{_words(end)}"
    if start[:7] == end[:7] and len(start) == len(end) == 10:  # "Sep 9–25, 2025"
        return f"{_MONTHS[int(start[5:7]) - 1]} {int(start[8:10])}–{int(end[8:10])}, {end[:4]}"
    if start[:4] == end[:4] and len(start) == len(end) == 10:  # "Jan 1 – Jun 30, 2025"
        return f"{_words(start)[:-6]} – {_words(end)}"
    return f"{_words(start)} – {_words(end)}"


def _words(iso: str) -> str:
    year = iso[:4]
    if len(iso) < 7:
        return year
    month = _MONTHS[int(iso[5:7]) - 1]
    return f"{month} {int(iso[8:10])}, {year}" if len(iso) >= 10 else f"{month} {year}"


_POLICE = re.compile(r"\s+Police\s+Department$")
_STATE_CODE = re.compile(r"\s+[A-Z]{2}(?=\s+(?:PD|Police|Sheriff|SO)\b)")


def short_owner(owner: str) -> str:
    """"Maplewood Police Department" → "Maplewood PD"; "Harlan Grove IL PD" → "Harlan
    Grove PD"."""
    return _STATE_CODE.sub("", _POLICE.sub(" PD", owner))


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def recipients_phrase(recipients: Sequence[RecipientView], *, parents_too: bool = False) -> str:
    """"HSI", "CBP and USBP", "agencies in Texas and Georgia"; an agency named beside one
    of its parts ("DHS" beside "ERO") is left to the part unless ``parents_too``."""
    inside = set() if parents_too else {p for r in recipients for p in r.parents}
    federal = [r.name for r in recipients if not r.state and r.name not in inside]
    states = list(dict.fromkeys(state_name(r.state) for r in recipients
                                if r.state))
    parts = list(federal)
    if states:
        parts.append("agencies in " + (_and(states) if len(states) <= 3
                                       else f"{len(states)} other states"))
    return _and(parts) if parts else ""


def fact_title(fact: FactView, place: str, fallback: str) -> str:
    """What happened, in one line; ``fallback`` when the fact says too little."""
    who = short_owner(fact.owner) or place
    whom = recipients_phrase(fact.recipients, parents_too=fact.kind == "searches")
    searches = fact.counts.get("searches")
    head = ""
    if fact.kind == "searches":
        n = f"{searches:,} " if searches else ""
        head = f"{who} logged {n}plate searches with immigration reasons"
        head += f" ({whom})" if whom else ""
    elif fact.kind == "access":
        head = _access(fact, who, whom or ("agencies in other states"
                                           if fact.counts.get("organizations") else ""))
    elif fact.kind == "agreement":  # a board adopts; the police accept requests
        head = _agreement(fact, who if fact.channel == "accepted_request" else place, whom)
    if not head:
        return fallback
    when = fact.when
    if when and fact.kind == "access" and fact.event_start == fact.event_end \
            and len(fact.event_start or "") == 10:
        when = f"as of {when}"  # a list of who has access on the day it was read
    return f"{head[0].upper()}{head[1:]}, {when}" if when else head[0].upper() + head[1:]


def _access(fact: FactView, who: str, whom: str) -> str:
    searches = fact.counts.get("searches")
    if not whom:
        return ""
    if fact.status == "proposed":
        return f"{whom} requested access to {who}'s plate-reader data"
    if searches and fact.channel == "direct_search":
        return f"{who} ran {searches:,} plate searches for {whom}"
    organisations = fact.counts.get("organizations")
    if organisations and whom.startswith("agencies in") and not any(
            r.name for r in fact.out_of_state):
        whom = f"{organisations:,} {whom}"
    plural = whom.startswith(("agencies", "1 agencies")) or " and " in whom or \
        whom[:1].isdigit()
    ended = fact.status == "ended" or (fact.event_end and fact.event_start != fact.event_end)
    verb = "had" if ended else ("have" if plural else "has")
    head = f"{whom} {verb} access to {who}'s plate-reader data"
    if fact.channel in ("federal_pilot", "vendor_network"):
        head += f" through {fact.channel_label}"
    return head


def _agreement(fact: FactView, who: str, whom: str) -> str:
    if fact.channel == "accepted_request" and whom:
        return f"{who} accepted data-sharing requests from {whom}"
    if fact.channel == "vendor_network" and fact.status in ("adopted", "in_effect"):
        return f"{who} joined the vendor's national lookup network"
    thing = {"vendor_network": "joining the vendor's national lookup network",
             "data_broker": "a data-broker contract"}.get(fact.channel, "an agreement")
    thing += f" with {whom}" if whom and fact.channel != "vendor_network" else ""
    verb = {"proposed": "proposed", "adopted": "adopted", "ended": "ended",
            "in_effect": "has"}.get(fact.status)
    if verb is None:
        return f"{who}: {thing}" if whom else ""
    if fact.status == "proposed":
        return f"{thing[0].upper()}{thing[1:]} proposed in {who}"
    return f"{who} {verb} {thing}"
