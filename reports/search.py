"""The search index: Pagefind (``pagefind[bin]`` from PyPI) run over the built site.

Pagefind indexes the finding and document pages (marked ``data-pagefind-body``) with their
place, agency, category and year filters into ``pagefind/``; ``static/search.js`` queries it.
Indexing is the slowest step of a build, so when the indexed pages are byte-identical to the
previous build's, the previous index is reused (hard-linked) instead.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 1800
DIGEST_FILE = "sidedoor-digest.txt"
MARKER = b"data-pagefind-body"


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message says which and how to fix it."""


def index_site(site_dir: Path, previous: Path | None = None) -> bool:
    """Write ``site_dir/pagefind/``; reuse ``previous/pagefind/`` if nothing indexed changed.

    Returns whether the previous index was reused. Raises SearchIndexError if Pagefind fails.
    """
    digest = indexed_digest(site_dir)
    old = previous / "pagefind" if previous else None
    if old and (old / DIGEST_FILE).is_file() and (old / DIGEST_FILE).read_text() == digest:
        shutil.copytree(old, site_dir / "pagefind", copy_function=_link_or_copy)
        logger.info("search index unchanged; reused %(old)s", {"old": old})
        return True
    _run_pagefind(site_dir)
    (site_dir / "pagefind" / DIGEST_FILE).write_text(digest, encoding="utf-8")
    return False


def indexed_digest(site_dir: Path) -> str:
    """A hash of every page Pagefind would index, and of Pagefind's version."""
    try:
        hasher = hashlib.sha256(version("pagefind").encode())
    except PackageNotFoundError:
        hasher = hashlib.sha256(b"unknown")
    for page in sorted(site_dir.rglob("*.html")):
        body = page.read_bytes()
        if MARKER in body:
            hasher.update(page.relative_to(site_dir).as_posix().encode() + b"\0" + body)
    return hasher.hexdigest()


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _run_pagefind(site_dir: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"]
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
