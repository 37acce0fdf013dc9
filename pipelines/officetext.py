"""Word documents, RTF, e-mail messages and images as text.

``.docx`` through python-docx (paragraphs and tables in order, sections at headings);
``.doc`` through the ``antiword`` command (Debian package ``antiword``); RTF through
striprtf; ``.eml`` through the standard library's e-mail parser (headers, then the text
body, else the HTML body); PNG/JPEG/GIF/TIFF through tesseract (``pipelines/ocr.py``).
"""

from __future__ import annotations

import email
import email.policy
import io
import logging
import os
import shutil
import subprocess
import tempfile
from email.message import EmailMessage

from config.limits import Limits
from pipelines.decode import decode_text, plain_text
from pipelines.htmltext import heading_sections, html_text, squash
from pipelines.ocr import OcrBudget, OcrFailed, OcrUnavailable, image_as_pgm, ocr_image
from pipelines.sections import ExtractedText, Section, TextError, join, over_limit
from pipelines.tabletext import check_zip

logger = logging.getLogger(__name__)


def docx_text(body: bytes, url: str, limits: Limits) -> ExtractedText:
    """Paragraphs and table rows ("cell | cell") of a Word document, sections at headings."""
    import docx  # python-docx; imported only for Word files
    from docx.table import Table

    check_zip(body, url, limits, "DOCX document")
    try:
        document = docx.Document(io.BytesIO(body))
    except (KeyError, ValueError, OSError) as error:
        raise TextError(f"{url}: not a readable DOCX document: {error}") from error
    lines: list[tuple[str, bool]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = [squash(cell.text) for cell in row.cells]
                line = " | ".join(dict.fromkeys(c for c in cells if c))  # merged cells repeat
                if line:
                    lines.append((line, False))
        elif squash(block.text):
            style = (block.style.name if block.style is not None else "") or ""
            lines.append((squash(block.text), style.startswith(("Heading", "Title"))))
    title = squash(document.core_properties.title or "")
    return heading_sections(lines, title or next((t for t, h in lines if h), ""))


def doc_text(body: bytes, url: str, limits: Limits, *, command: str = "antiword") -> ExtractedText:
    """The text of a legacy Word (.doc) file, read by antiword."""
    found = shutil.which(command)
    if found is None:
        raise TextError(f"{url}: a Word 97-2003 (.doc) file, and antiword is not installed "
                        "(apt-get install antiword, or run make system-deps)")
    handle, path = tempfile.mkstemp(prefix="sidedoor-", suffix=".doc")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        # antiword refuses to start without HOME (it looks there for its mapping files),
        # and a service or CI may run without one.
        env = {**os.environ, "HOME": os.environ.get("HOME") or tempfile.gettempdir()}
        done = subprocess.run([found, "-w", "0", "-m", "UTF-8.txt", path], capture_output=True,
                              timeout=limits.wall_seconds, check=False, env=env)
    except subprocess.TimeoutExpired as error:
        raise over_limit(url, "seconds antiword took", limits.wall_seconds,
                         limits.wall_seconds, "wall_seconds", slow=True) from error
    finally:
        os.unlink(path)
    if done.returncode < 0:
        raise TextError(f"{url}: not a readable Word 97-2003 (.doc) file: antiword crashed on "
                        f"it (signal {-done.returncode}); it may be damaged")
    if done.returncode != 0:
        message = squash(done.stderr.decode("utf-8", "replace") or
                         done.stdout.decode("utf-8", "replace"))[-200:] or "no message"
        raise TextError(f"{url}: not a readable Word 97-2003 (.doc) file: antiword: {message}")
    return plain_text(done.stdout.decode("utf-8", "replace"))


def rtf_text(body: bytes, url: str) -> ExtractedText:
    """The text of an RTF document."""
    from striprtf.striprtf import rtf_to_text

    try:
        text = rtf_to_text(body.decode("cp1252", "replace"), encoding="cp1252", errors="replace")
    except (ValueError, IndexError, LookupError) as error:
        raise TextError(f"{url}: not a readable RTF document: {error}") from error
    return plain_text(text)


def eml_text(body: bytes, url: str, limits: Limits) -> ExtractedText:
    """An e-mail: its headers, then its text (or HTML) body, then attachment names."""
    message = email.message_from_bytes(body, policy=email.policy.default)
    if not isinstance(message, EmailMessage):
        raise TextError(f"{url}: not a readable e-mail message")
    header = "\n".join(f"{name}: {squash(str(message[name]))}"
                       for name in ("From", "To", "Cc", "Date", "Subject") if message[name])
    parts = [("e-mail header", header)]
    text = _body_text(message, url, limits)
    if text:
        parts.append(("e-mail body", text))
    names = [part.get_filename() for part in message.iter_attachments() if part.get_filename()]
    if names:
        parts.append(("attachments", "Attachments: " + "; ".join(map(str, names))))
    joined, sections = join(parts)
    return ExtractedText(joined, sections, title=squash(str(message["Subject"] or "")))


def _body_text(message: EmailMessage, url: str, limits: Limits) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    text = decode_text(payload, part.get_content_charset())
    if part.get_content_type() == "text/html":
        return html_text(text, url, limits).text
    return text.replace("\r\n", "\n").strip()


def image_text(body: bytes, url: str, limits: Limits,
               *, tesseract: str = "tesseract") -> ExtractedText:
    """The text of a scanned page or a screenshot, read by OCR."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(body)) as image:
            pixels = image.size[0] * image.size[1]
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise TextError(f"{url}: not a readable image: {error}") from error
    if pixels > limits.ocr_megapixels * 4_000_000:  # decoding it would take memory enough
        raise over_limit(url, "image size (megapixels)", pixels / 1e6,
                         limits.ocr_megapixels * 4, "ocr_megapixels")
    budget = OcrBudget.of(limits)
    if not budget.allows(1):
        raise over_limit(url, "scanned pages", 1, limits.ocr_pages, "ocr_pages", slow=True)
    try:
        text = ocr_image(image_as_pgm(body, limits.ocr_megapixels), budget, command=tesseract)
    except (OcrUnavailable, OcrFailed) as error:
        raise TextError(f"{url}: an image, and it could not be read by OCR: {error}") from error
    page = plain_text(text.strip())
    return ExtractedText(page.text, [Section("image (OCR)", 0, len(page.text))], ocr_pages=[1])

