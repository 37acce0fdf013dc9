"""robots.txt once per host and crawl process, not once per source.

Every source is its own Scrapy crawler, and Scrapy's robots.txt middleware keeps its parsed
files per crawler, so a hundred sources on one platform host (Legistar's API, Flock's portal
site) would each ask for the same robots.txt in every run. This middleware shares one cache
across the crawlers of a process: the first source to reach a host fetches the file, the
others wait for that answer and obey it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware


class SharedRobotsTxt(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with one cache per process, keyed by host and port."""

    # Any: Scrapy's own values, a parser, a Deferred of one, or None when robots.txt failed
    shared: ClassVar[dict[str, Any]] = {}

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._parsers = self.shared
