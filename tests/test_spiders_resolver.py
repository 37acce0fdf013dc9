"""The crawl's resolver: the downloader connects only to addresses the fetch policy allowed.

Name resolution is stubbed (tests/stub_dns.py): no DNS server is asked and nothing leaves the
machine. The end-to-end crawl plays DNS rebinding against a real crawl of a site on 127.0.0.1:
a name answering a public address when the fetch policy middleware looks it up, and 127.0.0.1
(where an "internal service" listens) when the downloader connects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from twisted.internet.address import IPv4Address, IPv6Address

from sidedoor.store import Store
from spiders.fetch_policy import FetchPolicy
from spiders.resolver import PolicyResolver
from tests.local_sites import Quiet, crawl_sources, serve
from tests.test_spiders_middlewares_fetch_policy import PDF, SECRET, Recorder, agenda_listing

START = FetchPolicy.for_start_urls(["http://village.example.test:8123/agendas",
                                    "http://127.0.0.1:8123/list.html"])


class Inline:
    """A reactor and thread pool that run the lookup at once, so no reactor is needed."""

    def getThreadPool(self) -> Inline:  # noqa: N802 - Twisted's name
        return self

    def callInThreadWithCallback(self, done: Callable[..., None],  # noqa: N802
                                 work: Callable[..., Any], *args: Any) -> None:
        done(True, work(*args))

    def callFromThread(self, work: Callable[..., Any], *args: Any) -> None:  # noqa: N802
        work(*args)


class Receiver:
    """What the downloader's endpoint is told: the addresses, and whether it finished."""

    def __init__(self) -> None:
        self.addresses: list[IPv4Address | IPv6Address] = []
        self.complete = False

    def resolutionBegan(self, resolution: object) -> None:  # noqa: N802 - Twisted's name
        pass

    def addressResolved(self, address: IPv4Address | IPv6Address) -> None:  # noqa: N802
        self.addresses.append(address)

    def resolutionComplete(self) -> None:  # noqa: N802 - Twisted's name
        self.complete = True


def resolver(answers: list[list[str]]) -> tuple[PolicyResolver, list[str]]:
    """A resolver whose lookups answer ``answers`` in turn; the names it looked up."""
    looked: list[str] = []

    def lookup(host: str) -> list[str]:
        looked.append(host)
        return answers[min(len(looked), len(answers)) - 1]

    gate = PolicyResolver(Inline(), lookup)
    gate.allow(START)
    return gate, looked


def connect(gate: PolicyResolver, host: str, port: int) -> list[tuple[str, int]]:
    """The addresses the downloader would connect to for ``host``:``port``."""
    receiver = Receiver()
    gate.resolveHostName(receiver, host, port)
    assert receiver.complete
    return [(address.host, address.port) for address in receiver.addresses]


def test_a_public_answer_is_handed_over_with_the_port_and_kept():
    gate, looked = resolver([["93.184.216.34", "2606:2800:220:1::"], ["127.0.0.1"]])
    assert connect(gate, "Records.example.test", 443) == [("93.184.216.34", 443),
                                                          ("2606:2800:220:1::", 443)]
    assert connect(gate, "records.example.test", 80) == [("93.184.216.34", 80),
                                                         ("2606:2800:220:1::", 80)]
    assert looked == ["records.example.test"]  # the approved answer is kept: no rebinding


@pytest.mark.parametrize("address", ["127.0.0.1", "169.254.169.254", "10.0.0.7", "::1"])
def test_a_non_public_answer_is_not_handed_over(address):
    gate, _ = resolver([[address]])
    assert connect(gate, "rebind.example.test", 80) == []


def test_a_refused_host_and_port_stays_refused_and_says_why():
    gate, looked = resolver([["127.0.0.1"], ["93.184.216.34"]])
    assert connect(gate, "rebind.example.test", 80) == []
    assert connect(gate, "rebind.example.test", 80) == []
    assert looked == ["rebind.example.test"]
    assert gate.refused["rebind.example.test", 80].startswith(
        "rebind.example.test (127.0.0.1) is a loopback address")


def test_a_start_urls_host_and_port_may_be_loopback_and_no_other_port():
    gate, _ = resolver([["127.0.0.1"]])
    assert connect(gate, "village.example.test", 8123) == [("127.0.0.1", 8123)]
    assert connect(gate, "127.0.0.1", 8123) == [("127.0.0.1", 8123)]
    assert connect(gate, "village.example.test", 6379) == []
    assert connect(gate, "127.0.0.1", 6379) == []


