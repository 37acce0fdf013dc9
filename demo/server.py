"""Serve the demo world: each folder of ``demo/sites/`` on its own free port of 127.0.0.1.

Used by ``sidedoor demo`` and the end-to-end tests::

    with DemoWorld() as world:
        sources = load_sources(DEMO / "sources.yaml", substitutions=world.hosts)
        ...

The servers behave like a plain static web host: they send ``Last-Modified`` and an
``ETag`` (the sha256 of the file), answer ``If-Modified-Since`` and ``If-None-Match`` with
304, list no directories, and log nothing. ``python -m demo.server`` serves the world until
Ctrl-C, for a look in a browser.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
import zlib
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self

SITES = Path(__file__).resolve().parent / "sites"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


class QuietFileHandler(SimpleHTTPRequestHandler):
    """Serves one folder like a static web host, with validators, and without logging."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}
    latency = 0.0  # seconds before each answer, to stand in for a real network
    on_request: Callable[[str], None] | None = None  # told each path asked for (tests)
    on_sent: Callable[[int], None] | None = None  # told the size of each body sent (bench)
    _etags: dict[tuple[str, int, int], str] = {}
    _etags_lock = threading.Lock()

    def send_head(self) -> Any:  # Any: a file object or None, as in the base class
        self._etag: str | None = None
        if self.on_request is not None:
            self.on_request(self.path)
        if self.latency:
            time.sleep(self.latency)
        path = self._file_path()
        if path is not None:
            self._etag = _etag(path, self._etags, self._etags_lock)
            wanted = self.headers.get("If-None-Match")
            if wanted and self._etag in {tag.strip() for tag in wanted.split(",")}:
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.end_headers()
                return None
        return super().send_head()

    def copyfile(self, source: Any, outputfile: Any) -> None:  # Any: file objects
        if self.on_sent is None:
            super().copyfile(source, outputfile)
            return
        data = source.read()
        outputfile.write(data)
        self.on_sent(len(data))

    def end_headers(self) -> None:
        if getattr(self, "_etag", None):
            self.send_header("ETag", str(self._etag))
        super().end_headers()

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """A static host does not list folders."""
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        """Stay quiet: crawls and tests would otherwise print every request."""

    def _file_path(self) -> Path | None:
        """The file a GET of this path would send, or None (a folder, a redirect, a 404)."""
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        return path if path.is_file() else None


def _etag(path: Path, cache: dict[tuple[str, int, int], str], lock: threading.Lock) -> str:
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with lock:
        if key not in cache:
            cache[key] = '"' + hashlib.sha256(path.read_bytes()).hexdigest()[:32] + '"'
        return cache[key]


# Each site prefers a fixed port derived from its folder name (18000-18999), so its URLs,
# which the store uses to recognise a document, stay the same from one `sidedoor demo` to
# the next, even when sites are added; a busy port falls back to a free one (and that run
# sees the site's documents as new).
# SIDEDOOR_DEMO_FIRST_PORT moves the range (tests pick their own, away from a running demo).
FIRST_PORT = int(os.environ.get("SIDEDOOR_DEMO_FIRST_PORT") or 18000)


def preferred_port(first: int, name: str) -> int:
    """The port a site asks for first: stable for its name."""
    return first + zlib.crc32(name.encode("utf-8")) % 1000


def _bind(host: str, preferred: int | None, handler: Callable[..., Any]) -> ThreadingHTTPServer:
    if preferred is not None:
        try:
            return ThreadingHTTPServer((host, preferred), handler)
        except OSError:
            pass
    return ThreadingHTTPServer((host, 0), handler)


class DemoWorld:
    """The demo sites, each served from its own thread on a free port of ``host``.

    ``hosts`` maps a site folder's name to ``"127.0.0.1:PORT"``; it is filled on entering
    the context and the servers stop on leaving it.
    """

    def __init__(self, sites: Path = SITES, host: str = "127.0.0.1",
                 latency: float = 0.0, on_request: Callable[[str], None] | None = None,
                 first_port: int | None = FIRST_PORT,
                 on_sent: Callable[[int], None] | None = None) -> None:
        self.sites = sites
        self.host = host
        self.latency = latency
        self.on_request = on_request
        self.first_port = first_port
        self.on_sent = on_sent
        self.hosts: dict[str, str] = {}
        self._servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def __enter__(self) -> Self:
        folders = sorted(p for p in self.sites.iterdir() if p.is_dir())
        if not folders:
            raise FileNotFoundError(f"{self.sites}: no site folders to serve; is the checkout "
                                    f"complete? The demo sites live in demo/sites/<site>/")
        try:
            for folder in folders:
                preferred = (None if self.first_port is None
                             else preferred_port(self.first_port, folder.name))
                self.hosts[folder.name] = self._serve(folder, preferred)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def url(self, site: str, path: str = "/") -> str:
        """The absolute URL of ``path`` on ``site``, e.g. ``world.url("maplewood", "/")``."""
        if site not in self.hosts:
            raise KeyError(f"no demo site {site!r}; the sites are {sorted(self.hosts)}")
        return f"http://{self.hosts[site]}/{path.lstrip('/')}"

    def close(self) -> None:
        """Stop every server and wait for its thread."""
        for server, thread in self._servers:
            server.shutdown()
            server.server_close()
            thread.join()
        self._servers.clear()
        self.hosts.clear()

    def _serve(self, folder: Path, preferred: int | None) -> str:
        handler_class = type("DemoHandler", (QuietFileHandler,),
                             {"latency": self.latency,
                              "on_request": staticmethod(self.on_request) if self.on_request
                              else None,
                              "on_sent": staticmethod(self.on_sent) if self.on_sent else None})
        handler = partial(handler_class, directory=str(folder))
        server = _bind(self.host, preferred, handler)
        thread = threading.Thread(target=server.serve_forever, name=f"demo-{folder.name}",
                                  daemon=True)
        thread.start()
        self._servers.append((server, thread))
        return f"{self.host}:{server.server_address[1]}"


def main() -> int:
    """Serve the demo world until Ctrl-C, printing each site's address."""
    with DemoWorld() as world:
        for site in sorted(world.hosts):
            print(f"{site:<18} {world.url(site)}")
        print("Serving the demo world; press Ctrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
