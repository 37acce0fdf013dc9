"""PDF text speed: sidedoor's text stage against poppler's `pdftotext` on the same PDFs.

Generates born-digital minutes of 1 to 300 pages (reportlab, 46 lines of text a page), then
reads each one with :func:`pipelines.text.extract_text` (the code the text pipeline's worker
runs: pdfium, form flattening, page cleaning, sections) and with `pdftotext FILE -` (a new
process per document, as a user runs it). Both must keep every page: sidedoor as a section
"page N" per page, pdftotext as form feeds. Prints one JSON line:
{"bench": "pdf_text", "pages": n, "pages_per_s": x, "pdftotext_pages_per_s": x, "ratio": x, ...}
Target (issue 16): ratio >= 0.8. Quick size:
6 documents (444 pages); BENCH_FULL=1: 24 (2,494 pages).

The generated minutes are set in Helvetica, which poppler reads fastest of all. So the same
race is also run over the real PDFs of ../shared/corpus (``SIDEDOOR_SHARED``) that have a
text layer on every page, read the same way (``corpus_*``; null without the corpus), and
``cpu_ratio`` and ``corpus_cpu_ratio`` compare processor time, which other jobs on a shared
machine move less than the clock.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("SIDEDOOR_SHARED") or ROOT.parent / "shared")

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


def cpu_seconds() -> float:
    """Processor time of this process and of its finished children."""
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                         resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def sidedoor_read(bodies: list[bytes]) -> tuple[float, float, list[int]]:
    started, cpu = time.perf_counter(), cpu_seconds()
    kept = []
    for n, body in enumerate(bodies):
        text = extract_text(body, "application/pdf", f"https://bench.example.gov/{n}.pdf")
        kept.append(sum(1 for s in text.sections if s.label.startswith("page ")))
    return time.perf_counter() - started, cpu_seconds() - cpu, kept


def pdftotext_read(files: list[Path]) -> tuple[float, float, list[int]]:
    started, cpu = time.perf_counter(), cpu_seconds()
    kept = []
    for path in files:
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True,
                             timeout=300).stdout
        kept.append(out.count(b"\f"))
    return time.perf_counter() - started, cpu_seconds() - cpu, kept


def race(files: list[Path]) -> dict[str, Any]:
    """Both readers over the same files: pages a second (wall clock) and their ratios."""
    bodies = [path.read_bytes() for path in files]
    extract_text(bodies[0], "application/pdf", "https://bench.example.gov/warm.pdf")
    ours_s, ours_cpu, ours_kept = sidedoor_read(bodies)
    poppler_s, poppler_cpu, poppler_kept = pdftotext_read(files)
    pages = sum(poppler_kept)
    return {"documents": len(files), "pages": pages, "pages_per_s": round(pages / ours_s, 1),
            "pdftotext_pages_per_s": round(pages / poppler_s, 1),
            "ratio": round(poppler_s / ours_s, 3), "cpu_ratio": round(poppler_cpu / ours_cpu, 3),
            "pages_kept": ours_kept == poppler_kept, "seconds": round(ours_s, 2),
            "pdftotext_seconds": round(poppler_s, 2)}


def corpus_files() -> list[Path]:
    """The corpus PDFs with text on every page (OCR would race tesseract, not pdftotext)."""
    found = []
    for path in sorted((SHARED / "corpus").rglob("*.pdf")):
        pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                               timeout=300).stdout.split(b"\f")[:-1]
        if pages and all(page.strip() for page in pages):
            found.append(path)
    return found


def main() -> None:
    rng = random.Random(11)
    bodies = [minutes_pdf(n, rng) for n in SIZES]
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for n, body in enumerate(bodies):
            files.append(Path(tmp) / f"{n}.pdf")
            files[-1].write_bytes(body)
        generated = race(files)
    corpus = corpus_files()
    real = race(corpus) if corpus else {}
    print(json.dumps({
        "bench": "pdf_text", **generated, "min_pages": min(SIZES), "max_pages": max(SIZES),
        "pages_kept": generated["pages_kept"] and generated["pages"] == sum(SIZES),
        **{f"corpus_{key}": real.get(key) for key in (
            "documents", "pages", "pages_per_s", "pdftotext_pages_per_s", "ratio",
            "cpu_ratio", "pages_kept")},
        "target_ratio": 0.8}))


if __name__ == "__main__":
    main()
