"""The fact behind a finding: channel, kind, status, when, how much, and its merge key.

A finding is one passage; a fact is what the passage says happened: the **owner**'s data
reached **recipients** through a **channel** (a vendor network, a federal pilot, an accepted
request, a direct search, an agreement, a data-broker contract, a state system) as a **kind**
of flow (access, searches for a purpose, an agreement), with a **status** (proposed, adopted,
in effect, ended), **when** (a date or a period) and **how much** (counts of searches,
organisations, cameras, requests). Pure functions over the evidence and its document; the
store merges findings whose :func:`fact_key` is equal into one fact (docs/data.md).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipelines.extract.model import Category

KIND = {
    Category.FEDERAL_ACCESS: "access",
    Category.OUT_OF_STATE_SHARING: "access",
    Category.IMMIGRATION_SEARCH: "searches",
    Category.SHARING_AGREEMENT: "agreement",
}

# (channel, words in the evidence), first match wins: the most specific channels first
_CHANNELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(words, re.IGNORECASE)) for name, words in (
        ("state_system", r"\bLEADS\b|\bstate police\b.{0,60}\bsystem\b|\bstatewide lookup\b"),
        ("federal_pilot", r"\bpilot\b"),
        ("data_broker", r"\bdata[- ]broker|\bLexisNexis\b|\bAccurint\b|\bThomson Reuters\b"),
        ("accepted_request", r"\baccept\w*\b.{0,80}\brequests?\b|\bsharing requests?\b"),
        ("vendor_network", r"\bnational lookup\b|\bnationwide\b|\bnetwork\b|\bportal\b"
                           r"|\borgani[sz]ations? (?:granted |with )access\b"),
        ("agreement", r"\b(?:memorandum|MOU|MOA|IGA|agreement|287 ?\(g\)|contract)\b"),
        ("direct_search", r"\bsearch(?:es|ed)?\b|\bquer(?:y|ies)\b|\blookups?\b"
                          r"|\bdirect access\b|\bhad access\b|\bhas access\b"),
    )
)

_ENDED = re.compile(r"\b(?:revoked|terminated|rescinded|discontinued|cancell?ed|ended|"
                    r"no longer)\b", re.IGNORECASE)
_ADOPTED = re.compile(r"\b(?:adopted|approved|passed|ratified|authori[sz]ed|signed|executed|"
                      r"entered into|accepted|opted in|joined)\b", re.IGNORECASE)
_PROPOSED = re.compile(r"\b(?:propos(?:al|ed)|consider(?:ation)?|forwarded|recommend\w*|"
                       r"draft|pending|first reading|introduced|will vote|to approve)\b",
                       re.IGNORECASE)
# an agency asking for access it does not have yet: "has requested access", "access request"
_REQUESTED = re.compile(r"\b(?:request(?:ed|ing|s)?\s+(?:\w+\s+){0,3}?access|access\s+requests?|"
                        r"asked\s+for\s+access|seeking\s+access)\b", re.IGNORECASE)
_STANDING = re.compile(r"\b(?:enabled|in effect|in place|remains? active|is active|"
                       r"continues? to)\b", re.IGNORECASE)
_IN_EFFECT = re.compile(r"\b(?:had|has|have|gave|gives|granted|ran|run|searched|logged|"
                        r"listed|searchable|shared|shares|provided|accessed)\b", re.IGNORECASE)
_AGENDA = re.compile(r"\bagenda\b", re.IGNORECASE)

_NUMBER = r"(?P<n>\d[\d,]*)"
_COUNTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(_NUMBER + words, re.IGNORECASE)) for name, words in (
        ("searches", r"\s+(?:of the\s+\d[\d,]*\s+)?(?:(?:license\s+)?plate\s+|LPR\s+|ALPR\s+)?"
                     r"(?:searches|queries|lookups)\b"),
        ("organizations", r"\s+(?:of\s+\d[\d,]*\s+)?(?:other\s+|outside\s+|out-of-state\s+)?"
                          r"(?:agencies|organi[sz]ations|departments)\b"),
        ("cameras", r"\s+(?:ALPR\s+|LPR\s+|license plate reader\s+|Flock\s+)?cameras\b"),
        ("requests", r"\s+(?:data-sharing\s+|sharing\s+)?requests\b"),
    )
)

# another state's agency as documents and portals write it: "Cedar Bend TX Police
# Department", "Pine Hollow GA Sheriff's Office", "Bluewater MI PD"
_OTHER_AGENCY = re.compile(
    r"\b(?P<name>(?:[A-Z][\w.'’-]*\s+){1,4}(?P<state>[A-Z]{2})\s+(?:Police\s+Department|"
    r"Police|PD|Sheriff['’]?s?\s+(?:Office|Department)|SO|State\s+Police|County\s+Sheriff))\b")
_STATE_COUNTS = re.compile(r"\b(?P<state>[A-Z]{2})\s+(?P<n>\d+)\b")


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who got the data: a federal agency's short name (state "") or another state's agency
    (its name, or "" for "agencies in IA" when the document gives only counts by state)."""

    name: str
    state: str = ""

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "state": self.state}


@dataclass(frozen=True, slots=True)
class Fact:
    """What a finding says happened (module docstring)."""

    kind: str
    channel: str
    recipients: tuple[Recipient, ...]
    categories: tuple[str, ...]
    status: str
    status_quote: str
    event_start: str | None
    event_end: str | None
    counts: dict[str, int]


