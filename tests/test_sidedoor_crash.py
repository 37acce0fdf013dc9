"""Crash safety: SIGKILL in the middle of a real crawl loses nothing already committed,
leaves nothing half-written, and the next run completes the work without duplicates."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from demo.server import DemoWorld
from tests.conftest import ROOT

KILL_AT = "/government/minutes/2025-09-09-board-minutes.pdf"


def sources_file(world: DemoWorld, folder: Path) -> Path:
    text = (ROOT / "demo" / "sources.yaml").read_text(encoding="utf-8")
    for name, host in world.hosts.items():
        text = text.replace("{" + name + "}", host)
    path = folder / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(sources: Path, data: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sidedoor.cli", "run", "--json", "--no-build", "--sources",
         str(sources)], cwd=ROOT, env={**os.environ, "SIDEDOOR_DATA_DIR": str(data)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def contents(data: Path) -> dict[str, object]:
    db = sqlite3.connect(data / "sidedoor.sqlite")
    try:
        return {
            "integrity": db.execute("PRAGMA integrity_check").fetchone()[0],
            "versions": sorted(db.execute(
                "SELECT d.url, v.sha256 FROM document_versions v "
                "JOIN documents d ON d.id = v.document_id").fetchall()),
            "findings": sorted(r[0] for r in db.execute("SELECT id FROM findings")),
            "occurrences": db.execute("SELECT COUNT(*) FROM occurrences").fetchone()[0],
            "archived": sorted(p.name for p in (data / "archive").rglob("*") if p.is_file()),
        }
    finally:
        db.close()


@pytest.fixture(scope="module")
def crashed_and_resumed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash")
    reached = threading.Event()
    with DemoWorld(on_request=lambda path: reached.set() if path == KILL_AT else None,
                   latency=0.05) as world:
        sources = sources_file(world, folder)
        victim = run(sources, folder / "killed")
        assert reached.wait(timeout=120), "the crawl never reached the page to be killed at"
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        after_kill = contents(folder / "killed")
        # the resumed crawl and a clean one into another folder, side by side
        resumed = run(sources, folder / "killed")
        clean = run(sources, folder / "clean")
        resumed.communicate(timeout=300)
        clean.communicate(timeout=300)
    return {"after_kill": after_kill, "resumed": contents(folder / "killed"),
            "clean": contents(folder / "clean"), "killed_dir": folder / "killed",
            "codes": (victim.returncode, resumed.returncode, clean.returncode)}


def test_the_crawl_was_really_killed_midway(crashed_and_resumed):
    assert crashed_and_resumed["codes"][0] == -signal.SIGKILL
    assert 0 < len(crashed_and_resumed["after_kill"]["versions"]) < len(
        crashed_and_resumed["clean"]["versions"])


def test_the_store_is_intact_after_the_kill(crashed_and_resumed):
    assert crashed_and_resumed["after_kill"]["integrity"] == "ok"


def test_every_archived_file_is_whole(crashed_and_resumed):
    files = [p for p in (crashed_and_resumed["killed_dir"] / "archive").rglob("*")
             if p.is_file() and not p.name.startswith(".tmp-")]
    broken = [p.name for p in files
              if hashlib.sha256(p.read_bytes()).hexdigest() != p.name.split(".")[0]]
    assert files and broken == []


def test_the_next_run_completes_the_work_without_duplicates(crashed_and_resumed):
    resumed, clean = crashed_and_resumed["resumed"], crashed_and_resumed["clean"]
    assert (resumed["versions"], resumed["findings"], resumed["occurrences"]) == (
        clean["versions"], clean["findings"], clean["occurrences"])
