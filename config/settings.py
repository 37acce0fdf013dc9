"""Scrapy settings for sidedoor. Our own settings start with SIDEDOOR_.

Politeness is configuration, not spider code: robots.txt is obeyed, AutoThrottle is on, and
the User-Agent names the project with a contact URL.
"""

from config.deployment import archive_url

BOT_NAME = "sidedoor"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# `scrapy crawl <source_id>` and `scrapy list` know sources, not platforms (spiders/loader.py).
SPIDER_LOADER_CLASS = "spiders.loader.SourceSpiderLoader"
SIDEDOOR_SOURCES_PATH = ""  # empty: config/sources.yaml

USER_AGENT = "sidedoor/0.1 (public-records watchdog; +https://github.com/sidedoor-watch/sidedoor)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# One crawler fetches a whole batch of sources (spiders/batch.py): requests in flight across
# all its sites, and per site. A request waiting out its site's DOWNLOAD_DELAY counts against
# CONCURRENT_REQUESTS, so with a delay of 1 s it caps the sites fetched at once: keep it well
# above the sites of a batch; each site still gets at most its own 2 (and its delay).
CONCURRENT_REQUESTS = 256
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Our pipelines are synchronous, so more parallel items buy nothing; Scrapy starts this many
# tasks for every callback's output, which costs more than the work on a re-crawl.
CONCURRENT_ITEMS = 4
DOWNLOAD_DELAY = 1.0
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 200 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Scrapy drops longer URLs silently; real search and API URLs (Legistar, AgendaCenter) pass
# 2,083 characters.
URLLENGTH_LIMIT = 16384
COOKIES_ENABLED = False
# A request's identity includes its source, so sources sharing a URL each get it.
REQUEST_FINGERPRINTER_CLASS = "spiders.middlewares.fingerprint.SourceFingerprinter"
TELNETCONSOLE_ENABLED = False
# Scrapy parses a callback's source to warn about `return value` in generators, once per
# response (a bound method is a new cache key each time); our spiders are tested instead.
WARN_ON_GENERATOR_RETURN_VALUE = False
# Scrapy's remote-control HTTP server runs Python code sent to it: never in a crawl of
# untrusted sites.
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "pipelines.archive.ArchivePipeline": 100,
    "pipelines.text.TextPipeline": 200,
    "pipelines.portal.PortalPipeline": 300,
    "pipelines.findings.FindingsPipeline": 400,
    "pipelines.store.StorePipeline": 900,
}
DOWNLOADER_MIDDLEWARES = {
    # before robots.txt (100) and every other component: see spiders/fetch_policy.py
    "spiders.middlewares.fetch_policy.FetchPolicyMiddleware": 50,
    "spiders.middlewares.conditional.ConditionalRequests": 560,
    "spiders.middlewares.budget.Budget": 60,
    "spiders.middlewares.backoff.Backoff": 570,
}
# The downloader connects only to addresses the fetch policy allowed, checked by the resolver
# that hands them over (spiders/resolver.py), so a name answering differently the second time
# (DNS rebinding) cannot reach an internal service. The blocking lookup behind it and the
# fetch policy middleware is SIDEDOOR_NAME_LOOKUP (tests stub it).
TWISTED_DNS_RESOLVER = "spiders.resolver.PolicyResolver"
SIDEDOOR_NAME_LOOKUP = "spiders.fetch_policy.resolve"
SPIDER_MIDDLEWARES = {
    # nearest the spider, so a LayoutChanged from any callback is recorded against its source
    "spiders.middlewares.layout.LayoutChangedMiddleware": 990,
    "spiders.middlewares.skip_confirmed.SkipConfirmed": 950,
}
EXTENSIONS = {
    "pipelines.runstatus.RunStatus": 500,
}

# Schemes sidedoor never fetches: a link or redirect to data:, ftp: or s3: fails at once. A
# file: URL is read only inside a path an audit-log source's own start URL names (the fetch
# policy refuses the rest before the file handler sees it).
DISABLED_SCHEMES = {"data": None, "ftp": None, "s3": None}

# Pages that need JavaScript (render_js: true, or a bot challenge) go through Playwright with
# Debian's chromium; `playwright install` cannot download a browser here. Chromium resolves no
# name itself and reaches the network only through a local proxy applying the fetch policy to
# the addresses it connects to (spiders/browser_gate.py).
DOWNLOAD_HANDLERS = {
    **DISABLED_SCHEMES,
    "http": "spiders.browser_gate.PolicyPlaywrightHandler",
    "https": "spiders.browser_gate.PolicyPlaywrightHandler",
}
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": "/usr/bin/chromium",
    "headless": True,
    "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync"],
}

# sidedoor's own settings; the CLI fills them for each crawl.
SIDEDOOR_DB_URL = "sqlite:///data/sidedoor.sqlite"
SIDEDOOR_DATA_DIR = "data"
# The archive: empty for <SIDEDOOR_DATA_DIR>/archive, or s3://bucket/prefix for an S3-compatible
# store (sidedoor/store/archive.py); from the environment's SIDEDOOR_ARCHIVE_URL.
SIDEDOOR_ARCHIVE_URL = archive_url("")
SIDEDOOR_RUN_ID = 0
# A listed document the server confirmed less than this long ago is taken from the archive
# without a request; older ones are re-validated with a conditional request.
SIDEDOOR_REVALIDATE_AFTER_HOURS = 24 * 7
# The longest delay between requests to a site that answers 429 or 5xx, whatever its
# Retry-After says, and how many such answers in a row make the run leave the site alone
# (spiders/middlewares/backoff.py).
SIDEDOOR_BACKOFF_MAX_DELAY = 300.0
SIDEDOOR_BACKOFF_GIVE_UP = 6
# What one source may fetch in one run (spiders/middlewares/budget.py): requests (pages and
# documents) and seconds from its first request. 0 means no limit.
SIDEDOOR_SOURCE_MAX_REQUESTS = 5000
SIDEDOOR_SOURCE_MAX_SECONDS = 2 * 3600
# Overrides of config/site.yaml's `limits:` for one crawl (a dict, e.g. {"pages": 50}).
SIDEDOOR_LIMITS: dict[str, int | float] = {}
# The whole crawl process (a batch of sources) stops after this many seconds.
CLOSESPIDER_TIMEOUT = 6 * 3600
