"""Jinja2 rendering of the site's pages into a folder.

The environment autoescapes everything and fails on any undefined name, because every string
on these pages came from someone else's document. Links between pages are relative, so the
site works from any folder of any host.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from markupsafe import Markup, escape

from reports.incremental import Fingerprints, Lazy
from reports.rows import evidence_rows
from reports.views import FindingView, Part

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
# Only our own files; 'wasm-unsafe-eval' lets Pagefind compile its WebAssembly search index.
CSP = ("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
       "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
T = TypeVar("T")
# (template, finding id) → (the finding's encoding in the fingerprints, its fragment)
Fragments = dict[tuple[str, str], tuple[bytes, str]]
_ROOT, _HEADING = "\x00root\x00", "\x00heading\x00"  # never in text: XML forbids NUL


def day(value: datetime | None) -> str:
    """``9 March 2025``, whatever the machine's locale."""
    if value is None:
        return "never"
    value = value.astimezone(UTC)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def moment(value: datetime | None) -> str:
    """``9 March 2025, 06:00 UTC``."""
    if value is None:
        return "never"
    return f"{day(value)}, {value.astimezone(UTC):%H:%M} UTC"


def iso(value: datetime) -> str:
    """``2025-03-09T06:04:00Z``: UTC, to the second."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def size(value: int) -> str:
    """A file size for people: ``1.4 MB``."""
    amount = float(value)
    for unit in ("bytes", "KB", "MB"):
        if amount < 1024 or unit == "MB":
            return f"{amount:.0f} {unit}" if unit == "bytes" else f"{amount:.1f} {unit}"
        amount /= 1024
    raise AssertionError("unreachable")


def marked(parts: Sequence[Part]) -> Markup:
    """Quoted text, escaped, with the words that made a rule fire in ``<mark>``."""
    return Markup("".join(_mark(p) if p.marked else str(escape(p.text)) for p in parts))


def _mark(part: Part) -> str:
    """A marked part; a passage's start gets an anchor ``at-<offset>`` (Evidence.passage)."""
    if not part.anchors:
        return f"<mark>{escape(part.text)}</mark>"
    first, *others = part.anchors
    inner = "".join(f'<span id="at-{a}"></span>' for a in others)
    return f'<mark id="at-{first}">{inner}{escape(part.text)}</mark>'



def environment() -> Environment:
    """The Jinja2 environment of the site: autoescaped, strict, with our date filters and
    ``rows`` (a finding's quoted rows as a table, reports/rows.py)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(day=day, moment=moment, iso=iso, size=size, marked=marked,
                       rows=evidence_rows)
    return env


@dataclass(frozen=True)
class Pager:
    """One page of a long listing: its items, its number and where its neighbours are."""

    items: Sequence[Any]
    number: int
    count: int
    base: str  # path of the listing's first page, e.g. "places/lakeshore-il/"

    def path_of(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}page/{number}/"

    @property
    def path(self) -> str:
        return self.path_of(self.number)


def paginate(items: Sequence[T], base: str, per_page: int) -> Iterator[Pager]:
    """Cut a listing into pages of ``per_page``; an empty listing still has one page."""
    count = max(1, -(-len(items) // per_page))
    for number in range(1, count + 1):
        yield Pager(items[(number - 1) * per_page:number * per_page], number, count, base)


class SiteWriter:
    """Renders templates into ``out/<path>index.html`` and counts the pages written.

    ``common`` is given to every page, so it must not change from build to build (the
    clock does: pages that show it get it as their own input). A page whose fingerprint
    is unchanged is taken from the previous build instead of rendered (reports/incremental.py).
    """

    def __init__(self, out: Path, common: dict[str, Any],
                 fingerprints: Fingerprints | None = None) -> None:
        self.out = out
        self.env = environment()
        self.common = {**common, "csp": CSP}
        self.fingerprints = fingerprints or Fingerprints(out, None)
        self.common_digest = self.fingerprints.digest("common", self.common)
        self.pages = 0
        self.fragments: Fragments = {}
        self.kept: Fragments = {}  # the last build's fragments (reports/viewcache.py)
        self.templates: dict[str, Template] = {}
        self.env.globals["card"] = self.card
        self.env.globals["table_row"] = self.table_row
        self.env.globals["timeline_entry"] = self.timeline_entry

    def card(self, finding: FindingView, root: str, heading: str) -> Markup:
        """A finding's card for listing pages, rendered once however many listings show it."""
        html = self._fragment("card.html", finding)
        return Markup(html.replace(_ROOT, root).replace(_HEADING, heading))

    def table_row(self, finding: FindingView, root: str) -> Markup:
        """A finding's row in the findings table."""
        return Markup(self._fragment("table_row.html", finding).replace(_ROOT, root))

    def timeline_entry(self, entry: Any, root: str) -> Markup:  # Any: a reports.timeline.Dated
        """A finding's entry on a timeline (its date there follows from the finding)."""
        html = self._fragment("timeline_entry.html", entry.finding, d=entry)
        return Markup(html.replace(_ROOT, root))

    def _fragment(self, template: str, finding: FindingView, **derived: Any) -> str:
        """A finding's fragment, rendered with placeholders for the page's relative root and
        heading level (our own strings, filled in for each page); taken from the last build
        when the finding's fingerprint is the same. ``derived`` values must follow from the
        finding."""
        key = (template, finding.id)
        found = self.fragments.get(key)
        if found is None:
            encoding = self.fingerprints.encoding(finding)
            kept = self.kept.get(key)
            if kept is not None and kept[0] == encoding:
                found = kept
            else:
                found = (encoding, self._template(template).render(
                    f=finding, root=_ROOT, heading=_HEADING, base_url=self.common["base_url"],
                    **derived))
            self.fragments[key] = found
        return found[1]

    def _template(self, name: str) -> Template:
        if name not in self.templates:
            self.templates[name] = self.env.get_template(name)
        return self.templates[name]

    def page(self, path: str, template: str, inputs: Mapping[str, Any] | None = None, /,
             **context: Any) -> None:
        """Write one page; ``path`` is "" for the home page or a folder like "findings/x/".

        Values wrapped in :class:`Lazy` are computed only if the page is rendered.
        ``inputs``, when given, is fingerprinted instead of ``context``: values that
        determine it, digested already."""
        self.pages += 1
        digest = self.fingerprints.digest(template, {"common": self.common_digest,
                                                     "path": path, **(inputs or context)})
        if self.fingerprints.reuse((f"{path}index.html",), digest):
            return
        values = {k: v.compute() if isinstance(v, Lazy) else v for k, v in context.items()}
        root = "../" * path.count("/")
        html = self._template(template).render(
            root=root or "./", path=path, **self.common, **values)
        target = self.out / path / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")

    def static(self) -> None:
        """Copy the stylesheet and scripts into ``static/``."""
        target = self.out / "static"
        target.mkdir(parents=True, exist_ok=True)
        for item in sorted(STATIC.iterdir()):
            if item.is_file():
                (target / item.name).write_bytes(item.read_bytes())
