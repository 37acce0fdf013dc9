"""docs/adding-a-source.md, part A, walked through: every `sidedoor` command it shows is run
against the demo world (as the doc says to), in order, and what the doc says it prints is
what it prints. Lines that differ from run to run (timings, dates in URLs) and `...` are not
compared. When a command's output changes, update the doc with it."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from demo.server import DemoWorld
from tests.conftest import ROOT

DOC = ROOT / "docs" / "adding-a-source.md"
VOLATILE = re.compile(r"\.\.\.|startDate=|\d+\.\d+s$|\"seconds\"")


def console_blocks(text: str) -> list[list[str]]:
    """The lines of each ```console block, in order."""
    return [block.splitlines() for block in re.findall(r"```console\n(.*?)```", text, re.S)]


def commands(block: list[str]) -> list[tuple[str, list[str]]]:
    """Each `$ command` of a block (continuation lines joined) with the lines it prints."""
    found: list[tuple[str, list[str]]] = []
    lines = iter(block)
    for line in lines:
        if line.startswith("$ "):
            command = line[2:]
            while command.endswith("\\"):
                command = command[:-1] + " " + next(lines).strip()
            found.append((command, []))
        elif found:
            found[-1][1].append(line)
    return found


def part_a() -> tuple[dict[str, str], list[tuple[str, list[str]]]]:
    """The doc's demo ports by site, and part A's sidedoor commands with their outputs."""
    text = DOC.read_text(encoding="utf-8")
    blocks = console_blocks(text.split("## B.")[0])
    ports = dict(re.findall(r"^(\w+)\s+http://127\.0\.0\.1:(\d+)/$", "\n".join(blocks[0]),
                            re.M))
    steps = [step for block in blocks[1:] for step in commands(block)
             if step[0].startswith(".venv/bin/sidedoor ")]
    return {port: site for site, port in ports.items()}, steps


def test_the_doc_shows_part_a_from_draft_to_crawl():
    _, steps = part_a()
    shown = [command.split()[1] for command, _ in steps]
    assert {"new-source", "sources", "inspect", "run"} <= set(shown)


@pytest.fixture(scope="module")
def walked(tmp_path_factory) -> list[tuple[str, list[str], subprocess.CompletedProcess]]:
    folder = tmp_path_factory.mktemp("walkthrough")
    sites, steps = part_a()
    env = {**os.environ, "SIDEDOOR_DATA_DIR": str(folder / "data"), "COLUMNS": "300",
           "SIDEDOOR_PUBLIC_DIR": str(folder / "public")}
    done = []
    with DemoWorld() as world:
        def here(text: str) -> str:
            return re.sub(r"127\.0\.0\.1:(\d+)",
                          lambda m: world.hosts[sites[m.group(1)]] if m.group(1) in sites
                          else m.group(0), text)

        for command, shown in steps:
            for name, platform in (("bad-sources.yaml", "civic_plus"),
                                   ("wrong-platform.yaml", "civicplus")):
                # as the doc says: the Maplewood entry, with a misspelt or a wrong platform
                (folder / name).write_text(
                    "sources:\n  maplewood_village_board:\n    name: Village of Maplewood\n"
                    f"    place: Maplewood\n    kind: minutes\n    platform: {platform}\n"
                    f"    start_urls: [\"http://{world.hosts['maplewood']}/government/"
                    "agendas-minutes.html\"]\n", encoding="utf-8")
            args = shlex.split(here(command))[1:]
            result = subprocess.run([sys.executable, "-m", "sidedoor.cli", *args], cwd=folder,
                                    env=env, capture_output=True, text=True, timeout=300)
            done.append((here(command), [here(line) for line in shown], result))
    return done


def test_every_command_exits_as_the_doc_says(walked):
    codes = [(c, r.returncode) for c, _, r in walked]
    assert codes == [(c, 1 if ("bad-sources" in c or "wrong-platform" in c) else 0)
                     for c, _, _ in walked]


def test_every_line_the_doc_shows_is_printed(walked):
    missing = [(c, line) for c, shown, r in walked for line in shown
               if line.strip() and not VOLATILE.search(line)
               and line.strip() not in (r.stdout + r.stderr)]
    assert missing == []
