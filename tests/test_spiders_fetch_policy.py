"""The fetch policy's decisions, on URLs and the addresses their hosts resolved to.

Resolution is stubbed: these tests hand the policy the addresses a name would resolve to, so
private, link-local and metadata addresses are refused without any request leaving.
"""

from __future__ import annotations

import asyncio

import pytest

from spiders.fetch_policy import BrowserPolicy, FetchPolicy, FetchRefused, non_public

SITE = FetchPolicy.for_start_urls(["https://village.example.gov/agendas",
                                   "http://127.0.0.1:8123/list.html",
                                   "file:///srv/exports/audits/"])


def decide(url: str, addresses: list[str]) -> str | None:
    """The refusal for ``url`` (its face, then its addresses), or None when allowed."""
    try:
        SITE.host_to_resolve(url)
    except FetchRefused as exc:
        return str(exc)
    return SITE.refusal(url, addresses)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.0.0.2", "::1", "10.0.0.7", "172.16.4.1", "192.168.1.20",
    "169.254.169.254", "fe80::1", "fd00::1", "224.0.0.1", "0.0.0.0", "240.0.0.1",
    "100.64.0.1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
])
def test_a_host_resolving_to_a_non_public_address_is_refused(address):
    assert "address" in decide("https://innocent.example.com/report.pdf", [address])


def test_one_non_public_address_among_public_ones_is_enough_to_refuse():
    assert decide("https://mixed.example.com/a.pdf", ["93.184.216.34", "10.1.2.3"]) is not None


def test_a_public_address_is_allowed():
    assert decide("https://records.example.org/release.pdf", ["93.184.216.34"]) is None


def test_the_host_and_port_of_a_start_url_may_be_loopback():
    assert decide("http://127.0.0.1:8123/minutes/2025-01.pdf", ["127.0.0.1"]) is None


def test_another_port_of_the_start_urls_loopback_host_is_refused():
    assert "loopback" in decide("http://127.0.0.1:8124/secret", ["127.0.0.1"])


@pytest.mark.parametrize("url", ["http://localhost:8123/list.html",
                                 "http://2130706433:8123/list.html",
                                 "http://[::1]:8123/list.html"])
def test_other_names_for_the_start_urls_loopback_host_are_refused(url):
    resolved = {"localhost": "127.0.0.1", "2130706433": "127.0.0.1", "::1": "::1"}
    host = SITE.host_to_resolve(url)
    assert "loopback" in SITE.refusal(url, [resolved[host]])


def test_the_start_url_hosts_allowance_follows_its_scheme_and_port():
    assert decide("http://village.example.gov/agendas", ["10.0.0.5"]) is not None
    assert decide("https://village.example.gov/other.pdf", ["10.0.0.5"]) is None


@pytest.mark.parametrize(("url", "reason"), [
    ("file:///etc/passwd", "outside the source's own start URLs"),
    ("file:///srv/exports/audits/../../../etc/passwd", "outside the source's own start URLs"),
    ("file:///srv/exports/audits%2f..%2f..%2fetc/passwd", "outside the source's own start URLs"),
    ("data:application/pdf;base64,JVBERi0=", "not data URLs"),
    ("ftp://files.example.gov/a.pdf", "not ftp URLs"),
    ("s3://bucket/key.pdf", "not s3 URLs"),
    ("gopher://127.0.0.1:6379/_FLUSHALL", "not gopher URLs"),
    ("http:///no-host", "no host"),
    ("http://example.gov:99999/", "not a valid URL"),
])
def test_urls_refused_on_their_face(url, reason):
    with pytest.raises(FetchRefused, match=reason):
        SITE.host_to_resolve(url)


def test_a_file_inside_a_start_urls_folder_is_allowed_without_resolution():
    assert SITE.host_to_resolve("file:///srv/exports/audits/2025-10.csv") is None


def test_a_host_that_resolves_to_nothing_is_refused():
    assert "did not resolve" in decide("https://gone.example.com/", [])


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "loopback"), ("169.254.169.254", "link-local"), ("10.0.0.1", "private"),
    ("ff02::1", "multicast"), ("8.8.8.8", None), ("not-an-ip", "unreadable"),
])
def test_non_public_names_the_kind_of_address(address, kind):
    assert non_public(address) == kind


class FakeRequest:
    def __init__(self, url: str) -> None:
        self.url = url


@pytest.mark.parametrize(("url", "aborted"), [
    ("http://127.0.0.1:8123/portal.js", False),
    ("http://127.0.0.1:6379/", True),
    ("file:///etc/passwd", True),
    ("data:image/png;base64,iVBORw0KGgo=", False),
])
def test_the_browser_aborts_requests_the_policy_refuses(url, aborted):
    browser = BrowserPolicy(SITE)
    assert asyncio.run(browser(FakeRequest(url))) is aborted
