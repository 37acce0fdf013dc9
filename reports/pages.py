"""The pages of the site: which ones exist and what each is given to show."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from config.laws import Law, laws_of_fact, load_laws
from config.places import Places, load_places
from config.vocabulary import Vocabulary, vocabulary
from reports.context import document_sections
from reports.fact_view import state_name
from reports.glossary import AgencyTerm
from reports.guide import data_guide
from reports.incremental import Lazy
from reports.maps import SiteMaps, site_maps
from reports.site import SiteWriter, paginate
from reports.sources import list_health
from reports.timeline import write_timelines
from reports.views import (
    CATEGORY_LABELS,
    CATEGORY_MEANINGS,
    Facet,
    FindingView,
    SiteData,
    SourceView,
)

PER_PAGE = 50
HOME_LATEST = 10  # findings shown as cards on the home page
HOME_MORE = 20  # and after them, as a list of titles
TOP = 8
FEED_PREVIEW = 5  # entries shown on a feed's subscribe page
KIND_TITLES = {"places": "Places", "agencies": "Agencies", "categories": "Categories"}


ClockPages = dict[str, tuple[str, dict[str, Any]]]  # path → (template, all but the time)


def write_pages(writer: SiteWriter, data: SiteData, session: Session, now: datetime,
                terms: list[AgencyTerm], places: Places | None = None,
                ) -> tuple[ClockPages, dict[str, str]]:
    """Write every HTML page of the site; ``now`` is shown as the build time, ``places``
    (config/places.yaml when not given) puts places on the maps. Returns the pages that
    show the build time with what else they show, and its digest, so a build of an
    unchanged store can render just them again (reports/unchanged.py)."""
    by_id = data.by_id()
    maps = site_maps(data, places if places is not None else load_places())
    writer.page("map/", "map.html", usmap=maps.overview)
    clock = clock_pages(data)
    held = write_clock_pages(writer, clock, now)
    words = vocabulary()
    # a finding's laws follow from its fact, the laws file and the vocabulary: digest those
    # once and compute the laws only for the pages rendered
    law_book = hashlib.sha256(repr((load_laws(), sorted(words.federal_agencies),
                                    sorted(words.immigration_agencies))).encode()).hexdigest()
    for finding in data.findings:
        writer.page(finding.path, "finding.html", f=finding, law_book=law_book,
                    laws=Lazy(partial(_laws, finding, words)),
                    same=[by_id[i] for i in finding.same_passage if i in by_id],
                    feeds=[finding.place, finding.category])
    for pager in paginate(data.findings, "findings/", PER_PAGE):
        writer.page(pager.path, "findings.html", pager=pager, total=len(data.findings))
    write_timelines(writer, data.findings, data.places)
    writer.page("findings/table/", "findings_table.html", findings=data.findings,
                groups=_facet_groups(data), titles=KIND_TITLES,
                scripts=["static/table.js"])
    for kind, groups in _facet_groups(data).items():
        _facet_pages(writer, data, kind, groups, maps)
    for doc in data.documents:
        # the sections follow from the document's versions and findings, given alongside
        writer.page(doc.path, "document.html", doc=doc,
                    sections=Lazy(partial(document_sections, session, doc, by_id)),
                    findings=[by_id[i] for i in doc.finding_ids])
    writer.page("search/", "search.html", scripts=["static/search.js"])
    _subscribe_pages(writer, data)
    writer.page("about/", "about.html", meanings=_meanings(data), laws=load_laws())
    writer.page("glossary/", "glossary.html", meanings=_meanings(data), agencies=terms,
                named=sorted(facet.slug for facet in data.agencies))
    writer.page("cite/", "cite.html", example=data.findings[0] if data.findings else None)
    writer.page("data/", "guide.html", guide=data_guide())
    return clock, held


def clock_pages(data: SiteData) -> ClockPages:
    """The pages that show the build time, each with everything it shows but the time."""
    single, lists = list_health(data.sources)
    return {"": ("index.html", _home(data)),
            "sources/": ("sources.html", {"sources": single, "lists": lists,
                                          "broken": [s for s in data.sources if s.broken]})}


def write_clock_pages(writer: SiteWriter, pages: ClockPages, now: datetime,
                      held: Mapping[str, str] | None = None) -> dict[str, str]:
    """Write the pages that show the build time, ``now``. Each page's fingerprint is that
    of ``now`` and a digest of the rest (``held``, as returned by the last build from the
    same store: digesting a page's views again can cost more than rendering it)."""
    held = dict(held) if held is not None else {
        path: writer.fingerprints.digest(template, context)
        for path, (template, context) in pages.items()}
    for path, (template, context) in pages.items():
        writer.page(path, template, {"now": now, "held": held[path]}, now=now, **context)
    return held


def _subscribe_pages(writer: SiteWriter, data: SiteData) -> None:
    groups = _facet_groups(data)
    writer.page("subscribe/", "subscribe.html", groups=groups, titles=KIND_TITLES,
                latest=data.findings[:FEED_PREVIEW], total=len(data.findings))
    for facets in groups.values():
        for facet, items in facets.items():
            writer.page(facet.subscribe, "subscribe_feed.html", facet=facet,
                        latest=items[:FEED_PREVIEW], total=len(items), feeds=[facet])


def _home(data: SiteData) -> dict[str, Any]:
    groups = _facet_groups(data)
    totals = {"findings": len(data.findings), "sources": len(data.sources)}
    return {
        "totals": totals, "latest": data.findings[:HOME_LATEST],
        "more": data.findings[HOME_LATEST:HOME_LATEST + HOME_MORE],
        "new": len(data.new_in_latest_run),
        "latest_run": data.latest_run, "broken": [s for s in data.sources if s.broken],
        "categories": _counted(groups["categories"], by_count=False),
        "places": [p for p in _counted(groups["places"]) if p[1]][:TOP],
        "agencies": _counted(groups["agencies"])[:TOP],
    }


def _facet_groups(data: SiteData) -> dict[str, dict[Facet, list[FindingView]]]:
    order = list(CATEGORY_LABELS)
    categories = dict(sorted(data.categories.items(),
                             key=lambda kv: (order.index(kv[0].key)
                                             if kv[0].key in order else len(order),
                                             kv[0].slug)))
    return {"places": dict(sorted(data.places.items(), key=lambda kv: kv[0].label.casefold())),
            "agencies": dict(sorted(data.agencies.items(), key=lambda kv: kv[0].label.casefold())),
            "categories": categories}


def _counted(groups: Mapping[Facet, list[FindingView]],
             by_count: bool = True) -> list[tuple[Facet, int]]:
    pairs = [(facet, len(items)) for facet, items in groups.items()]
    return sorted(pairs, key=lambda p: (-p[1], p[0].label.casefold())) if by_count else pairs


def _facet_pages(writer: SiteWriter, data: SiteData, kind: str,
                 groups: Mapping[Facet, list[FindingView]], maps: SiteMaps) -> None:
    writer.page(f"{kind}/", "facets.html", kind=kind, title=KIND_TITLES[kind],
                groups=_counted(groups, by_count=False),
                counties=_by_county(groups) if kind == "places" else [],
                other_states=_other_states(data.findings) if kind == "agencies" else [])
    watched: dict[Facet, list[SourceView]] = {}
    for source in data.sources if kind == "places" else []:
        watched.setdefault(source.place, []).append(source)
    for facet, items in groups.items():
        sources = watched.get(facet, [])
        meaning = CATEGORY_MEANINGS.get(facet.key, "") if kind == "categories" else ""
        for pager in paginate(items, facet.path, PER_PAGE):
            usmap = maps.by_place.get(facet) if pager.number == 1 else None
            writer.page(pager.path, "facet.html", facet=facet, pager=pager, total=len(items),
                        sources=sources, meaning=meaning, feeds=[facet], usmap=usmap)


def _meanings(data: SiteData) -> list[tuple[str, str, str | None]]:
    present = {facet.key: facet.path for facet in data.categories}
    return [(CATEGORY_LABELS[key], CATEGORY_MEANINGS[key], present.get(key))
            for key in CATEGORY_LABELS]


def _by_county(groups: Mapping[Facet, list[FindingView]]) -> list[tuple[str, list[tuple[Facet,
                                                                                      int]]]]:
    """Places grouped by the county their findings give (a county's own page first), the
    places of no known county last under ""."""
    counties: dict[str, list[tuple[Facet, int]]] = {}
    for facet, n in _counted(groups, by_count=False):
        county = next((f.fact.county for f in groups[facet] if f.fact.county), "")
        counties.setdefault(county, []).append((facet, n))
    for county, places in counties.items():
        places.sort(key=lambda p: (p[0].label.split(",")[0] != county, p[0].label.casefold()))
    return sorted(counties.items(), key=lambda kv: (kv[0] == "", kv[0].casefold()))


def _other_states(findings: list[FindingView]) -> list[tuple[str, list[tuple[str, list[
        FindingView]]]]]:
    """The agencies of other states that findings name, by state: [(state name, [(agency,
    findings)])]; a count by state without names is listed as "agencies in <state>"."""
    states: dict[str, dict[str, list[FindingView]]] = {}
    for f in findings:
        for r in f.fact.out_of_state:
            states.setdefault(state_name(r.state), {}).setdefault(r.label, []).append(f)
    return [(state, sorted(agencies.items(), key=lambda kv: kv[0].casefold()))
            for state, agencies in sorted(states.items())]


def _laws(finding: FindingView, words: Vocabulary) -> list[Law]:
    """The laws the finding's fact may conflict with, each narrowed to the clauses it matches
    (the store keeps their ids; config/laws.py)."""
    fact = finding.fact
    return [law for law in laws_of_fact(
        finding.state, kind=fact.kind, status=fact.status,
        categories=[c.key for c in finding.all_categories],
        recipients=[{"name": r.name, "state": r.state} for r in fact.recipients],
        federal=words.federal_agencies, immigration=words.immigration_agencies)
        if law.id in fact.laws]
