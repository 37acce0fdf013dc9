"""The spider loader: ``scrapy crawl <source_id>`` and ``scrapy list``, as in any Scrapy project.

sidedoor's spiders are per platform and a source is configuration, so Scrapy's default loader
(which imports spider classes by ``name``) would list platforms and could not build a spider
without its source. This loader lists the sources of ``SIDEDOOR_SOURCES_PATH`` (default
config/sources.yaml) and loads, for a source id, its platform's spider bound to that source.
Set as ``SPIDER_LOADER_CLASS`` in config/settings.py. ``sidedoor run`` does not use it: it
crawls whole batches (spiders/batch.py).
"""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Self

from scrapy import Request
from scrapy.settings import BaseSettings

from config.schema import SOURCES_PATH, SourceConfig, load_sources
from spiders import spider_for
from spiders.base import SourceSpider


class SourceSpiderLoader:
    """Spiders by source id, read from the sources file when first asked."""

    def __init__(self, sources_path: Path) -> None:
        self.sources_path = sources_path
        self._sources: dict[str, SourceConfig] | None = None

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        return cls(Path(settings.get("SIDEDOOR_SOURCES_PATH") or SOURCES_PATH))

    @property
    def sources(self) -> dict[str, SourceConfig]:
        if self._sources is None:
            self._sources = load_sources(self.sources_path)
        return self._sources

    def list(self) -> list[str]:
        """Every source id of the sources file."""
        return sorted(self.sources)

    def load(self, spider_name: str) -> type[SourceSpider]:
        """The spider class that crawls source ``spider_name``; KeyError if there is none."""
        source = self.sources.get(spider_name)
        if source is None:
            raise KeyError(f"no source with id {spider_name!r} in {self.sources_path}; "
                           "`scrapy list` lists them")
        platform = spider_for(source.platform)
        return type(f"{platform.__name__}_{source.id}", (platform,),
                    {"name": source.id, "configured_source": source})

    def find_by_request(self, request: Request) -> builtins.list[str]:
        """Sources whose start URLs include the request's URL."""
        return [i for i, s in self.sources.items() if request.url in s.urls]
