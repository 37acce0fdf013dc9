"""Load and validate ``config/laws.yaml``: state laws a fact may conflict with.

Each law is cited data: its state, citation, official address and, per clause, the statute's
own words with where they were checked, and what the clause restricts in machine-readable
form (which recipients, which purposes, which data). :func:`laws_for` picks the laws whose
clauses match a fact: whose data (the owner's state), given to whom (a federal agency, an
agency of another state), for what (immigration). The site shows the result as "may conflict
with", never as a legal conclusion (reports/templates/laws.html).

``SIDEDOOR_LAWS`` names an operator's own file instead of the shipped one. Every problem is
reported together, each on one line naming the file and the entry
(``laws.il_625_ilcs_5_2_130.clauses[0].recipients[1]``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

from config.errors import ConfigError
from config.problems import validation_problems
from config.schema import CONFIG_DIR
from config.yamlfile import read_yaml

# SIDEDOOR_LAWS: an operator's own laws file instead of the shipped one.
LAWS_PATH = Path(os.environ.get("SIDEDOOR_LAWS") or CONFIG_DIR / "laws.yaml")
LAW_ID = re.compile(r"[a-z]{2}(_[a-z0-9]+)+")
MAX_WORDS = 420  # characters: a quote is the operative sentence, not the section
_EMPTY = "empty; give at least one"


class Recipient(StrEnum):
    """Who receiving the data brings a clause in."""

    FEDERAL = "federal"
    OUT_OF_STATE = "out_of_state"


class Purpose(StrEnum):
    """What the data must be sought for, when a clause names a purpose."""

    IMMIGRATION = "immigration"
    REPRODUCTIVE_CARE = "reproductive_care"


class Data(StrEnum):
    """Which data a law covers: plate-reader data only, or any data or help."""

    ALPR = "alpr"
    ANY = "any"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Quote(_Strict):
    """A statute's own words, exact, with where they were read."""

    words: str = Field(min_length=1, max_length=MAX_WORDS)
    checked: tuple[HttpUrl, ...] = Field(min_length=1)

    @field_validator("words")
    @classmethod
    def _plain_words(cls, value: str) -> str:
        value = " ".join(value.split())
        if value[0] in "\"'“”‘’" and value[-1] in "\"'“”‘’":
            raise ValueError("give the words without surrounding quotation marks")
        return value


class Clause(Quote):
    """One operative sentence and what it restricts."""

    section: str = ""
    recipients: tuple[Recipient, ...] = Field(min_length=1)
    purposes: tuple[Purpose, ...] = ()  # none: whatever the purpose
    reading: str = ""  # our note on how the clause is matched

    def matches(self, *, federal: bool, out_of_state: bool, immigration: bool) -> bool:
        """Whether a fact with these recipients and purpose falls under the clause."""
        to_whom = ((federal and Recipient.FEDERAL in self.recipients)
                   or (out_of_state and Recipient.OUT_OF_STATE in self.recipients))
        for_what = not self.purposes or (immigration and Purpose.IMMIGRATION in self.purposes)
        return to_whom and for_what


class Definition(Quote):
    """A term the clauses depend on, from this law or a neighbouring section."""

    citation: str = Field(min_length=1)
    url: HttpUrl


class Law(_Strict):
    """One entry of ``config/laws.yaml`` (its key is ``id``)."""

    id: str
    state: str = Field(pattern=r"^[A-Z]{2}$")
    title: str = Field(min_length=1)
    citation: str = Field(min_length=1)
    url: HttpUrl
    effective: date | None
    data: Data
    scope: str = ""
    clauses: tuple[Clause, ...] = Field(min_length=1)
    definition: Definition | None = None

    @property
    def words(self) -> str:
        """The first clause's words (a law narrowed by :func:`laws_for` keeps only the
        clauses the fact matched)."""
        return self.clauses[0].words


def laws_for(owner_state: str, *, federal: bool, out_of_state: bool, immigration: bool,
             alpr: bool = True, laws: Sequence[Law] | None = None) -> list[Law]:
    """The laws a fact may conflict with, in the file's order, each narrowed to the clauses
    the fact matches: the owner's state is the law's, a recipient is one the clause names
    (``federal``; ``out_of_state``: another state's agency), and, for a clause that names
    purposes, the fact is about immigration (an immigration agency, or an immigration
    reason). ``alpr`` is False for data other than plate-reader data, which ALPR laws leave
    out. ``laws`` defaults to the shipped file; given, the function is pure.

    >>> [law.id for law in laws_for("IL", federal=True, out_of_state=False, immigration=True)]
    ['il_625_ilcs_5_2_130', 'il_5_ilcs_805_15']
    """
    state = owner_state.strip().upper()
    found = []
    for law in load_laws() if laws is None else laws:
        if law.state != state or (law.data is Data.ALPR and not alpr):
            continue
        clauses = tuple(c for c in law.clauses if c.matches(
            federal=federal, out_of_state=out_of_state, immigration=immigration))
        if clauses:
            found.append(law if clauses == law.clauses
                         else law.model_copy(update={"clauses": clauses}))
    return found


