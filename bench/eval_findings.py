"""Score the findings engine on a labelled passage set, beside a plain keyword baseline.

Reads JSON lines with ``id``, ``text``, ``finding``, ``category``, ``agencies`` and
``kind_of_source`` (../shared/eval/README.md), runs ``extract_passages`` and prints a table:
precision, recall and F1 of finding detection, category accuracy on true positives and its
confusion matrix, agency-set F1, recall per kind of source and the errors; then, as the last
line, one JSON object of figures for the engine and the keyword baseline.

Usage: .venv/bin/python bench/eval_findings.py [../shared/eval/dev.jsonl] [--errors]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.extract.passages import extract_passages  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
CATEGORIES = ["immigration_search", "sharing_agreement", "federal_access", "out_of_state_sharing"]
RANK = {name: rank for rank, name in enumerate(CATEGORIES)}
# The naive rule of ../shared/eval/README.md: any federal-agency or sharing keyword.
KEYWORDS = re.compile(
    r"\b(?:ICE|CBP|HSI|DHS|ERO|Border Patrol|federal|immigration|out-of-state|Homeland)", re.I
)


@dataclass(frozen=True)
class Prediction:
    """The single best prediction for one passage."""

    finding: bool
    category: str | None
    agencies: frozenset[str]


def best(findings: list[dict[str, Any]]) -> Prediction:
    """Map a passage's findings to one prediction: category precedence, then confidence."""
    if not findings:
        return Prediction(False, None, frozenset())
    top = min(findings, key=lambda f: (RANK[f["category"]], -f["confidence"]))
    return Prediction(True, top["category"], frozenset(top["agencies"]))


def keyword_baseline(text: str) -> Prediction:
    """The keyword rule, with a category guessed from keywords."""
    if not KEYWORDS.search(text):
        return Prediction(False, None, frozenset())
    if re.search(r"search|quer|reason", text, re.I) and re.search(r"immigra|ICE|ERO|HSI", text):
        category = "immigration_search"
    elif re.search(r"agreement|MOU|MOA|contract|287\(g\)", text, re.I):
        category = "sharing_agreement"
    elif re.search(r"out-of-state|other states?\b|outside", text, re.I):
        category = "out_of_state_sharing"
    else:
        category = "federal_access"
    return Prediction(True, category, frozenset())


def score(gold: list[dict[str, Any]], preds: dict[str, Prediction]) -> dict[str, float]:
    """Precision, recall, F1, category accuracy and agency F1 of ``preds`` against ``gold``."""
    tp = fp = fn = same = 0
    agency = Counter[str]()
    for row in gold:
        pred = preds[row["id"]]
        if pred.finding and row["finding"]:
            tp += 1
            same += pred.category == row["category"]
            truth = set(row["agencies"])
            agency.update(tp=len(truth & pred.agencies), fp=len(pred.agencies - truth),
                          fn=len(truth - pred.agencies))
        elif pred.finding:
            fp += 1
        elif row["finding"]:
            fn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    denom = 2 * agency["tp"] + agency["fp"] + agency["fn"]
    return {"precision": precision, "recall": recall, "f1": f1,
            "category_accuracy": same / tp if tp else 0.0,
            "agency_f1": 2 * agency["tp"] / denom if denom else 1.0,
            "tp": tp, "fp": fp, "fn": fn}


def report(gold: list[dict[str, Any]], preds: dict[str, Prediction], errors: bool) -> None:
    """Print the confusion matrix, recall per kind of source and (optionally) the errors."""
    print("\ncategory confusion on true positives (rows: gold, columns: predicted)")
    print(" " * 22 + "".join(f"{c[:12]:>13}" for c in CATEGORIES))
    for truth in CATEGORIES:
        counts = Counter(preds[r["id"]].category for r in gold
                         if r["category"] == truth and preds[r["id"]].finding)
        print(f"{truth:>22}" + "".join(f"{counts[c]:>13}" for c in CATEGORIES))
    print("\nrecall per kind of source")
    kinds = sorted({r["kind_of_source"] for r in gold if r["finding"]})
    for kind in kinds:
        rows = [r for r in gold if r["finding"] and r["kind_of_source"] == kind]
        found = sum(preds[r["id"]].finding for r in rows)
        print(f"  {kind:<18} {found}/{len(rows)}")
    wrong = [r for r in gold if preds[r["id"]].finding != r["finding"]
             or r["finding"] and preds[r["id"]].category != r["category"]]
    print(f"\n{len(wrong)} passage(s) wrong" + (":" if errors and wrong else ""))
    for row in wrong if errors else []:
        pred = preds[row["id"]]
        print(f"  {row['id']} gold={row['category']} pred={pred.category}: {row['text'][:140]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEV)
    parser.add_argument("--errors", action="store_true", help="list the passages scored wrong")
    args = parser.parse_args()
    gold = [json.loads(line) for line in args.path.read_text(encoding="utf-8").splitlines() if line]
    results = extract_passages({"id": r["id"], "text": r["text"]} for r in gold)
    engine = {r["id"]: best(r["findings"]) for r in results}
    baseline = {r["id"]: keyword_baseline(r["text"]) for r in gold}
    ours, theirs = score(gold, engine), score(gold, baseline)
    print(f"{len(gold)} passages, {sum(r['finding'] for r in gold)} findings ({args.path})\n")
    print(f"{'':<20}{'engine':>10}{'keywords':>10}")
    for key in ("precision", "recall", "f1", "category_accuracy", "agency_f1", "tp", "fp", "fn"):
        print(f"{key:<20}{ours[key]:>10.3f}{theirs[key]:>10.3f}" if isinstance(ours[key], float)
              else f"{key:<20}{ours[key]:>10}{theirs[key]:>10}")
    report(gold, engine, args.errors)
    figures: dict[str, Any] = {"bench": "eval_findings", "passages": len(gold)}
    figures |= {k: round(ours[k], 3) for k in ("precision", "recall", "f1", "category_accuracy")}
    figures |= {f"baseline_{k}": round(theirs[k], 3)
                for k in ("precision", "recall", "f1", "category_accuracy")}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
