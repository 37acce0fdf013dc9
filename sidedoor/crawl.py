"""The crawl child process: ``python -m sidedoor.crawl JOB.json``.

Twisted's reactor cannot be restarted within one process (scrapy/scrapy#5026), so every
batch of sources is crawled in a fresh child process. The job file names the sources (as
validated config), the store URL, the data folder, the run id and setting overrides; each
source's outcome is written to the store by ``pipelines.runstatus``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

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


def main(job_path: str) -> int:
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    process = CrawlerProcess(crawl_settings(job))
    for entry in job["sources"]:
        source = SourceConfig.model_validate(entry)
        process.crawl(crawler_for(source, process), source=source)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