_HINTS = {
    "extra_forbidden": "unknown key (a typo? config/laws.yaml lists the keys at its top)",
    "missing": "missing; every law needs it (see the top of config/laws.yaml)",
    "string_pattern_mismatch": "got {input!r}; expected two capital letters, like IL",
    "too_short": _EMPTY,
}


def laws_of_fact(owner_state: str, *, kind: str, status: str, categories: Sequence[str],
                 recipients: Sequence[Mapping[str, str]], federal: Collection[str],
                 immigration: Collection[str]) -> list[Law]:
    """The laws a stored fact may conflict with (:func:`laws_for`, narrowed to the clauses it
    matches): a flow to a federal agency (one of ``federal``) or another state's agency, or
    searches for immigration; none for an agreement only proposed, or ended, or whose status
    no document gives. ``recipients`` are ``{"name", "state"}`` as the store keeps them."""
    if kind == "agreement" and status not in ("adopted", "in_effect"):
        return []
    is_federal = any(not r.get("state") and r.get("name") in federal for r in recipients)
    out_of_state = "out_of_state_sharing" in categories or any(
        r.get("state") and r.get("state") != owner_state for r in recipients)
    if not (is_federal or out_of_state):
        return []
    purpose = kind == "searches" or any(r.get("name") in immigration for r in recipients)
    return laws_for(owner_state, federal=is_federal, out_of_state=out_of_state,
                    immigration=purpose)


def _problems(path: Path, where: str, error: ValidationError) -> list[str]:
    """One line per problem; a list left empty only because its own items were bad is not
    reported again (its items' lines say why)."""
    lines = validation_problems(path, error, prefix=where, hints=_HINTS)
    keys = [line.removeprefix(f"{path}: ").split(": ", 1)[0] for line in lines]
    return [line for line, key in zip(lines, keys, strict=True)
            if not (line.endswith(_EMPTY)
                    and any(k.startswith((key + "[", key + ".")) for k in keys))]


def parse_laws(data: Any, path: Path) -> tuple[Law, ...]:  # Any: raw YAML
    """Validate the parsed YAML of a laws file; raise ConfigError listing every problem."""
    if not isinstance(data, Mapping) or set(data) != {"laws"} \
            or not isinstance(data["laws"], Mapping):
        raise ConfigError(f"{path}: expected a top-level 'laws:' mapping of law id → entry")
    problems: list[str] = []
    laws = []
    for key, entry in data["laws"].items():
        where = f"laws.{key}"
        if not LAW_ID.fullmatch(str(key)):
            problems.append(f"{path}: {where}: not a law id; use the state's code and the "
                            "citation in lower case, like il_625_ilcs_5_2_130")
            continue
        if not isinstance(entry, Mapping):
            problems.append(f"{path}: {where}: expected a mapping with state, citation, url, …")
            continue
        try:
            law = Law.model_validate({**entry, "id": str(key)})
        except ValidationError as exc:
            problems.extend(_problems(path, where, exc))
            continue
        if not law.id.startswith(law.state.lower() + "_"):
            problems.append(f"{path}: {where}: the id should start with {law.state.lower()}_, "
                            f"the code of its state {law.state}")
            continue
        laws.append(law)
    if problems:
        raise ConfigError("\n".join(problems))
    return tuple(laws)


@lru_cache(maxsize=8)
def _load(path: Path, mtime_ns: int) -> tuple[Law, ...]:
    try:
        data = read_yaml(path)
    except ConfigError as exc:  # PyYAML's message spans lines: one line, as everywhere
        raise ConfigError(" ".join(str(exc).split())) from None
    return parse_laws(data, path)


def load_laws(path: Path | None = None) -> tuple[Law, ...]:
    """Read and validate a laws file (default ``LAWS_PATH``), cached until it changes."""
    path = Path(path or LAWS_PATH).resolve()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the laws file: {exc.strerror}") from exc
    return _load(path, mtime)
