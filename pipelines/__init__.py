"""Scrapy item pipelines (thin) and the pure engines they call (``pipelines/extract``)."""
