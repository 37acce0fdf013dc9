"""Read a Flock Safety transparency portal page into a :class:`PortalSnapshot`.

Three layouts are read, each value found by what its label means rather than its exact words
("Number of Active LPR cameras", "Only Agencies With External Access"). The server-rendered one
of 2025-26 puts each value in a ``<div>`` after a ``<p>`` label, the organisations as one
comma-separated string. The 2026 one puts a description paragraph between label and value and
lists organisations one per ``data-tp-access-cell-text`` cell; a variant also marks each value
with ``data-tp-entry-type`` ("dataRetentionInDays", "orgsWithAccess", ...). All may embed the
public search audit as a ``data:text/csv`` link. A page in none of them raises
:class:`LayoutChanged`. Whose portal it is comes from spiders/flock_portal_owner.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement
from parsel import Selector, SelectorList

from spiders.audit_log import embedded_audit
from spiders.base import LayoutChanged, attribute
from spiders.flock_portal_owner import node_text, portal_agency, portal_state
from spiders.portal_snapshot import Organization, PortalSnapshot, split_org_list

# What a number's label means, by its words rather than its exact wording: portals write
# "Data retention (in days)", "Flock Data retention (in days)", "Data retention-30 days";
# "Number of LPR cameras", "Number of Active LPR cameras", "Number of Owned Cameras", "Total
# Cameras"; "Searches in the last 30 days", "<Agency> searches in the last 30 days", "Number of
# Searches (...)". (field, data-tp entry types by preference, label meaning)
_NUMBERS = (
    ("data_retention_days", ("dataRetentionInDays",), r"\bretention\b|\bretained\b"),
    ("camera_count", ("numberOfOwnedCameras", "numberOfOwnedLprCameras"), r"\bcameras?\b"),
    ("plate_reads_30d", ("plateReadsInLast30Days",),
     r"\bvehicles?\b.*\bdetected\b|\bplate reads\b|\bdetections\b"),
    ("hotlist_hits_30d", ("plateHitsInLast30Days",), r"\bhotlist hits\b|\bhits\b"),
    ("searches_30d", ("searchesInLast30Days",), r"\bsearches\b|\bnumber of search"),
)
_NOT_A_NUMBER = re.compile(r"\baudit\b|\bpolic(y|ies)\b|\bstor(y|ies)\b", re.I)
# A metric's value is short and holds a number ("30 days", "1,023"); a story holds many words.
_METRIC = re.compile(r"^\D{0,12}\d[\d,]*(\.\d+)?\D{0,40}$")
_YEARS = re.compile(r"\b(years?|yrs?)\b", re.I)
_MONTHS = re.compile(r"\bmonths?\b", re.I)
# Organisations this agency's data goes to: "Organizations granted access to X data", "Only
# Agencies With External Access", "External agencies who have access", "Agencies NCRIC Shares
# With", "Sharing Network Data With". Data coming in is another list.
_INBOUND = r"\bsharing their\b|\breceiv|\bfrom\b|\bwith (you|us)\b|\bshared with\b"
_WITH_ACCESS = (
    r"\b(granted|with|have|has|given)\s+(\w+\s+){0,2}access\b|\bshares?\s+with\b"
    r"|\bsharing\b.*\bwith\b|\borganizations with access\b"
)
_SHARING_IN = r"\breceiving\b.*\bfrom\b|\bsharing their (data|cameras)\b|\bshare data with\b"
_POLICY = r"polic|prohibited uses|acceptable use|restrictions"
_EMPTY = re.compile(r"^\W*(none|n/?a|-+|no (organi[sz]ations|agencies)\b.*)?\W*$", re.I)
_TYPES = frozenset(t for _, types, _ in _NUMBERS for t in types) | {
    "orgsWithAccess", "orgsSharingWithYou", "orgsSharingIn", "whatsDetected", "hotlistSources"}


@dataclass
class _Entry:
    """One labelled value of a portal page."""

    key: str  # the data-tp-entry-type, "" in the heading layouts
    label: str
    value: Selector
    description: str = ""  # the paragraph between label and value (2026 layouts)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_portal(html: str, url: str, source_state: str | None = None) -> PortalSnapshot:
    """The snapshot of a Flock transparency portal page; LayoutChanged if it is not one.
    ``source_state`` is the state of the source the page was fetched for, if known."""
    # lxml refuses attribute values with control characters when they are read, far from
    # here: a page is text, so they become spaces first
    page = Selector(text=_CONTROL.sub(" ", html))
    tagged = page.xpath("//*[@data-tp-entry-type]")
    entries = _tagged_entries(tagged) if tagged else _heading_entries(page)
    snapshot = PortalSnapshot(agency=portal_agency(page), url=url)
    snapshot.layout = "data-tp" if tagged else "headings"
    snapshot.state = portal_state(page, snapshot.agency, url, entries, source_state)
    snapshot.last_updated = _last_updated(page)
    for name, types, label in _NUMBERS:
        value = _find_number(entries, types, label)
        if value is not None:
            setattr(snapshot, name, value)
    with_access = _find(entries, ("orgsWithAccess",), _WITH_ACCESS, not_label=_INBOUND)
    known = [snapshot.data_retention_days, snapshot.camera_count, snapshot.searches_30d]
    if with_access is None and all(v is None for v in known):
        raise LayoutChanged(
            f"{url}: not a Flock transparency portal in a known layout: no data-tp-entry-type "
            f"values and no label meaning data retention, cameras, searches or organisations "
            f"with access. The portal was probably redesigned: save the page from a browser "
            f"(or `curl -o page.html {url}`), check it with `sidedoor inspect page.html`, and "
            f"update spiders/flock_portal.py"
        )
    if with_access is not None:
        snapshot.organizations_with_access = _organizations(with_access)
    sharing_in = _find(entries, ("orgsSharingWithYou", "orgsSharingIn"), _SHARING_IN)
    if sharing_in is not None:
        snapshot.organizations_sharing_in = _organizations(sharing_in)
    _fill_texts(snapshot, entries)
    snapshot.search_audit = embedded_audit(page, url)
    return snapshot


def _heading_entries(page: Selector) -> list[_Entry]:
    """A label is the first ``<p>`` of a group; the value is the ``<div>`` after it, maybe
    after a description paragraph (the 2026 layout without data-tp-entry-type)."""
    entries = []
    for p in page.xpath("//p[not(preceding-sibling::p)][following-sibling::div]"):
        value = p.xpath("following-sibling::div[1]")[0]
        between = p.xpath("following-sibling::p[following-sibling::div]")
        description = " ".join(b.xpath("normalize-space(.)").get("") for b in between)
        entries.append(_Entry("", p.xpath("normalize-space(.)").get(""), value, description))
    return entries


def _tagged_entries(tagged: SelectorList[Selector]) -> list[_Entry]:
    entries = []
    for node in tagged:
        label = node.xpath("normalize-space((.//p)[1])").get("")
        description = node.xpath("normalize-space((.//p)[2])").get("")
        cells = node.xpath(".//*[@data-tp-access-cell-text or @data-tp-access-table]")
        value = node if cells else (node.xpath("./*[last()]") or [node])[0]
        entries.append(_Entry(attribute(node, "data-tp-entry-type"), label, value,
                              description))
    return entries


def _meaning(entries: list[_Entry], label: str, not_label: str | None = None) -> list[_Entry]:
    """Entries whose label means ``label``, else those whose description does."""
    pattern = re.compile(label, re.I)
    veto = re.compile(not_label, re.I) if not_label else None

    def means(text: str) -> bool:
        return bool(text) and pattern.search(text) is not None and not (
            veto and veto.search(text))

    return [e for e in entries if means(e.label)] or [
        e for e in entries if means(e.description)]


def _untyped(entries: list[_Entry]) -> list[_Entry]:
    """Entries read by their label: all in the heading layouts; in data-tp pages those whose
    entry type is not one we read by type (a type added since is still read by meaning)."""
    return [e for e in entries if e.key not in _TYPES]


def _find(entries: list[_Entry], types: tuple[str, ...], label: str,
          not_label: str | None = None) -> Selector | None:
    for kind in types:
        for entry in entries:
            if entry.key == kind:
                return entry.value
    found = _meaning(_untyped(entries), label, not_label)
    return found[0].value if found else None


def _find_number(entries: list[_Entry], types: tuple[str, ...], label: str) -> int | None:
    for kind in types:
        for entry in entries:
            if entry.key == kind:
                return _number(node_text(entry.value))
    for entry in _meaning(_untyped(entries), label):
        if _NOT_A_NUMBER.search(entry.label):
            continue
        text = node_text(entry.value)
        if _METRIC.match(text):
            return _number(text)
    return None


def _fill_texts(snapshot: PortalSnapshot, entries: list[_Entry]) -> None:
    detected = _find(entries, ("whatsDetected",), r"^what.s detected")
    snapshot.detected = node_text(detected) if detected is not None else ""
    hotlists = _find(entries, ("hotlistSources",), r"^hotlists?\b(?!\s+(hits|polic))")
    if hotlists is not None:
        snapshot.hotlists = [h.strip() for h in node_text(hotlists).split(",") if h.strip()]
    policy = re.compile(_POLICY, re.I)
    snapshot.policies = "\n".join(
        f"{e.label}: {node_text(e.value)}" for e in entries
        if policy.search(e.label) and not re.search(_WITH_ACCESS, e.label, re.I)
    )


def _number(text: str) -> int | None:
    match = re.search(r"\d[\d,]*(\.\d+)?", text)
    if match is None:
        return None
    value = float(match.group(0).replace(",", ""))
    rest = text[match.end():]
    if _YEARS.match(rest.strip()):
        value *= 365
    elif _MONTHS.match(rest.strip()):
        value *= 30
    return int(value)


def _organizations(value: Selector) -> list[Organization]:
    """The organisations of a list value, split by the page's own structure: one per access
    cell, list item or element; text broken by ``<br>`` or lines one per line; a single run of
    text by commas (:func:`split_org_list`)."""
    cells = value.xpath(".//*[@data-tp-access-cell-text]")
    if cells:
        names = [attribute(c, "data-tp-full-value") or node_text(c) for c in cells]
    elif value.xpath(".//li"):
        names = [node_text(li) for li in value.xpath(".//li")]
    else:
        names = _listed_names(value)
    names = [" ".join(n.split()) for n in names]
    if len(names) == 1 and _EMPTY.match(names[0]):
        return []
    return [Organization.from_listing(n) for n in names if n]


def _listed_names(value: Selector) -> list[str]:
    while True:  # down through single wrappers
        children = value.xpath("./*[normalize-space()]")
        if value.xpath("./text()[normalize-space()]") or len(children) != 1:
            break
        value = children[0]
    if len(children) > 1 and not value.xpath("./text()[normalize-space()]"):
        return [node_text(child) for child in children]
    parts = value.xpath(".//text() | .//br")
    text = "".join("\n" if isinstance(p.root, HtmlElement) else p.get() for p in parts)
    lines = [line for line in text.splitlines() if line.strip()]
    return lines if len(lines) > 1 else split_org_list(text)


def _last_updated(page: Selector) -> str | None:
    stamp = page.xpath("//p[starts-with(normalize-space(.), 'Last')]/span")
    if not stamp:
        return None
    return attribute(stamp[0], "title") or node_text(stamp[0]) or None
