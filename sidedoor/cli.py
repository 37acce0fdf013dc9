"""The ``sidedoor`` command line: a thin click layer over the runner, the store and reports.

Each command's docstring is its ``--help``. See README, "Command reference". The commands live
in their own modules (sidedoor/commands/, sidedoor/maintainers.py); to add one, list its
command in the module's ``COMMANDS`` and the module in ``COMMAND_MODULES`` below.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from typing import Any

import click

# pydantic looks for plugins in every installed package's metadata when it builds its first
# model (a tenth of a second in this virtualenv); sidedoor uses none. The reading processes
# inherit this. Set PYDANTIC_DISABLE_PLUGINS= (empty) to load plugins all the same.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

# Each command imports what it needs when it runs, so `--help` and light commands do not pay
# for Scrapy, SQLAlchemy and pydantic (bench/startup.py measures this).
from sidedoor.console import SOURCES_PATH, USER_ERRORS

__all__ = ["COMMAND_MODULES", "SOURCES_PATH", "command_reference", "main"]

# The modules whose COMMANDS are the `sidedoor` subcommands, one line each.
COMMAND_MODULES = (
    "sidedoor.commands.crawling",
    "sidedoor.commands.site",
    "sidedoor.commands.schedule",
    "sidedoor.commands.worker",
    "sidedoor.maintainers",
)


class Commands(click.Group):
    """The command group: a user's mistake in config or store settings is one line, not a
    traceback, whichever command meets it."""

    def invoke(self, ctx: click.Context) -> Any:  # Any: whatever the command returns
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if isinstance(exc, _user_errors()):
                raise click.ClickException(str(exc)) from exc
            raise


def _user_errors() -> tuple[type[Exception], ...]:
    """The classes of USER_ERRORS whose modules are loaded."""
    return tuple(getattr(sys.modules[module], name) for module, name in USER_ERRORS
                 if module in sys.modules)


@click.group(cls=Commands)
@click.version_option(package_name="sidedoor")
def main() -> None:
    """sidedoor watches public documents for local police data reaching federal agencies
    and other states, and publishes what it finds as a static site with feeds.

    Start with `sidedoor demo`, then `sidedoor serve`.
    """


for _module in COMMAND_MODULES:
    for _command in import_module(_module).COMMANDS:
        main.add_command(_command)


def command_reference() -> str:
    """The README's command table, made from the commands themselves (cog writes it into
    README.md; `make lint` checks it is current): each command's options and the first
    paragraph of its --help."""
    rows = ["| command | what it does |", "|---|---|"]
    for name, command in sorted(main.commands.items()):
        words = [f"sidedoor {name}"]
        for param in command.params:
            if isinstance(param, click.Argument):
                word = f"{param.human_readable_name}{'...' if param.nargs < 0 else ''}"
            elif isinstance(param, click.Option):
                flag = max(param.opts, key=len)
                value = param.metavar or flag.lstrip("-").upper()
                word = flag if param.is_flag else f"{flag} {value}"
            else:
                continue
            words.append(word if param.required else f"[{word}]")
        summary = " ".join((command.help or "").split("\n\n")[0].split())
        rows.append(f"| `{' '.join(words)}` | {summary} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    main()
