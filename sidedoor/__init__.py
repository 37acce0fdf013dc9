"""sidedoor: the application shell (CLI, crawl runner, store)."""

__version__ = "0.1.0"
