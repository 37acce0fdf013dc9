"""What every ``sidedoor`` command shares: the paths, the error console and reading sources.

Kept apart from the commands (sidedoor/commands/, sidedoor/maintainers.py) so each command
module imports it without importing the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console

    from config.schema import SourceConfig
    from sidedoor.runner import Paths

ROOT = Path(__file__).resolve().parent.parent
# config.schema.SOURCES_PATH, without importing pydantic to show a default in --help
SOURCES_PATH = ROOT / "config" / "sources.yaml"
# The errors a user can fix (a config file, the store URL, a held lock), by module and name:
# each becomes a one-line message; a command that never loaded a module cannot raise its error.
USER_ERRORS = (("config.schema", "ConfigError"), ("sidedoor.store", "StoreError"),
               ("sidedoor.locks", "LockHeld"))


class _ErrorConsole:
    """rich's console on stderr, made when a command first prints to it: importing rich takes
    tens of milliseconds that `--help` and a quiet `extract` need not pay (bench/startup.py)."""

    def __init__(self) -> None:
        self._console: Console | None = None

    def rich(self) -> Console:
        """The console itself (for a progress bar)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=True)
        return self._console

    def print(self, *objects: Any, **options: Any) -> None:  # Any: as rich's Console.print
        self.rich().print(*objects, **options)


err = _ErrorConsole()

# The sources file option of the commands that read one.
sources_option = click.option("--sources", "sources_path",
                              type=click.Path(exists=True, path_type=Path),
                              default=SOURCES_PATH, show_default=True, help="The sources file.")


def default_paths(data: Path | None, public: Path | None) -> Paths:
    from config.schema import data_dir, db_url, public_dir
    from sidedoor.runner import Paths

    folder = data or data_dir(ROOT / "data")
    return Paths(data_dir=folder, db_url=db_url(f"sqlite:///{folder / 'sidedoor.sqlite'}"),
                 public_dir=public or public_dir(ROOT / "public"))


def read_sources(path: Path, ids: Sequence[str] = (),
                 substitutions: dict[str, str] | None = None, *, list_id: str | None = None,
                 limit: int | None = None) -> list[SourceConfig]:
    """Enabled sources of a config file (or those named, or a list's, at most ``limit``), as a
    user-facing error if invalid."""
    from config.schema import ConfigError, load_sources

    try:
        sources = load_sources(path, substitutions)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    unknown = [i for i in ids if i not in sources]
    if unknown:
        raise click.ClickException(
            f"{path}: no source with id {', '.join(map(repr, unknown))}; "
            "`sidedoor sources` lists them")
    if list_id is not None:
        members = [s for s in sources.values() if s.list_id == list_id]
        if not members:
            raise click.ClickException(f"{path}: no source list {list_id!r}; "
                                       "`sidedoor sources` lists them")
        return members[:limit]
    chosen = [sources[i] for i in ids] if ids else [s for s in sources.values() if s.enabled]
    return chosen[:limit]
