"""A hostile DNS server against a real crawl: DNS rebinding, all on this machine.

A CivicPlus listing on 127.0.0.1 links to rebind.example.test on the port of an "internal
service" (also on 127.0.0.1, answering a secret to every request). The crawl child's name
lookups are stubbed through a ``sitecustomize`` module on its PYTHONPATH (no DNS server is
asked): rebind.example.test answers a public address to the first lookup, as a hostile server
with a TTL of 0 would, and 127.0.0.1 to every later one. The fetch policy checks the first
answer; what counts is where the crawl connects. Prints one JSON line:
{"bench": "hostile_dns", "ok": true, "internal_requests": 0, "secret_archived": false,
 "own_document_stored": true, "seconds": x, "refusals": ["..."]}

To see the code before a change, run it with that checkout first on PYTHONPATH.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config.schema import parse_sources  # noqa: E402
from sidedoor.runner import Paths, crawl  # noqa: E402
from sidedoor.store import Store  # noqa: E402
from tests.local_sites import Quiet, serve  # noqa: E402

SECRET = b"internal-only: the crawler must never see this"
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages "
       b"/Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox "
       b"[0 0 612 792] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
VIEW = "/AgendaCenter/ViewFile/Agenda"
# The stub the crawl child loads at start-up: every lookup function a crawl may use.
STUB = '''
import socket
_asked = []
_real = (socket.getaddrinfo, socket.gethostbyname)

def _answer(host):
    _asked.append(host)
    return "93.184.216.34" if len(_asked) == 1 else "127.0.0.1"

def getaddrinfo(host, port, *args, **kwargs):
    if host == "rebind.example.test":
        return _real[0](_answer(host), port, *args, **kwargs)
    return _real[0](host, port, *args, **kwargs)

def gethostbyname(host):
    return _answer(host) if host == "rebind.example.test" else _real[1](host)

socket.getaddrinfo, socket.gethostbyname = getaddrinfo, gethostbyname
'''


def main() -> None:
    hits: list[str] = []

    class Internal(Quiet):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            hits.append(self.path)
            self.answer(200, "application/pdf", SECRET)

    internal = serve(Internal)
    links = [f"{VIEW}/_01052026-1",
             f"http://rebind.example.test:{internal.server_port}{VIEW}/_01062026-2"]
    rows = "".join(f'<tr class="catAgendaRow"><td><p>Meeting</p></td><td><a href="{link}">'
                   f'file</a></td></tr>' for link in links)
    listing = (f'<html><body><div id="AgendaCenterContent"><div id="cat1"><h2>Board</h2>'
               f'<table>{rows}</table></div></div></body></html>').encode()

    class Site(Quiet):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path.startswith("/AgendaCenter/Search"):
                self.answer(200, "text/html", listing)
            elif self.path == links[0]:
                self.answer(200, "application/pdf", PDF)
            else:
                self.answer(404, "text/plain", b"")

    site = serve(Site)
    with tempfile.TemporaryDirectory(prefix="sidedoor-hostile-dns-") as name:
        folder = Path(name)
        (folder / "stub").mkdir()
        (folder / "stub" / "sitecustomize.py").write_text(STUB)
        os.environ["PYTHONPATH"] = os.pathsep.join(
            [str(folder / "stub"), *filter(None, [os.environ.get("PYTHONPATH")])])
        sources = parse_sources({"sources": {"rebound_board": {
            "name": "Rebound Board", "place": "Rebound", "kind": "minutes",
            "platform": "civicplus", "start_urls": [
                f"http://127.0.0.1:{site.server_port}/AgendaCenter/Search/?term="]}}},
            Path("bench"))
        paths = Paths(folder / "data", f"sqlite:///{folder / 'data' / 'db.sqlite'}",
                      folder / "public")
        started = time.monotonic()
        _, runs = crawl(list(sources.values()), paths, command="bench",
                        settings={"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False})
        seconds = time.monotonic() - started
        archived = [p.read_bytes() for p in (folder / "data").rglob("archive/**/*")
                    if p.is_file()]
        stored = Store.open(paths.db_url).stored_documents("rebound_board")
    for server in (internal, site):
        server.shutdown()
    refusals = [m for run in runs for m in run.error_messages if "rebind" in m]
    result = {"internal_requests": len(hits), "secret_archived": any(SECRET in body
                                                                      for body in archived),
              "own_document_stored": any(url.endswith("_01052026-1") for url in stored),
              "seconds": round(seconds, 2), "refusals": [m[:300] for m in refusals]}
    ok = (not hits and not result["secret_archived"] and bool(result["own_document_stored"]))
    print(json.dumps({"bench": "hostile_dns", "ok": ok, **result}))


if __name__ == "__main__":
    main()
