"""Which US state an agency's name places it in: the state resolver.

Portals and records write agencies in many ways: "Los Angeles County CA SD" (a sheriff's
department in California, not South Dakota), "MN - Isanti CO SO" (Isanti County, Minnesota),
"NM - Bloomfield PD", "Harris County (TX) DA Office", "Mendocino County SO-CA", "Hayward, CA PD",
"California Highway Patrol", "University of California, Berkeley", "Cal Fire", "CA Iipay Nation
of Santa Ysabel". :meth:`StateResolver.state_of` reads them all by the same few rules:

1. A body spanning several states ("Rocky Mountain Information Network", a HIDTA named after a
   region) has no one state: None.
2. A two-letter code, by how it is written, strongest first: in brackets "(TX)"; leading
   "MN - ..." or trailing "... SO-CA"; before an agency type ("CA PD", "GA DA"); last; anywhere.
   Codes that are also words of agency names ("SD" sheriff's department, "CO" county) give way
   to any other code, and are not read as states where that other sense belongs ("Shasta County
   SD", "Isanti CO SO").
3. A state named in full, leading or after "of", unless a place word follows ("Nevada County",
   "Kansas City", "Washington Township").
4. Names that belong to one state without naming it ("Cal Fire", "Blue Lake Rancheria").

The data (codes, names, name forms) is in ``config/patterns.yaml`` (``states:``,
``place_words:``, ``agency_suffixes:`` and ``agency_states:``); a resolver is built once
(:func:`default_resolver`) and is pure after that. Config sits at the bottom layer, so spiders,
pipelines and the findings engine all use this one resolver.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from config.patterns import PATTERNS_PATH
from config.problems import validation_problems
from config.schema import ConfigError
from config.yamlfile import read_yaml

_CODE = re.compile(r"(?<![A-Za-z0-9&'])([A-Z]{2})(?![A-Za-z0-9&'])")
_TAGS = re.compile(r"\[[^\]]*\]")
_DIRECTION = r"(?:(?:North|South|East|West)(?:east|west|ern)?|Central|Mid|Upper|Lower)"


class AmbiguousCode(BaseModel):
    """A state code that is also a word of agency names, and where it has that other sense."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    means: str  # "Sheriff's Department"
    after: tuple[str, ...] = ()  # last in a name, right after one of these: "Shasta County SD"
    before: tuple[str, ...] = ()  # right before one of these, in a name without "County"


