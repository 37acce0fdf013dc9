"""Pydantic validation errors as sidedoor's one-line problems: file, key, what is wrong.

Every config loader (sources, lists, site, patterns, reviews) reports through
:func:`validation_problems`, so a mistake reads the same whichever file holds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import ValidationError

_YAML_BOOLEAN = "got {input}: quote the word (YAML reads no/yes/on/off as true/false)"
HINTS = {"extra_forbidden": "unknown key (a typo?)", "enum": "{msg}, got {input!r}"}


def validation_problems(path: Path | str, error: ValidationError, *, prefix: str = "",
                        hints: Mapping[str, str] | None = None) -> list[str]:
    """One ``<path>: <key>: <problem>`` line per error; ``prefix`` is the key of the
    validated value (``sources.my_id``) and ``hints`` replace the message of a pydantic
    error type (``"{msg}"`` and ``"{input!r}"`` fill in its message and the value given)."""
    by_type = {**HINTS, **(hints or {})}
    lines = []
    for item in error.errors():
        where = prefix + "".join(f"[{p}]" if isinstance(p, int) else f".{p}"
                                 for p in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "string_type" and isinstance(item["input"], bool):
            message = _YAML_BOOLEAN.format(input=item["input"])
        elif item["type"] in by_type:
            message = by_type[item["type"]].format(msg=message, input=item["input"])
        lines.append(f"{path}: {where.lstrip('.')}: {message}")
    return lines
