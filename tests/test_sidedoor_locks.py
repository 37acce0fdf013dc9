"""Crawl locks: a second holder is told who has the lock; death releases it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sidedoor.locks import LockHeld, source_lock, source_locks


def test_a_second_holder_is_refused_with_the_first_holders_name(tmp_path):
    script = (
        "import sys, time; from pathlib import Path; from sidedoor.locks import source_lock\n"
        f"with source_lock(Path({str(tmp_path)!r}), 'a_b', 'sidedoor schedule'):\n"
        "    print('held', flush=True); sys.stdin.read()\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LockHeld, match=rf"source a_b is being crawled by pid {holder.pid} "
                                           r"on .* \(sidedoor schedule, since"), \
                source_lock(tmp_path, "a_b", "sidedoor run"):
            pass
    finally:
        holder.stdin.close()
        holder.wait()


def test_the_lock_is_free_again_after_its_holder_exits(tmp_path):
    with source_lock(tmp_path, "a_b", "first"):
        pass
    with source_lock(tmp_path, "a_b", "second"):
        assert "second" in (tmp_path / "a_b.lock").read_text()


def test_holding_several_locks_releases_all_on_failure(tmp_path):
    with pytest.raises(RuntimeError), source_locks(tmp_path, ["a_b", "c_d"], "run"):
        raise RuntimeError("crawl failed")
    with source_locks(tmp_path, ["a_b", "c_d"], "run again"):
        pass
