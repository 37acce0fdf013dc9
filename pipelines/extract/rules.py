"""Decide whether one unit of text (a sentence, a row) reports a finding, and which.

The rules, in order (docs/findings.md, "How the engine works"):

1. immigration_search: an immigration reason (quoted, in a search audit row, or "for
   immigration-related reasons") in a passage about searches, not negated or hedged;
2. otherwise an act and a party in the same region, both outside every negation, hedge,
   policy/law, definition, capability description, condition, remediation and inbound
   scope. A giving act ("shared … with") needs a data word and the party after it; access
   and search wording needs local or surveillance data ("the village's cameras"); help
   given to a party ("as a favor", "pilot") needs neither;
3. the category of a linked pair by precedence: an agreement (instrument or act) makes it
   sharing_agreement, a federal party federal_access, otherwise out_of_state_sharing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from config.phrases import alternation
from pipelines.extract.explain import describe, polarity_note
from pipelines.extract.lexicon import Lexicon
from pipelines.extract.mentions import (
    AGREEMENT_KINDS,
    FEDERAL_KINDS,
    PARTY_KINDS,
    Mention,
    act_mentions,
    context_mentions,
    immigration_mentions,
)
from pipelines.extract.model import Category
from pipelines.extract.parties import Context, party_mentions
from pipelines.extract.scopes import (
    Clauses,
    Scope,
    blocker,
    capability_scopes,
    clauses,
    polarity_scopes,
)

_QUOTED = re.compile(r"(?<![\w])[\"“'‘]([^\"“”'‘’\n]{1,80}?)[\"”'’](?![\w])")
NEEDS_PREVIOUS = "needs_previous"


@dataclass(frozen=True)
class Decision:
    """A finding in a unit: offsets are relative to the unit's text."""

    category: Category
    agencies: tuple[str, ...]
    confidence: float
    rules: tuple[str, ...]
    highlights: tuple[tuple[int, int], ...]
    vendors: tuple[str, ...] = ()
    systems: tuple[str, ...] = ()


@dataclass
class _Unit:
    text: str
    parties: list[Mention]
    acts: list[Mention]
    context: list[Mention]
    imm: list[Mention]
    audit: bool
    parts: Clauses
    scopes: list[Scope]
    reason_fields: list[re.Match[str]]

    def live(self, mentions: list[Mention]) -> list[Mention]:
        return [m for m in mentions if blocker(self.scopes, m.start) is None]


def decide(
    text: str, ctx: Context, *, row: bool = False, extra_soft: tuple[int, ...] = ()
) -> Decision | str | None:
    """The finding in ``text``, None, or NEEDS_PREVIOUS when only the sentence before can say.

    ``row`` says the unit is a row of a table, a search audit row when the document's first
    line is an audit table's header.
    """
    lex = ctx.lex
    scan = lex.scanner.scan(text)
    parties = party_mentions(scan, ctx)
    imm = immigration_mentions(scan)
    if not parties and not imm:
        return None
    acts = act_mentions(scan, lex, parties)
    audit = bool(scan.find("audit")) or row and ctx.audit_document
    searching = audit or any(a.kind == "search" for a in acts)
    if not (parties and acts) and not searching:
        return NEEDS_PREVIOUS if parties and lex.continuation.match(text) else None
    parts = clauses(text, lex, split=not audit, extra=extra_soft)
    fields = list(lex.reason_field.finditer(text)) if audit else []
    unit = _Unit(text, parties, acts, context_mentions(scan), imm, audit, parts,
                 polarity_scopes(scan, parts) + unit_scopes(text, ctx), fields)
    decision = _immigration_search(unit, ctx, searching) or _linked(unit)
    capability = capability_scopes(scan, parts, lex) if decision is not None else []
    if not capability:  # looked for only where a finding stands: it is rare, and costly
        return decision
    unit.scopes += capability
    return _immigration_search(unit, ctx, searching) or _linked(unit)


