"""The crawl child process: ``python -m sidedoor.crawl JOB.json``.

Twisted's reactor cannot be restarted within one process (scrapy/scrapy#5026), so every
batch of sources is crawled in a fresh child process. The job file names the sources (as
validated config), the store URL, the data folder, the run id and setting overrides; each
source's outcome is written to the store by ``pipelines.runstatus``.

The batch's sources share one crawler (spiders/batch.py), so setup is paid once and sources
on one host share its download slot and robots.txt. Sources that may need a browser
(``render_js``, or a platform that retries bot challenges in Playwright) get a second
crawler with the Playwright download handler, which starts one browser for all of them.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from twisted.internet.task import LoopingCall

from config import settings as default_settings
from config.schema import SourceConfig
from spiders import spider_for
from spiders.batch import BatchSpider
from spiders.fetch_policy import BrowserPolicy, FetchPolicy


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


def needs_browser(source: SourceConfig) -> bool:
    """Whether a source may be fetched through Playwright."""
    return source.render_js or spider_for(source.platform).may_need_browser


def crawlers_for(sources: Sequence[SourceConfig],
                 process: CrawlerProcess) -> list[tuple[Crawler, list[SourceConfig]]]:
    """One crawler for the sources that never need a browser, one for those that may."""
    groups: dict[bool, list[SourceConfig]] = {False: [], True: []}
    for source in sources:
        groups[needs_browser(source)].append(source)
    crawlers = []
    for browser, group in groups.items():
        if not group:
            continue
        crawler = process.create_crawler(BatchSpider)
        if not browser:  # plain HTTP: no browser driver for this crawler
            crawler.settings.set("DOWNLOAD_HANDLERS", default_settings.DISABLED_SCHEMES,
                                 priority="cmdline")
        else:  # the browser's own requests (images, scripts, fetch) obey the policy too
            policy = FetchPolicy.for_start_urls(url for s in group for url in s.urls)
            crawler.settings.set("PLAYWRIGHT_ABORT_REQUEST", BrowserPolicy(policy),
                                 priority="cmdline")
        crawlers.append((crawler, group))
    return crawlers


class ParentWatch:
    """Shuts the crawl down (as SIGTERM does) once the process that started it is gone."""

    def __init__(self, parent: int) -> None:
        self.parent = parent
        self.loop: LoopingCall | None = None

    def start(self) -> None:
        """Check every second; started once Scrapy's reactor runs (engine_started)."""
        if self.loop is None:
            self.loop = LoopingCall(self.check)
            self.loop.start(1.0, now=False)

    def check(self) -> None:
        if os.getppid() != self.parent:
            os.kill(os.getpid(), signal.SIGTERM)


def main(job_path: str) -> int:
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    process = CrawlerProcess(crawl_settings(job))
    sources = [SourceConfig.model_validate(entry) for entry in job["sources"]]
    crawlers = crawlers_for(sources, process)
    # a killed `sidedoor crawl` (even kill -9) must not leave this crawl running unwatched
    watch = ParentWatch(os.getppid())
    crawlers[0][0].signals.connect(watch.start, signal=signals.engine_started)
    for crawler, group in crawlers:
        process.crawl(crawler, sources=group)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
