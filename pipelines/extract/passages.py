"""The evaluation interface: findings for JSON lines of passages (``sidedoor extract --passages``).

Each input line is ``{"id": ..., "text": ..., ["state": "IL"], ["owner": "Cedar Bend TX PD"]}``;
each output line is ``{"id": ..., "findings": [{"category", "agencies", "start", "end",
"snippet", "confidence", "rules"}]}``, in input order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pipelines.extract import extract
from pipelines.extract.model import Finding


def extract_passages(lines: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """One result per passage, in order; ``lines`` are parsed JSON objects with id and text."""
    for number, line in enumerate(lines, 1):
        if "text" not in line or not isinstance(line["text"], str):
            raise ValueError(
                f"passage {line.get('id', f'on line {number}')!r}: expected a string 'text' field"
            )
        findings = extract(line["text"], home_state=line.get("state"), owner=line.get("owner"))
        yield {"id": line.get("id"), "findings": [finding_dict(f) for f in findings]}


def finding_dict(finding: Finding) -> dict[str, Any]:  # Any: JSON values
    """A finding as the JSON object of the evaluation interface."""
    return {
        "category": str(finding.category),
        "agencies": list(finding.agencies),
        "start": finding.start,
        "end": finding.end,
        "snippet": finding.snippet,
        "confidence": finding.confidence,
        "rules": list(finding.rules),
    }
