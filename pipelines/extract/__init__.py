"""The findings engine: pure functions from document text to findings. No Scrapy, no I/O.

See docs/findings.md for the categories, the rules and how to edit config/patterns.yaml.
"""

from pipelines.extract.model import Category, Finding, finding_id

__all__ = ["Category", "Finding", "extract", "finding_id"]


def extract(text: str) -> list[Finding]:
    """Return the findings in ``text``, in order of their start offset."""
    raise NotImplementedError
