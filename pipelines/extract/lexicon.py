"""Compile config/patterns.yaml into what the engine runs (once per file, cached).

- ``trigger``: one trie-shaped regex of trigger words, run over the lower-cased document;
- ``scanner``: the phrase sections matched over a unit in one pass (pipelines/extract/scanner.py);
- a few small regexes tested at known positions (what follows an agency name, the heading of
  a portal list, clause boundaries).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from config.patterns import PATTERNS_PATH, PatternConfig, load_patterns
from config.phrases import alternation, is_caps, phrase_regex, trie_regex
from pipelines.extract.scanner import Entry, Scanner, anchor_of
from pipelines.extract.triggers import check_triggers, code_words, first_letters, trigger_words

Pattern = re.Pattern[str]
_GROUP_NAME = re.compile(r"\(\?P<\w+>")
_BEFORE_STOP = r"[\s,.'’s()\-:]*"

PARTY_SECTIONS = frozenset({"agency", "federal", "oos", "nation", "state", "imm", "imm_phrase"})
# section name in the scanner → key of config/patterns.yaml
_PLAIN_SECTIONS = {
    "federal": "federal_parties", "oos": "out_of_state", "nation": "nationwide",
    "in_state": "in_state", "access": "access_words", "assist": "assist_words",
    "search": "search_words", "local_data": "local_data_words",
    "give": "give_words", "data": "data_words", "systems": "systems",
    "agreement": "agreement_words", "agree_act": "agreement_acts",
    "imm": "immigration_reasons", "imm_phrase": "immigration_reason_phrases",
    "audit": "audit_row_markers", "negation": "negation", "negation_except": "negation_exceptions",
    "negation_after": "negation_after", "prohibition": "prohibition", "definition": "definitions",
    "hedge": "hedges", "hedge_except": "hedge_exceptions", "remediation": "remediation",
    "conditional": "conditionals", "capability": "capabilities", "named_data": "named_data",
    "inbound": "inbound",
}


@dataclass(frozen=True)
class Lexicon:
    """Compiled patterns; docs/findings.md maps each part to its section of the YAML file."""

    trigger: re.Pattern[bytes]
    caps_triggers: dict[str, str]
    code_words: frozenset[str]
    scanner: Scanner
    party_scanner: Scanner
    immigration_agencies: frozenset[str]
    agency_short: frozenset[str]
    agency_family: dict[str, frozenset[str]]
    agency_full: dict[str, Pattern]
    agency_not_after: dict[str, Pattern]
    program_after: Pattern
    not_federal_before: Pattern
    state_codes: dict[str, str]
    state_words: frozenset[str]
    code: Pattern
    org_code: Pattern
    vendor: Pattern
    vendor_groups: dict[str, tuple[str, bool]]
    hard_boundary: Pattern
    soft_boundary: Pattern
    relative_clause: Pattern
    opening: Pattern
    contrast_openings: frozenset[str]
    continuation: Pattern
    reason_field: Pattern
    reason_told: Pattern
    before_state: Pattern
    portal_headers: tuple[Pattern, ...]
    portal_inbound: Pattern
    portal_stop: Pattern
    portal_empty: frozenset[str]
    portal_heading_line: Pattern
    abbreviations: frozenset[str]
    item_label: Pattern
    capability_subject: Pattern
    furniture: tuple[Pattern, ...]
    comment_line: Pattern
    owner_patterns: tuple[Pattern, ...]
    inbound_recipients: tuple[str, ...]
    agency_suffixes: tuple[str, ...]
    inbound_lists: tuple[Pattern, ...]  # one each: a literal first word is found fast
    request_table: Pattern
    request_columns: frozenset[str]
    ask: Pattern
    boilerplate: Pattern
    reference: Pattern


@lru_cache(maxsize=8)
def get_lexicon(path: Path = PATTERNS_PATH) -> Lexicon:
    """The compiled lexicon of a patterns file, built once per path (and kept on disk for
    the next process: pipelines/extract/lexicon_cache.py)."""
    from pipelines.extract.lexicon_cache import cached

    return cached(path, lambda p: build_lexicon(load_patterns(p), p))


def build_lexicon(p: PatternConfig, path: Path = PATTERNS_PATH) -> Lexicon:
    """Compile a validated patterns file; ConfigError if a phrase lacks a trigger word."""
    longest_first = sorted(p.states.values(), key=len, reverse=True)
    names = "(?:" + "|".join(_state_name(n) for n in longest_first) + ")"
    sections = _sections(p, names)
    words, agency_codes = trigger_words(p), code_words(p)
    lexicon = Lexicon(
        trigger=re.compile((r"\b" + first_letters(words) + trie_regex(words)).encode()),
        caps_triggers={t.lower(): t for t in p.triggers if is_caps(t)},
        code_words=frozenset(agency_codes),
        scanner=Scanner(sections),
        party_scanner=Scanner({k: v for k, v in sections.items() if k in PARTY_SECTIONS}),
        **_agency_fields(p, names),
        **_clause_fields(p),
        **_portal_fields(p),
        **_document_fields(p),
    )
    check_triggers(p, lexicon.trigger, lexicon.caps_triggers, path)
    return lexicon


def _agency_fields(p: PatternConfig, names: str) -> dict[str, Any]:  # Any: Lexicon fields
    codes = "|".join(sorted(p.states))
    vendor = "|".join(f"(?P<v{i}>{alternation(v.names)})" for i, v in enumerate(p.vendors.values()))
    return {
        "immigration_agencies": frozenset(s for s, a in p.agencies.items() if a.immigration),
        "agency_short": frozenset(p.agencies),
        "agency_family": {short: _ancestors(short, p) for short in p.agencies},
        "agency_full": {
            s: re.compile(alternation([n for n in a.names if not is_caps(n)]))
            for s, a in p.agencies.items() if any(not is_caps(n) for n in a.names)
        },
        "agency_not_after": {
            s: re.compile(_BEFORE_STOP + alternation(a.not_followed_by))
            for s, a in p.agencies.items() if a.not_followed_by
        },
        "program_after": re.compile(_BEFORE_STOP + alternation(p.program_words)),
        "not_federal_before": re.compile(
            f"(?:{alternation(p.not_federal_before)}|{names}|\\b(?:{codes})\\b)[ \\t]{{1,3}}\\Z"
        ),
        "state_codes": {name: code for code, name in p.states.items()},
        "state_words": frozenset(name.lower() for name in p.states.values()),
        "code": re.compile(rf"(?<![\w\-])(?:{codes})(?![\w\-])"),
        # "Acworth GA PD", "Harris County (TX) DA Office", "NM - Bloomfield PD", "County SO-AZ"
        # what comes before a state name in out-of-state wording ("non-", "outside of ")
        "before_state": re.compile(alternation(
            [o.split("{state}")[0] for o in p.out_of_state if "{state}" in o and not
             o.startswith("{state}")]
        ) + r"\s*\Z"),
        "org_code": re.compile(
            rf"(?<![\w\-])\(?([A-Z]{{2}})\)?\s+{alternation(p.agency_suffixes)}"
            rf"|(?<![\w\-])([A-Z]{{2}})\s+-\s+(?=[A-Z])"
            rf"|\b(?:SO|PD|SD|DA|DPS)-([A-Z]{{2}})\b"
        ),
        "vendor": re.compile(vendor or r"(?!x)x"),
        "vendor_groups": {f"v{i}": (n, v.broker) for i, (n, v) in enumerate(p.vendors.items())},
    }


def _ancestors(short: str, p: PatternConfig) -> frozenset[str]:
    """The agency and every agency it is part of ("ERO" gives ERO, ICE, DHS)."""
    family = [short]
    while (parent := p.agencies[family[-1]].parent) is not None and parent not in family:
        family.append(parent)
    return frozenset(family)


def _clause_fields(p: PatternConfig) -> dict[str, Any]:  # Any: Lexicon fields
    return {
        "hard_boundary": re.compile(r";|,?\s+" + alternation(p.contrast) + r"(?=[\s,])"),
        "soft_boundary": re.compile(
            r"\s[—–]\s|—|\s--\s"  # dashes often pair around an aside: not a new region
            r"|,?\s+" + alternation(p.subordinators) + r"(?=\s)(?!\s+(?:\d|of\b))"
            r"|,\s+and\s+(?=(?:the|we|it|they|he|she|this|that|these|those|our|its|their)\b|[A-Z])"
        ),
        "relative_clause": re.compile(r",\s+(?:which|who|whose|whom)\b[^,;.]{1,200},"),
        # An opening clause may follow a label ("Statement: While …,").
        "opening": re.compile(
            r"\A\W*(?:[A-Z][\w .'’&-]{0,40}:\s+)?(?P<open>" + alternation(p.opening_clauses)
            + r")\b[^,;]{0,200},"
        ),
        "contrast_openings": frozenset(w.casefold() for w in (*p.contrast, "while")),
        "continuation": re.compile(r"\A\W*" + alternation(p.continuation)),
        # a logged reason told in prose: "the reason for the search was for ICE or HSI"
        "reason_told": re.compile(
            r"(?i:\b(?:reasons?|purposes?)\b[^.;:\n]{0,40}?\b(?:was|were|as|given|listed|cited)\b)"
            r"[^.;\n]{0,80}"
        ),
        "reason_field": re.compile(
            alternation(p.audit_reason_fields)
            + r"[\"']?\s*[:=]?\s*(?:\"[^\"\n]*\"|'[^'\n]*'|[^;|\n]*)"
        ),
        "abbreviations": frozenset(a.casefold() for a in p.abbreviations),
        "capability_subject": re.compile(
            alternation(p.capability_subjects) + r"(?:\W+\w+){0,3}?\W+\Z"
        ),
        "item_label": re.compile(
            r"(?i:\b(?P<kind>" + alternation(p.item_labels) + r")\s+(?:(?:No\.?|Number|#)\s*)?)"
            r"(?P<number>\d[\dA-Za-z]*(?:[-./][\dA-Za-z]+)+)"
        ),
    }


def _portal_fields(p: PatternConfig) -> dict[str, Any]:  # Any: Lexicon fields
    return {
        "portal_headers": tuple(re.compile(phrase_regex(h)) for h in p.portal.headers),
        "portal_inbound": re.compile(alternation(p.portal.inbound_headers)),
        "portal_stop": re.compile(r"^\s*" + alternation(p.portal.stop_headings), re.MULTILINE),
        "portal_empty": frozenset(v.casefold() for v in p.portal.empty_values),
        # any heading at the start of a line, in one pass (document.py); groups unnamed
        "portal_heading_line": re.compile(
            r"(?m)^[ \t]*(?:"
            + "|".join(_GROUP_NAME.sub("(?:", phrase_regex(h)) for h in p.portal.headers)
            + ")"
        ),
    }


def _document_fields(p: PatternConfig) -> dict[str, Any]:  # Any: Lexicon fields
    d = p.document
    return {
        "furniture": tuple(re.compile(phrase_regex(f)) for f in d.furniture),
        "comment_line": re.compile(
            r"(?m)^[ \t]*(?:" + alternation(d.comment_headings) + r")[ \t]*$"
        ),
        "owner_patterns": tuple(re.compile(phrase_regex(o)) for o in d.owner),
        "inbound_recipients": d.inbound_recipients,
        "agency_suffixes": p.agency_suffixes,
        "inbound_lists": tuple(re.compile(phrase_regex(h)) for h in d.inbound_lists),
        "request_table": re.compile(alternation(d.request_tables)),
        "request_columns": frozenset(c.casefold() for c in d.request_columns),
        "ask": re.compile(alternation(d.asks)),
        "boilerplate": re.compile(alternation(d.boilerplate)),
        "reference": re.compile(alternation(d.references)),
    }


def _sections(p: PatternConfig, names: str) -> dict[str, list[Entry]]:
    sections = {
        section: [entry for ph in getattr(p, key) for entry in _entries(ph, names, p)]
        for section, key in _PLAIN_SECTIONS.items()
    }
    sections["agency"] = [
        Entry(phrase_regex(name), anchor_of(name), short)
        for short, agency in p.agencies.items() for name in agency.names
    ]
    sections["vendor"] = [
        Entry(phrase_regex(name), anchor_of(name), vendor)
        for vendor, entry in p.vendors.items() for name in entry.names
    ]
    places = "|".join(map(re.escape, p.place_words))
    sections["state"] = [
        Entry(rf"\b{_state_name(name)}\b(?!\s+(?:{places})\b)", name.split()[0].lower(), code)
        for code, name in p.states.items()
    ]
    verbs = alternation(p.law_verbs)
    sections["law"] = [
        # "the law requires …" describes a law; "broke the law by allowing …" reports an act
        Entry(phrase_regex(law) + r"(?:\W+\w+){0,4}?\W+(?<!\bby\s)" + verbs, anchor_of(law))
        for law in p.law_names
    ]
    return sections


def _entries(phrase: str, names: str, p: PatternConfig) -> list[Entry]:
    """A phrase as scanner entries; one starting with {state} is anchored on each state."""
    if not phrase.startswith("{state}"):
        return [Entry(phrase_regex(phrase, names), anchor_of(phrase))]
    spelled = (phrase.replace("{state}", name, 1) for name in p.states.values())
    return [Entry(phrase_regex(one, names), anchor_of(one)) for one in spelled]


def _state_name(name: str) -> str:
    return r"\s+".join(map(re.escape, name.split()))
