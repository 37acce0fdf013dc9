"""Start-up time of the `sidedoor` command: `--help`, and `extract` on a small file.

Each is run as a user runs it (a new process of .venv/bin/sidedoor); the figure is the best of
RUNS wall-clock times, since on a shared machine the slower runs measure the neighbours.
Python keeps each module's bytecode in __pycache__ unless PYTHONDONTWRITEBYTECODE is set, as
it is in some shells and CI jobs: then every start compiles sidedoor's own ~45 modules again.
So the commands run with bytecode kept (in a temporary PYTHONPYCACHEPREFIX, after one
untimed run, leaving the working tree alone), and `extract` once more without it
(`extract_small_no_bytecode_s`). Like a crawl, `extract` loads the compiled patterns from
the cache of pipelines/extract/lexicon_cache.py, which an untimed run fills first.
Prints one JSON line: {"bench": "startup", "help_s": x, "extract_small_s": x, ...}.
Targets (issue 16): help under 0.3 s, extract under 0.6 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIDEDOOR = Path(sys.executable).with_name("sidedoor")
RUNS = 7 if os.environ.get("BENCH_FULL") == "1" else 3
SMALL = ("The Chief reported that U.S. Customs and Border Protection had access to the "
         "village's camera data during the vendor's pilot program.\n")


def best_of(command: list[str], env: dict[str, str]) -> float:
    times = []
    for _ in range(RUNS + 1):  # the first, untimed, fills the caches
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=120)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-2000:]}")
    return min(times[1:])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "minutes.txt"
        small.write_text(SMALL, encoding="utf-8")
        kept = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        kept["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        unkept = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        help_s = best_of([str(SIDEDOOR), "--help"], kept)
        extract_s = best_of([str(SIDEDOOR), "extract", str(small)], kept)
        unkept_s = best_of([str(SIDEDOOR), "extract", str(small)], unkept)
        bare_s = best_of([sys.executable, "-c", "pass"], kept)
    print(json.dumps({"bench": "startup", "help_s": round(help_s, 3),
                      "extract_small_s": round(extract_s, 3),
                      "extract_small_no_bytecode_s": round(unkept_s, 3),
                      "python_bare_s": round(bare_s, 3), "runs": RUNS,
                      "help_target_s": 0.3, "extract_target_s": 0.6}))


if __name__ == "__main__":
    main()
