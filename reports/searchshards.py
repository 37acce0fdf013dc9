"""Which search shard each indexed page belongs to, and which shards a build must index again.

Pagefind builds a whole index at once and cannot add pages to one. So a large site's index is
cut into shards by place (a place's findings and documents stay together; a day's crawl
changes a few places), each a Pagefind bundle of its own, merged in the browser with
``mergeIndex``. A shard is indexed again only when one of its pages changed.

A page's inputs are known from the build's fingerprints (``reports/incremental.py``): a
page whose fingerprint did not change is the same page as in the last build, so its shard
and whether Pagefind indexes it are taken from the last build's ``STATE_FILE`` instead of
reading the page again. Only new and changed pages are read.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from reports.incremental import MANIFEST

logger = logging.getLogger(__name__)
STATE_FILE = "sidedoor-shards.json"
MARKER = b"data-pagefind-body"
PAGES_PER_SHARD = 500  # a shard this size indexes in about a second
MAX_SHARDS = 64  # the browser fetches a little of every shard on each search
_FORMAT = 1
_PLACE = re.compile(rb'data-pagefind-filter="place"[^>]*>([^<]*)<')


@dataclass
class ShardPlan:
    """The shards of one build: their pages, digests, and which the last build has."""

    count: int
    pages: list[list[str]]  # shard number -> paths of its pages, relative to the site
    digests: list[str]
    reusable: list[bool] = field(default_factory=list)  # the previous bundle is the same
    state: dict[str, object] = field(default_factory=dict)  # what to save for the next build


def shard_name(number: int) -> str:
    """The bundle folder of a shard under ``pagefind/`` (shard 0 is ``pagefind/`` itself)."""
    return f"s{number:02d}"


def plan_shards(site_dir: Path, previous: Path | None, version: str) -> ShardPlan:
    """Assign the indexed pages of ``site_dir`` to shards and compare with ``previous``."""
    old = _load_state(previous / "pagefind" / STATE_FILE) if previous else {}
    old_pages = old.get("pages") if old.get("version") == version else None
    if not isinstance(old_pages, dict):
        old_pages = {}
    fingerprints = _fingerprints(site_dir)
    pages: dict[str, list[str | None]] = {}  # path -> [fingerprint, shard key or None]
    read = 0
    for path, fingerprint in fingerprints.items():
        known = old_pages.get(path)
        if fingerprint and isinstance(known, list) and known[0] == fingerprint:
            pages[path] = known
            continue
        body = (site_dir / path).read_bytes()
        read += 1
        if not fingerprint:
            fingerprint = hashlib.sha256(body).hexdigest()
        if MARKER not in body:
            pages[path] = [fingerprint, None]
            continue
        place = _PLACE.search(body)
        pages[path] = [fingerprint, place.group(1).decode("utf-8", "replace") if place
                       else path]
    indexed = {path: entry for path, entry in pages.items() if entry[1] is not None}
    count = _shard_count(len(indexed), old.get("count"))
    shards = _assign(indexed, count)
    if not shards[0]:  # shard 0 carries the browser's Pagefind: it must have pages
        count, shards = 1, _assign(indexed, 1)
    digests = []
    for members in shards:
        digest = hashlib.sha256(f"{_FORMAT}\0{version}\0{count}".encode())
        for path in members:
            digest.update(f"\0{path}\0{indexed[path][0]}".encode())
        digests.append(digest.hexdigest())
    old_digests = old.get("digests") if old.get("count") == count else None
    if not isinstance(old_digests, list):
        old_digests = []
    reusable = [previous is not None and number < len(old_digests)
                and old_digests[number] == digest for number, digest in enumerate(digests)]
    logger.info("search: %d indexed pages in %d shard(s); read %d new or changed pages",
                len(indexed), count, read)
    state = {"format": _FORMAT, "version": version, "count": count, "digests": digests,
             "pages": pages}
    return ShardPlan(count, shards, digests, reusable, state)


def save_state(site_dir: Path, plan: ShardPlan) -> None:
    """Keep the plan in the site's ``pagefind/`` for the next build."""
    (site_dir / "pagefind" / STATE_FILE).write_text(json.dumps(plan.state), encoding="utf-8")


def _fingerprints(site_dir: Path) -> dict[str, str]:
    """The build's fingerprint of each HTML page; "" (read the page) where there is none."""
    try:
        manifest = json.loads((site_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    if isinstance(manifest, dict) and manifest:
        return {str(path): str(digest) for path, digest in manifest.items()
                if str(path).endswith(".html")}
    return {page.relative_to(site_dir).as_posix(): ""
            for page in sorted(site_dir.rglob("*.html"))
            if page.relative_to(site_dir).parts[0] != "pagefind"}


def _shard_count(pages: int, old: object) -> int:
    """A power of two near ``pages / PAGES_PER_SHARD``; the last build's while it is within
    a factor of four, so a growing site is not cut anew every day."""
    wanted = 1
    while wanted * 2 <= min(MAX_SHARDS, pages // PAGES_PER_SHARD):
        wanted *= 2
    if isinstance(old, int) and old >= 1 and wanted / 4 < old < wanted * 4:
        return old
    return wanted


def _assign(indexed: dict[str, list[str | None]], count: int) -> list[list[str]]:
    shards: list[list[str]] = [[] for _ in range(count)]
    for path, (_, key) in sorted(indexed.items()):
        number = int.from_bytes(hashlib.sha256(str(key).encode()).digest()[:4], "big")
        shards[number % count].append(path)
    return shards


def _load_state(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == _FORMAT else {}
