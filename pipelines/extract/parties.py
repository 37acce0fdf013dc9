"""Recognise who receives data in a unit: federal agencies, unnamed federal parties, other
states and nationwide networks, with the acronym traps left out.

Traps handled here: an acronym the document defines as something else ("Desert Hot Springs
(DHS)"), words that turn a name into something else ("ICE (In Case of Emergency)", "ice
rink" never matches because acronyms match only in capitals), programmes rather than parties
("FBI National Academy", "DHS cyber grant"), state bodies ("Illinois DHS", "state Department of
Homeland Security"), and state names used as places ("Nevada County", "Kansas City").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipelines.extract.lexicon import Lexicon
from pipelines.extract.mentions import Mention, found
from pipelines.extract.model import Finding
from pipelines.extract.scanner import Scan

_DEFINED_AFTER = re.compile(r"\s*\(([^()\n]{3,80})\)")
_DEFINED_BEFORE = re.compile(r"((?:[\w&.,'’-]+\s+){1,10}[\w&.'’-]+)\s*\(\s*\Z")
_BEFORE, _AFTER = 60, 100
_SMALL_WORDS = frozenset({"of", "and", "the", "for", "&", "on", "in", "to", "a"})


@dataclass(frozen=True)
class Context:
    """What the engine knows about the whole document while reading one unit."""

    lex: Lexicon
    redefined: frozenset[str] = frozenset()
    home_state: str | None = None
    audit_document: bool = False  # the first line is the header of a search audit table
    owner: str | None = None  # the name of the agency whose data the document is about


def redefined_acronym(text: str, start: int, end: int, short: str, lex: Lexicon) -> bool:
    """True if the acronym at ``start:end`` is spelt out here as something else than ``short``.

    "Desert Hot Springs (DHS)" and "ICE (In Case of Emergency)" redefine; "Homeland Security
    Investigations (HSI)" does not, and neither does "(the agency)", whose initials differ.
    """
    after = _DEFINED_AFTER.match(text, end)
    if after is not None:
        return _other_expansion(after.group(1).split(), short, lex)
    if start > 0 and text[start - 1] == "(" and text[end : end + 1] == ")":
        before = _DEFINED_BEFORE.search(text, max(0, start - 120), start)
        words = before.group(1).split() if before else []
        return any(_other_expansion(words[i:], short, lex) for i in range(len(words)))
    return False


def _other_expansion(words: list[str], short: str, lex: Lexicon) -> bool:
    letters = "".join(w[0] for w in words if w[0].isalpha())
    capitals = "".join(w[0] for w in words if w[0].isupper())
    content = "".join(w[0] for w in words if w[0].isalpha() and w.casefold() not in _SMALL_WORDS)
    if short not in (letters.upper(), capitals, content.upper()):
        return False
    full = lex.agency_full.get(short)
    return full is None or full.search(" ".join(words)) is None


def state_at(text: str, start: int, ctx: Context) -> bool:
    """True if a state name used as a state (not "Nevada County") starts at ``start``."""
    section = ctx.lex.party_scanner.sections["state"]
    bucket = section.buckets.get(text[start : start + 1].lower())
    return bucket is not None and bucket.match(text, start) is not None


def covers_party(text: str, start: int, ctx: Context) -> bool:
    """True if a party, a state or an immigration reason starts at or spans ``start``.

    A cheap look at a few words around a trigger word: "federal" in "federal grant" or "FBI"
    in "FBI National Academy" name no party, so their sentence need not be read.
    """
    low = max(0, start - _BEFORE)
    scan = ctx.lex.party_scanner.scan(text[low : start + _AFTER])
    spans = [(m.start, m.end) for m in agency_mentions(scan, ctx)]
    for section in ("federal", "oos", "nation", "state", "imm", "imm_phrase"):
        spans += [(h.start, h.end) for h in scan.find(section)]
    return any(a <= start - low < b for a, b in spans)


def party_mentions(scan: Scan, ctx: Context) -> list[Mention]:
    """Agencies, unnamed federal parties, out-of-state and nationwide wording, other states."""
    parties = agency_mentions(scan, ctx)
    parties += found(scan, "federal")
    oos = found(scan, "oos")
    parties += oos
    parties += found(scan, "nation")
    parties += other_states(scan, ctx, [(m.start, m.end) for m in oos])
    return parties


def agency_mentions(scan: Scan, ctx: Context) -> list[Mention]:
    """Federal agencies named in the unit, keyed by short name; look-alikes left out."""
    text = scan.text
    agencies = []
    for hit in scan.find("agency"):
        if hit.text == hit.key and hit.key in ctx.redefined:
            continue
        if _not_this_agency(text, hit.start, hit.end, hit.key, ctx.lex):
            continue
        agencies.append(Mention("agency", hit.start, hit.end, hit.text, hit.key))
    return agencies


def _not_this_agency(text: str, start: int, end: int, short: str, lex: Lexicon) -> bool:
    not_after = lex.agency_not_after.get(short)
    if not_after is not None and not_after.match(text, end):
        return True
    if lex.program_after.match(text, end):
        return True
    if lex.not_federal_before.search(text, max(0, start - 40), start):
        return True
    return text[start:end] == short and redefined_acronym(text, start, end, short, lex)


def other_states(scan: Scan, ctx: Context, oos_spans: list[tuple[int, int]]) -> list[Mention]:
    """Mentions of agencies in a state other than the home state, as ``state`` parties.

    The home state is the source's (``ctx.home_state``) or the one the text marks as home
    ("within Oregon", "the Illinois department", "outside Missouri"). Without either, two
    different states in one passage show that data crosses a state line.
    """
    lex = ctx.lex
    states = found(scan, "state")
    for match in lex.org_code.finditer(scan.text):
        group = next(g for g in (1, 2, 3) if match.group(g))
        code = match.group(group)
        if code in lex.state_codes.values():
            states.append(Mention("state", match.start(group), match.end(group), code, code))
    if not states:
        return []
    home_spans = [(h.start, h.end) for h in scan.find("in_state")] + oos_spans
    home = {s.key for s in states if _inside(s, home_spans)}
    if ctx.home_state:
        home.add(ctx.home_state)
    candidates = [s for s in states if not _inside(s, home_spans)]
    if home:
        return [s for s in candidates if s.key not in home]
    return candidates if len({s.key for s in states}) >= 2 else []


def _inside(mention: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(start <= mention.start and mention.end <= end for start, end in spans)


def _squash(name: str) -> str:
    return " ".join(name.split())


REFERENCE_REACH = 2000  # characters before a finding where "the federal agency" is looked up


def resolve_references(text: str, findings: list[Finding], ctx: Context) -> list[Finding]:
    """Findings naming no agency but referring back to one ("the federal agency had
    accessed …"), given the agency the document named last before them."""
    out = []
    for finding in findings:
        if not finding.agencies and ctx.lex.reference.search(finding.snippet):
            low = max(0, finding.start - REFERENCE_REACH)
            scan = ctx.lex.party_scanner.scan(text[low : finding.start])
            named = agency_mentions(scan, ctx)
            if named:
                note = f"'{named[-1].text}' is the agency the document named before"
                finding = replace(finding, agencies=(named[-1].key,),
                                  rules=(*finding.rules, note))
        out.append(finding)
    return out
