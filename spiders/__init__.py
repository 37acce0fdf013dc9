"""Scrapy spiders: one module per platform; each source in config/sources.yaml names one."""
