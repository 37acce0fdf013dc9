"""The one vocabulary of config/patterns.yaml for every path that is not the findings engine.

The engine (pipelines/extract) compiles the whole file for reading prose. Portals, search
audit logs, the Legistar watch list and the site read short texts instead: an organisation's
name ("U.S. Border Patrol"), a logged search reason ("ICE WARRANT", "visa overstay"), a
matter's title. They ask this module, so that an agency alias or an immigration reason added
to the YAML reaches a crawl, ``inspect`` and ``extract`` alike.

- :meth:`Vocabulary.agencies_in`: the federal agencies a name refers to (``agencies.*.names``,
  capitals rule, ``not_followed_by``; not a state body: "Iowa Department of Homeland Security");
- :meth:`Vocabulary.immigration_reason`: the agencies an immigration-related search reason
  names, or None when it is not one (``immigration_reasons`` and the agencies marked
  ``immigration: true``);
- :meth:`Vocabulary.reason_agencies_in`: the other federal agencies a logged search reason
  names as officers type them (``search_reason_agencies``);
- :meth:`Vocabulary.watched`: a title about plate readers, their vendors, data sharing or the
  federal agencies that get the data (``watch_words``, vendors, systems, immigration agencies);
- ``state_names``: state codes to names (``states``).

Config sits at the bottom layer: spiders, pipelines and reports may all import it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from config.patterns import PATTERNS_PATH, PatternConfig, load_patterns
from config.phrases import alternation

_BEFORE = r"[\s,.'’s()\-:]*"


@dataclass(frozen=True)
class Vocabulary:
    """Compiled words of one patterns file (see the module docstring)."""

    agencies: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...]
    immigration_agencies: frozenset[str]
    immigration_words: re.Pattern[str]
    not_federal_before: re.Pattern[str]
    watch: re.Pattern[str]
    state_names: dict[str, str]
    reason_agencies: tuple[tuple[str, re.Pattern[str]], ...] = ()

    @property
    def federal_agencies(self) -> frozenset[str]:
        """The short names of every federal agency of the file ("ICE", "FBI", "DOJ")."""
        return frozenset(short for short, _, _ in self.agencies)

    def agencies_in(self, name: str) -> tuple[str, ...]:
        """Short names of the federal agencies ``name`` refers to, in the file's order."""
        found = []
        for short, names, not_after in self.agencies:
            for match in names.finditer(name):
                if not_after is not None and not_after.match(name, match.end()):
                    continue
                if self.not_federal_before.search(name, 0, match.start()):
                    continue
                found.append(short)
                break
        return tuple(found)

    def immigration_reason(self, reason: str) -> tuple[str, ...] | None:
        """The agencies an immigration-related search reason names (maybe none: "deportation"),
        or None when the reason is not immigration-related ("FBI bank robbery")."""
        named = tuple(a for a in self.agencies_in(reason) if a in self.immigration_agencies)
        if named:
            return named
        alone = re.sub(r"\W+", "", reason).upper()
        if alone in self.immigration_agencies:  # officers type "ice" as well as "ICE"
            return (alone,)
        return () if self.immigration_words.search(reason) else None

    def reason_agencies_in(self, reason: str) -> tuple[str, ...]:
        """The federal agencies other than immigration ones a logged search reason names, as
        officers type them ("Usms case" → USMS, "FBI SAFE ST TF" → FBI), or ()."""
        return tuple(short for short, words in self.reason_agencies if words.search(reason))

    def is_state(self, place: str, state: str) -> bool:
        """Whether ``place`` is the state ``state`` itself ("Illinois" or "IL" for IL): the
        place of a state-wide source (a state auditor, the state police)."""
        return place == state or place.casefold() == self.state_names.get(state, "").casefold()

    def watched(self, title: str) -> bool:
        """True for a title worth reading: plate readers, vendors, sharing, immigration."""
        return self.watch.search(title) is not None


def build_vocabulary(p: PatternConfig) -> Vocabulary:
    """Compile the vocabulary of a validated patterns file."""
    agencies = []
    for short, agency in p.agencies.items():
        not_after = (re.compile(_BEFORE + alternation(agency.not_followed_by))
                     if agency.not_followed_by else None)
        agencies.append((short, re.compile(alternation(agency.names)), not_after))
    states = "|".join(r"\s+".join(map(re.escape, n.split())) for n in p.states.values())
    codes = "|".join(p.states)
    immigration = frozenset(s for s, a in p.agencies.items() if a.immigration)
    immigration_names = [n for s in sorted(immigration) for n in p.agencies[s].names]
    dhs = p.agencies["DHS"].names if "DHS" in p.agencies else ()
    vendors = [n for v in p.vendors.values() for n in v.names]
    watch = [*p.watch_words, *p.systems, *vendors, *immigration_names, *dhs]
    return Vocabulary(
        agencies=tuple(agencies),
        immigration_agencies=immigration,
        immigration_words=re.compile(alternation(p.immigration_reasons)),
        not_federal_before=re.compile(
            f"(?:{alternation(p.not_federal_before)}|(?i:{states})|\\b(?:{codes})\\b)"
            r"[ \t]{1,3}\Z"
        ),
        watch=re.compile(alternation(watch)),
        state_names=dict(p.states),
        reason_agencies=tuple((short, re.compile(alternation(words)))
                              for short, words in p.search_reason_agencies.items()),
    )


@lru_cache(maxsize=4)
def vocabulary(path: Path = PATTERNS_PATH) -> Vocabulary:
    """The vocabulary of a patterns file, built once per path."""
    return build_vocabulary(load_patterns(path))
