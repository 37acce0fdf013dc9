"""PDF text speed: sidedoor's text stage against poppler's `pdftotext` on the same PDFs.

Generates born-digital minutes of 1 to 300 pages (reportlab, 46 lines of text a page), then
reads each one with :func:`pipelines.text.extract_text` (the code the text pipeline's worker
runs: pdfium, form flattening, page cleaning, sections) and with `pdftotext FILE -` (a new
process per document, as a user runs it). Both must keep every page: sidedoor as a section
"page N" per page, pdftotext as form feeds. Prints one JSON line:
{"bench": "pdf_text", "pages": n, "pages_per_s": x, "pdftotext_pages_per_s": x, "ratio": x, ...}
Target (issue 16): ratio >= 0.8. Quick size:
6 documents (444 pages); BENCH_FULL=1: 24 (2,494 pages).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import LETTER  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from pipelines.text import extract_text  # noqa: E402

# quick sizes unless BENCH_FULL=1 (make bench also sets BENCH_QUICK=1, as for the others)
QUICK = os.environ.get("BENCH_FULL") != "1"
SIZES = [1, 3, 10, 30, 100, 300] if QUICK else [1, 2, 3, 5, 8, 10, 15, 20, 30, 40, 50, 60,
                                                75, 90, 100, 120, 150, 175, 200, 225, 250,
                                                275, 290, 300]
WORDS = ["board", "trustees", "motion", "seconded", "approved", "budget", "street", "resurfacing",
         "water", "main", "ordinance", "hearing", "resident", "comment", "police", "fire",
         "library", "park", "district", "clerk", "license", "plate", "reader", "camera",
         "contract", "vendor", "agreement", "audit", "records", "request"]
LINES_PER_PAGE = 46


def minutes_pdf(pages: int, rng: random.Random) -> bytes:
    """A born-digital PDF of ``pages`` pages of meeting minutes."""
    out = BytesIO()
    canvas = Canvas(out, pagesize=LETTER, invariant=1)
    canvas.setTitle(f"Minutes of {pages} pages")
    for page in range(pages):
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawString(72, 740, f"Village Board Minutes, page {page + 1}")
        canvas.setFont("Helvetica", 10)
        for line in range(LINES_PER_PAGE):
            words = " ".join(rng.choice(WORDS) for _ in range(13))
            canvas.drawString(72, 716 - line * 14, words.capitalize() + ".")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def sidedoor_read(bodies: list[bytes]) -> tuple[float, list[int]]:
    started = time.perf_counter()
    kept = []
    for n, body in enumerate(bodies):
        text = extract_text(body, "application/pdf", f"https://bench.example.gov/{n}.pdf")
        kept.append(sum(1 for s in text.sections if s.label.startswith("page ")))
    return time.perf_counter() - started, kept


def pdftotext_read(files: list[Path]) -> tuple[float, list[int]]:
    started = time.perf_counter()
    kept = []
    for path in files:
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True,
                             timeout=300).stdout
        kept.append(out.count(b"\f"))
    return time.perf_counter() - started, kept


def main() -> None:
    rng = random.Random(11)
    bodies = [minutes_pdf(n, rng) for n in SIZES]
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for n, body in enumerate(bodies):
            files.append(Path(tmp) / f"{n}.pdf")
            files[-1].write_bytes(body)
        extract_text(bodies[0], "application/pdf", "https://bench.example.gov/warm.pdf")
        ours_s, ours_kept = sidedoor_read(bodies)
        poppler_s, poppler_kept = pdftotext_read(files)
    pages = sum(SIZES)
    print(json.dumps({
        "bench": "pdf_text", "documents": len(SIZES), "pages": pages,
        "min_pages": min(SIZES), "max_pages": max(SIZES),
        "pages_per_s": round(pages / ours_s, 1),
        "pdftotext_pages_per_s": round(pages / poppler_s, 1),
        "ratio": round(poppler_s / ours_s, 3),
        "pages_kept": ours_kept == SIZES, "pdftotext_pages_kept": poppler_kept == SIZES,
        "seconds": round(ours_s, 2), "pdftotext_seconds": round(poppler_s, 2),
        "target_ratio": 0.8}))


if __name__ == "__main__":
    main()
