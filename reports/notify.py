"""Push new findings to the operators' notification targets after a build, with Apprise.

Each URL of each ``notify:`` entry in ``config/site.yaml`` (config/notify.py) is a target. A
target gets every finding of its feed that is news, once: the feeds are the site's own (all
findings, a place, an agency with its parts, a category; as ``reports.context`` groups them)
and dismissed findings are left out as everywhere. A finding is news unless it is backfill
(found by its source's first crawl), and its status moving later (proposed → adopted) is
news again: the ``notifications`` table records each (target, finding, status) sent, so a
finding goes once per target and status. A build sends a target one message at most: the
finding, or a digest of all that are due (Apprise paces messages to one service seconds
apart, and a channel is not flooded). A send that fails is reported in one line naming the
target, not recorded, and tried again by the next build; it never fails the build.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from config.notify import MissingVariable, expand, scheme, target_key
from config.reviews import Review
from config.schema import SiteConfig
from pipelines.extract.patterns import PatternConfig, load_patterns
from reports.context import agencies_with_parents
from reports.facets import CATEGORY_SINGULAR, Facet, category_facet, place_facet
from reports.fact_view import fact_title, fact_view
from reports.glossary import agency_terms, full_names
from reports.links import slugify
from sidedoor.store import Finding, Store
from sidedoor.store.models import Notification

logger = logging.getLogger(__name__)
QUOTE_CHARS = 300  # of the passage, in a message
SEPARATOR = " \u00b7 "


@dataclass(frozen=True)
class Target:
    """One URL of one ``notify:`` entry."""

    entry: int  # its place in the list: notify[0]
    feed: str
    url: str  # as written, ${NAME}s unexpanded

    @property
    def key(self) -> str:
        return target_key(self.feed, self.url)

    def label(self, site_path: Path | str) -> str:
        """``config/site.yaml: notify[0] (feed all, mailtos://)``: no part of the URL past
        its scheme, which may hold a secret."""
        return f"{site_path}: notify[{self.entry}] (feed {self.feed}, {scheme(self.url)}://)"


@dataclass(frozen=True)
class Item:
    """What a message says about one finding: plain text."""

    finding_id: str
    status: str
    title: str
    quote: str
    details: tuple[str, ...]  # "Place: Lakeshore, IL", "Status: adopted", ...
    link: str

    @property
    def summary(self) -> str:
        """The status and the date on one line, for a digest."""
        return SEPARATOR.join(d for d in self.details if d.startswith(("Status:", "When:")))


@dataclass
class NotifyResult:
    """What a round of notifications did."""

    sent: int = 0
    problems: list[str] = field(default_factory=list)  # one line per target that failed


def targets(site: SiteConfig) -> list[Target]:
    """Every URL of every entry, in the file's order."""
    return [Target(i, entry.feed, url) for i, entry in enumerate(site.notify) for url in entry.urls]


def feeds_of(row: Finding, parents: Mapping[str, str | None],
             names: Mapping[str, str]) -> set[str]:
    """The feeds a finding is in, as ``notify:`` names them: ``all``, its place, each of
    its categories, each agency it names and every agency those are part of."""
    agencies = [Facet("agencies", slugify(a), a) for a in row.agencies]
    facets = [place_facet(row.place, row.state),
              *(category_facet(c) for c in row.categories or [row.category]),
              *agencies_with_parents(agencies, parents, names)]
    return {"all"} | {f.path.rstrip("/") for f in facets}


def item(row: Finding, *, base_url: str, names: Mapping[str, str],
         parents: Mapping[str, str | None], review: Review | None, earlier: bool) -> Item:
    """What to say about a finding, titled as on the site; ``earlier``: it was sent before
    with another status."""
    place = place_facet(row.place, row.state).label
    agencies = sorted(set(row.agencies))
    fact = fact_view(row, names, parents)
    kind = CATEGORY_SINGULAR.get(row.category, row.category)
    title = fact_title(fact, place, f"{kind} in {place}" + (
        f" ({', '.join(agencies)})" if agencies else ""))
    status = fact.status_label
    if earlier and status:
        title = f"Now {status.lower()}: {title}"
    quote = " ".join(row.snippet.split())
    if len(quote) > QUOTE_CHARS:
        quote = quote[:QUOTE_CHARS - 1].rstrip() + "\u2026"
    details = [f"Place: {place}"]
    if agencies:
        details.append("Agencies: " + ", ".join(
            f"{a} ({names[a]})" if names.get(a) else a for a in agencies))
    details += [f"Status: {status or 'not stated in the documents'}",
                f"When: {_period(fact.when, row.event_start, row.event_end)}",
                "Review: " + ("not yet checked by a person" if review is None
                              else f"{review.status} by a reviewer")]
    return Item(row.id, row.status, title, quote, tuple(details),
                f"{base_url}findings/{row.id}/")


def compose(items: list[Item], site_title: str) -> tuple[str, str]:
    """The title and body of one message about ``items``: the finding itself when there is
    one, else a digest with each finding's title, status, date and link."""
    if len(items) == 1:
        one = items[0]
        return one.title, "\n".join([f"\u201c{one.quote}\u201d", "", *one.details, "",
                                     one.link])
    blocks = [f"{i.title}\n{i.summary}\n{i.link}" for i in items]
    return f"{len(items)} new findings: {site_title}", "\n\n".join(blocks)


def _period(words: str, start: str | None, end: str | None) -> str:
    """``Feb–May 2025 (2025-02 to 2025-05)``: as the site says it, and as the data does."""
    if not start:
        return "not stated in the documents"
    iso = f"{start} to {end}" if end and end != start else start
    return f"{words} ({iso})" if words else iso


def pending(rows: Iterable[Finding], feeds: Mapping[str, set[str]], target: Target,
            sent: set[tuple[str, str]]) -> list[Finding]:
    """The findings of ``target``'s feed not yet sent to it with their present status,
    oldest first."""
    due = [r for r in rows if target.feed in feeds[r.id] and (r.id, r.status) not in sent]
    return sorted(due, key=lambda r: (r.first_seen, r.id))


def send_notifications(
    store: Store, site: SiteConfig, *, now: datetime, site_path: Path | str,
    reviews: Mapping[str, Review] | None = None, patterns: PatternConfig | None = None,
    environ: Mapping[str, str] | None = None,
) -> NotifyResult:
    """Send every target the news of its feed that it has not had; record what went.

    ``environ`` fills the URLs' ``${NAME}``s (the process environment when not given).
    """
    result = NotifyResult()
    wanted = targets(site)
    if not wanted:
        return result
    terms = agency_terms(patterns or load_patterns())
    names = full_names(terms)
    parents = {t.short: t.parent for t in terms}
    reviews = reviews or {}
    base_url = str(site.base_url).rstrip("/") + "/"
    # news: not backfill, or backfill whose status moved since its first crawl
    news = or_(Finding.backfill.is_(False), Finding.status_changed.is_not(None))
    with store.session() as s:
        rows = [r for r in s.scalars(select(Finding).where(news))
                if not (reviews.get(r.id) and reviews[r.id].dismissed)]
    feeds = {r.id: feeds_of(r, parents, names) for r in rows}
    for target in wanted:
        sent = _sent(store, target.key)
        due = pending(rows, feeds, target, sent)
        if not due:
            continue
        earlier = {finding_id for finding_id, _ in sent}
        items = [item(r, base_url=base_url, names=names, parents=parents,
                      review=reviews.get(r.id), earlier=r.id in earlier) for r in due]
        problem = _deliver(target, *compose(items, site.title), environ)
        if problem:
            line = (f"{target.label(site_path)}: {problem}; {len(items)} findings not sent, "
                    "tried again at the next build")
            logger.warning("%s", line)
            result.problems.append(line)
            continue
        _record(store, target.key, items, now)
        result.sent += len(items)
    if result.sent:
        logger.info("sent %d findings to notification targets", result.sent)
    return result


def _sent(store: Store, key: str) -> set[tuple[str, str]]:
    with store.session() as s:
        return {(r.finding_id, r.status) for r in s.execute(
            select(Notification.finding_id, Notification.status)
            .where(Notification.target == key))}


def _deliver(target: Target, title: str, body: str, environ: Mapping[str, str] | None) -> str:
    """Send one message to ``target``; what went wrong, or "" when it went."""
    import apprise

    try:
        url = expand(target.url, environ)
    except MissingVariable as exc:
        return str(exc)
    service = apprise.Apprise()
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as log:
        if not service.add(url):
            return (f"Apprise cannot read the {scheme(target.url)}:// URL once its ${{NAME}}s "
                    "are filled in")
        if service.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT):
            return ""
    said = [line for line in log.getvalue().splitlines() if line.strip()]
    return said[-1][:200] if said else "the service did not take the message"


def _record(store: Store, key: str, items: list[Item], now: datetime) -> None:
    try:
        with store.session() as s:
            s.add_all(Notification(target=key, finding_id=i.finding_id, status=i.status,
                                   sent_at=now) for i in items)
    except IntegrityError:  # a build running beside this one sent and recorded them too
        logger.warning("notifications to target %s were recorded by another build too", key)
