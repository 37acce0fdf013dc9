"""Request identity per source: a URL two sources list is fetched for each of them."""

from __future__ import annotations

import pytest
from scrapy import Request

from spiders.middlewares.fingerprint import SourceFingerprinter
from tests.local_sites import Quiet, crawl_sources, serve

URL = "http://127.0.0.1:8000/packet.pdf"


def test_the_same_url_of_two_sources_has_two_identities():
    prints = SourceFingerprinter()
    assert (prints.fingerprint(Request(URL, meta={"source_id": "town_board"}))
            != prints.fingerprint(Request(URL, meta={"source_id": "county_board"})))


def test_the_same_url_of_one_source_has_one_identity():
    prints = SourceFingerprinter()
    assert (prints.fingerprint(Request(URL, meta={"source_id": "town_board"}))
            == prints.fingerprint(Request(URL, meta={"source_id": "town_board"})))


class Shared(Quiet):
    """Two boards' pages that both list one HTML packet."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path.startswith("/board"):
            body = b'<html><body><a href="/packet.html">Joint packet</a></body></html>'
        elif self.path == "/packet.html":
            body = b"<html><title>Joint packet</title><body><p>Minutes.</p></body></html>"
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.answer(200, "text/html", body)


@pytest.fixture(scope="module")
def shared_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shared")
    server = serve(Shared)
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        yield crawl_sources(folder, {
            source_id: {"name": source_id, "place": "Example", "kind": "minutes",
                        "platform": "document_index", "documents": [r"packet"],
                        "start_urls": [f"{base}/{page}"]}
            for source_id, page in (("town_board", "board-a"), ("county_board", "board-b"))})
    finally:
        server.shutdown()


@pytest.mark.parametrize("source_id", ["town_board", "county_board"])
def test_each_source_sharing_a_document_gets_it(shared_run, source_id):
    assert (shared_run[source_id].outcome, shared_run[source_id].documents_fetched) == ("ok", 1)
