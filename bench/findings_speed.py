"""Throughput of the findings engine on tens of MB of generated minutes-like text.

Generates (deterministically, into a temporary file) council and board minutes with the usual
keyword noise (federal grants, the state Office of Homeland Security, ice rinks, U.S. routes,
numbered agenda items) and a finding sprinkled in every few pages; times ``extract`` over
the whole text and ``grep -c -E`` of the same trigger words over the same file (CPU time,
best of three runs, so other load on the machine does not count), and prints one JSON line:

    {"bench": "findings_speed", "mb": x, "mb_per_s": x, "grep_mb_per_s": x, "findings": n}

Usage: .venv/bin/python bench/findings_speed.py [--mb 32] [--seed 7] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.extract import extract  # noqa: E402
from pipelines.extract.lexicon import get_lexicon  # noqa: E402
from pipelines.extract.patterns import load_patterns  # noqa: E402

T = TypeVar("T")
NOISE_SHARE = 0.08  # sentences with a trigger word that are not findings (keyword traps)
FINDING_SHARE = 0.03  # paragraphs with a finding sentence
NAMES = ["Alvarez", "Boyd", "Chen", "Dorsey", "Hanley", "Kowalski", "Nguyen", "Ortiz", "Reyes",
         "Smith", "Washington", "Young"]
BODIES = ["Village Board", "City Council", "Plan Commission", "Finance Committee",
          "Public Safety Committee", "Parks and Recreation Committee", "Board of Commissioners"]
ROUTINE = [
    "Trustee {n} moved to approve the minutes of the {d} regular meeting; seconded by Trustee {m}.",
    "Motion carried {a}-{b} on a roll call vote.",
    "The {body} reviewed the proposed budget for fiscal year {y} and asked staff for revisions.",
    "Public Works Director {n} reported that the water main replacement on Oak Street is {a}0 "
    "percent complete.",
    "The Chief presented the monthly police report, noting {a}{b}7 calls for service and {b} "
    "arrests.",
    "{a}. Call to order and roll call.",
    "{b}. Approval of the consent agenda, including bills payable of ${a}{b}{a},{b}00.",
    "Residents spoke about parking on Main St. and asked the Dept. of Public Works for signs.",
    "Finance Director {m} presented the treasurer's report for the month of March.",
    "The board discussed the schedule for leaf collection and the spring clean-up day.",
    "Trustee {n} thanked the volunteers who organised the summer concert series.",
    "Staff will bring back a revised proposal for the parking study at the next meeting.",
    "The Clerk read a proclamation recognising National Night Out on August {a}.",
    "The meeting was adjourned at {a}:{b}5 p.m. on a motion by Trustee {m}.",
]
NOISE = [
    "Staff reported that the village received a federal grant of ${a}{b}0,000 for resurfacing "
    "U.S. Route 20.",
    "The Parks Director said the ice rink at Memorial Park will open on December {a}.",
    "Chief {n} noted that two officers completed training at the FBI National Academy.",
    "The department received a grant from the state Office of Homeland Security for radios.",
    "The Illinois Department of Transportation will close the ramp for {a} weeks.",
    "Trustee {m} asked whether the new cameras comply with Illinois law; the Chief said yes.",
    "The board approved an intergovernmental agreement with the park district for snow removal.",
    "Public comment: a resident asked about the Flock camera locations and who can see the data.",
    "Officers assisted the Washington County Sheriff with a traffic crash on Route {a}.",
]
FINDINGS = [
    "Chief {n} confirmed that the department had shared license plate data with U.S. Customs "
    "and Border Protection during a vendor pilot.",
    "The Board approved, {a}-{b}, renewal of the 287(g) Memorandum of Agreement with U.S. "
    "Immigration and Customs Enforcement.",
    "Staff confirmed that {a}{b}2 agencies outside Illinois currently have access to the "
    "department's license plate data.",
    "The audit listed {a} searches with the reason 'ICE assist' entered by deputies.",
    "Auditors found the Illinois department had accepted a network-sharing request from a "
    "Texas sheriff's office.",
    "Sergeant {n} said he ran plates on behalf of a task force officer assigned to "
    "Enforcement and Removal Operations.",
]


def generate(size_mb: float, seed: int) -> str:
    """Minutes-like text of about ``size_mb`` megabytes, the same for the same seed."""
    rng = random.Random(seed)
    target = int(size_mb * 1_000_000)
    chunks: list[str] = []
    total = 0
    while total < target:
        body = rng.choice(BODIES)
        lines = [f"MINUTES OF THE {body.upper()}", f"Meeting of {rng.randint(1, 12)}/"
                 f"{rng.randint(1, 28)}/20{rng.randint(18, 26)}", ""]
        for _ in range(rng.randint(6, 14)):
            sentences = [_fill(_pick(rng), rng, body) for _ in range(rng.randint(2, 6))]
            if rng.random() < FINDING_SHARE:
                finding = _fill(rng.choice(FINDINGS), rng, body)
                sentences.insert(rng.randint(0, len(sentences)), finding)
            lines += [" ".join(sentences), ""]
        chunk = "\n".join(lines)
        chunks.append(chunk)
        total += len(chunk)
    return "\n".join(chunks)


def _pick(rng: random.Random) -> str:
    return rng.choice(NOISE if rng.random() < NOISE_SHARE else ROUTINE)


def _fill(template: str, rng: random.Random, body: str) -> str:
    return template.format(
        n=rng.choice(NAMES), m=rng.choice(NAMES), body=body, d=f"March {rng.randint(1, 28)}",
        y=rng.randint(2019, 2027), a=rng.randint(1, 9), b=rng.randint(0, 9),
    )


def grep_pattern() -> str:
    """The trigger words as one extended regex (case-insensitive), for ``grep -c -i -E``."""
    patterns = load_patterns()
    words: list[str] = []
    for trigger in patterns.triggers:
        if trigger == "{state}":
            words += list(patterns.states.values())
        else:
            words.append(re.escape(trigger.rstrip("*")).replace("\\ ", " "))
    return "|".join(words)


def best_of(runs: int, work: Callable[[], T]) -> tuple[T, float]:
    """The result of ``work`` and its least CPU time over ``runs`` runs, in seconds.

    CPU time (this process and the children it waited for, such as grep) measures the
    work done on one core; wall time would also count other programs sharing the machine.
    """
    best = float("inf")
    for _ in range(max(1, runs)):
        started = _cpu_seconds()
        result = work()
        best = min(best, _cpu_seconds() - started)
    return result, best


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=32.0, help="size of the generated text")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3, help="timings taken; the best is kept")
    args = parser.parse_args()
    get_lexicon()  # compile once, outside the timing
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "minutes.txt"
        path.write_text(generate(args.mb, args.seed), encoding="utf-8")
        text = path.read_text(encoding="utf-8")
        size = path.stat().st_size / 1_000_000
        findings, engine = best_of(args.runs, lambda: extract(text))
        command = ["grep", "-c", "-i", "-E", grep_pattern(), str(path)]
        _, grep = best_of(
            args.runs, lambda: subprocess.run(command, check=False, capture_output=True)
        )
    print(json.dumps({"bench": "findings_speed", "mb": round(size, 1),
                      "mb_per_s": round(size / engine, 1), "grep_mb_per_s": round(size / grep, 1),
                      "findings": len(findings)}))


if __name__ == "__main__":
    main()
