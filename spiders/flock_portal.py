"""Flock Safety transparency portals (``transparency.flocksafety.com/<slug>``).

The page is read by spiders/flock_portal_page.py (its three layouts) and
spiders/flock_portal_owner.py (whose portal it is); the spider falls back on the source's
state. The portal sits behind a bot check at times: a 403 or a "Just a moment..." page is
fetched once more through Playwright (scrapy-playwright, Debian's chromium).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import fields

from scrapy.http import Request, Response

from spiders.base import SourceSpider
from spiders.flock_portal_page import parse_portal
from spiders.items import PortalSnapshotItem
from spiders.portal_snapshot import split_org_list

__all__ = ["CHALLENGE", "FlockPortalSpider", "parse_portal", "split_org_list"]

# Cloudflare's interstitial; its scripts alone ("challenge-platform") also appear on normal pages.
CHALLENGE = re.compile(rb"<title>\s*(Just a moment\.\.\.|Attention Required! \| Cloudflare)", re.I)

class FlockPortalSpider(SourceSpider):
    """Fetches a source's Flock transparency portal pages and yields their snapshots."""

    name = "flock_portal"
    may_need_browser = True  # Cloudflare challenges are retried through Playwright
    # 403: a bot challenge, retried through Playwright; 404: the portal is gone.
    handled_statuses = (403, 404)

    async def start(self) -> AsyncIterator[Request]:
        for url in self.source.urls:
            yield self.request(url, self.parse, meta=self._meta())

    def _meta(self, **extra: object) -> dict[str, object]:
        return {"handle_httpstatus_list": list(self.handled_statuses), **extra}

    def parse(self, response: Response) -> Iterator[PortalSnapshotItem | Request]:
        """One portal page → one PortalSnapshotItem (or a Playwright retry, or a failure)."""
        if response.status == 404:
            self.fail(response.url, "the portal is gone (HTTP 404): the agency may have removed "
                      "it or changed its slug; check the URL in config/sources.yaml")
            return
        if response.status == 403 or CHALLENGE.search(response.body):
            yield from self._retry_through_browser(response)
            return
        # a LayoutChanged is recorded against the source by spiders/middlewares/layout.py
        snapshot = parse_portal(response.text, response.url, self.source.state)
        document = self.document(response, title=f"{snapshot.agency} transparency portal")
        values = {f.name: getattr(document, f.name) for f in fields(document)}
        yield PortalSnapshotItem(**values, snapshot=snapshot)

    def _retry_through_browser(self, response: Response) -> Iterator[Request]:
        if response.meta.get("playwright"):
            self.fail(response.url, f"a bot challenge (HTTP {response.status}) is still shown "
                      "through Playwright; try again later, or save the page from a browser and "
                      "check it with `sidedoor inspect`")
            return
        self.logger.info("source %s: %s is a bot challenge, retrying through Playwright",
                         self.source.id, response.url)
        yield self.request(response.url, self.parse, dont_filter=True,
                           meta=self._meta(playwright=True))
