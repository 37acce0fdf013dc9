"""Flock Safety transparency portals (``transparency.flocksafety.com/<slug>``).

Two layouts are read. The server-rendered one of 2025-26 puts each value in a ``<div>`` after a
``<p>`` label ("Data retention (in days)", "Organizations granted access to … data"), the
organisations as one comma-separated string. The 2026 one marks each value with
``data-tp-entry-type`` ("dataRetentionInDays", "orgsWithAccess", "searchAuditCsv", ...) and
lists organisations one per ``data-tp-access-cell-text`` cell. Both may embed the public search
audit as a ``data:text/csv`` link. A page in neither layout raises :class:`LayoutChanged`.

The portal sits behind a bot check at times: a 403 or a "Just a moment..." page is fetched once
more through Playwright (scrapy-playwright, Debian's chromium).
"""

from __future__ import annotations

import base64
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, fields
from urllib.parse import unquote_to_bytes

from parsel import Selector, SelectorList
from scrapy.http import Request, Response

from spiders.audit_log import parse_audit_log
from spiders.base import LayoutChanged, SourceSpider
from spiders.items import PortalSnapshotItem
from spiders.portal_snapshot import AuditRow, Organization, PortalSnapshot, state_of

# Cloudflare's interstitial; its scripts alone ("challenge-platform") also appear on normal pages.
CHALLENGE = re.compile(rb"<title>\s*(Just a moment\.\.\.|Attention Required! \| Cloudflare)", re.I)
_ORG_WORD = re.compile(
    r"\b(PD|SO|DA|DPS|Police|Sheriff|Department|Dept|Office|Patrol|Task ?Force|Agency|Bureau"
    r"|Division|College|University|Marshals?|Service|Authority|Center|Unit)\b",
    re.I,
)
# (field, data-tp entry types by preference, label pattern of either layout)
_NUMBERS = (
    ("data_retention_days", ("dataRetentionInDays",), r"^data retention"),
    ("camera_count", ("numberOfOwnedCameras",), r"^(number of lpr and other|total) cameras"),
    ("camera_count", ("numberOfOwnedLprCameras",), r"^lpr cameras"),
    ("plate_reads_30d", ("plateReadsInLast30Days",), r"^(unique )?vehicles detected"),
    ("hotlist_hits_30d", ("plateHitsInLast30Days",), r"^(hotlist hits in|number of hotlist hits)"),
    ("searches_30d", ("searchesInLast30Days",), r"^(number of )?searches"),
)
_WITH_ACCESS = r"granted access|sharing network data with|organizations with access"
_SHARING_IN = r"receiving network data from|sharing (their )?data with|share data with"
_POLICY = r"polic|prohibited uses|acceptable use|restrictions"


@dataclass
class _Entry:
    """One labelled value of a portal page."""

    key: str  # the data-tp-entry-type, "" in the heading layout
    label: str
    value: Selector


