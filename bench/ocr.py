"""OCR throughput: image-only pages read by tesseract through the text stage's worker pool.

Generates PDFs that mix born-digital pages (a text layer) with scanned pages (a 300-dpi
image and no text layer, drawn by demo/scan.py), then reads them through
:class:`pipelines.worker.ReadingPool` with two workers, fed from two threads, as the text
pipeline does off the reactor. Prints one JSON line:
{"bench": "ocr", "image_pages": n, "pages_per_min": x, "text_layer_pages_ocred": n, ...}
``text_layer_pages_ocred`` counts pages that had a text layer and were OCRed all the same:
it must be 0. ``image_pages_missed`` counts scanned pages left unread. Quick size:
4 documents (8 scanned pages); BENCH_FULL=1: 16 (32).
"""

from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import LETTER  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from config.limits import Limits  # noqa: E402
from demo.scan import scanned_page_png  # noqa: E402
from pipelines.worker import ReadingPool  # noqa: E402

# quick sizes unless BENCH_FULL=1 (make bench also sets BENCH_QUICK=1, as for the others)
QUICK = os.environ.get("BENCH_FULL") != "1"
DOCUMENTS = 4 if QUICK else 16
LAYOUT = "TSTS"  # per document: T = text layer, S = scanned image only
WORKERS = 2


@dataclass(frozen=True)
class Block:
    kind: str
    text: str


def scanned_blocks(doc: int, page: int) -> list[Block]:
    return [Block("h1", f"Follow-up audit {doc}, page {page}"),
            *(Block("p", f"Paragraph {k}: the department reviewed {k + 3} agreements for the "
                         f"camera network and the records of plate searches made in quarter "
                         f"{k % 4 + 1}; no exception was noted for this item.")
              for k in range(8))]


def mixed_pdf(doc: int, scans: dict[int, bytes]) -> bytes:
    """A PDF laid out as LAYOUT; ``scans`` caches the scanned page images by page number."""
    out = BytesIO()
    canvas = Canvas(out, pagesize=LETTER, invariant=1)
    for number, kind in enumerate(LAYOUT, start=1):
        if kind == "S":
            key = doc * 100 + number
            if key not in scans:
                scans[key] = scanned_page_png(scanned_blocks(doc, number), LETTER)
            canvas.drawImage(ImageReader(BytesIO(scans[key])), 0, 0, *LETTER)
        else:
            canvas.setFont("Helvetica", 11)
            for line in range(40):
                canvas.drawString(72, 720 - line * 16, f"Document {doc}, page {number}, line "
                                  f"{line}: the board approved the consent agenda.")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def main() -> None:
    scans: dict[int, bytes] = {}
    bodies = [mixed_pdf(doc, scans) for doc in range(DOCUMENTS)]
    text_pages = {n for n, kind in enumerate(LAYOUT, start=1) if kind == "T"}
    image_pages = {n for n, kind in enumerate(LAYOUT, start=1) if kind == "S"}
    pool = ReadingPool(Limits(workers=WORKERS, wall_seconds=300, ocr_seconds=240))
    try:
        with ThreadPoolExecutor(max_workers=WORKERS) as threads:
            # start both workers before timing: each pays about a second of imports once
            list(threads.map(lambda b: pool.read(b, "application/pdf", "warm"),
                             [bodies[0]] * WORKERS))
            started = time.perf_counter()
            results = list(threads.map(
                lambda n: pool.read(bodies[n], "application/pdf", f"https://b.example/{n}"),
                range(DOCUMENTS)))
            seconds = time.perf_counter() - started
    finally:
        pool.close()
    ocred = sum(len(image_pages & set(r.ocr_pages)) for r in results)
    wrong = sum(len(text_pages & set(r.ocr_pages)) for r in results)
    read_back = sum("agreements for the camera network" in r.text for r in results)
    print(json.dumps({
        "bench": "ocr", "documents": DOCUMENTS, "workers": WORKERS,
        "image_pages": DOCUMENTS * len(image_pages), "image_pages_ocred": ocred,
        "image_pages_missed": DOCUMENTS * len(image_pages) - ocred,
        "text_layer_pages": DOCUMENTS * len(text_pages), "text_layer_pages_ocred": wrong,
        "documents_with_ocr_text": read_back, "seconds": round(seconds, 2),
        "pages_per_min": round(ocred / seconds * 60, 1),
        "cpu_cores": os.cpu_count()}))


if __name__ == "__main__":
    main()
