"""Limits on reading one document's text: ``limits:`` in ``config/site.yaml``.

Every extraction runs under these (see ``pipelines/worker.py``); a document that goes past
one is recorded as "too large" or "too slow" with the name of the limit, so a maintainer
who trusts the source can raise it here.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Limits(BaseModel):
    """How much work reading one document may take; each field names its unit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bytes: int = Field(default=100_000_000, ge=1)  # the fetched file
    decompressed_bytes: int = Field(default=200_000_000, ge=1)  # inside XLSX/DOCX zips
    pages: int = Field(default=2_000, ge=1)  # PDF pages
    cells: int = Field(default=2_000_000, ge=1)  # CSV/XLSX cells, empty rows included
    nesting: int = Field(default=256, ge=8, le=900)  # HTML element depth
    text_chars: int = Field(default=2_000_000, ge=1)  # characters of text handed to the engine
    ocr_pages: int = Field(default=50, ge=0)  # scanned pages read by OCR; the rest stay empty
    ocr_seconds: float = Field(default=30.0, gt=0)  # OCR time for one document
    ocr_megapixels: float = Field(default=35.0, gt=0)  # a larger page is OCRed at a lower dpi
    wall_seconds: float = Field(default=50.0, gt=0)  # the whole read; the worker is then killed
    memory_mb: int = Field(default=900, ge=200)  # address space of the reading process
    workers: int = Field(default=1, ge=1, le=16)  # reading processes per crawl process
