"""Scrapy spiders: one module per platform; each source in config/sources.yaml names one."""

from __future__ import annotations

import importlib

from spiders.base import SourceSpider


def spider_for(platform: str) -> type[SourceSpider]:
    """The spider class of a platform: the SourceSpider ``name``d so in spiders/<platform>.py."""
    module = importlib.import_module(f"spiders.{platform}")
    for value in vars(module).values():
        if (isinstance(value, type) and issubclass(value, SourceSpider)
                and getattr(value, "name", None) == platform):
            return value
    raise LookupError(f"spiders/{platform}.py has no SourceSpider with name = {platform!r}")
