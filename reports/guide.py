"""The data guide (docs/data.md) published on the site as ``data/``, beside the files it describes.

The guide is written once, in the repository, and rendered here with markdown-it (which
sidedoor has through rich); raw HTML in the Markdown is escaped, not passed through.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup

DATA_GUIDE = Path(__file__).resolve().parents[1] / "docs" / "data.md"


def data_guide(path: Path = DATA_GUIDE) -> Markup:
    """docs/data.md as HTML, its first heading left out (the page has its own)."""
    text = path.read_text(encoding="utf-8")
    body = text.split("\n", 1)[1] if text.startswith("# ") else text
    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
    return Markup(renderer.render(body))  # noqa: S704 - markdown-it escapes, html is off
