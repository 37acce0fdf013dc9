"""What a build keeps for the next one, beside the site it publishes and never inside it.

The views (``reports.viewcache``) and clock pages (``reports.unchanged``) of the last build
are pickles: inside the published folder a static host or a sync would serve them to the
world, and whoever could write to the web root could run code in the next build, which
loads them. So they live in a sibling folder, ``.<site>.build-state`` (the staging folders
are siblings too, ``reports.publish``), each named by the sha256 of the fingerprints file
(``reports.incremental.MANIFEST``) of the site it describes. A build looks only for the
state named by the published site's fingerprints, so a state left by another site (an
interrupted build, a site replaced by hand or by another build) is never read; it writes
its state after its site is published, so a failed build leaves the old state with the old
site it still matches.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from reports.incremental import MANIFEST

logger = logging.getLogger(__name__)


def state_folder(out: Path) -> Path:
    """The folder that holds the state of the site published at ``out``."""
    return out.parent / f".{out.name}.build-state"


def site_digest(site: Path | None) -> str | None:
    """The sha256 of ``site``'s fingerprints file; None when there is no such site."""
    if site is None:
        return None
    try:
        return hashlib.sha256((site / MANIFEST).read_bytes()).hexdigest()
    except OSError:
        return None


def state_path(out: Path, name: str, digest: str) -> Path:
    """Where the state ``name`` of the site at ``out`` whose fingerprints hash to ``digest``
    is kept."""
    return state_folder(out) / f"{name}-{digest}.pickle"


def find_state(out: Path, name: str, digest: str | None) -> Path | None:
    """The state ``name`` kept for the site at ``out`` when its fingerprints hash to
    ``digest`` (:func:`site_digest` of the published site); else None."""
    if digest is None:
        return None
    path = state_path(out, name, digest)
    return path if path.is_file() else None


def save_state(out: Path, name: str, digest: str, write: Callable[[BinaryIO], None]) -> None:
    """Keep the state ``name`` of the site just published at ``out``, whose fingerprints
    hash to ``digest``: ``write`` fills a temporary file, renamed into place whole, and the
    states of other sites are deleted."""
    folder = state_folder(out)
    folder.mkdir(mode=0o700, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as target:
            write(target)
        final = state_path(out, name, digest)
        os.replace(temporary, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _drop_others(folder, name, keep=final)


def rebind_state(out: Path, name: str, old: str | None, new: str | None) -> None:
    """The state ``name`` of the site whose fingerprints hashed to ``old`` now describes
    the site published in its place, whose fingerprints hash to ``new`` (a site retimed
    from an unchanged store, ``reports.unchanged``). Nothing when there is no such state."""
    if old is None or new is None or old == new:
        return
    try:
        os.replace(state_path(out, name, old), state_path(out, name, new))
    except FileNotFoundError:
        return


def _drop_others(folder: Path, name: str, keep: Path) -> None:
    """Delete ``folder``'s other states ``name``, and temporary files a crash left."""
    for path in [*folder.glob(f"{name}-*.pickle"), *folder.glob(f".{name}-*.tmp")]:
        if path != keep:
            with contextlib.suppress(OSError):
                path.unlink()
