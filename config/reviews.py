"""Load and validate ``config/reviews.yaml``: a maintainer's decisions on findings.

A review confirms or dismisses one finding, by its id, with a note for readers. Dismissed
findings leave the site, the feeds and the open data; confirmed ones are marked as checked
by a person. Every problem is reported together, naming the file and the finding id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from config.problems import validation_problems
from config.schema import CONFIG_DIR, ConfigError
from config.yamlfile import read_yaml

REVIEWS_PATH = CONFIG_DIR / "reviews.yaml"
FINDING_ID = re.compile(r"^[0-9a-f]{20}$")
_HINTS = {"extra_forbidden": "unknown key (a typo?); allowed: status, note, reviewed_on",
          "enum": "expected 'confirmed' or 'dismissed', got {input!r}",
          "missing": "missing; say 'status: confirmed' or 'status: dismissed'"}


class ReviewStatus(StrEnum):
    """What a maintainer decided about a finding."""

    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class Review(BaseModel):
    """One entry of ``config/reviews.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: ReviewStatus
    note: str = ""
    reviewed_on: date | None = None

    @property
    def dismissed(self) -> bool:
        return self.status is ReviewStatus.DISMISSED


def parse_reviews(data: Any, path: Path) -> dict[str, Review]:  # Any: raw YAML
    """Validate the parsed YAML of a reviews file; raise ConfigError listing every problem."""
    if data is None:
        return {}
    if not isinstance(data, Mapping) or not isinstance(data.get("reviews", {}), Mapping):
        raise ConfigError(f"{path}: expected a top-level 'reviews:' mapping of finding id → entry")
    problems: list[str] = []
    reviews: dict[str, Review] = {}
    for finding, entry in (data.get("reviews") or {}).items():
        key = str(finding)
        if not FINDING_ID.match(key):
            problems.append(f"{path}: reviews.{key}: not a finding id; copy the 20-character "
                            "id from the finding's page address (findings/<id>/)")
            continue
        if not isinstance(entry, Mapping):
            problems.append(f"{path}: reviews.{key}: expected a mapping with status and note")
            continue
        try:
            reviews[key] = Review.model_validate(entry)
        except ValidationError as exc:
            problems.extend(validation_problems(path, exc, prefix=f"reviews.{key}", hints=_HINTS))
    if problems:
        raise ConfigError("\n".join(problems))
    return reviews


def load_reviews(path: Path = REVIEWS_PATH) -> dict[str, Review]:
    """Read and validate a reviews file; a missing file means no reviews."""
    if not path.exists():
        return {}
    return parse_reviews(read_yaml(path), path)
