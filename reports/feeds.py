"""RSS 2.0 and Atom feeds (feedgen): all findings, and one pair per place, agency, category.

An RSS item's guid is the finding id; an Atom entry's id is a ``tag:`` URI made of the site's
host, the day the finding was first seen and the finding id (RFC 4151), so neither ever
changes. Entries are newest first; published is when the finding was first seen. The feed's
``updated`` and ``lastBuildDate`` come from its newest finding, not the clock, so an unchanged
store gives byte-identical feeds (feedgen defaults both to now).

Each feed names ``static/feed.xsl`` as its stylesheet, so a browser that opens the XML shows a
readable page that points to the feed's subscribe page; nothing depends on it, since browsers
are dropping XSLT. The channel's ``<link>`` is the HTML page the feed follows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from jinja2 import Environment

from config.schema import SiteConfig
from reports.incremental import Fingerprints
from reports.views import Facet, FindingView, SiteData

FEED_ENTRIES = 200
# Characters XML 1.0 forbids; PDF text is full of form feeds.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text without the characters XML cannot carry."""
    return _NOT_XML.sub(" ", text)


def tag_uri(base_url: str, finding: FindingView) -> str:
    """The Atom id of a finding: ``tag:sidedoor.example.org,2025-02-12:findings/<id>``.

    A site under a path keeps it (``tag:example.org,2025-02-12:watch/findings/<id>``), so two
    sites on one host never share an id."""
    parts = urlsplit(base_url)
    where = parts.path.strip("/")
    return (f"tag:{parts.hostname or 'localhost'},{finding.first_seen:%Y-%m-%d}:"
            f"{where + '/' if where else ''}{finding.path.rstrip('/')}")


def with_stylesheet(xml: bytes, path: str) -> bytes:
    """The feed with an ``xml-stylesheet`` instruction for the feed at ``path`` in the site."""
    href = "../" * path.count("/") + "static/feed.xsl"
    declaration, _, rest = xml.partition(b"?>")
    instruction = f'\n<?xml-stylesheet type="text/xsl" href="{href}"?>'.encode()
    return declaration + b"?>" + instruction + rest


class FeedWriter:
    """Writes feed pairs into a site folder; entry bodies are rendered once per finding."""

    def __init__(self, out: Path, site: SiteConfig, env: Environment,
                 fallback: datetime, fingerprints: Fingerprints | None = None) -> None:
        self.out = out
        self.fingerprints = fingerprints or Fingerprints(out, None)
        self.site_digest = self.fingerprints.digest("site", {"site": site})
        self.site = site
        self.base = str(site.base_url).rstrip("/") + "/"
        self.template = env.get_template("feed_entry.html")
        self.fallback = fallback  # the updated time of a feed with no entries yet
        self.bodies: dict[str, str] = {}
        self.feeds = 0

    def write(self, rss: str, atom: str, *, title: str, description: str, page: str,
              findings: Sequence[FindingView]) -> None:
        """Write an RSS file at ``rss`` and an Atom file at ``atom`` (paths in the site).

        ``page`` is the HTML page the feed follows: the channel's link."""
        shown = findings[:FEED_ENTRIES]
        digest = self.fingerprints.digest("feed", {
            "site": self.site_digest, "rss": rss, "atom": atom, "title": title,
            "description": description, "page": page, "findings": shown,
            "fallback": None if shown else self.fallback})
        if self.fingerprints.reuse((rss, atom), digest):
            self.feeds += 2
            return
        fg = FeedGenerator()
        fg.id(self.base + page)
        fg.title(xml_text(title))
        fg.description(xml_text(description))
        fg.author(name=self.site.author)
        fg.language(self.site.language)
        fg.generator("sidedoor")
        newest = shown[0].first_seen if shown else self.fallback
        fg.updated(newest)
        fg.lastBuildDate(newest)
        entries = [(self._entry(fg, finding), finding) for finding in shown]
        # feedgen takes the RSS channel's <link> from the last link given: the page.
        alternate = {"href": self.base + page, "rel": "alternate", "type": "text/html"}
        fg.link([{"href": self.base + rss, "rel": "self", "type": "application/rss+xml"},
                 alternate], replace=True)
        for entry, finding in entries:
            entry.guid(finding.id, permalink=False)
        self._save(rss, fg.rss_str(pretty=True))
        fg.link([{"href": self.base + atom, "rel": "self", "type": "application/atom+xml"},
                 alternate], replace=True)
        for entry, finding in entries:
            entry.id(tag_uri(self.base, finding))
        self._save(atom, fg.atom_str(pretty=True))

    def _save(self, path: str, body: bytes) -> None:
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(with_stylesheet(body, path))
        self.feeds += 1

    def _entry(self, fg: FeedGenerator, finding: FindingView) -> FeedEntry:
        entry = fg.add_entry(order="append")
        entry.title(xml_text(finding.title))
        entry.link(href=self.base + finding.path, rel="alternate", type="text/html")
        entry.published(finding.event_date)  # the event's date, not the crawl's
        # a status that changed (proposed → adopted) updates the entry, keeping its id
        entry.updated(max(finding.event_date, finding.fact.status_changed or finding.event_date))
        entry.content(self._body(finding), type="html")
        for category in finding.all_categories:
            entry.category(term=category.key, label=category.label)
        if finding.fact.backfill:
            entry.category(term="backfill", label="Earlier record (first crawl of its source)")
        for agency in finding.agencies:
            entry.category(term=xml_text(agency.label))
        return entry

    def _body(self, finding: FindingView) -> str:
        if finding.id not in self.bodies:
            html = self.template.render(f=finding, base_url=self.base)
            self.bodies[finding.id] = xml_text(html)
        return self.bodies[finding.id]


def write_feeds(out: Path, data: SiteData, site: SiteConfig, env: Environment,
                now: datetime, fingerprints: Fingerprints | None = None) -> int:
    """Write every feed of the site; return how many files were written.

    A feed with no entries yet (a watched place without findings) takes the site's newest
    finding as its updated time, and ``now`` only when the site has no findings at all.
    """
    writer = FeedWriter(out, site, env, data.newest or now, fingerprints)
    writer.write("feed.xml", "atom.xml", title=site.title, description=site.description,
                 page="", findings=data.findings)
    groups: Mapping[str, Mapping[Facet, list[FindingView]]] = {
        "places": data.places, "agencies": data.agencies, "categories": data.categories}
    for kind, facets in groups.items():
        for facet, findings in sorted(facets.items(), key=lambda kv: kv[0].slug):
            writer.write(facet.feed, facet.atom, title=f"{site.title}: {facet.label}",
                         description=_describe(kind, facet), page=facet.path,
                         findings=findings)
    return writer.feeds


def _describe(kind: str, facet: Facet) -> str:
    if kind == "places":
        return f"New findings about {facet.label}."
    if kind == "agencies":
        return f"New findings that name {facet.label}."
    return f"New findings in the category {facet.label}."
