"""Scrapy downloader and spider middlewares of sidedoor's spiders."""
