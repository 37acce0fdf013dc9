"""What the findings engine returns, and the stable id of a finding."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    """Finding categories (DESIGN.md, "Finding categories")."""

    FEDERAL_ACCESS = "federal_access"
    OUT_OF_STATE_SHARING = "out_of_state_sharing"
    IMMIGRATION_SEARCH = "immigration_search"
    SHARING_AGREEMENT = "sharing_agreement"


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding in a text.

    ``start``/``end`` are character offsets of the evidence (``snippet == text[start:end]``);
    ``highlights`` are absolute offsets of the words that made the rules fire; ``rules`` say
    in plain words why the passage was flagged.
    """

    category: Category
    agencies: tuple[str, ...]
    start: int
    end: int
    snippet: str
    confidence: float
    rules: tuple[str, ...]
    highlights: tuple[tuple[int, int], ...] = ()
    vendors: tuple[str, ...] = ()  # vendors named in the evidence (config/patterns.yaml names)
    systems: tuple[str, ...] = ()  # systems and programmes named ("National Lookup", "LEADS")
    # When set, the finding's id is made from this key instead of the evidence: for
    # aggregate findings (a portal's out-of-state count) whose wording changes with counts.
    key: str = ""


_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]+")


def normalise_evidence(snippet: str) -> str:
    """Evidence as compared across runs: case, whitespace and punctuation folded."""
    return _NON_WORD.sub(" ", _SPACE.sub(" ", snippet)).strip().casefold()


def finding_id(source_id: str, snippet: str, category: str) -> str:
    """The stable id of a finding: the same evidence in the same source gives the same id."""
    key = "\x1f".join((source_id, normalise_evidence(snippet), category))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
