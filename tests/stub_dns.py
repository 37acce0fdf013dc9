"""A stubbed name lookup for crawl tests: ``SIDEDOOR_NAME_LOOKUP="tests.stub_dns.lookup"``.

It never asks a DNS server. An address stays itself; the names in ``ANSWERS`` get their
answers in turn (the last one repeats); any other name does not resolve. rebind.example.test
plays a hostile DNS server with a TTL of 0: a public address to the first lookup, loopback to
every later one; inside.example.test always answers 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
from collections import Counter

ANSWERS: dict[str, list[list[str]]] = {
    "rebind.example.test": [["93.184.216.34"], ["127.0.0.1"]],
    "village.example.test": [["127.0.0.1"]],
    "inside.example.test": [["127.0.0.1"]],
}
asked: Counter[str] = Counter()


def lookup(host: str) -> list[str]:
    """The stubbed answer for ``host``."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    answers = ANSWERS.get(host, [[]])
    asked[host] += 1
    return answers[min(asked[host], len(answers)) - 1]
