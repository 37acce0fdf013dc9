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
import gc
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from reports.incremental import MANIFEST

logger = logging.getLogger(__name__)
T = TypeVar("T")


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


def load_state(out: Path, name: str, digest: str | None, kind: type[T]) -> T | None:
    """The state ``name`` kept for the site at ``out`` when its fingerprints hash to
    ``digest`` (:func:`site_digest` of the published site) and it holds a ``kind``; else
    None (none kept, or one that cannot be read: the build then does without)."""
    if digest is None:
        return None
    path = state_path(out, name, digest)
    try:
        with path.open("rb") as handle, no_collection():
            state = pickle.load(handle)  # noqa: S301 - our own state, outside the served site
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            TypeError, ValueError) as exc:
        logger.info("cannot read the build state %s (%s); building without it", path, exc)
        return None
    if not isinstance(state, kind):
        logger.info("the build state %s is not a %s; building without it", path,
                    kind.__name__)
        return None
    return state


def save_state(out: Path, name: str, digest: str, state: object) -> None:
    """Keep ``state`` as the state ``name`` of the site just published at ``out``, whose
    fingerprints hash to ``digest``: pickled into a temporary file, renamed into place
    whole, and the states of other sites are deleted."""
    folder = state_folder(out)
    folder.mkdir(mode=0o700, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as target, no_collection():
            pickle.dump(state, target, protocol=pickle.HIGHEST_PROTOCOL)
        final = state_path(out, name, digest)
        os.replace(temporary, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _drop_others(folder, name, keep=final)


@contextlib.contextmanager
def no_collection() -> Iterator[None]:
    """No garbage collection while a million objects are pickled or unpickled: they are
    all alive, and the collector would walk them again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