def unit_scopes(text: str, ctx: Context) -> list[Scope]:
    """Whole-unit scopes from what kind of text the unit is: an item of a records request
    ("2. All records documenting …"), contract or grant boilerplate ("auditors representing
    the federal government"), or data coming in (a party sharing its cameras "with you" or
    with the owner)."""
    lex = ctx.lex
    length = len(text)
    ask = lex.ask.match(text)
    if ask is not None:
        return [Scope("request", 0, length, ask.group())]
    boilerplate = lex.boilerplate.search(text)
    if boilerplate is not None:
        return [Scope("boilerplate", 0, length, boilerplate.group())]
    inbound = inbound_pattern(lex, ctx.owner, ctx.home_state).search(text)
    if inbound is not None:
        return [Scope("inbound", 0, length, inbound.group())]
    return []


def inbound_pattern(lex: Lexicon, owner: str | None, home: str | None) -> re.Pattern[str]:
    """Giving wording whose recipient is the reader or the owner: "shared their cameras with
    you", "… with San Mateo CA PD" (an agency of the home state), "granting you access"."""
    key = (id(lex), owner, home)
    entry = _INBOUND.get(key)
    if entry is None or entry[0] is not lex:  # the lexicon is kept: its id is not reused
        if len(_INBOUND) > _INBOUND_CACHE:
            _INBOUND.clear()
        entry = _INBOUND[key] = (lex, _inbound_regex(lex, owner, home))
    return entry[1]


_INBOUND: dict[tuple[int, str | None, str | None], tuple[Lexicon, re.Pattern[str]]] = {}
_INBOUND_CACHE = 256


def _inbound_regex(lex: Lexicon, owner: str | None, home: str | None) -> re.Pattern[str]:
    recipients = [alternation(lex.inbound_recipients)]
    if owner:
        recipients.append(r"\s+".join(map(re.escape, owner.split())))
    if home:
        recipients.append(
            rf"(?:[A-Z][\w.'’&-]*\s+){{1,5}}{home}\b(?:\s*-\s*[A-Z][\w.'’&-]*)?\s+"
            + alternation(lex.agency_suffixes)
        )
    to = "|".join(recipients)
    return re.compile(  # "shared their cameras with you", "granting you … the ability"
        r"\b(?i:shar\w*|gave|give[sn]?|giving|grant\w*|provid\w*|open\w*)\b"
        rf"[^.;\n]{{0,60}}?\b(?i:with|to)\s+(?:{to})(?!\w)"
        r"|\b(?i:gave|give[sn]?|giving|grant\w*|sen[dt]\w*)\s+(?:you|us)\b"
        # "… has accepted your request to share cameras": what you asked for comes to you
        r"|\b(?i:accept\w*|approv\w*|grant\w*)\s+(?:your|our)\s+(?:[\w-]+\s+){0,2}?request"
    )


def _immigration_search(unit: _Unit, ctx: Context, searching: bool) -> Decision | None:
    if not searching:
        return None
    reasons = [m for m in unit.imm if m.kind == "imm_phrase"]
    immigration_agencies = [
        m for m in unit.parties if m.kind == "agency" and m.key in ctx.lex.immigration_agencies
    ]
    candidates = [m for m in unit.imm if m.kind == "imm"] + immigration_agencies
    if unit.audit:
        reasons += candidates
    else:
        quoted = [(q.start(1), q.end(1)) for q in _QUOTED.finditer(unit.text)]
        quoted += [(m.start(), m.end()) for m in ctx.lex.reason_told.finditer(unit.text)]
        reasons += [m for m in candidates if any(a <= m.start and m.end <= b for a, b in quoted)]
    live = unit.live(reasons)
    if not live:
        return None
    agencies = _agencies(unit)
    where = "in a search audit row" if unit.audit else "as a search reason"
    rule = f"immigration reason {describe(live[0])} {where}, {polarity_note(unit.scopes)}"
    confidence = 0.95 if unit.audit else 0.9
    return _decision(unit, Category.IMMIGRATION_SEARCH, agencies, confidence, (rule,), live)