def test_a_name_that_does_not_resolve_is_not_remembered():
    gate, looked = resolver([[], ["93.184.216.34"]])
    assert connect(gate, "flaky.example.test", 80) == []
    assert connect(gate, "flaky.example.test", 80) == [("93.184.216.34", 80)]
    assert looked == ["flaky.example.test"] * 2


def test_only_the_address_types_asked_for_are_handed_over():
    gate, _ = resolver([["93.184.216.34", "2606:2800:220:1::"]])
    receiver = Receiver()
    gate.resolveHostName(receiver, "records.example.test", 80, addressTypes=[IPv6Address])
    assert [address.host for address in receiver.addresses] == ["2606:2800:220:1::"]


def test_a_proxy_the_environment_names_may_be_private(monkeypatch):
    monkeypatch.setenv("https_proxy", "http://proxy.corp.test:3128")
    monkeypatch.setenv("no_proxy", "localhost")
    gate, _ = resolver([["10.0.0.5"]])
    assert connect(gate, "proxy.corp.test", 3128) == [("10.0.0.5", 3128)]
    assert connect(gate, "proxy.corp.test", 0) == [("10.0.0.5", 0)]  # Twisted's https tunnel
    assert connect(gate, "proxy.corp.test", 8080) == []


VIEW = "/AgendaCenter/ViewFile/Agenda"


def rebinding_site(internal: int) -> type[Quiet]:
    """A CivicPlus listing with its own document and, on 127.0.0.1 only, a link to
    rebind.example.test on the internal service's port."""
    class Site(Quiet):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?")[0]
            links = [f"{VIEW}/_01052026-1"]
            if self.headers.get("Host", "").startswith("127.0.0.1"):
                links.append(f"http://rebind.example.test:{internal}{VIEW}/_01062026-2")
            if path.startswith("/AgendaCenter/Search"):
                self.answer(200, "text/html", agenda_listing(links))
            elif path == f"{VIEW}/_01052026-1":
                self.answer(200, "application/pdf", PDF)
            else:
                self.answer(404, "text/plain", b"not found")
    return Site


@pytest.fixture(scope="module")
def rebinding_crawl(tmp_path_factory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("rebinding")
    hits: list[str] = []
    internal = serve(type("Internal", (Recorder,), {"hits": hits}))
    site = serve(rebinding_site(internal.server_port))
    search = "/AgendaCenter/Search/?term="
    entry = {"place": "Rebound", "kind": "minutes", "platform": "civicplus"}
    try:
        rows = crawl_sources(folder, {
            "rebound_board": {**entry, "name": "Rebound Board",
                              "start_urls": [f"http://127.0.0.1:{site.server_port}{search}"]},
            "rebound_named_board": {**entry, "name": "Rebound Named Board", "start_urls": [
                f"http://village.example.test:{site.server_port}{search}"]},
        }, SIDEDOOR_NAME_LOOKUP="tests.stub_dns.lookup")
        store = Store.open(f"sqlite:///{folder / 'data' / 'db.sqlite'}")
        yield {"rows": rows, "hits": hits, "archive": folder / "data" / "archive",
               "documents": {source: store.stored_documents(source) for source in rows}}
    finally:
        for server in (internal, site):
            server.shutdown()


def test_the_internal_service_the_second_answer_points_at_got_no_request(rebinding_crawl):
    assert rebinding_crawl["hits"] == []


def test_the_rebinding_link_is_refused_with_the_address_it_answered(rebinding_crawl):
    messages = rebinding_crawl["rows"]["rebound_board"].error_messages
    assert any(m.startswith("http://rebind.example.test:") and "rebind.example.test "
               "(127.0.0.1) is a loopback address" in m and "answered when connecting" in m
               for m in messages), messages


def test_the_start_urls_on_loopback_still_work_by_address_and_by_name(rebinding_crawl):
    documents = rebinding_crawl["documents"]
    assert [url.rsplit("/", 1)[-1] for url in documents["rebound_board"]] == ["_01052026-1"]
    assert [url.split("/")[2].split(":")[0] for url in documents["rebound_named_board"]] == [
        "village.example.test"]


def test_nothing_from_the_internal_service_was_archived(rebinding_crawl):
    archived = [p.read_bytes() for p in rebinding_crawl["archive"].rglob("*") if p.is_file()]
    assert archived and not any(SECRET in body for body in archived)
