"""The site commands: ``build`` the site from the store and ``serve`` it for a preview."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from sidedoor.commands.running import build
from sidedoor.console import ROOT, default_paths


@click.command("build")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Where to write the site (default: public/).")
@click.option("--no-search", is_flag=True, help="Skip the Pagefind search index.")
def build_command(out: Path | None, no_search: bool) -> None:
    """Build the static site and feeds from the store.

    Example: sidedoor build --out /var/www/sidedoor
    """
    result = build(default_paths(None, out), search=not no_search)
    click.echo(f"built {result.pages} pages and {result.feeds} feeds in {result.out} "
               f"({result.rendered} files rendered, {result.reused} unchanged; "
               f"{result.seconds:.1f}s)")


@click.command()
@click.option("--dir", "folder", type=click.Path(path_type=Path), default=None,
              help="The folder to serve (default: public/).")
@click.option("--port", default=8000, show_default=True, help="The port on 127.0.0.1.")
def serve(folder: Path | None, port: int) -> None:
    """Preview the built site on http://127.0.0.1:8000 (Ctrl-C stops).

    Example: sidedoor serve --port 8080
    """
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from config.schema import public_dir

    root = folder or public_dir(ROOT / "public")
    if not (root / "index.html").exists():
        raise click.ClickException(f"{root} has no index.html: run `sidedoor demo` or "
                                   "`sidedoor build` first")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        click.echo(f"serving {root} on http://127.0.0.1:{port}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


COMMANDS = (build_command, serve)
