"""The agencies of the glossary, with their full names, read from config/patterns.yaml.

The findings engine's lexicon is the one vocabulary of agency names: the site takes each
short name's full name and parent from it rather than keeping a list of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.extract.patterns import PatternConfig


@dataclass(frozen=True)
class AgencyTerm:
    """A federal agency as the glossary lists it."""

    short: str  # "HSI"
    full_name: str  # "Homeland Security Investigations"; "" when patterns.yaml has none
    parent: str | None  # "ICE"


def agency_terms(patterns: PatternConfig) -> list[AgencyTerm]:
    """Every agency of patterns.yaml with its full name, in the file's order."""
    return [AgencyTerm(short, _full_name(short, entry.names), entry.parent)
            for short, entry in patterns.agencies.items()]


def _full_name(short: str, names: tuple[str, ...]) -> str:
    """The longest written-out name: not the capitals, not an ampersand variant."""
    spelled = [n for n in names if n != short and not n.isupper() and "&" not in n]
    return max(spelled, key=len, default="")


def full_names(terms: list[AgencyTerm]) -> dict[str, str]:
    """Short name → full name, for the agencies that have one."""
    return {t.short: t.full_name for t in terms if t.full_name}