def parse_portal(html: str, url: str) -> PortalSnapshot:
    """The snapshot of a Flock transparency portal page; LayoutChanged if it is not one."""
    page = Selector(text=html)
    tagged = page.xpath("//*[@data-tp-entry-type]")
    entries = _tagged_entries(tagged) if tagged else _heading_entries(page)
    snapshot = PortalSnapshot(agency=_agency(page), url=url)
    snapshot.layout = "data-tp" if tagged else "headings"
    snapshot.state = state_of(snapshot.agency) or state_of(_title(page))
    snapshot.last_updated = _last_updated(page)
    for name, types, label in _NUMBERS:
        value = _find(entries, types, label)
        if value is not None and getattr(snapshot, name) is None:
            setattr(snapshot, name, _number(_text(value)))
    with_access = _find(entries, ("orgsWithAccess",), _WITH_ACCESS)
    known = [snapshot.data_retention_days, snapshot.camera_count, snapshot.searches_30d]
    if with_access is None and all(v is None for v in known):
        raise LayoutChanged(
            f"{url}: not a Flock transparency portal in a known layout: no data-tp-entry-type "
            f"values and no 'Data retention' or 'Organizations granted access to … data' "
            f"labels. The portal was probably redesigned: save the page with "
            f"`sidedoor inspect --save` and update spiders/flock_portal.py"
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
    return [
        _Entry("", p.xpath("normalize-space(.)").get(""), p.xpath("following-sibling::div[1]")[0])
        for p in page.xpath("//p[following-sibling::*[1][self::div]]")
    ]


def _tagged_entries(tagged: SelectorList[Selector]) -> list[_Entry]:
    entries = []
    for node in tagged:
        label = node.xpath("normalize-space((.//p)[1])").get("")
        cells = node.xpath(".//*[@data-tp-access-cell-text or @data-tp-access-table]")
        value = node if cells else (node.xpath("./*[last()]") or [node])[0]
        entries.append(_Entry(node.attrib.get("data-tp-entry-type", ""), label, value))
    return entries


def _find(entries: list[_Entry], types: tuple[str, ...], label: str) -> Selector | None:
    for kind in types:
        for entry in entries:
            if entry.key == kind:
                return entry.value
    pattern = re.compile(label, re.I)
    return next((e.value for e in entries if pattern.search(e.label)), None)


def _fill_texts(snapshot: PortalSnapshot, entries: list[_Entry]) -> None:
    detected = _find(entries, ("whatsDetected",), r"^what.s detected")
    snapshot.detected = _text(detected) if detected is not None else ""
    hotlists = _find(entries, ("hotlistSources",), r"^hotlists alerted on")
    if hotlists is not None:
        snapshot.hotlists = [h.strip() for h in _text(hotlists).split(",") if h.strip()]
    policy = re.compile(_POLICY, re.I)
    snapshot.policies = "\n".join(
        f"{e.label}: {_text(e.value)}" for e in entries
        if policy.search(e.label) and not re.search(_WITH_ACCESS, e.label, re.I)
    )


def _text(node: Selector) -> str:
    return " ".join(" ".join(node.xpath(".//text()").getall()).split())


def _number(text: str) -> int | None:
    match = re.search(r"\d[\d,]*(\.\d+)?", text)
    return int(float(match.group(0).replace(",", ""))) if match else None


def _organizations(value: Selector) -> list[Organization]:
    cells = value.xpath(".//*[@data-tp-access-cell-text]")
    if cells:
        names = [c.attrib.get("data-tp-full-value") or _text(c) for c in cells]
    elif value.xpath(".//li"):
        names = [_text(li) for li in value.xpath(".//li")]
    else:
        names = split_org_list(" ".join(value.xpath(".//text()").getall()))
    return [Organization.from_listing(n) for n in names if n.strip()]


def split_org_list(text: str) -> list[str]:
    """Organisation names from one comma-separated string, keeping "University of California,
    Berkeley" whole: a short piece with no state and no agency word continues an "... of X"."""
    names: list[str] = []
    for piece in text.split(","):
        piece = " ".join(piece.split())
        if not piece:
            continue
        if names and _continues(names[-1], piece):
            names[-1] = f"{names[-1]}, {piece}"
        else:
            names.append(piece)
    return names


def _continues(previous: str, piece: str) -> bool:
    return (
        re.search(r"\bof( [A-Z][\w.&'-]*)+$", previous) is not None
        and state_of(piece) is None
        and not _ORG_WORD.search(piece)
        and len(piece.split()) <= 2
    )


def _title(page: Selector) -> str:
    heading = " ".join(page.xpath("//h1//text()").getall()) or page.xpath("//title/text()").get("")
    heading = re.sub(r"^\s*Flock Safety\s*-\s*", "", heading)
    return " ".join(re.sub(r"Transparency Portal\s*$", "", heading.strip()).split())


def _agency(page: Selector) -> str:
    """The agency as its overview names it ("El Cajon PD ( CA) uses Flock Safety ..."), else
    the page heading."""
    overview = page.xpath("normalize-space((//*[@id='overview']//p)[1])").get("")
    match = re.search(r"^(.+?)\s+uses Flock Safety", overview)
    return match.group(1) if match else _title(page)


def _last_updated(page: Selector) -> str | None:
    stamp = page.xpath("//p[starts-with(normalize-space(.), 'Last')]/span")
    if not stamp:
        return None
    return stamp[0].attrib.get("title") or _text(stamp[0]) or None


def embedded_audit(page: Selector, url: str) -> list[AuditRow]:
    """The search audit a portal embeds as a ``data:text/csv`` link, or []."""
    rows: list[AuditRow] = []
    for href in page.xpath("//a[starts-with(@href, 'data:text/csv')]/@href").getall():
        header, _, payload = href.partition(",")
        body = base64.b64decode(payload) if ";base64" in header else unquote_to_bytes(payload)
        rows.extend(parse_audit_log(body, f"{url} (embedded search audit)"))
    return rows


class FlockPortalSpider(SourceSpider):
    """Fetches a source's Flock transparency portal pages and yields their snapshots."""

    name = "flock_portal"
    may_need_browser = True  # Cloudflare challenges are retried through Playwright
    # 403: a bot challenge, retried through Playwright; 404: the portal is gone.
    handled_statuses = (403, 404)

    async def start(self) -> AsyncIterator[Request]:
        for url in self.source.urls:
            yield self.request(url, self.parse, meta=self._meta())

    def _meta(self, **extra: object) -> dict[str, object]:
        return {"handle_httpstatus_list": list(self.handled_statuses), **extra}

    def parse(self, response: Response) -> Iterator[PortalSnapshotItem | Request]:
        """One portal page → one PortalSnapshotItem (or a Playwright retry, or a failure)."""
        if response.status == 404:
            self.fail(response.url, "the portal is gone (HTTP 404): the agency may have removed "
                      "it or changed its slug; check the URL in config/sources.yaml")
            return
        if response.status == 403 or CHALLENGE.search(response.body):
            yield from self._retry_through_browser(response)
            return
        try:
            snapshot = parse_portal(response.text, response.url)
        except LayoutChanged as exc:
            self.fail(response.url, str(exc).removeprefix(f"{response.url}: "))
            return
        snapshot.state = snapshot.state or self.source.state
        document = self.document(response, title=f"{snapshot.agency} transparency portal")
        values = {f.name: getattr(document, f.name) for f in fields(document)}
        yield PortalSnapshotItem(**values, snapshot=snapshot)

    def _retry_through_browser(self, response: Response) -> Iterator[Request]:
        if response.meta.get("playwright"):
            self.fail(response.url, f"a bot challenge (HTTP {response.status}) is still shown "
                      "through Playwright; try again later, or save the page from a browser and "
                      "check it with `sidedoor inspect`")
            return
        self.logger.info("source %s: %s is a bot challenge, retrying through Playwright",
                         self.source.id, response.url)
        yield self.request(response.url, self.parse, dont_filter=True,
                           meta=self._meta(playwright=True))
