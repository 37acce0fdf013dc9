"""Small web sites on loopback for crawl tests, and one quick real crawl of test sources.

``serve`` starts a ``ThreadingHTTPServer`` on a loopback address and a free port, in a
daemon thread; the test shuts it down. ``served_folder`` serves a folder as a static site
(a built site, say) while its context lasts. ``Quiet`` is a handler base that logs nothing
and answers in one call. ``crawl_sources`` validates test source entries like config/sources.yaml
and crawls them through the real runner (a child process, Scrapy, SQLite) without politeness
delays; it returns each source's outcome.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from config.schema import parse_sources
from sidedoor.runner import Paths, crawl
from sidedoor.store import SourceRun

FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False}


class Quiet(BaseHTTPRequestHandler):
    """A test site's handler: no log lines; ``answer`` sends a status, a type and a body."""

    def answer(self, status: int, media: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def serve(handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1",
          port: int = 0) -> ThreadingHTTPServer:
    """A server of ``handler`` on ``host`` (a free port unless given), already serving."""
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class QuietFiles(SimpleHTTPRequestHandler):
    """A static site's handler that logs nothing."""

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def served_folder(folder: Path) -> Iterator[str]:
    """``folder`` served as a static site on 127.0.0.1 (a free port); its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(QuietFiles, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def crawl_sources(folder: Path, entries: dict[str, dict[str, Any]],  # Any: YAML values
                  **settings: Any) -> dict[str, SourceRun]:  # Any: Scrapy setting values
    """Crawl test sources (ids → entries of sources.yaml) into ``folder``; outcomes by id."""
    sources = parse_sources({"sources": entries}, Path("test"))
    paths = Paths(folder / "data", f"sqlite:///{folder / 'data' / 'db.sqlite'}",
                  folder / "public")
    _, rows = crawl(list(sources.values()), paths, command="test",
                    settings={**FAST, **settings}, keep_warm=True)
    return {row.source_id: row for row in rows}
