"""Reading images with the ``tesseract`` command (Debian package ``tesseract-ocr``).

OCR is the slowest thing sidedoor does (about 3 s a dense page), so a document gets an
:class:`OcrBudget` of pages and seconds from ``limits.ocr_pages`` and
``limits.ocr_seconds``: pages past it stay unread, and the document says so in its notes.
Images larger than ``limits.ocr_megapixels`` are read at a lower resolution.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field

from config.limits import Limits


class OcrUnavailable(Exception):
    """The tesseract command is not installed."""


class OcrFailed(Exception):
    """tesseract failed on one image or ran out of time; the message says which."""


@dataclass
class OcrBudget:
    """What OCR may still spend on one document; ``refused`` lists the pages it left."""

    pages: int
    seconds: float
    refused: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, limits: Limits) -> OcrBudget:
        return cls(pages=limits.ocr_pages, seconds=limits.ocr_seconds)

    def allows(self, page: int) -> bool:
        """Whether page ``page`` may be OCRed; if not, it is noted as refused."""
        if self.pages > 0 and self.seconds > 0:
            return True
        self.refused.append(page)
        return False

    def note(self) -> str:
        """The one line saying which pages were left unread, or ""."""
        if not self.refused:
            return ""
        pages = ", ".join(map(str, self.refused[:10])) + (" ..." if len(self.refused) > 10 else "")
        return (f"{len(self.refused)} scanned page(s) not OCRed ({pages}): over limits.ocr_pages "
                "or limits.ocr_seconds in config/site.yaml")


def scale_for(width: float, height: float, dpi: float, megapixels: float) -> float:
    """The rendering scale (pixels per point) for a page of ``width`` x ``height`` points."""
    wanted = dpi / 72
    area = max(width * height, 1.0)
    return min(wanted, math.sqrt(megapixels * 1_000_000 / area))


def ocr_image(image: bytes, budget: OcrBudget, *, command: str = "tesseract") -> str:
    """The text of one image (any format tesseract reads; PGM from the PDF reader).

    Spends one page and the time taken from ``budget``. Raises :class:`OcrUnavailable`,
    or :class:`OcrFailed` when tesseract fails or runs past the budget's time.
    """
    found = shutil.which(command)
    if found is None:
        raise OcrUnavailable("tesseract is not installed (apt-get install tesseract-ocr)")
    started, allowed = time.monotonic(), max(budget.seconds, 0.1)
    budget.pages -= 1
    try:
        # tesseract's OpenMP threads fight each other on small machines: one thread read a
        # dense page in 3 s, the default took 19 s on 2 cores.
        done = subprocess.run(
            [found, "-", "-", "-l", "eng"], input=image,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            capture_output=True, timeout=allowed, check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise OcrFailed(f"tesseract took over {allowed:.0f} s (limits.ocr_seconds)") from error
    finally:
        budget.seconds -= time.monotonic() - started
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()[-300:] or "no message"
        raise OcrFailed(f"tesseract failed (exit {done.returncode}): {message}")
    return done.stdout.decode("utf-8", "replace")


def image_as_pgm(body: bytes, megapixels: float) -> bytes:
    """An image file as a grey PGM no larger than ``megapixels`` (first frame only)."""
    from PIL import Image  # only images need Pillow

    Image.MAX_IMAGE_PIXELS = None  # the size is bounded below, without decoding first
    with Image.open(io.BytesIO(body)) as image:
        width, height = image.size
        factor = math.sqrt(megapixels * 1_000_000 / max(width * height, 1))
        if factor < 1:
            image.draft("L", (int(width * factor), int(height * factor)))  # JPEG: decode small
            grey = image.convert("L")
            grey.thumbnail((max(int(width * factor), 1), max(int(height * factor), 1)))
        else:
            grey = image.convert("L")
        out = io.BytesIO()
        grey.save(out, format="PPM")
        return out.getvalue()
