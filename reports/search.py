"""The search index: Pagefind (``pagefind[bin]`` from PyPI) run over the built site.

Pagefind indexes the finding and document pages (marked ``data-pagefind-body``) with their
place, agency, category and year filters into ``pagefind/``; ``static/search.js`` queries it.
A large site's index is cut into shards (``reports/searchshards.py``): shard 0 is
``pagefind/`` itself, shard N is ``pagefind/sNN/``, listed in ``pagefind/shards.json`` for
the browser to merge. Only the shards whose pages changed since the previous build are
indexed again (all of them in one Pagefind run each, two at a time); the others are
hard-linked from it, file by file.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from reports.searchshards import STATE_FILE, ShardPlan, plan_shards, save_state, shard_name

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 1800
SHARDS_FILE = "shards.json"  # the bundles the browser merges into shard 0's
_OURS = {STATE_FILE, SHARDS_FILE}
_SHARD = re.compile(r"s[0-9]{2,}")  # shard_name's folders


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message says which and how to fix it."""


def index_site(site_dir: Path, previous: Path | None = None,
               linked: set[str] | None = None) -> bool:
    """Write ``site_dir/pagefind/``, indexing again only the shards that changed since
    ``previous`` (the published site). Returns whether the whole previous index was reused.
    The files taken from ``previous`` by hard link are added to ``linked`` (paths in the
    site), so publishing need not look at them. Raises SearchIndexError if Pagefind fails."""
    try:
        pagefind_version = version("pagefind")
    except PackageNotFoundError:
        pagefind_version = "unknown"
    plan = plan_shards(site_dir, previous, pagefind_version)
    old = previous / "pagefind" if previous is not None else None
    if old is None or not old.is_dir():
        plan.fresh = sorted(plan.pages)
    bundle = site_dir / "pagefind"
    if list(plan.pages) in ([], [0]) and plan.fresh:
        _run_pagefind(site_dir)  # one bundle: Pagefind finds the marked pages itself
    else:
        _index_shards(site_dir, plan, old, set() if linked is None else linked)
    merged = [f"{shard_name(n)}/" for n in plan.pages if n]
    (bundle / SHARDS_FILE).write_text(json.dumps({"merge": merged}), encoding="utf-8")
    save_state(site_dir, plan)
    logger.info("search index: %(fresh)d of %(count)d shard(s) indexed again",
                {"fresh": len(plan.fresh), "count": len(plan.pages)})
    return not plan.fresh


def _index_shards(site_dir: Path, plan: ShardPlan, old: Path | None,
                  linked: set[str]) -> None:
    """Index each changed shard from a folder of links to its pages, then put every shard
    (new, or linked from ``old``) in place under ``site_dir/pagefind``."""
    bundle = site_dir / "pagefind"
    with tempfile.TemporaryDirectory(prefix=f".{site_dir.name}.search-",
                                     dir=site_dir.parent) as work:
        def index(number: int) -> Path:
            pages, output = Path(work) / "in" / str(number), Path(work) / "out" / str(number)
            for path in plan.pages[number]:
                (pages / path).parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(str(site_dir / path), str(pages / path))
            _run_pagefind(pages, output)
            return output

        with ThreadPoolExecutor(max_workers=2) as pool:  # Pagefind is mostly one thread
            built = dict(zip(plan.fresh, pool.map(index, plan.fresh), strict=True))
        for number in plan.pages:  # shard 0 first: the others go inside it
            target = bundle / shard_name(number) if number else bundle
            if number in built:
                os.rename(built[number], target)
            elif old is not None:
                _link_tree(old / shard_name(number) if number else old, target,
                           linked, target.relative_to(site_dir).as_posix() + "/")
    logger.info("indexed %(n)d shard(s) of %(site)s for search", {"n": len(built),
                                                                   "site": site_dir})


def _link_tree(source: Path, target: Path, linked: set[str], prefix: str) -> None:
    """Link every file of the bundle at ``source`` into a new folder ``target`` (``prefix``
    in the site), leaving out, in ``pagefind/`` itself, the other shards' bundles and our
    own files; add the paths linked to ``linked``."""
    top = str(source)
    folders = [(top, str(target), prefix)]
    while folders:
        here, there, where = folders.pop()
        os.mkdir(there)
        with os.scandir(here) as entries:
            for entry in entries:
                if here == top and (entry.name in _OURS or _SHARD.fullmatch(entry.name)):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, os.path.join(there, entry.name),
                                    f"{where}{entry.name}/"))
                    continue
                if _link_or_copy(entry.path, os.path.join(there, entry.name)):
                    linked.add(where + entry.name)


def _link_or_copy(source: str, target: str) -> bool:
    """Hard-link ``source`` at ``target``, or copy it across file systems; whether linked."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
        return False
    return True


def _run_pagefind(site_dir: Path, output: Path | None = None) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"]
    if output is not None:
        command += ["--output-path", str(output)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False,
                                timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as exc:
        raise SearchIndexError(
            f"pagefind took longer than {TIMEOUT_SECONDS} s on {site_dir}; "
            "build without the search index (sidedoor build --no-search) to publish anyway"
        ) from exc
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        hint = (" Install it with: .venv/bin/pip install 'pagefind[bin]'."
                if "No module named pagefind" in detail else "")
        raise SearchIndexError(f"pagefind failed on {site_dir}: {detail}{hint}")
    logger.info("indexed %(site)s for search", {"site": site_dir})
