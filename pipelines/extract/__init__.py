"""The findings engine: pure functions from document text to findings. No Scrapy, no I/O.

See docs/findings.md for the categories, the rules and how to edit config/patterns.yaml.
"""

from pipelines.extract.engine import extract_findings
from pipelines.extract.model import Category, Finding, finding_id

__all__ = ["Category", "Finding", "extract", "finding_id"]


def extract(
    text: str, *, home_state: str | None = None, owner: str | None = None
) -> list[Finding]:
    """Return the findings in ``text``, in order of their start offset.

    ``home_state`` is the two-letter code of the source's state ("IL"): agencies of other
    states named in the text then count as out of state. Without it, the text must show
    the home state itself ("outside Oregon", a portal list's owner "El Cajon CA PD").
    ``owner`` names the agency whose data the text is about ("San Mateo CA PD"); without
    it the document's own wording names it, if it does (pipelines/extract/document.py).
    """
    return extract_findings(text, home_state=home_state, owner=owner)
