"""Feeds: valid RSS 2.0 and Atom, stable GUIDs, newest first, independent of the clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from store_seed import SITE, load_seed, seed_folder

from reports.build import build_site
from reports.context import load_site_data
from reports.feeds import tag_uri

ATOM = "{http://www.w3.org/2005/Atom}"


def build(folder: Path, now_shift: timedelta = timedelta(0), data: dict | None = None):
    seeded = seed_folder(folder / "store", data)
    out = folder / "public"
    build_site(seeded.store, out, site=SITE, archive_dir=seeded.archive_dir,
               now=seeded.now + now_shift, reviews=seeded.reviews, search_index=False)
    return seeded, out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    return build(tmp_path_factory.mktemp("feeds"))


@pytest.fixture(scope="module")
def published(site) -> list[dict]:
    """The findings of the open data, newest first: what the feeds must list."""
    return json.loads((site[1] / "data" / "findings.json").read_text())["findings"]


@pytest.mark.parametrize("name,version", [("feed.xml", "rss20"), ("atom.xml", "atom10")])
def test_main_feeds_parse_without_errors(site, name: str, version: str) -> None:
    parsed = feedparser.parse((site[1] / name).read_bytes())
    assert (parsed.bozo, parsed.version) == (0, version)


def test_every_published_finding_is_one_rss_item_newest_first(site, published) -> None:
    parsed = feedparser.parse((site[1] / "feed.xml").read_bytes())
    assert [e.id for e in parsed.entries] == [f["id"] for f in published]


def test_every_atom_entry_id_is_a_tag_uri_of_the_finding(site, published) -> None:
    parsed = feedparser.parse((site[1] / "atom.xml").read_bytes())
    assert [e.id for e in parsed.entries] == [
        f"tag:sidedoor.example.org,{f['first_seen'][:10]}:findings/{f['id']}" for f in published]


def test_rss_channel_links_to_the_page_it_follows(site) -> None:
    channel = etree.parse(str(site[1] / "feeds" / "places" / "marlow-il.xml")).find("channel")
    assert channel.findtext("link") == "https://sidedoor.example.org/places/marlow-il/"


@pytest.mark.parametrize("name,href", [("feed.xml", "static/feed.xsl"),
                                       ("feeds/places/marlow-il.xml", "../../static/feed.xsl"),
                                       ("feeds/status.xml", "../static/feed.xsl")])
def test_a_feed_names_the_stylesheet_that_shows_it_in_a_browser(site, name: str,
                                                                href: str) -> None:
    tree = etree.parse(str(site[1] / name))
    instruction = tree.getroot().getprevious()
    assert (instruction.target, instruction.get("href")) == ("xml-stylesheet", href)


def test_an_item_says_when_no_person_has_checked_the_finding(site, published) -> None:
    parsed = feedparser.parse((site[1] / "feed.xml").read_bytes())
    unchecked = {f["id"] for f in published if f["review"] is None}
    said = {e.id for e in parsed.entries if "not yet checked by a person" in e.description}
    assert said == unchecked and len(said) == len(published) - 1


def test_feed_order_is_by_first_seen_descending(published) -> None:
    seen = [f["first_seen"] for f in published]
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == len(seen)


def test_rss_guid_is_the_finding_id_and_not_a_permalink(site, published) -> None:
    tree = etree.parse(str(site[1] / "feed.xml"))
    guids = tree.findall("channel/item/guid")
    assert [(g.text, g.get("isPermaLink")) for g in guids] == [
        (f["id"], "false") for f in published]


def test_entry_published_is_when_the_finding_was_first_seen(site, published) -> None:
    parsed = feedparser.parse((site[1] / "atom.xml").read_bytes())
    first = parsed.entries[0]
    assert datetime(*first.published_parsed[:6], tzinfo=UTC).isoformat().replace(
        "+00:00", "Z") == published[0]["first_seen"]


def test_feed_updated_is_the_newest_finding_not_the_build_time(site, published) -> None:
    tree = etree.parse(str(site[1] / "atom.xml"))
    updated = datetime.fromisoformat(tree.findtext(f"{ATOM}updated"))
    assert updated.strftime("%Y-%m-%dT%H:%M:%SZ") == published[0]["first_seen"]


def test_rss_last_build_date_is_the_newest_finding_not_the_build_time(site, published) -> None:
    tree = etree.parse(str(site[1] / "feed.xml"))
    built = parsedate_to_datetime(tree.findtext("channel/lastBuildDate"))
    assert built.strftime("%Y-%m-%dT%H:%M:%SZ") == published[0]["first_seen"]


def test_feeds_are_byte_identical_when_only_the_clock_moves(site, tmp_path: Path) -> None:
    _, later = build(tmp_path, now_shift=timedelta(days=30))
    names = ["feed.xml", "atom.xml", "feeds/places/marlow-il.xml"]
    assert [(later / n).read_bytes() for n in names] == [(site[1] / n).read_bytes()
                                                          for n in names]


def test_place_feed_lists_only_that_places_findings(site, published) -> None:
    parsed = feedparser.parse((site[1] / "feeds" / "places" / "marlow-il.xml").read_bytes())
    marlow = [f["id"] for f in published if f["place"] == "Marlow"]
    assert (parsed.bozo, [e.id for e in parsed.entries]) == (0, marlow)


@pytest.mark.parametrize("kind", ["places", "agencies", "categories"])
def test_every_facet_feed_parses_without_errors(site, kind: str) -> None:
    folder = site[1] / "feeds" / kind
    results = {p.name: feedparser.parse(p.read_bytes()).bozo for p in folder.glob("*.xml")}
    assert len(results) >= 8 and set(results.values()) == {0}


def test_a_watched_place_without_findings_has_an_empty_feed_to_subscribe_to(site) -> None:
    parsed = feedparser.parse((site[1] / "feeds" / "places" / "oakmont-il.xml").read_bytes())
    assert (parsed.bozo, len(parsed.entries), parsed.feed.title) == (
        0, 0, "sidedoor test site: Oakmont, IL")


def test_atom_feed_links_to_itself_and_to_the_site(site) -> None:
    tree = etree.parse(str(site[1] / "atom.xml"))
    links = {(link.get("rel"), link.get("href")) for link in tree.findall(f"{ATOM}link")}
    assert links == {("alternate", "https://sidedoor.example.org/"),
                     ("self", "https://sidedoor.example.org/atom.xml")}


def test_rss_item_links_to_the_finding_page(site, published) -> None:
    tree = etree.parse(str(site[1] / "feed.xml"))
    assert tree.findtext("channel/item/link") == published[0]["url"]


def test_entry_body_quotes_the_evidence_and_links_the_archived_copy(site, published) -> None:
    tree = etree.parse(str(site[1] / "atom.xml"))
    body = tree.findtext(f"{ATOM}entry/{ATOM}content")
    archive = published[0]["evidence"][0]["archive_url"]
    assert "<mark>LEADS agreement</mark>" in body and f'href="{archive}"' in body


def test_a_form_feed_in_pdf_text_does_not_break_the_feed(tmp_path: Path) -> None:
    data = load_seed()
    page = data["documents"][2]["versions"][0]["pages"]
    page["page 7"] = page["page 7"].replace("allowed a", "allowed\x0ca")
    finding = next(f for f in data["findings"] if f["key"] == "border_patrol_audit")
    finding["snippet"] = finding["snippet"].replace("allowed a", "allowed\x0ca")
    _, out = build(tmp_path, data=data)
    assert feedparser.parse((out / "feed.xml").read_bytes()).bozo == 0


def test_rss_has_the_elements_rss_2_requires(site) -> None:
    channel = etree.parse(str(site[1] / "feed.xml")).getroot().find("channel")
    items = channel.findall("item")
    dates = {parsedate_to_datetime(i.findtext("pubDate")).tzinfo is not None for i in items}
    assert ([channel.findtext(t) is not None for t in ("title", "link", "description")],
            {i.findtext("title") is not None for i in items}, dates) == (
        [True, True, True], {True}, {True})


def test_atom_has_the_elements_atom_requires(site) -> None:
    root = etree.parse(str(site[1] / "atom.xml")).getroot()
    entries = root.findall(f"{ATOM}entry")
    complete = {all(e.find(f"{ATOM}{t}") is not None for t in ("id", "title", "updated",
                                                              "content")) for e in entries}
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert ([root.find(f"{ATOM}{t}") is not None for t in ("id", "title", "updated", "author")],
            complete, len(ids) == len(set(ids))) == ([True, True, True, True], {True}, True)


def test_a_site_under_a_path_keeps_it_in_its_atom_ids(site, published) -> None:
    finding = next(f for f in build_views(site) if f.id == published[0]["id"])
    assert tag_uri("https://example.org/watch/il/", finding) == (
        f"tag:example.org,{published[0]['first_seen'][:10]}:watch/il/findings/{finding.id}")


def build_views(site):
    with site[0].store.session() as session:
        return load_site_data(session, reviews={}, broken_after=3,
                              archive_dir=site[0].archive_dir).findings