def channel_of(evidence: str, vendors: Sequence[str], systems: Sequence[str],
               brokers: Iterable[str] = ()) -> str:
    """How the data travelled, from the evidence's words and the vendors and systems named."""
    if any(v in set(brokers) for v in vendors):
        return "data_broker"
    if any("LEADS" in s for s in systems):
        return "state_system"
    for name, words in _CHANNELS:
        if words.search(evidence):
            return name
    return "vendor_network" if vendors or systems else ""


def status_of(evidence: str, title: str, kind: str) -> tuple[str, str]:
    """The fact's status by what the evidence says, and the words that say it.

    An ending beats an adoption in one passage ("adopted in 2023 and revoked in May"); an
    agenda item is proposed unless its own words say it was adopted; access and searches that
    the evidence reports as having happened are in effect.
    """
    if kind != "agreement":
        match = _REQUESTED.search(evidence)
        if match and not _ADOPTED.search(evidence):  # asked, not (yet) granted
            return "proposed", _sentence(evidence, match.start())
    for status, words in (("ended", _ENDED), ("adopted", _ADOPTED)):
        if kind == "searches" and status == "adopted":
            continue
        match = words.search(evidence)
        if match and not (status == "adopted" and _AGENDA.search(title)
                          and _PROPOSED.search(evidence)):
            return ("in_effect" if status == "adopted" and kind != "agreement" else status,
                    _sentence(evidence, match.start()))
    match = _PROPOSED.search(evidence)
    if match or (kind == "agreement" and _AGENDA.search(title)):
        return "proposed", _sentence(evidence, match.start()) if match else title
    if kind != "agreement":  # access and searches a document reports have happened
        match = _IN_EFFECT.search(evidence)  # rows of a log say it by being there
        return "in_effect", _sentence(evidence, match.start()) if match else ""
    match = _STANDING.search(evidence)
    if match:
        return "in_effect", _sentence(evidence, match.start())
    return "", ""


# a sentence ends at . ! ? after a small letter, a digit or a bracket ("U.S. Border" does not)
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]”\"'][.!?])\s+(?=[A-Z“\"(])")


def _sentence(text: str, at: int) -> str:
    """The sentence of ``text`` around offset ``at``, white space collapsed."""
    start, end = 0, len(text)
    for match in _SENTENCE_END.finditer(text):
        if match.end() <= at:
            start = match.end()
        else:
            end = match.start()
            break
    return " ".join(text[start:end].split())


def counts_of(evidence: str) -> dict[str, int]:
    """Numbers the evidence gives: {"searches": 12}, {"organizations": 9}, ..."""
    counts: dict[str, int] = {}
    for name, words in _COUNTS:
        match = words.search(evidence)
        if match:
            counts[name] = int(match["n"].replace(",", ""))
    return counts


def recipients_of(agencies: Sequence[str], evidence: str, owner_state: str,
                  category: str, is_state: Iterable[str] = ()) -> tuple[Recipient, ...]:
    """The federal agencies named, then the agencies of other states the evidence names (or,
    for a count by state "IA 1, IN 1", one recipient per state)."""
    found = [Recipient(a) for a in agencies]
    states = set(is_state)
    for match in _OTHER_AGENCY.finditer(evidence):
        state = match["state"]
        if state != owner_state and (not states or state in states):
            found.append(Recipient(" ".join(match["name"].split()), state))
    if category == Category.OUT_OF_STATE_SHARING and not any(r.state for r in found):
        tail = evidence[evidence.find("other than"):] if "other than" in evidence else ""
        for match in _STATE_COUNTS.finditer(tail):
            if match["state"] != owner_state and (not states or match["state"] in states):
                found.append(Recipient("", match["state"]))
    unique = dict.fromkeys(found)
    return tuple(unique)


def most_specific(recipients: Iterable[Recipient],
                  parents: dict[str, str | None]) -> tuple[Recipient, ...]:
    """Recipients without those that are parents of another: {DHS, ERO} → {ERO}, since
    ERO ⊂ ICE ⊂ DHS names the same flow more precisely."""
    given = list(dict.fromkeys(recipients))
    ancestors: set[str] = set()
    for r in given:
        parent = parents.get(r.name)
        while parent and parent not in ancestors:
            ancestors.add(parent)
            parent = parents.get(parent)
    return tuple(r for r in given if r.state or r.name not in ancestors)


def categories_of(category: str, recipients: Sequence[Recipient], status: str,
                  owner_state: str, federal: Iterable[str]) -> tuple[str, ...]:
    """Every category that applies, the engine's first: an agreement with another state's
    agency is out-of-state sharing too; an adopted or standing agreement with a federal
    agency is federal access too."""
    out = [category]
    if any(r.state and r.state != owner_state for r in recipients):
        out.append(Category.OUT_OF_STATE_SHARING.value)
    federal_names = set(federal)
    if (category == Category.SHARING_AGREEMENT and status in ("adopted", "in_effect")
            and any(r.name in federal_names for r in recipients)):
        out.append(Category.FEDERAL_ACCESS.value)
    return tuple(dict.fromkeys(out))


def fact_key(owner: tuple[str, str], recipients: Iterable[Recipient], channel: str,
             kind: str, aggregate: str = "") -> str:
    """The merge key of a fact: (owner, recipient set, channel, kind). An aggregate finding
    (a portal's count of organisations) keys on its own aggregate key, which stays put as
    the counts move."""
    if aggregate:
        parts = ["aggregate", *owner, aggregate]
    else:
        names = sorted(f"{r.name.casefold()}|{r.state}" for r in recipients)
        parts = [owner[0].casefold(), owner[1], ",".join(names), channel, kind]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
