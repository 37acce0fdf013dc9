"""Fuzzing campaign: coverage-guided fuzzing (atheris, libFuzzer) of what reads strangers' bytes.

    .venv/bin/python bench/fuzz.py [--seconds 600] [--runs 100000] [TARGET ...]

Targets: html, pdf, xlsx, csv (the text stage, under small limits), engine (the findings
engine on text), portal (the Flock portal parser), audit (the search-audit reader). Each runs
in its own process, seeded with real files from ../shared/corpus and the test fixtures, until
``--runs`` inputs or ``--seconds`` pass. An expected refusal (a TextError, a LayoutChanged,
a limit) is not a crash; any other exception is. Prints one JSON line: per target the inputs
run, the seconds and the crashes (each saved as bench/fuzz-crashes/<target>/crash-*).
atheris is a tool of this campaign, not a project dependency: ``pip install atheris``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SIDEDOOR_SHARED") or ROOT.parent / "shared")
CRASHES = ROOT / "bench" / "fuzz-crashes"
SEEDS = {  # target: (file suffixes of seeds, at most how many)
    "html": ((".html", ".htm"), 40), "pdf": ((".pdf",), 25), "xlsx": ((".xlsx",), 10),
    "csv": ((".csv",), 20), "engine": ((".txt", ".html", ".csv"), 60),
    "portal": ((".html",), 30), "audit": ((".csv", ".xlsx"), 20),
}
MEDIA = {"html": "text/html", "pdf": "application/pdf", "csv": "text/csv",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def seed_folder(target: str, folder: Path) -> Path:
    """Real files for a target's first inputs; small ones first, so each run stays fast."""
    suffixes, most = SEEDS[target]
    found = [p for base in (SHARED / "corpus", ROOT / "tests" / "fixtures", ROOT / "demo")
             if base.is_dir() for p in base.rglob("*") if p.suffix.lower() in suffixes
             and p.is_file() and p.stat().st_size < 400_000]
    if target == "portal":
        found = [p for p in found if "flock" in str(p)]
    for n, path in enumerate(sorted(found, key=lambda p: p.stat().st_size)[:most]):
        data = path.read_bytes()
        if target == "engine" and path.suffix.lower() == ".html":
            data = re.sub(rb"<[^>]*>", b" ", data)
        (folder / f"seed-{n:03d}").write_bytes(data)
    return folder


def check(target: str):  # noqa: ANN201 - a callable for atheris, built per target
    """The function atheris calls with each input; raises only on a real crash."""
    from config.limits import Limits
    from pipelines.audit_read import parse_audit_log
    from pipelines.extract import extract
    from spiders.base import LayoutChanged
    from spiders.flock_portal import parse_portal

    small = Limits(bytes=2_000_000, decompressed_bytes=20_000_000, pages=20, cells=50_000,
                   nesting=200, text_chars=400_000, ocr_pages=0, wall_seconds=10)

    def run(data: bytes) -> None:
        if target in MEDIA:
            from pipelines.text import TextError, extract_text

            # a TextError is a refusal with its reason: what hostile bytes should get
            with contextlib.suppress(TextError):
                extract_text(data, MEDIA[target], f"https://fuzz.example.test/x.{target}", small)
        elif target == "engine":
            text = data.decode("utf-8", "replace")
            for finding in extract(text, home_state="IL"):
                assert 0 <= finding.start <= finding.end <= len(text), finding
        elif target == "portal":
            with contextlib.suppress(LayoutChanged):
                parse_portal(data.decode("utf-8", "replace"), "https://fuzz.example.test/p")
        elif target == "audit":
            from pipelines.text import TextError

            with contextlib.suppress(TextError):  # a file that is no audit, or past a limit
                parse_audit_log(data, "fuzz.csv", small)

    return run


def worker(target: str, args: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["pipelines", "spiders", "config"]):
        run = check(target)
    atheris.Setup([sys.argv[0], *args], run)
    atheris.Fuzz()


def campaign(target: str, seconds: int, runs: int) -> dict[str, object]:
    """Run one target's fuzzer in a child process; its figures and crashes."""
    crashes = CRASHES / target
    crashes.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = seed_folder(target, Path(tmp))
        done = subprocess.run(
            [sys.executable, __file__, "--worker", target, f"-max_total_time={seconds}",
             f"-runs={runs}", "-rss_limit_mb=2048", "-timeout=30", "-max_len=200000",
             f"-artifact_prefix={crashes}/", "-print_final_stats=1", str(corpus)],
            cwd=ROOT, capture_output=True, text=True, check=False)
    log = done.stderr
    executed = re.search(r"stat::number_of_executed_units:\s*(\d+)", log)
    spent = re.search(r"Done (\d+) runs in (\d+) second", log)
    found = re.findall(r"Test unit written to (\S+)", log)
    error = re.findall(r"^\s*(\w+(?:Error|Exception)\b.*)$", log, re.MULTILINE)
    return {"runs": int(executed.group(1)) if executed else None,
            "seconds": int(spent.group(2)) if spent else seconds,
            "crashes": [{"file": f, "error": error[-1] if error else log[-300:]} for f in found],
            "exit": done.returncode}


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("targets", nargs="*", default=list(SEEDS))
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--runs", type=int, default=100_000)
    options = parser.parse_args()
    if shutil.which("pdftotext") is None:
        print("pdftotext is missing: run `make system-deps` first", file=sys.stderr)
    results = {t: campaign(t, options.seconds, options.runs) for t in options.targets}
    print(json.dumps({"bench": "fuzz", "seconds_per_target": options.seconds,
                      "runs_per_target": options.runs, "targets": results}))


if __name__ == "__main__":
    main()
