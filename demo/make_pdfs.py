"""Write the demo world's PDFs from their text sources in ``demo/documents/``.

``demo/documents/<site>/<path>.txt`` becomes ``demo/sites/<site>/<path>.pdf``. The PDFs are
committed; run this again after editing a source::

    .venv/bin/python -m demo.make_pdfs

The output is byte-for-byte reproducible (reportlab's invariant mode, a fixed creation date
taken from the source, the standard PDF fonts), so a re-run changes nothing unless a source
changed. A source is a small header, ``---``, then the body in a light markup:

    title: / author: / subject: / date: (YYYY-MM-DD) / header: (running head of each page)
    # Title line           ## Heading          ### Subheading
    - bullet               > indented block    **bold** inside any line
    blank line = new paragraph      <<page>> = page break
    <<scanned>> = a new page printed, signed and scanned: it is embedded as a 300-dpi image
                  with no text layer, so a reader must OCR it (demo/scan.py draws it)
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

from demo.scan import scanned_page_png

DEMO = Path(__file__).resolve().parent
DOCUMENTS = DEMO / "documents"
SITES = DEMO / "sites"
NOTICE = "Fictional document written for the sidedoor demo; the places and people are invented."
HEADER_KEYS = ("title", "author", "subject", "date", "header")
MARKS = {"#": "h1", "##": "h2", "###": "h3", "-": "li", ">": "quote"}


@dataclass
class Block:
    """One paragraph-level piece of a document: its kind (p, h1, h2, h3, li, quote) and text."""

    kind: str
    text: str


@dataclass
class Page:
    """A run of blocks that starts a new page; ``scanned`` pages are drawn as an image."""

    blocks: list[Block] = field(default_factory=list)
    scanned: bool = False


@dataclass
class SourceDocument:
    """A parsed text source: its header values and its pages."""

    path: Path
    meta: dict[str, str]
    pages: list[Page]

    @property
    def scanned_text(self) -> str:
        """The text printed on the scanned pages (what OCR should read back)."""
        return "\n".join(b.text for p in self.pages if p.scanned for b in p.blocks)


def parse_source(path: Path) -> SourceDocument:
    """Read one text source; ValueError names the file and the missing header key."""
    head, sep, body = path.read_text(encoding="utf-8").partition("\n---\n")
    if not sep:
        raise ValueError(f"{path}: no '---' line between the header and the body")
    meta = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    missing = [k for k in HEADER_KEYS if not meta.get(k)]
    if missing:
        raise ValueError(f"{path}: header lacks {', '.join(missing)} (see demo/make_pdfs.py)")
    return SourceDocument(path, meta, _pages(body))


def _pages(body: str) -> list[Page]:
    """Split a source's body into pages of blocks (see the markup in the module docstring)."""
    pages = [Page()]
    current: Block | None = None  # the block that a following line continues
    for raw in body.splitlines():
        line = raw.strip()
        marker = re.fullmatch(r"<<(page|scanned)>>", line)
        start = re.match(r"(#{1,3}|-|>)\s+", line)
        if marker:
            pages.append(Page(scanned=marker.group(1) == "scanned"))
            current = None
        elif start:
            current = Block(MARKS[start.group(1)], line[start.end():])
            pages[-1].blocks.append(current)
            if current.kind.startswith("h"):  # a heading is one line
                current = None
        elif not line:
            current = None
        elif current is None:
            current = Block("p", line)
            pages[-1].blocks.append(current)
        else:
            current.text = f"{current.text} {line}"
    return [p for p in pages if p.blocks]


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("p", fontName="Times-Roman", fontSize=11, leading=14.2, spaceAfter=7)
    return {
        "p": body,
        "h1": ParagraphStyle("h1", body, fontName="Times-Bold", fontSize=14, leading=17,
                             alignment=TA_CENTER, spaceAfter=4),
        "h2": ParagraphStyle("h2", body, fontName="Times-Bold", fontSize=11.5, spaceBefore=6,
                             spaceAfter=4),
        "h3": ParagraphStyle("h3", body, fontName="Times-BoldItalic", spaceAfter=3),
        "li": ParagraphStyle("li", body, leftIndent=22, bulletIndent=10, spaceAfter=3),
        "quote": ParagraphStyle("quote", body, leftIndent=28, rightIndent=20),
    }


