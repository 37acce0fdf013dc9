"""The base spider: failed requests are recorded with the source and URL, in plain words."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import CannotResolveHostError, DownloadTimeoutError
from twisted.internet.error import ConnectionRefusedError
from twisted.python.failure import Failure

from config.schema import SourceConfig
from spiders.document_index import DocumentIndexSpider

URL = "https://village.example.gov/board/agendas.html"


@pytest.mark.parametrize(("error", "words"), [
    (CannotResolveHostError("no results"),
     "DNS lookup failed (no internet, or the host name is wrong)"),
    (ConnectionRefusedError(), "connection refused (is the site up?)"),
    (DownloadTimeoutError("took too long"), "timed out"),
])
def test_a_failed_request_is_recorded_in_words_with_its_url(error, words):
    spider = DocumentIndexSpider(source=SourceConfig.model_validate({
        "id": "example_village_board", "name": "Board", "place": "Example", "kind": "minutes",
        "platform": "document_index", "start_urls": [URL]}))
    failure = Failure(error)
    failure.request = Request(URL)
    spider.on_error(failure)
    assert spider.error_messages == [f"{URL}: {words}"]


def test_an_attribute_is_read_even_beside_a_malformed_attribute_name():
    from parsel import Selector

    from spiders.base import attribute

    node = Selector(text='<a href="/minutes.pdf" {{{{="" x="1">Minutes</a>').css("a")[0]
    with pytest.raises(ValueError):
        node.attrib  # noqa: B018 - what parsel does with every attribute at once
    assert (attribute(node, "href"), attribute(node, "title")) == ("/minutes.pdf", "")
