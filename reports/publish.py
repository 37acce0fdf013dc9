"""Atomic publishing of a built site, and the archived copies it links to.

A site is built in a hidden sibling folder of its destination and swapped in by rename, so
readers see the old site or the new one, never half of one; a failed build leaves the old
site untouched. On Linux the swap is one ``renameat2(RENAME_EXCHANGE)``; elsewhere it is two
renames a moment apart. The old site is deleted in the background.
"""

from __future__ import annotations

import atexit
import ctypes
import errno
import logging
import os
import shutil
import stat
import sys
import tempfile
import threading
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from sidedoor.store.archive import Archive, open_archive

logger = logging.getLogger(__name__)
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A new empty folder beside ``out`` to build into; removed if the build fails."""
    out.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    folder.chmod(0o755)  # mkdtemp makes it private; a web server must read it
    try:
        yield folder
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def keep_unchanged(built: Path, previous: Path, fresh: Iterable[str] | None = None,
                   linked: Collection[str] = ()) -> tuple[int, int]:
    """Replace each file of ``built`` that is byte-identical to the same path in
    ``previous`` by a hard link to the old file, so an unchanged page keeps its inode and
    modification time and a sync to static hosting (rsync, object storage) sends only what
    changed. Returns (unchanged, changed) file counts.

    ``fresh`` names the only files written anew (relative paths; the others are links to
    ``previous``'s); without it every file is looked at but those in ``linked``, known to be
    links already."""
    unchanged = changed = 0
    for folder, names in _files(built, fresh, linked):
        old_folder = os.path.join(previous, os.path.relpath(folder, built))
        for name in names:
            path, old = os.path.join(folder, name), os.path.join(old_folder, name)
            try:
                new_stat, old_stat = os.lstat(path), os.stat(old)
            except OSError:  # new, or gone from the old site
                changed += 1
                continue
            if not stat.S_ISREG(new_stat.st_mode):
                continue
            if (new_stat.st_ino, new_stat.st_dev) == (old_stat.st_ino, old_stat.st_dev):
                # already a link to the old file (a reused page, an archived copy); renaming
                # one link of a file onto another does nothing, so there is nothing to do
                unchanged += 1
                continue
            if not (stat.S_ISREG(old_stat.st_mode) and old_stat.st_size == new_stat.st_size
                    and _same_bytes(old, path)):
                changed += 1
                continue
            temporary = os.path.join(folder, f".{name}.link")
            try:
                os.link(old, temporary)
            except OSError:  # another file system, or no hard links: keep the new copy
                changed += 1
                continue
            os.replace(temporary, path)
            unchanged += 1
    return unchanged, changed


def _files(built: Path, fresh: Iterable[str] | None,
           linked: Collection[str]) -> Iterator[tuple[str, list[str]]]:
    """(folder, file names) of the files of ``built`` to compare with the previous site."""
    if fresh is not None:
        for path in fresh:
            folder, name = os.path.split(os.path.join(built, path))
            yield folder, [name]
        return
    root = str(built)
    for folder, _, names in os.walk(root):
        relative = os.path.relpath(folder, root)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        yield folder, [n for n in names if prefix + n not in linked]


def _same_bytes(a: str, b: str) -> bool:
    try:
        with open(a, "rb") as first, open(b, "rb") as second:
            return first.read() == second.read()
    except OSError:
        return False


def publish(built: Path, out: Path, fresh: Iterable[str] | None = None,
            linked: Collection[str] = ()) -> None:
    """Put the site in ``built`` at ``out``, replacing what was there; files that did not
    change keep their old inode and modification time (``fresh`` and ``linked``: see
    :func:`keep_unchanged`)."""
    if out.is_dir():
        unchanged, changed = keep_unchanged(built, out, fresh, linked)
        logger.info("publishing %d changed files (%d unchanged) into %s", changed, unchanged,
                    out)
    if not out.exists():
        os.rename(built, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    if _exchange(built, out):
        os.rename(built, old / out.name)  # it now holds the old site
    else:
        os.rename(out, old / out.name)
        os.rename(built, out)
    discard(old)


def discard(folder: Path) -> None:
    """Delete ``folder`` (an old site) in a background thread, off the build's critical
    path, with any old site an earlier process left half-deleted beside it.
    :func:`settle` waits; it runs at exit, so a finished command leaves nothing behind."""
    _THREADS[:] = [thread for thread in _THREADS if thread.is_alive()]  # a long-lived process
    prefix = folder.name.split(".old-")[0] + ".old-"
    stale = [p for p in folder.parent.glob(f"{prefix}*") if p != folder
             and str(p) not in _DISCARDING]
    for path in [folder, *stale]:
        _DISCARDING.add(str(path))
        thread = threading.Thread(target=_remove, args=(path,), daemon=True,
                                  name="sidedoor-discard")
        _THREADS.append(thread)
        thread.start()


def settle() -> None:
    """Wait until the old sites given to :func:`discard` are deleted."""
    while _THREADS:
        _THREADS.pop().join()


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    _DISCARDING.discard(str(path))


_DISCARDING: set[str] = set()
_THREADS: list[threading.Thread] = []
atexit.register(settle)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False when the system or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, f"cannot swap the new site {a} into {b}: {os.strerror(code)}")


def link_archive(archive_dir: Archive | Path, files: Mapping[str, str], target: Path) -> int:
    """Publish archived files under ``target``: by hard link from a local archive (a copy
    across file systems), by download from an S3-compatible one.

    ``files`` maps each published name (``<sha256>.<ext>``) to its path in the archive.
    """
    target.mkdir(parents=True, exist_ok=True)
    archive = open_archive(archive_dir)
    for name, relative in sorted(files.items()):
        archive.publish(relative, target / name)
    return len(files)
