"""The evaluation interface, and the development set as a floor under precision and recall."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.extract.passages import extract_passages

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
RANK = ["immigration_search", "sharing_agreement", "federal_access", "out_of_state_sharing"]


def test_one_result_per_line_in_order_with_the_interface_fields():
    lines = [{"id": "a", "text": "Flock gave CBP access to the city's cameras."},
             {"id": "b", "text": "Nothing here."}]
    results = list(extract_passages(lines))
    assert [r["id"] for r in results] == ["a", "b"]
    assert results[1]["findings"] == []
    finding = results[0]["findings"][0]
    fields = {"category", "agencies", "start", "end", "snippet", "confidence", "rules"}
    assert set(finding) == fields
    assert (finding["category"], finding["agencies"]) == ("federal_access", ["CBP"])
    assert lines[0]["text"][finding["start"] : finding["end"]] == finding["snippet"]


def test_results_are_json():
    result = next(extract_passages([{"id": 1, "text": "ICE had access to the city's cameras."}]))
    assert json.loads(json.dumps(result)) == result


def test_a_state_field_is_the_home_state():
    line = {"id": "x", "text": "A sheriff in Texas searched the city's cameras.", "state": "IL"}
    assert [f["category"] for f in next(extract_passages([line]))["findings"]] == [
        "out_of_state_sharing"
    ]


def test_a_line_without_text_is_named():
    with pytest.raises(ValueError, match="passage 'q7': expected a string 'text' field"):
        list(extract_passages([{"id": "q7"}]))


def best(findings: list[dict]) -> str | None:
    ranked = sorted(findings, key=lambda f: RANK.index(f["category"]))
    return ranked[0]["category"] if ranked else None


def test_dev_set_precision_and_recall_stay_above_the_floor():
    if not DEV.parent.is_dir():
        pytest.skip(f"{DEV.parent} is absent")
    gold = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    results = {r["id"]: r["findings"] for r in extract_passages(gold)}
    tp = sum(1 for g in gold if g["finding"] and results[g["id"]])
    fp = sum(1 for g in gold if not g["finding"] and results[g["id"]])
    fn = sum(1 for g in gold if g["finding"] and not results[g["id"]])
    same = sum(1 for g in gold if g["finding"] and best(results[g["id"]]) == g["category"])
    assert tp / (tp + fp) >= 0.9 and tp / (tp + fn) >= 0.9 and same / tp >= 0.9
