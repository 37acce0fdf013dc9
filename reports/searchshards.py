"""Which search shard each indexed page belongs to, and which shards a build must index again.

Pagefind builds a whole index at once and cannot add pages to one. So a large site's index is
cut into shards, each a Pagefind bundle of its own, merged in the browser with ``mergeIndex``,
and a shard is indexed again only when one of its pages changed, appeared or went away.

A page keeps the shard it was first indexed in. A build from nothing cuts the pages by place
(a place's findings and documents stay together) into at most half of ``MAX_SHARDS``; after
that, new pages go to the newest shard until it is full, then to a new one. A day's crawl
mostly adds pages, so it indexes again the newest shard alone, however many places it
touched. When there are more than ``MAX_SHARDS``, the two neighbouring shards smallest
together become one (never the newest, which is still filling).

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
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from reports.incremental import MANIFEST

logger = logging.getLogger(__name__)
STATE_FILE = "sidedoor-shards.json"
MARKER = b"data-pagefind-body"
PAGES_PER_SHARD = 500  # a shard this size indexes in about a second
MAX_SHARDS = 64  # the browser fetches a little of every shard on each search
_FORMAT = 3
NOT_INDEXED, NEW = -1, -2  # a page's shard when Pagefind leaves it out; when it has none yet
_PLACE = re.compile(rb'data-pagefind-filter="place"[^>]*>([^<]*)<')


@dataclass
class ShardPlan:
    """The shards of one build: their pages, and which must be indexed again."""

    pages: dict[int, list[str]]  # shard number -> paths of its pages, relative to the site
    fresh: list[int]  # the shards the previous build does not have as they are now
    state: dict[str, object] = field(default_factory=dict)  # what to save for the next build


def shard_name(number: int) -> str:
    """The bundle folder of a shard under ``pagefind/`` (shard 0 is ``pagefind/`` itself)."""
    return f"s{number:02d}"


def plan_shards(site_dir: Path, previous: Path | None, version: str) -> ShardPlan:
    """Assign the indexed pages of ``site_dir`` to shards and compare with ``previous``."""
    old = _load_state(previous / "pagefind" / STATE_FILE) if previous else {}
    old_digests = old.get("shards") if old.get("version") == version else None
    old_prints, old_shards = old.get("fingerprints"), old.get("shard_of")
    if not (isinstance(old_digests, dict) and isinstance(old_prints, dict)
            and isinstance(old_shards, dict)):
        old_digests, old_prints, old_shards = {}, {}, {}
    # flat maps of plain values, which Python's garbage collector need not look at
    prints: dict[str, str] = {}  # path -> fingerprint
    shard_of: dict[str, int] = {}  # path -> shard, NOT_INDEXED, or NEW
    new: dict[str, str] = {}  # indexed pages without a shard yet -> their place
    read = 0
    for path, fingerprint in _fingerprints(site_dir).items():
        shard = old_shards.get(path, NEW)
        if not isinstance(shard, int) or shard >= 0 and str(shard) not in old_digests:
            shard = NEW
        if fingerprint and old_prints.get(path) == fingerprint and shard != NEW:
            prints[path], shard_of[path] = fingerprint, shard  # unchanged: where it was
            continue
        body = (site_dir / path).read_bytes()
        read += 1
        prints[path] = fingerprint or hashlib.sha256(body).hexdigest()
        if MARKER not in body:
            shard_of[path] = NOT_INDEXED
            continue
        shard_of[path] = shard if shard >= 0 else NEW
        if shard_of[path] == NEW:
            place = _PLACE.search(body)
            new[path] = place.group(1).decode("utf-8", "replace") if place else path
    members: dict[int, list[str]] = defaultdict(list)
    for path, shard in shard_of.items():
        if shard >= 0:
            members[shard].append(path)
    _place_new(members, new, len(new) + sum(map(len, members.values())))
    _merge_smallest(members)
    if not members:
        members[0] = []  # an empty index, still a bundle for the search page to load
    if 0 not in members:  # shard 0 carries the browser's Pagefind
        members[0] = members.pop(min(members))
    for number, paths in members.items():
        for path in paths:
            shard_of[path] = number
    digests = {number: _digest(version, paths, prints) for number, paths in members.items()}
    fresh = sorted(n for n, digest in digests.items() if old_digests.get(str(n)) != digest)
    logger.info("search: %d indexed pages in %d shard(s); read %d new or changed pages",
                sum(map(len, members.values())), len(members), read)
    state = {"format": _FORMAT, "version": version, "fingerprints": prints,
             "shard_of": shard_of,
             "shards": {str(n): digest for n, digest in sorted(digests.items())}}
    return ShardPlan({n: sorted(members[n]) for n in sorted(members)}, fresh, state)


def save_state(site_dir: Path, plan: ShardPlan) -> None:
    """Keep the plan in the site's ``pagefind/`` for the next build."""
    (site_dir / "pagefind" / STATE_FILE).write_text(json.dumps(plan.state, separators=(
        ",", ":")), encoding="utf-8")


def _place_new(members: dict[int, list[str]], new: dict[str, str], total: int) -> None:
    """Give the pages of ``new`` a shard: by place when there are no shards yet, else the
    newest shard while it has room, then new ones."""
    if not new:
        return
    if not members:
        count = _shard_count(total)
        for path, place in sorted(new.items()):
            number = int.from_bytes(hashlib.sha256(place.encode()).digest()[:4], "big")
            members[number % count].append(path)
        return
    size = max(PAGES_PER_SHARD, total // MAX_SHARDS)
    newest = max(members)
    for path in sorted(new):
        if len(members[newest]) >= size:
            newest += 1
        members[newest].append(path)


def _merge_smallest(members: dict[int, list[str]]) -> None:
    """While there are more than MAX_SHARDS, put the two neighbours smallest together in one;
    never the newest, which is still filling."""
    while len(members) > max(MAX_SHARDS, 2):
        order = sorted(members)[:-1]
        low, high = min(zip(order, order[1:], strict=False),
                        key=lambda pair: len(members[pair[0]]) + len(members[pair[1]]))
        members[low] += members.pop(high)


def _digest(version: str, paths: list[str], prints: dict[str, str]) -> str:
    digest = hashlib.sha256(f"{_FORMAT}\0{version}".encode())
    for path in sorted(paths):
        digest.update(f"\0{path}\0{prints[path]}".encode())
    return digest.hexdigest()


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


def _shard_count(pages: int) -> int:
    """A power of two near ``pages / PAGES_PER_SHARD``, at most half of MAX_SHARDS: the
    other half is room for the shards of new pages."""
    wanted = 1
    while wanted * 2 <= min(MAX_SHARDS // 2, pages // PAGES_PER_SHARD):
        wanted *= 2
    return wanted


def _load_state(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == _FORMAT else {}
