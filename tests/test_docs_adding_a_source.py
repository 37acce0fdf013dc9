"""docs/adding-a-source.md walked through: every `sidedoor` command part A shows is run
against the demo world (as the doc says to), in order, and what the doc says it prints is
what it prints; part B's scaffold and its failing test run in a copy of the code, and the
doc's example assertions pass on the scaffolded spider (`make test` and `make lint`, the
whole suite, and `curl`, which needs the internet, are not run). Lines that differ from run
to run (timings, dates in URLs) and `...` are not compared. When a command's output changes,
update the doc with it."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest
from conftest import SHARED

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


# Part B runs in a copy of the code, since the scaffold writes into the project it runs from.
COPIED = ("config", "spiders", "pipelines", "reports", "sidedoor")
NOT_COPIED = shutil.ignore_patterns("__pycache__", "*.pyc")
PROGRAMS = {".venv/bin/sidedoor": ["-m", "sidedoor.cli"], ".venv/bin/pytest": ["-m", "pytest"]}


def part_b() -> tuple[list[tuple[str, list[str]]], str]:
    """Part B's sidedoor and pytest commands with their outputs, and its example test."""
    text = DOC.read_text(encoding="utf-8").split("## B.")[1]
    steps = [step for block in console_blocks(text) for step in commands(block)
             if step[0].split()[0] in PROGRAMS]
    (example,) = re.findall(r"```python\n(.*?)```", text, re.S)
    return steps, example


def project_copy(folder):
    for name in COPIED:
        shutil.copytree(ROOT / name, folder / name, ignore=NOT_COPIED)
    (folder / "tests").mkdir()
    for helper in ("__init__.py", "conftest.py", "postgres.py"):
        if (ROOT / "tests" / helper).exists():
            shutil.copy(ROOT / "tests" / helper, folder / "tests" / helper)
    shutil.copy(ROOT / "pyproject.toml", folder / "pyproject.toml")


def test_the_doc_shows_part_b_from_scaffold_to_failing_test():
    steps, _ = part_b()
    assert [command.split()[:2] for command, _ in steps] == [
        [".venv/bin/sidedoor", "new-source"], [".venv/bin/pytest",
                                               "tests/test_spiders_ridgemoor_county_meetings.py"]]


@pytest.fixture(scope="module")
def walked_b(tmp_path_factory):
    """Part B's commands run in a copy of the code, the copy, and the doc's example test."""
    folder = tmp_path_factory.mktemp("part_b")
    project_copy(folder)
    sites, _ = part_a()
    steps, example = part_b()
    done = []
    with DemoWorld() as world:
        def here(text: str) -> str:
            return re.sub(r"127\.0\.0\.1:(\d+)", lambda m: world.hosts[sites[m.group(1)]], text)

        for command, shown in steps:
            program, *args = shlex.split(here(command))
            result = subprocess.run([sys.executable, *PROGRAMS[program], *args], cwd=folder,
                                    capture_output=True, text=True, timeout=300,
                                    env={**os.environ, "COLUMNS": "300",
                                         # the copy is not beside ../shared
                                         "SIDEDOOR_SHARED": str(SHARED)})
            done.append((here(command), [here(line) for line in shown], result))
    return done, folder, example


def test_part_b_commands_exit_as_the_doc_says(walked_b):
    steps, _, _ = walked_b
    assert [(c.split()[0], r.returncode) for c, _, r in steps] == [
        (".venv/bin/sidedoor", 0), (".venv/bin/pytest", 1)]  # the generated test fails


def test_every_line_part_b_shows_is_printed(walked_b):
    steps, _, _ = walked_b
    missing = [(c, line) for c, shown, r in steps for line in shown
               if line.strip() and not VOLATILE.search(line)
               and line.strip() not in (r.stdout + r.stderr)]
    assert missing == []


def test_the_scaffolded_platform_is_accepted_by_sidedoor_sources(walked_b):
    steps, folder, _ = walked_b
    entry = [line for line in steps[0][2].stdout.splitlines() if line.startswith("  ")]
    (folder / "new.yaml").write_text("sources:\n" + "\n".join(entry) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "sidedoor.cli", "sources", "--sources",
                             "new.yaml"], cwd=folder, capture_output=True, text=True,
                            timeout=120)
    assert (result.returncode, result.stdout.splitlines()[-1]) == (
        0, "1 sources, all valid (new.yaml)"), result.stderr[-2000:]


def test_the_doc_s_example_assertions_pass_on_the_scaffolded_spider(walked_b):
    _, folder, example = walked_b
    test_file = folder / "tests" / "test_spiders_ridgemoor_county_meetings.py"
    generated = test_file.read_text(encoding="utf-8")
    placeholder = generated.index("def test_finds_every_document_on_the_saved_page")
    test_file.write_text(generated[:placeholder] + example, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             str(test_file)], cwd=folder, capture_output=True, text=True,
                            timeout=300, env={**os.environ, "SIDEDOOR_SHARED": str(SHARED)})
    assert result.returncode == 0, result.stdout[-2000:]
