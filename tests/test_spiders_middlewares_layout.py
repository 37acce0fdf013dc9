"""Layout changes in a real crawl: the parser's message is the source's failure."""

from __future__ import annotations

from tests.local_sites import Quiet, crawl_sources, serve


class Redesigned(Quiet):
    """An AgendaCenter whose search page no longer has meeting rows."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = b"<html><body><main>Our new meetings portal is coming soon.</main></body></html>"
        self.answer(200 if self.path.startswith("/AgendaCenter") else 404, "text/html", body)


def test_a_redesigned_site_fails_its_source_with_the_parsers_message(tmp_path):
    server = serve(Redesigned)
    start = f"http://127.0.0.1:{server.server_port}/AgendaCenter/Search/?term="
    try:
        row = crawl_sources(tmp_path, {"moved_village_board": {
            "name": "Moved", "place": "Moved", "kind": "minutes", "platform": "civicplus",
            "start_urls": [start]}})["moved_village_board"]
    finally:
        server.shutdown()
    assert (row.outcome, row.error_messages) == ("error", [
        f"{start}: neither meeting rows (tr.catAgendaRow) nor #AgendaCenterContent; not a "
        "CivicPlus AgendaCenter page, or CivicPlus changed its layout"])
