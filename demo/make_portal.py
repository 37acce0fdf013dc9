"""Write the demo's vendor transparency-portal page from its sources in ``demo/portal/``.

``demo/portal/<slug>/page.html`` is the page with two placeholders: ``{{ access_rows }}``
(filled from ``organizations.csv``, one organisation a row, two to a table row as the 2026
portal layout shows them) and ``{{ search_audit_href }}`` (``search-audit.csv`` embedded as a
``data:text/csv`` link). The result, ``demo/sites/portal/<slug>/index.html``, is committed;
run this again after editing a source::

    .venv/bin/python -m demo.make_portal

A long name is cut short in the cell, with the whole name in ``data-tp-full-value``, as the
real portals do; a parser must read the attribute.
"""

from __future__ import annotations

import csv
import html
import sys
from pathlib import Path
from urllib.parse import quote

DEMO = Path(__file__).resolve().parent
PORTALS = DEMO / "portal"
SITE = DEMO / "sites" / "portal"
CELL_CHARS = 34


def _cell(name: str) -> str:
    shown = name if len(name) <= CELL_CHARS else name[: CELL_CHARS - 1].rstrip() + "\u2026"
    return (f'<div data-tp-access-cell-text="true" data-tp-full-value="{html.escape(name)}">'
            f"{html.escape(shown)}</div>")


def access_rows(names: list[str]) -> str:
    """The access table's rows: two organisations a row."""
    rows = []
    for start in range(0, len(names), 2):
        cells = "".join(_cell(n) for n in names[start:start + 2])
        rows.append(f'     <div data-tp-access-row="true">{cells}</div>')
    return "\n".join(rows)


def csv_href(body: str) -> str:
    """A ``data:`` URL carrying ``body`` as a UTF-8 CSV file."""
    return "data:text/csv;charset=utf-8," + quote(body, safe="")


def render(folder: Path) -> str:
    """The portal page built from one source folder."""
    page = (folder / "page.html").read_text(encoding="utf-8")
    with (folder / "organizations.csv").open(encoding="utf-8", newline="") as handle:
        names = [row["organization"] for row in csv.DictReader(handle)]
    audit = (folder / "search-audit.csv").read_text(encoding="utf-8")
    for placeholder in ("{{ access_rows }}", "{{ search_audit_href }}"):
        if placeholder not in page:
            raise ValueError(f"{folder / 'page.html'}: the placeholder {placeholder} is missing")
    return (page.replace("{{ access_rows }}", access_rows(names))
                .replace("{{ search_audit_href }}", html.escape(csv_href(audit))))


def main(out_root: Path = SITE) -> list[Path]:
    """Write every portal page under ``out_root``; return their paths."""
    written = []
    for folder in sorted(p for p in PORTALS.iterdir() if p.is_dir()):
        out = out_root / folder.name / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render(folder), encoding="utf-8")
        written.append(out)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else SITE):
        print(path)
