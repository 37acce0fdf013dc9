"""Load and validate config/patterns.yaml, the dictionaries of the findings engine.

Every problem is reported together, each naming the file and the key (``agencies.ICE.names``,
``hedges[3]``) and what to do. See docs/findings.md, "Editing patterns.yaml".
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

import config.schema
from config.phrases import RAW, phrase_regex
from config.problems import validation_problems
from config.schema import ConfigError
from config.yamlfile import read_yaml

# SIDEDOOR_PATTERNS: an operator's own patterns file instead of the shipped one.
PATTERNS_PATH = Path(os.environ.get("SIDEDOOR_PATTERNS")
                     or Path(config.schema.__file__).resolve().parent / "patterns.yaml")
Phrases = tuple[str, ...]
_HINTS = {"extra_forbidden": "unknown key (a typo? docs/findings.md lists the keys)",
          "missing": "missing: this section is required"}


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AgencyEntry(_Strict):
    """One federal agency: the ways documents write it and the words that cancel a match."""

    names: Phrases = Field(min_length=1)
    immigration: bool = False
    not_followed_by: Phrases = ()
    parent: str | None = None  # the agency it is part of (ERO and HSI: ICE)


class VendorEntry(_Strict):
    """A vendor; ``broker`` marks data brokers, whose contracts are sharing agreements."""

    names: Phrases = Field(min_length=1)
    broker: bool = False


class PortalEntry(_Strict):
    """Headings of transparency-portal access lists."""

    headers: Phrases = Field(min_length=1)
    inbound_headers: Phrases = ()
    stop_headings: Phrases = ()
    empty_values: Phrases = ()


class DocumentEntry(_Strict):
    """How whole documents are read (docs/findings.md, "Documents"): page furniture, the
    owner of the data, blocks that state no flow, and tables of access requests."""

    furniture: Phrases = ()
    comment_headings: Phrases = ()
    owner: Phrases = ()
    inbound_recipients: Phrases = ()
    inbound_lists: Phrases = ()
    request_tables: Phrases = ()
    request_columns: Phrases = ()
    asks: Phrases = ()
    boilerplate: Phrases = ()
    references: Phrases = ()


class PatternConfig(_Strict):
    """The whole of config/patterns.yaml (docs/findings.md describes each key)."""

    triggers: Phrases = Field(min_length=1)
    agencies: dict[str, AgencyEntry] = Field(min_length=1)
    federal_parties: Phrases
    program_words: Phrases = ()
    not_federal_before: Phrases = ()
    states: dict[str, str] = Field(min_length=1)
    place_words: Phrases = ()
    agency_suffixes: Phrases = ()
    out_of_state: Phrases
    nationwide: Phrases
    in_state: Phrases = ()
    access_words: Phrases
    assist_words: Phrases
    search_words: Phrases
    give_words: Phrases
    data_words: Phrases
    local_data_words: Phrases
    systems: Phrases = ()
    vendors: dict[str, VendorEntry] = {}
    agreement_words: Phrases
    agreement_acts: Phrases
    immigration_reasons: Phrases
    # agency → how logged search reasons write it (audit logs only: config/vocabulary.py)
    search_reason_agencies: dict[str, Phrases] = {}
    immigration_reason_phrases: Phrases = ()
    audit_row_markers: Phrases = ()
    audit_reason_fields: Phrases = ("reason",)
    negation: Phrases
    negation_exceptions: Phrases = ()
    negation_after: Phrases = ()
    prohibition: Phrases
    law_names: Phrases = ()
    law_verbs: Phrases = ()
    definitions: Phrases = ()
    capabilities: Phrases = ()
    capability_subjects: Phrases = ()
    named_data: Phrases = ()
    hedges: Phrases
    hedge_exceptions: Phrases = ()
    conditionals: Phrases = ()
    remediation: Phrases
    inbound: Phrases = ()
    contrast: Phrases = ()
    subordinators: Phrases = ()
    opening_clauses: Phrases = ()
    continuation: Phrases = ()
    document: DocumentEntry = DocumentEntry()
    watch_words: Phrases = ()
    portal: PortalEntry
    abbreviations: Phrases = ()
    item_labels: Phrases = ()
    # The state resolver's name forms: validated by config/states.py, which reads them.
    agency_states: dict[str, Any] = {}

    @field_validator("agencies")
    @classmethod
    def _short_names_are_capitals(cls, value: dict[str, AgencyEntry]) -> dict[str, AgencyEntry]:
        for short in value:
            if not re.fullmatch(r"[A-Z]{2,6}", short):
                raise ValueError(
                    f"agency short names are 2-6 capital letters like 'ICE', got {short!r}"
                )
        for short, agency in value.items():
            if agency.parent is not None and agency.parent not in value:
                raise ValueError(
                    f"{short}: parent {agency.parent!r} is not an agency of this file; use one "
                    f"of {', '.join(value)}"
                )
        return value

    @field_validator("states")
    @classmethod
    def _state_codes(cls, value: dict[str, str]) -> dict[str, str]:
        for code in value:
            if not re.fullmatch(r"[A-Z]{2}", str(code)):
                raise ValueError(f"state keys are two-letter codes like 'IL', got {code!r}")
        return value


def load_patterns(path: Path = PATTERNS_PATH) -> PatternConfig:
    """Read and validate a patterns file; raise ConfigError listing every problem."""
    data = _read(path)
    try:
        patterns = PatternConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("\n".join(validation_problems(path, exc, hints=_HINTS))) from None
    problems = [f"{path}: {where}: {why}" for where, why in _phrase_problems(patterns)]
    if problems:
        raise ConfigError("\n".join(problems))
    return patterns


def _read(path: Path) -> dict[str, Any]:  # Any: YAML may hold anything until validated
    data = read_yaml(path, what="the patterns file", hint=" (quote phrases holding { } : or #)")
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of sections like 'agencies:', 'hedges:'")
    return data


def named_phrases(patterns: PatternConfig) -> list[tuple[str, str]]:
    """Every phrase of the file with its key, e.g. ``("agencies.ICE.names[0]", "ICE")``."""
    out: list[tuple[str, str]] = []
    for key, value in patterns:
        if isinstance(value, tuple):
            out.extend((f"{key}[{i}]", phrase) for i, phrase in enumerate(value))
    for short, agency in patterns.agencies.items():
        for field in ("names", "not_followed_by"):
            for i, phrase in enumerate(getattr(agency, field)):
                out.append((f"agencies.{short}.{field}[{i}]", phrase))
    for name, vendor in patterns.vendors.items():
        out.extend((f"vendors.{name}.names[{i}]", p) for i, p in enumerate(vendor.names))
    for section in ("document", "portal"):
        for field, value in getattr(patterns, section):
            out.extend((f"{section}.{field}[{i}]", p) for i, p in enumerate(value))
    return out


def _phrase_problems(patterns: PatternConfig) -> list[tuple[str, str]]:
    problems = []
    for where, phrase in named_phrases(patterns):
        if not phrase.strip() or phrase.strip() in {"…", "...", "*"}:
            problems.append((where, "empty phrase; delete the entry"))
            continue
        try:
            re.compile(phrase_regex(phrase, "(?:Texas)"))
        except re.error as exc:
            hint = "fix the regular expression" if phrase.startswith(RAW) else "quote the phrase"
            problems.append((where, f"{phrase!r} does not compile ({exc}); {hint}"))
    return problems
