"""Score the Flock portal parser on real saved portal pages against their truth file.

Runs ``sidedoor inspect --as flock_portal --json`` once over every page of the truth file (JSON
lines out, one process for all pages) and compares, page by page, retention, cameras, searches
in 30 days and the number of organisations with access; then whether an out_of_state_sharing
finding was reported where the organisations really include other states (precision and
recall), and federal_access false alarms (no page of the set lists a federal organisation).
Prints the pages that disagree, then one JSON line of figures (``"bench": "eval_portals"``).

Usage: .venv/bin/python bench/eval_portals.py [TRUTH.jsonl [PAGES_DIR]] [--errors]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "corpus" / "flock_portals" / "real_pages"
FIELDS = ("data_retention_days", "camera_count", "searches_30d", "n_orgs_with_access")


def inspect_all(pages: list[Path]) -> tuple[dict[str, dict[str, Any]], float]:  # Any: JSON
    """Every page's report by location, from one ``sidedoor inspect`` process; its seconds."""
    started = time.perf_counter()
    run = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "sidedoor"), "inspect", "--as", "flock_portal", "--json",
         *map(str, pages)], capture_output=True, text=True, cwd=ROOT, check=False)
    seconds = time.perf_counter() - started
    reports = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    if len(pages) == 1 and reports:  # one page: one JSON document without its location
        reports[0]["location"] = str(pages[0])
    return {r["location"]: r for r in reports}, seconds


def got(report: dict[str, Any], field: str) -> Any:  # Any: a JSON value
    if field == "n_orgs_with_access":
        return len(report.get("organizations_with_access") or [])
    return report.get(field)


def categories(report: dict[str, Any]) -> set[str]:
    return {c for f in report.get("findings") or []
            for c in (f.get("categories") or [f.get("category")])}


def score(truth: list[dict[str, Any]], reports: dict[str, dict[str, Any]], pages: Path
          ) -> tuple[dict[str, Any], list[str]]:  # Any: JSON figures
    right = dict.fromkeys(FIELDS, 0)
    total = dict.fromkeys(FIELDS, 0)
    errors: list[str] = []
    tp = fp = fn = federal = failed = 0
    for t in truth:
        report = reports.get(str(pages / t["page"]), {"error": "no output"})
        if "error" in report:
            failed += 1
            errors.append(f"{t['page']}: failed: {report['error'][:160]}")
        for field in FIELDS:
            if field in t:
                total[field] += 1
                value = None if "error" in report else got(report, field)
                right[field] += value == t[field]
                if value != t[field] and "error" not in report:
                    errors.append(f"{t['page']}: {field} {value} (truth {t[field]})")
        found = categories(report)
        flagged = "out_of_state_sharing" in found
        tp += flagged and t["out_of_state"]
        fp += flagged and not t["out_of_state"]
        fn += not flagged and t["out_of_state"]
        federal += "federal_access" in found
        if flagged != t["out_of_state"]:
            errors.append(f"{t['page']}: out_of_state {flagged} (truth {t['out_of_state']})")
    figures: dict[str, Any] = {  # Any: JSON figures
        "pages": len(truth), "failed": failed,
        **{f: round(right[f] / total[f], 3) if total[f] else 1.0 for f in FIELDS},
        "out_of_state_precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
        "out_of_state_recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
        "federal_false_alarms": federal,
    }
    return figures, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("truth", nargs="?", type=Path, default=PAGES / "truth.jsonl")
    parser.add_argument("pages", nargs="?", type=Path)
    parser.add_argument("--errors", action="store_true", help="list every disagreement")
    args = parser.parse_args()
    pages_dir = args.pages or args.truth.parent
    if not args.truth.is_file():
        print(json.dumps({"bench": "eval_portals", "skipped": f"{args.truth} is absent"}))
        return
    truth = [json.loads(line) for line in args.truth.read_text().splitlines() if line.strip()]
    reports, seconds = inspect_all([pages_dir / t["page"] for t in truth])
    figures, errors = score(truth, reports, pages_dir)
    for line in errors if args.errors else errors[:10]:
        print(line, file=sys.stderr)
    print(json.dumps({"bench": "eval_portals", **figures, "seconds": round(seconds, 1),
                      "pages_per_second": round(len(truth) / seconds, 1)}))


if __name__ == "__main__":
    main()