def _markup(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)


def _flowables(doc: SourceDocument) -> list[Flowable]:
    styles = _styles()
    story: list[Flowable] = []
    for number, page in enumerate(doc.pages):
        if number:
            story += [NextPageTemplate("scan" if page.scanned else "text"), PageBreak()]
        if page.scanned:
            png = scanned_page_png(page.blocks, LETTER)
            story.append(Image(BytesIO(png), width=LETTER[0], height=LETTER[1]))
            continue
        for block in page.blocks:
            bullet = {"bulletText": "\u2022"} if block.kind == "li" else {}
            story.append(Paragraph(_markup(block.text), styles[block.kind], **bullet))
        story.append(Spacer(1, 4))
    return story


def _decorate(doc: SourceDocument, *, running_text: bool) -> Any:  # Any: reportlab's callback
    year, month, day = doc.meta["date"].split("-")
    stamp = f"D:{year}{month}{day}090000-06'00'"

    def on_page(canvas: Canvas, template: BaseDocTemplate) -> None:
        canvas.setDateFormatter(lambda *_: stamp)
        canvas.setCreator("sidedoor demo/make_pdfs.py")
        canvas.setProducer("sidedoor demo (reportlab)")
        if not running_text:  # a scanned page carries no text at all, not even the footer
            return
        canvas.saveState()
        canvas.setFont("Times-Italic", 8.5)
        canvas.drawString(inch, LETTER[1] - 0.6 * inch, doc.meta["header"])
        canvas.drawRightString(LETTER[0] - inch, 0.6 * inch, f"Page {canvas.getPageNumber()}")
        canvas.drawString(inch, 0.6 * inch, NOTICE)
        canvas.restoreState()

    return on_page


def write_pdf(doc: SourceDocument, out: Path) -> None:
    """Write one document's PDF to ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    template = BaseDocTemplate(
        str(out), pagesize=LETTER, invariant=1, title=doc.meta["title"],
        author=doc.meta["author"], subject=doc.meta["subject"],
        leftMargin=inch, rightMargin=inch, topMargin=0.9 * inch, bottomMargin=0.9 * inch,
    )
    text_frame = Frame(inch, 0.9 * inch, LETTER[0] - 2 * inch, LETTER[1] - 1.8 * inch)
    scan_frame = Frame(0, 0, *LETTER, leftPadding=0, rightPadding=0, topPadding=0,
                       bottomPadding=0)
    first = "scan" if doc.pages[0].scanned else "text"
    templates = [PageTemplate("text", [text_frame], onPage=_decorate(doc, running_text=True)),
                 PageTemplate("scan", [scan_frame], onPage=_decorate(doc, running_text=False))]
    template.addPageTemplates(sorted(templates, key=lambda t: t.id != first))
    saved, rl_config.useA85 = rl_config.useA85, 0  # binary streams: the scan is 25% smaller
    try:
        template.build(_flowables(doc))
    finally:
        rl_config.useA85 = saved


def sources(root: Path = DOCUMENTS) -> dict[Path, SourceDocument]:
    """Every PDF text source, keyed by the PDF's path relative to ``demo/sites/``."""
    return {p.relative_to(root).with_suffix(".pdf"): parse_source(p)
            for p in sorted(root.rglob("*.txt"))}


def main(out_root: Path = SITES) -> list[Path]:
    """Write every PDF under ``out_root``; return their paths."""
    written = []
    for relative, doc in sources().items():
        out = out_root / relative
        write_pdf(doc, out)
        written.append(out)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else SITES):
        print(path)
