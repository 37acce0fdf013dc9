"""Layout changes in a real crawl: the parser's message is the source's failure."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from config.schema import parse_sources
from sidedoor.runner import Paths, crawl


class Redesigned(BaseHTTPRequestHandler):
    """An AgendaCenter whose search page no longer has meeting rows."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = b"<html><body><main>Our new meetings portal is coming soon.</main></body></html>"
        self.send_response(200 if self.path.startswith("/AgendaCenter") else 404)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_redesigned_site_fails_its_source_with_the_parsers_message(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Redesigned)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    start = f"http://127.0.0.1:{server.server_port}/AgendaCenter/Search/?term="
    sources = parse_sources({"sources": {"moved_village_board": {
        "name": "Moved", "place": "Moved", "kind": "minutes", "platform": "civicplus",
        "start_urls": [start]}}}, Path("test"))
    try:
        _, rows = crawl(list(sources.values()), Paths(
            tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "public"),
            command="test", settings={"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False})
    finally:
        server.shutdown()
    assert (rows[0].outcome, rows[0].error_messages) == ("error", [
        f"{start}: neither meeting rows (tr.catAgendaRow) nor #AgendaCenterContent; not a "
        "CivicPlus AgendaCenter page, or CivicPlus changed its layout"])