def _linked(unit: _Unit) -> Decision | None:
    best: tuple[int, Category, Mention, Mention] | None = None
    parties = _linkable(unit, unit.live(unit.parties))
    acts = unit.live(unit.acts)
    has_data = any(m.kind in ("data", "local_data") for m in unit.context)
    has_local = unit.audit or any(m.kind == "local_data" for m in unit.context)
    for act in acts:
        if act.kind == "give" and not has_data:
            continue
        if act.kind in ("access", "search") and not has_local:
            continue
        region = unit.parts.region_of(act.start)
        for party in parties:
            if unit.parts.region_of(party.start) != region and not _shared_subject(
                unit, party, region
            ):
                continue
            if act.kind == "give" and party.start < act.start:
                continue
            category = _category(act, party)
            rank = _RANK[category]
            if best is None or rank < best[0]:
                best = (rank, category, act, party)
    if best is None:
        return None
    _, category, act, party = best
    rule = f"{describe(party)} + {describe(act)}, {polarity_note(unit.scopes)}"
    confidence = 0.9 if party.kind == "agency" else 0.8
    if unit.scopes:
        confidence -= 0.05
    return _decision(unit, category, _agencies(unit), confidence, (rule,), [party, act])


_NO_SUBJECT = re.compile(
    r"\W*(?:but|however|yet|and)?\W*(?:also\s+|still\s+|then\s+|later\s+)?"
    r"(?:has|have|had|was|were|did|does)\b(?!\s+(?:not|never|no)\b)",
    re.IGNORECASE,
)
_SUBJECT_REACH = 40  # characters from the start of its region where a subject stands


def _shared_subject(unit: _Unit, party: Mention, region: int) -> bool:
    """True when the act's region has no subject of its own and the party is the subject of
    the region before it ("ICE has no agreement with Flock, but has accessed the system")."""
    if region == 0 or unit.parts.region_of(party.start) != region - 1:
        return False
    start, end = unit.parts.regions[region]
    before = unit.parts.regions[region - 1][0]
    return party.start - before <= _SUBJECT_REACH and bool(
        _NO_SUBJECT.match(unit.text, start, end)
    )


def _linkable(unit: _Unit, parties: list[Mention]) -> list[Mention]:
    """Parties that can have received data: in a search audit row, not the ones named in the
    logged reason ("FBI bank robbery" is this agency's own search), and none if the row has
    no recognisable reason field."""
    if not unit.audit:
        return parties
    fields = [(m.start(), m.end()) for m in unit.reason_fields]
    if not fields:
        return []
    return [p for p in parties if not any(a <= p.start < b for a, b in fields)]


_RANK = {
    Category.IMMIGRATION_SEARCH: 0,
    Category.SHARING_AGREEMENT: 1,
    Category.FEDERAL_ACCESS: 2,
    Category.OUT_OF_STATE_SHARING: 3,
}


def _category(act: Mention, party: Mention) -> Category:
    if act.kind in AGREEMENT_KINDS:
        return Category.SHARING_AGREEMENT
    if party.kind in FEDERAL_KINDS:
        return Category.FEDERAL_ACCESS
    return Category.OUT_OF_STATE_SHARING


def _agencies(unit: _Unit) -> tuple[str, ...]:
    keys: list[str] = []
    for mention in unit.live([m for m in unit.parties if m.kind == "agency"]):
        if mention.key not in keys:
            keys.append(mention.key)
    return tuple(keys)


def _decision(
    unit: _Unit, category: Category, agencies: tuple[str, ...], confidence: float,
    rules: tuple[str, ...], evidence: list[Mention],
) -> Decision:
    marks = sorted({(m.start, m.end) for m in evidence} | {
        (m.start, m.end) for m in unit.live(unit.parties) if m.kind in PARTY_KINDS
    })
    vendors = tuple(dict.fromkeys(m.key for m in unit.context if m.kind == "vendor"))
    systems = tuple(dict.fromkeys(m.text for m in unit.context if m.kind == "system"))
    return Decision(category, agencies, round(max(0.5, confidence), 2), rules, tuple(marks),
                    vendors, systems)
