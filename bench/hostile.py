"""Hostile files against `sidedoor extract` (or `inspect`) with the limits of config/site.yaml.

Writes each hostile file of issue #13 into a temporary folder, runs `sidedoor extract` on it
(`sidedoor inspect` with --inspect: what maintainers run on strangers' pages, parsing each as
it guesses, e.g. an XLSX as an audit log) in its own process and measures the wall time and
the peak memory of that process and its children (the reading worker, tesseract). Each must
end within 60 s under 1 GB, read (with its findings, if any) or stopped with a one-line
error, and no traceback. Prints one JSON line:
{"bench": "hostile", "command": "extract", "ok": true, "files": {"<name>": {"seconds": x,
 "peak_mb": x, "exit": n, "outcome": "read, findings: n" | "error: ..."}, ...}}
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIDEDOOR = Path(sys.executable).parent / "sidedoor"
SECONDS, MEGABYTES = 60.0, 1024.0
MiB = 1024 * 1024


# -- PDF and XLSX written by hand, so the hostile parts are exactly what we say --------------

def pdf(objects: list[bytes], pages: list[int]) -> bytes:
    """A PDF of numbered objects (1-based); ``pages`` are the page objects' numbers."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    kids = " ".join(f"{n} 0 R" for n in pages).encode()
    total = len(objects) + 2
    catalog, tree = total - 1, total
    objects = [*objects, f"<< /Type /Catalog /Pages {tree} 0 R >>".encode(),
               b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages)]
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, catalog, xref))
    return out.getvalue()


def stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data, 9)
    return (b"<< /Length %d /Filter /FlateDecode " % len(packed) + extra + b">>\nstream\n"
            + packed + b"\nendstream")


def deflated(chunk: bytes, times: int) -> bytes:
    """``chunk`` repeated ``times`` times, deflated without holding it all in memory."""
    packer = zlib.compressobj(9)
    return b"".join([*(packer.compress(chunk) for _ in range(times)), packer.flush()])


def page(parent_free: int, content: int, resources: bytes = b"", box: bytes = b"0 0 612 792"
         ) -> bytes:
    return (b"<< /Type /Page /Parent %d 0 R /MediaBox [" % parent_free + box + b"] "
            b"/Contents %d 0 R /Resources << " % content + resources + b" >> >>")


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_1gib_stream() -> bytes:
    """One page whose content stream inflates to 1 GiB of spaces (about 1 MB on disk)."""
    packed = deflated(b" " * MiB, 1024)
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + \
        b"\nendstream"
    return pdf([page(4, 2), content], [1])


def pdf_text_bomb() -> bytes:
    """A page drawing one small form of text 200,000 times: hundreds of millions of letters."""
    text = b"BT /F1 1 Tf 0 0 Td (" + b"ICE shared data " * 4000 + b") Tj ET"
    form = stream(text, b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "
                        b"/Resources << /Font << /F1 4 0 R >> >> ")
    content = stream(b"/X0 Do\n" * 200_000)
    return pdf([page(6, 2, b"/XObject << /X0 3 0 R >>"), content, form, FONT], [1])


def pdf_200_inch_page() -> bytes:
    """A blank page of 200 x 200 inches: no text layer, so it goes to OCR."""
    return pdf([page(4, 2, box=b"0 0 14400 14400"), stream(b"")], [1])


def pdf_5000_scanned_pages() -> bytes:
    """5,000 pages without a text layer, each showing the same small grey image."""
    image = stream(bytes(range(256)) * 64, b"/Type /XObject /Subtype /Image /Width 128 "
                                           b"/Height 128 /ColorSpace /DeviceGray "
                                           b"/BitsPerComponent 8 ")
    content = stream(b"q 500 0 0 700 50 50 cm /Im0 Do Q")
    count = 5000
    tree = count + 4  # pdf() numbers the page tree after the catalog
    pages = [page(tree, 2, b"/XObject << /Im0 1 0 R >>") for _ in range(count)]
    return pdf([image, content, *pages], list(range(3, 3 + count)))


XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships"><sheets><sheet name="Audit" sheetId="1" r:id="rId1"/></sheets>'
        '</workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '</Relationships>'),
}
SHEET_OPEN = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              'spreadsheetml/2006/main">')