class AgencyStateForms(BaseModel):
    """``agency_states:`` of config/patterns.yaml: the name forms of the state resolver."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    territories: dict[str, str] = {}
    ambiguous_codes: dict[str, AmbiguousCode] = {}
    strong_types: tuple[str, ...] = ()  # agency types after a code: "CA PD", "GA DA"
    state_names: dict[str, tuple[str, ...]] = {}  # code → names of that state only
    multi_state: tuple[str, ...] = ()  # words of bodies that span states


@dataclass(frozen=True)
class _Candidate:
    code: str
    strength: int
    ambiguous: bool


class StateResolver:
    """Reads the state of an agency's name; build once (it compiles its patterns)."""

    def __init__(self, states: dict[str, str], forms: AgencyStateForms,
                 place_words: tuple[str, ...] = (), agency_types: tuple[str, ...] = ()) -> None:
        self.names = {**states, **forms.territories}  # code → full name
        self.codes = frozenset(self.names)
        self.forms = forms
        by_name = sorted(self.names.items(), key=lambda i: -len(i[1]))
        self._by_full_name = {name.casefold(): code for code, name in by_name}
        places = "|".join(re.escape(w) for w in place_words)
        full = "|".join(re.escape(name) for _, name in by_name)
        not_place = rf"(?!\s+(?:{places})\b)" if places else ""
        # "Ohio State Police", "University of California", "Northeast Ohio Fusion Center",
        # "University of Central Missouri"; a state named with a direction ("West Virginia")
        # is tried whole first.
        self._full_name = re.compile(
            rf"(?:^|\bof\s+(?:the\s+)?)(?:{_DIRECTION}\s+)??({full})\b{not_place}")
        self._any_name = re.compile(rf"\b({full})\b")
        types = "|".join(re.escape(t) for t in (*agency_types, *forms.strong_types))
        self._typed = re.compile(rf"\s*,?\s*(?:{types})(?![\w'])") if types else None
        self._multi = _words(forms.multi_state)
        self._own = [(code, _words(names)) for code, names in forms.state_names.items()]

    def state_of(self, name: str) -> str | None:
        """The two-letter state of an agency's name, or None when it names none (or several)."""
        text = " ".join(_TAGS.sub(" ", name).split())
        if not text or (self._multi and self._multi.search(text)):
            return None
        code = self._code(text)
        if code:
            return code
        full = self._full_name.search(text)
        if full:
            return self._by_full_name[full.group(1).casefold()]
        return next((code for code, pattern in self._own if pattern and pattern.search(text)),
                    None)

    def state_in_text(self, text: str) -> str | None:
        """The state a free text names most often in full ("California SVS, NCMEC Amber Alert"
        → CA), or None."""
        counts: dict[str, int] = {}
        for match in self._any_name.finditer(text):
            code = self._by_full_name[match.group(1).casefold()]
            counts[code] = counts.get(code, 0) + 1
        return max(counts, key=lambda c: counts[c]) if counts else None

    def ends_with_state(self, text: str) -> bool:
        """Whether a name ends in "of <State>" ("University of California"): a state's
        institution, which a campus may follow after a comma."""
        match = self._full_name.search(text)
        return match is not None and match.group(0).startswith("of ") and not text[
            match.end():].strip()

    def _code(self, text: str) -> str | None:
        candidates = [self._candidate(text, m) for m in _CODE.finditer(text)
                      if m.group(1) in self.codes]
        kept = [c for c in candidates if c is not None]
        plain = [c for c in kept if not c.ambiguous]
        best = plain or kept
        return max(best, key=lambda c: c.strength).code if best else None

    def _candidate(self, text: str, match: re.Match[str]) -> _Candidate | None:
        code = match.group(1)
        before, after = text[: match.start()], text[match.end():]
        strength = 1
        if re.search(r"\(\s*$", before) and re.match(r"\s*\)", after):
            strength = 6
        elif _leading(before, after) or _trailing(before, after):
            strength = 5
        elif self._typed is not None and self._typed.match(after):
            strength = 4
        elif not after.strip(" .,)"):
            strength = 3
        sense = self.forms.ambiguous_codes.get(code)
        if sense is None:
            return _Candidate(code, strength, False)
        if strength < 5 and _other_sense(sense, before, after, text):
            return None
        return _Candidate(code, strength, True)


def _leading(before: str, after: str) -> bool:
    """ "MN - Isanti CO SO", "CA Iipay Nation of Santa Ysabel"."""
    return not before.strip() and (re.match(r"\s*[-–:]", after) is not None or after[:1] == " ")


def _trailing(before: str, after: str) -> bool:
    """ "Mendocino County SO-CA", "ACRATT -CA"."""
    return re.search(r"[-–]\s*$", before) is not None and not after.strip(" .)")


def _other_sense(sense: AmbiguousCode, before: str, after: str, text: str) -> bool:
    words_before = before.split()
    last_word = bool(words_before) and not after.strip(" .,")
    if last_word and words_before[-1] in sense.after:
        return True
    next_word = after.split()[:1]
    return bool(next_word) and next_word[0] in sense.before and not re.search(
        r"\bCounty\b", text)


def _words(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """Phrases as whole words; a phrase in capitals matches capitals only."""
    if not phrases:
        return None
    parts = [re.escape(p) if p.isupper() else f"(?i:{re.escape(p)})" for p in phrases]
    return re.compile(rf"(?<![\w&])(?:{'|'.join(parts)})(?![\w&])")


def load_resolver(path: Path = PATTERNS_PATH) -> StateResolver:
    """A resolver from a patterns file; ConfigError naming the file and key if it is invalid."""
    data: dict[str, Any] = read_yaml(path, what="the patterns file") or {}  # Any: YAML
    states = data.get("states") or {}
    try:
        forms = AgencyStateForms.model_validate(data.get("agency_states") or {})
    except ValidationError as exc:
        problems = validation_problems(path, exc, prefix="agency_states")
        raise ConfigError("\n".join(problems)) from None
    return StateResolver({str(k): str(v) for k, v in states.items()}, forms,
                         tuple(data.get("place_words") or ()),
                         tuple(data.get("agency_suffixes") or ()))


@lru_cache(maxsize=1)
def default_resolver() -> StateResolver:
    """The resolver of config/patterns.yaml, built once per process."""
    return load_resolver()


def state_of(name: str) -> str | None:
    """The state of an agency's name by the default resolver ("NM - Bloomfield PD" → NM)."""
    return default_resolver().state_of(name)
