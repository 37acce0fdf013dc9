"""A build of a store that did not change since the last build: the last site, retimed.

When the store's stamp (``reports.viewcache``), sidedoor's code and the configuration are all
what the last build saw, every file of the site is the same except those that show the build
time: the home page, the sources page and the open data's ``generated_at``. Such a build
links the published site's files into the new folder, renders those pages again from what
the last build kept of them (the state ``CLOCK``, beside the published site and bound to it:
``reports.buildstate``), gives the data files the new time, and publishes as any build
does, so readers still see the old site or the new one, never half.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reports.buildstate import load_state, save_state
from reports.incremental import MANIFEST
from reports.pages import ClockPages, write_clock_pages
from reports.site import SiteWriter, iso

logger = logging.getLogger(__name__)
CLOCK = "clock"
# the open data files that say when they were made, in their first line
STAMPED = ("data/findings.json", "data/sources.json")
_GENERATED = re.compile(rb'^(\{"schema_version": \d+, "generated_at": ")([^"]*)(")')


@dataclass
class Clock:
    """What a build of an unchanged store needs from the last build."""

    key: str  # reports.viewcache.inputs_key
    stamp: str  # the digest of the store's stamp
    pages: ClockPages  # the pages that show the build time
    held: dict[str, str]  # and a digest of what they show but the time
    counts: tuple[int, int]  # pages and feeds of the site
    files: list[str]  # every file the build wrote, relative to the site, folders first


def load_clock(out: Path, site: str | None, key: str, stamp: str) -> Clock | None:
    """The clock pages kept for the site published at ``out``, when its fingerprints hash
    to ``site`` (``reports.buildstate.site_digest``) and it was made from the same store,
    code and settings."""
    clock = load_state(out, CLOCK, site, Clock)
    if clock is None or (clock.key, clock.stamp) != (key, stamp):
        return None
    try:
        for name in STAMPED:
            with (out / name).open("rb") as handle:
                if _GENERATED.match(handle.read(256)) is None:
                    return None
    except OSError:
        return None
    return clock if (out / MANIFEST).is_file() else None


def save_clock(out: Path, site: str, clock: Clock) -> None:
    """Keep ``clock`` for the site just published at ``out``, whose fingerprints hash to
    ``site``."""
    save_state(out, CLOCK, site, clock)


def retime(previous: Path, folder: Path, clock: Clock, writer: SiteWriter,
           now: datetime) -> list[str]:
    """Build into ``folder`` the site at ``previous`` as of ``now``; returns the paths of
    the files written anew (the others are links to the previous site's). Raises OSError
    when a file of the last build is gone: then build from the store."""
    fingerprints = writer.fingerprints
    fresh = [f"{path}index.html" for path in clock.pages] + list(STAMPED)
    link_files(previous, folder, clock.files, skip={*fresh, MANIFEST})
    fingerprints.new = dict(fingerprints.old)
    write_clock_pages(writer, clock.pages, now, clock.held)
    for path in STAMPED:
        restamp(previous / path, folder / path, iso(now))
    fingerprints.save()
    fingerprints.reused = len(fingerprints.old) - fingerprints.rendered
    logger.info("the store did not change: linked %d files of the last build and wrote %d",
                len(clock.files) - len(fresh), len(fresh))
    return fresh


def restamp(old: Path, new: Path, generated_at: str) -> None:
    """Copy an open data file, giving it a new ``generated_at``."""
    with old.open("rb") as source, new.open("wb") as target:
        head = source.read(256)
        match = _GENERATED.match(head)
        if match is None:  # load_clock checked it
            raise ValueError(f"{old}: no generated_at in its first line")
        target.write(match.group(1) + json.dumps(generated_at)[1:-1].encode()
                     + head[match.end(2):])
        while chunk := source.read(1 << 20):
            target.write(chunk)


def list_files(folder: Path) -> list[str]:
    """Every file under ``folder``, relative to it, each folder's files before its
    subfolders' (so their parents exist when they are linked in that order)."""
    found: list[str] = []
    root = str(folder)
    for here, _, names in os.walk(root):
        relative = os.path.relpath(here, root)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found.extend(prefix + name for name in names)
    return found


def link_files(previous: Path, folder: Path, files: list[str], skip: set[str]) -> None:
    """Hard-link ``files`` of ``previous`` into ``folder`` at the same paths, but ``skip``
    (whose folders are made all the same)."""
    made = {""}
    old, new = f"{previous}/", f"{folder}/"  # plain strings: tens of thousands of calls
    link, mkdir = os.link, os.mkdir
    for path in files:
        parent = path.rpartition("/")[0]
        if parent not in made:
            try:
                mkdir(new + parent)
            except FileNotFoundError:  # a folder that holds only folders
                os.makedirs(new + parent)
            made.add(parent)
        if path not in skip:
            link(old + path, new + path)