def xlsx(sheet: Callable[[], Iterator[bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        for name, text in XLSX_PARTS.items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for chunk in sheet():
                part.write(chunk)
    return out.getvalue()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


SENTENCE = "The police department shared its license plate data with ICE agents in 2024."


def xlsx_cell_at_xfd1048576() -> bytes:
    """Two cells, A1 and XFD1048576, and a dimension claiming the whole sheet."""
    def sheet() -> Iterator[bytes]:
        yield (SHEET_OPEN + '<dimension ref="A1:XFD1048576"/><sheetData>'
               f'<row r="1">{_cell("A1", "reason")}</row>'
               f'<row r="1048576">{_cell("XFD1048576", SENTENCE)}</row>'
               '</sheetData></worksheet>').encode()
    return xlsx(sheet)


def xlsx_zip_bomb() -> bytes:
    """A sheet that inflates to 2 GiB of empty rows."""
    def sheet() -> Iterator[bytes]:
        yield (SHEET_OPEN + "<sheetData>").encode()
        for _ in range(2048):
            yield b"<row/>" * (MiB // 6)
        yield b"</sheetData></worksheet>"
    return xlsx(sheet)


def xlsx_500mb_cell() -> bytes:
    """One cell holding 500 MB of text."""
    def sheet() -> Iterator[bytes]:
        yield (SHEET_OPEN + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>').encode()
        for _ in range(500):
            yield b"ICE " * (MiB // 4)
        yield b"</t></is></c></row></sheetData></worksheet>"
    return xlsx(sheet)


def html_nested(depth: int) -> bytes:
    return (b"<html><body>" + b"<div>" * depth + b"ICE took the data from the police."
            + b"</div>" * depth + b"</body></html>")


HOSTILE: dict[str, tuple[str, Callable[[], bytes]]] = {
    "xlsx_cell_at_xfd1048576": ("xlsx", xlsx_cell_at_xfd1048576),
    "html_200000_deep": ("html", lambda: html_nested(200_000)),
    "html_1500_deep": ("html", lambda: html_nested(1_500)),
    "pdf_1gib_stream": ("pdf", pdf_1gib_stream),
    "pdf_text_bomb": ("pdf", pdf_text_bomb),
    "pdf_200_inch_page": ("pdf", pdf_200_inch_page),
    "pdf_5000_scanned_pages": ("pdf", pdf_5000_scanned_pages),
    "xlsx_zip_bomb": ("xlsx", xlsx_zip_bomb),
    "xlsx_500mb_cell": ("xlsx", xlsx_500mb_cell),
    "txt_8mb_of_ice": ("txt", lambda: b"ICE " * (2 * MiB)),
}


def run(path: Path, command: str = "extract") -> dict[str, object]:
    """Run `sidedoor <command>` on ``path``: seconds, peak MB of the process tree, outcome."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen([str(SIDEDOOR), command, str(path)], stdout=out,
                                   stderr=err, cwd=ROOT)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8",
                                                                                  "replace")
    findings = len(stdout.splitlines())
    errors = stderr.strip().splitlines()
    read = f"read, findings: {findings}" if command == "extract" else "read"
    outcome = f"error: {errors[-1][:240]}" if errors else read
    ok = (seconds < SECONDS and usage.ru_maxrss / 1024 < MEGABYTES and "Traceback" not in stderr
          and (process.returncode == 0 or len(errors) == 1))
    return {"seconds": round(seconds, 2), "peak_mb": round(usage.ru_maxrss / 1024, 1),
            "exit": process.returncode, "outcome": outcome, "ok": ok, "bytes": path.stat().st_size}


def main() -> None:
    command = "inspect" if "--inspect" in sys.argv[1:] else "extract"
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="sidedoor-hostile-") as folder:
        for name, (suffix, make) in HOSTILE.items():
            path = Path(folder) / f"{name}.{suffix}"
            path.write_bytes(make())
            results[name] = run(path, command)
            path.unlink()
    print(json.dumps({"bench": "hostile", "command": command,
                      "ok": all(r["ok"] for r in results.values()), "files": results}))


if __name__ == "__main__":
    main()
