"""The visible text of an HTML page: one block per line, sections at h1-h3 headings.

Page furniture (navigation, header and footer outside the article, forms, hidden parts) is
dropped; table rows read as "cell | cell". Nesting deeper than ``limits.nesting`` is refused
before the page is walked, so a hostile page cannot take quadratic time or the stack.

A news article (a page of a ``kind: news`` source, or one that calls itself an article) is
first cut to its main content by trafilatura, so reader comments, related links and
navigation lines never reach the findings engine.
"""

from __future__ import annotations

import html as entities
import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag
from bs4.element import PreformattedString

from config.limits import Limits
from pipelines.sections import ExtractedText, Section, join, over_limit

# A page whose whole text looks like a file name or URL is still a page, not a mistake.
warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)

_DROP = {"script", "style", "noscript", "template", "nav", "form", "select", "button",
         "iframe", "svg", "object", "head"}
_PAGE_CHROME = {"header", "footer"}  # dropped unless inside <main>/<article>
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search"}
_HEADINGS = {"h1", "h2", "h3"}
_BLOCKS = {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
           "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "h4",
           "h5", "h6", "hr", "html", "legend", "li", "main", "ol", "p", "section",
           "summary", "table", "tbody", "tfoot", "thead", "ul"}
_LAYOUT = ["table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"]
_SPACE = re.compile(r"\s+")


def html_text(html: str, url: str = "", limits: Limits | None = None) -> ExtractedText:
    """Visible text of a page, one block per line, table rows as "cell | cell"."""
    limits = limits or Limits()
    soup = BeautifulSoup(html, "lxml")
    depth = nesting(soup)
    if depth > limits.nesting:
        raise over_limit(url, "HTML nesting depth", depth, limits.nesting, "nesting")
    title = squash(soup.title.get_text(" ")) if soup.title else ""
    for tag in [t for t in soup.find_all(True) if _is_chrome(t)]:
        if not tag.decomposed:
            tag.decompose()
    lines: list[tuple[str, bool]] = []  # (line, starts a section)
    _walk(soup, lines, [])
    if not title:
        title = next((line for line, heading in lines if heading), "")
    return heading_sections(lines, title)


_ARTICLE = re.compile(r"""<meta[^>]+property=["']og:type["'][^>]+content=["']article|"""
                      r'"@type"\s*:\s*"(?:News|Report|Blog)?(?:Article|Posting)"',
                      re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def is_article(html: str) -> bool:
    """Whether a page says it is an article (Open Graph or schema.org markup)."""
    return _ARTICLE.search(html[:300_000]) is not None


def article_text(html: str, url: str = "", limits: Limits | None = None) -> ExtractedText | None:
    """The main content of a news article, or None when trafilatura finds none."""
    import trafilatura  # imported only for articles: it takes a while

    main = trafilatura.extract(html, output_format="html", include_comments=False,
                               include_tables=True, with_metadata=False)
    if not main:
        return None
    page = html_text(main, url, limits)
    title = _TITLE.search(html[:300_000])
    return ExtractedText(page.text, page.sections,
                         title=squash(entities.unescape(title.group(1))) if title else page.title)


def nesting(soup: BeautifulSoup) -> int:
    """The depth of the deepest element, counted without recursion."""
    deepest = 0
    stack: list[tuple[Tag, int]] = [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.contents if isinstance(child, Tag))
    return deepest


def _is_chrome(tag: Tag) -> bool:
    """Page furniture and invisible parts whose text is not the document's."""
    if tag.decomposed:  # inside a part dropped already
        return False
    if tag.name == "form":  # ASP.NET pages wrap the whole page in one <form>
        return tag.find(["main", "article", "table", "h1", "h2"]) is None
    if tag.name in _DROP or tag.has_attr("hidden"):
        return True
    if tag.name in _PAGE_CHROME or tag.get("role") in _CHROME_ROLES:
        return tag.find_parent(["main", "article"]) is None
    return "display:none" in str(tag.get("style", "")).replace(" ", "").lower()


def _walk(node: Tag, lines: list[tuple[str, bool]], buffer: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, PreformattedString):  # comments, doctype, CDATA
                buffer.append(str(child))
        elif not isinstance(child, Tag):
            continue
        elif child.name == "br":
            _flush(buffer, lines)
        elif child.name == "pre":
            _flush(buffer, lines)
            for line in child.get_text().split("\n"):
                _emit(lines, line)
        elif child.name in _HEADINGS:
            _flush(buffer, lines)
            _emit(lines, child.get_text(" "), heading=True)
        elif child.name == "tr" and not _is_layout_row(child):
            _flush(buffer, lines)
            cells = (squash(c.get_text(" ")) for c in child.find_all(["td", "th"]))
            _emit(lines, " | ".join(c for c in cells if c))
        elif child.name in _BLOCKS or child.name in ("tr", "td", "th"):
            _flush(buffer, lines)
            _walk(child, lines, buffer)
            _flush(buffer, lines)
        else:
            _walk(child, lines, buffer)


def _is_layout_row(row: Tag) -> bool:
    """A row that lays out a page (lists, headings, paragraphs in a cell) rather than data."""
    if row.find(_LAYOUT) is not None:
        return True
    cells = row.find_all(["td", "th"])
    return any(len(cell.find_all(["p", "div"], limit=2)) > 1 for cell in cells)


def _flush(buffer: list[str], lines: list[tuple[str, bool]]) -> None:
    if buffer:
        _emit(lines, "".join(buffer))
        buffer.clear()


def _emit(lines: list[tuple[str, bool]], text: str, heading: bool = False) -> None:
    line = squash(text)
    if line:
        lines.append((line, heading))


def squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def heading_sections(lines: list[tuple[str, bool]], title: str) -> ExtractedText:
    """(line, is a heading) pairs as text with a section per heading (HTML, Word)."""
    groups: list[tuple[str, list[str]]] = []
    first_label = "top of page" if any(heading for _, heading in lines) else "page"
    for line, heading in lines:
        if heading:
            label = line if len(line) <= 60 else line[:59].rstrip() + "…"
            groups.append((f'section "{label}"', [line]))
        elif groups:
            groups[-1][1].append(line)
        else:
            groups.append((first_label, [line]))
    if not groups:
        return ExtractedText("", [Section("page", 0, 0)], title=title)
    text, sections = join(((label, "\n".join(g)) for label, g in groups), separator="\n")
    return ExtractedText(text, sections, title=title)
