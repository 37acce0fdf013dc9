"""Draw a page as a scanner would deliver it: a 300-dpi greyscale image with no text layer.

``demo/make_pdfs.py`` embeds the image as a whole page, so the text can only be read back by
OCR. The type is large and clear (about 11.5 pt at 300 dpi) and the page is barely tilted,
like a letter put through an office scanner; the specks come from a fixed seed, so the
image is the same on every run. The font is reportlab's bundled Bitstream Vera, present
wherever reportlab is installed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import Protocol

import reportlab
from PIL import Image, ImageDraw, ImageFont

DPI = 300
MARGIN = 290  # pixels, about one inch
PAPER, INK = 247, 28
FONTS = Path(reportlab.__file__).resolve().parent / "fonts"
SIZES = {"h1": 60, "h2": 52, "h3": 50, "p": 48, "li": 48, "quote": 48}
TILT_DEGREES = 0.35


class TextBlock(Protocol):
    """A block of text with a kind (see ``demo.make_pdfs.Block``)."""

    kind: str
    text: str


def _font(kind: str) -> ImageFont.FreeTypeFont:
    name = "VeraBd.ttf" if kind.startswith("h") else "Vera.ttf"
    return ImageFont.truetype(str(FONTS / name), SIZES[kind])


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def scanned_page_png(blocks: Sequence[TextBlock], pagesize: tuple[float, float]) -> bytes:
    """The PNG of one scanned page showing ``blocks`` (``pagesize`` in points)."""
    width, height = round(pagesize[0] / 72 * DPI), round(pagesize[1] / 72 * DPI)
    page = Image.new("L", (width, height), PAPER)
    draw = ImageDraw.Draw(page)
    y = MARGIN
    for block in blocks:
        font = _font(block.kind)
        indent = 90 if block.kind in ("li", "quote") else 0
        text = f"\u2022 {block.text}" if block.kind == "li" else block.text
        for line in _wrap(text, font, width - 2 * MARGIN - indent):
            x = MARGIN + indent
            if block.kind == "h1":
                x = round((width - font.getlength(line)) / 2)
            draw.text((x, y), line, font=font, fill=INK)
            y += round(SIZES[block.kind] * 1.45)
        y += round(SIZES[block.kind] * 0.7)
    if y > height - MARGIN:
        raise ValueError(f"the scanned page's text runs {y - height + MARGIN}px past the bottom "
                         f"margin; shorten it or split it with another <<scanned>> page")
    _specks(draw, width, height)
    page = page.rotate(TILT_DEGREES, resample=Image.Resampling.BICUBIC, fillcolor=PAPER)
    out = BytesIO()
    page.save(out, format="PNG", dpi=(DPI, DPI))
    return out.getvalue()


def _specks(draw: ImageDraw.ImageDraw, width: int, height: int) -> None:
    chance = random.Random(20251201)
    for _ in range(140):
        x, y = chance.randrange(width), chance.randrange(height)
        size = chance.choice((1, 1, 2, 3))
        draw.ellipse((x, y, x + size, y + size), fill=chance.randrange(120, 200))
