"""Score ``sidedoor extract --json`` on whole real documents, overall and per kind of document.

Runs the extract command over every file of ``../shared/corpus/records`` (the real
records-request releases, contracts, emails and portal printouts labelled in
``../shared/eval/records_dev.jsonl``), scores the findings with the shared scorer
``../shared/eval/score_documents.py`` (its README explains the matching) once for all
documents and once per kind (``email``, ``contract``, ``request``, ``portal_printout``, ...),
prints the scorer's report, then, as the last line, one JSON object of figures.

Usage: .venv/bin/python bench/eval_documents.py [LABELS] [--root DIR] [--findings FILE.jsonl]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LABELS = SHARED / "eval" / "records_dev.jsonl"
CORPUS = SHARED / "corpus" / "records"
SCORER = SHARED / "eval" / "score_documents.py"
_SUMMARY = re.compile(
    r"(?P<docs>\d+) documents, (?P<facts>\d+) facts: P=(?P<p>[\d.]+) R=(?P<r>[\d.]+) "
    r"category=(?P<cat>[\d.]+) \(tp (?P<tp>\d+) fp (?P<fp>\d+) fn (?P<fn>\d+) dup (?P<dup>\d+)\)"
)


def run_extract(root: Path, out: Path) -> float:
    """Write the JSON findings of every file under ``root`` to ``out``; the seconds taken."""
    files = sorted(str(p) for p in root.rglob("*") if p.is_file())
    command = [str(Path(sys.executable).parent / "sidedoor"), "extract", "--json", *files]
    began = time.perf_counter()
    with out.open("w", encoding="utf-8") as handle:
        # exit status 1 means some file was refused with a reason: its findings are none
        subprocess.run(command, stdout=handle, check=False, cwd=ROOT)
    return time.perf_counter() - began


def score(labels: Path, root: Path, findings: Path) -> tuple[str, dict[str, Any]]:
    """The scorer's report and its figures."""
    result = subprocess.run(
        [sys.executable, str(SCORER), str(labels), str(root), str(findings)],
        capture_output=True, text=True, check=False,
    )
    match = _SUMMARY.search(result.stdout)
    if match is None:
        raise SystemExit(f"the scorer printed no summary:\n{result.stdout}{result.stderr}")
    figures: dict[str, Any] = {
        key: int(value) for key, value in match.groupdict().items()
        if key not in ("p", "r", "cat")
    }
    figures.update(precision=float(match["p"]), recall=float(match["r"]),
                   category=float(match["cat"]))
    return result.stdout, figures


def per_kind(labels: Path, root: Path, findings: Path, tmp: Path) -> dict[str, dict[str, Any]]:
    """The figures of each kind of document, scored on that kind's labels alone."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for line in labels.read_text(encoding="utf-8").splitlines():
        if line.strip():
            by_kind[json.loads(line).get("kind", "other")].append(line)
    figures = {}
    for kind, lines in sorted(by_kind.items()):
        subset = tmp / f"{kind}.jsonl"
        subset.write_text("\n".join(lines) + "\n", encoding="utf-8")
        figures[kind] = score(subset, root, findings)[1]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="?", type=Path, default=LABELS)
    parser.add_argument("--root", type=Path, default=CORPUS, help="the labelled documents")
    parser.add_argument("--findings", type=Path, default=None,
                        help="score these extract --json lines instead of running extract")
    args = parser.parse_args()
    for needed in (args.labels, args.root, SCORER):
        if not needed.exists():
            raise SystemExit(f"{needed}: not found; eval_documents needs ../shared (eval, corpus)")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        findings = args.findings
        seconds = None
        if findings is None:
            findings = tmp / "findings.jsonl"
            seconds = run_extract(args.root, findings)
        report, overall = score(args.labels, args.root, findings)
        kinds = per_kind(args.labels, args.root, findings, tmp)
    print(report, end="")
    for kind, fig in kinds.items():
        print(f"  {kind:16} {fig['docs']:3} docs {fig['facts']:3} facts  P={fig['precision']:.2f} "
              f"R={fig['recall']:.2f} (tp {fig['tp']} fp {fig['fp']} fn {fig['fn']})")
    line: dict[str, Any] = {"bench": "eval_documents", **overall}
    if seconds is not None:
        line["extract_seconds"] = round(seconds, 1)
    line["per_kind"] = {
        kind: {k: fig[k] for k in ("docs", "facts", "precision", "recall", "tp", "fp", "fn")}
        for kind, fig in kinds.items()
    }
    print(json.dumps(line))


if __name__ == "__main__":
    main()
