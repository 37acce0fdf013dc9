"""Whose a Flock transparency portal is: its agency and that agency's state, from the page.

The state comes from the agency's name, the heading, a label ("Organizations granted access to
Galt CA PD data") or the URL's slug, through ``config/states.py``; spiders/flock_portal_page.py
calls this for every snapshot.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol
from urllib.parse import urlparse

from parsel import Selector

from config.states import default_resolver


class Labelled(Protocol):
    """A labelled value of a portal page (``flock_portal_page._Entry``)."""

    label: str
    value: Selector


def node_text(node: Selector) -> str:
    """A node's text, its white space folded."""
    return " ".join(" ".join(node.xpath(".//text()").getall()).split())


def portal_state(page: Selector, agency: str, url: str, entries: Sequence[Labelled],
                 source_state: str | None = None) -> str | None:
    """The portal's own state: from the page, its agency as the overview, the heading or a
    label names it ("Organizations granted access to Galt CA PD data"), then the URL's slug
    ("riverside-county-ca-sd"); then the source's state; then the state its hotlists and
    policies name ("California SVS"). None when nothing names one."""
    resolver = default_resolver()
    owners = [m.group(1) for e in entries
              if (m := re.search(r"\baccess to (.+?)(?:'s)? data\b", e.label, re.I))]
    for name in (agency, page_title(page), *owners, slug_name(url)):
        state = resolver.state_of(name)
        if state:
            return state
    if source_state:
        return source_state
    texts = [node_text(e.value) for e in entries
             if re.search(r"hotlist|polic|prohibited", e.label, re.I)]
    return resolver.state_in_text(" ".join(texts))


def slug_name(url: str) -> str:
    """A portal URL's last path segment as a name: "galt-ca-pd" → "galt CA PD"."""
    slug = urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]
    slug = re.sub(r"\.html?$", "", slug)
    return " ".join(w.upper() if len(w) == 2 else w for w in re.split(r"[^A-Za-z0-9]+", slug))


def page_title(page: Selector) -> str:
    heading = " ".join(page.xpath("//h1//text()").getall()) or page.xpath("//title/text()").get("")
    heading = re.sub(r"^\s*Flock Safety\s*-\s*", "", heading)
    return " ".join(re.sub(r"Transparency Portal\s*$", "", heading.strip()).split())


def portal_agency(page: Selector) -> str:
    """The agency as its overview names it ("El Cajon PD ( CA) uses Flock Safety ..."), else
    the page heading."""
    overview = page.xpath("normalize-space((//*[@id='overview']//p)[1])").get("")
    match = re.search(r"^(.+?)\s+uses Flock Safety", overview)
    return match.group(1) if match else page_title(page)
