"""The crawl child process: ``python -m sidedoor.crawl JOB.json``.

Twisted's reactor cannot be restarted within one process (scrapy/scrapy#5026), so every
batch of sources is crawled in a fresh child process. The job file names the sources (as
validated config), the store URL, the data folder, the run id and setting overrides; each
source's outcome is written to the store by ``pipelines.runstatus``.

Each source is its own crawler, so one broken source never stops another. A :class:`Pool`
runs ``SIDEDOOR_PARALLEL_SOURCES`` of them at a time, and no more than
``SIDEDOOR_SOURCES_PER_HOST`` on one host, starting the next source as soon as one ends: the
process and its imports are paid for once per batch, a slow source holds up nobody, and many
sources on one platform host are not all fetched at once.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, deque
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from config import settings as default_settings
from config.schema import SourceConfig
from spiders import spider_for


def crawl_settings(job: dict[str, Any]) -> Settings:  # Any: the job is JSON
    """Scrapy settings for a job: config/settings.py plus the job's store, run and overrides."""
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.set("SIDEDOOR_DB_URL", job["db_url"], priority="cmdline")
    settings.set("SIDEDOOR_DATA_DIR", job["data_dir"], priority="cmdline")
    settings.set("SIDEDOOR_RUN_ID", job["run_id"], priority="cmdline")
    for name, value in job.get("settings", {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def crawler_for(source: SourceConfig, process: CrawlerProcess) -> Crawler:
    """A crawler of one source. Only sources that may need a browser get the Playwright
    download handler, which starts a browser driver per crawler."""
    spider = spider_for(source.platform)
    crawler = process.create_crawler(spider)
    if not (source.render_js or spider.may_need_browser):
        crawler.settings.set("DOWNLOAD_HANDLERS", {}, priority="cmdline")
    return crawler


class Pool:
    """Starts each source's crawler when there is room for it, and stops the reactor at the end."""

    def __init__(self, process: CrawlerProcess, sources: list[SourceConfig], *,
                 parallel: int, per_host: int) -> None:
        self.process = process
        self.waiting = deque(sources)
        self.parallel = max(1, parallel)
        self.per_host = max(1, per_host)
        self.hosts: Counter[str] = Counter()
        self.running = 0
        self.stopping = False

    def fill(self) -> None:
        """Start waiting sources while there is room; stop the reactor when all are done."""
        while not self.stopping and self.running < self.parallel:
            source = self._next()
            if source is None:
                break
            self._start(source)
        if self.running == 0:
            from twisted.internet import reactor

            # the reactor module is typed as a module, not as the reactor it installs
            if reactor.running:  # type: ignore[attr-defined]
                reactor.stop()  # type: ignore[attr-defined,misc]

    def _next(self) -> SourceConfig | None:
        for source in self.waiting:
            if self.hosts[host(source)] < self.per_host:
                self.waiting.remove(source)
                return source
        return None

    def _start(self, source: SourceConfig) -> None:
        crawler = crawler_for(source, self.process)
        self.running += 1
        self.hosts[host(source)] += 1

        def done(result: object) -> None:
            self.running -= 1
            self.hosts[host(source)] -= 1
            if crawler.stats is not None and crawler.stats.get_value("finish_reason") == "shutdown":
                self.stopping = True  # SIGTERM or Ctrl-C: finish the running sources only
            self.fill()

        self.process.crawl(crawler, source=source).addBoth(done)


def host(source: SourceConfig) -> str:
    """The host a source is fetched from (its first start URL's); empty for local folders."""
    return urlsplit(source.urls[0]).netloc.lower()


def main(job_path: str) -> int:
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    settings = crawl_settings(job)
    process = CrawlerProcess(settings)
    sources = [SourceConfig.model_validate(entry) for entry in job["sources"]]
    if not sources:
        return 0
    pool = Pool(process, sources, parallel=settings.getint("SIDEDOOR_PARALLEL_SOURCES"),
                per_host=settings.getint("SIDEDOOR_SOURCES_PER_HOST"))
    pool.fill()  # the first crawler installs the reactor the settings name
    process.start(stop_after_crawl=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
