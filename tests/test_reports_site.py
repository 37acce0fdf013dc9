"""The HTML site: scraped text is inert, links are http(s) or ours, nothing loads from afar."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jinja2 import UndefinedError
from store_seed import SITE, seed_folder

from reports.build import build_site
from reports.site import CSP, Pager, day, environment, moment, paginate, size


class Tags(HTMLParser):
    """Collects every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(path: Path) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("site")
    seeded = seed_folder(folder)
    out = folder / "public"
    result = build_site(seeded.store, out, site=SITE, archive_dir=seeded.archive_dir,
                        now=seeded.now, reviews=seeded.reviews, search_index=False)
    return seeded, out, result


@pytest.fixture(scope="module")
def pages(site) -> list[Path]:
    return sorted(site[1].rglob("*.html"))


def test_build_reports_the_pages_and_feeds_it_wrote(site, pages) -> None:
    feeds = list(site[1].glob("*.xml")) + list((site[1] / "feeds").rglob("*.xml"))
    assert (site[2].pages, site[2].feeds) == (len(pages), len(feeds))


def test_a_script_tag_in_a_snippet_is_shown_as_text(site) -> None:
    page = site[1] / "findings" / site[0].finding_ids["leads_fbi"] / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in html


def test_no_page_contains_a_scraped_script_tag(pages) -> None:
    assert [p for p in pages if "<script>" in p.read_text(encoding="utf-8")] == []


def test_only_our_own_search_script_is_loaded(pages) -> None:
    scripts = {attrs.get("src", "inline") for p in pages for tag, attrs in tags_of(p)
               if tag == "script"}
    assert scripts == {"../static/search.js", "../../static/table.js"}


def test_every_link_is_relative_or_http(pages) -> None:
    bad = [(p.name, attrs["href"]) for p in pages for tag, attrs in tags_of(p)
           if tag == "a" and attrs.get("href")
           and urlsplit(attrs["href"]).scheme not in ("", "http", "https")]
    assert bad == []


def test_a_javascript_document_url_is_never_a_link(site) -> None:
    texts = [p.read_text(encoding="utf-8") for p in site[1].rglob("*") if p.is_file()
             and p.suffix in (".html", ".xml", ".json", ".csv")]
    assert [t for t in texts if "javascript:" in t.lower()] == []


def test_pages_load_nothing_from_another_origin(pages) -> None:
    external = [(p.name, tag, attrs) for p in pages for tag, attrs in tags_of(p)
                if (tag == "link" and attrs.get("rel") != "canonical"
                    and urlsplit(attrs.get("href") or "").netloc)
                or (tag in ("script", "img", "iframe") and urlsplit(attrs.get("src") or "").netloc)]
    assert external == []


def test_every_page_sets_the_content_security_policy(pages) -> None:
    policies = {attrs.get("content") for p in pages for tag, attrs in tags_of(p)
                if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"}
    assert policies == {CSP} and "default-src 'none'" in CSP


def test_the_timeline_lists_every_finding_once_by_document_month_newest_first(site) -> None:
    tags = tags_of(site[1] / "timeline" / "index.html")
    months = [a["datetime"] for t, a in tags if t == "time" and len(a["datetime"] or "") == 7]
    linked = [m[1] for t, a in tags if t == "a"
              and (m := re.fullmatch(r"\.\./findings/([0-9a-f]{20})/", a["href"] or ""))]
    published = {p.parent.name for p in (site[1] / "findings").glob("*/index.html")} - {
        "table"}
    assert (months == sorted(months, reverse=True), len(months) >= 2, sorted(linked)) == (
        True, True, sorted(published))


def test_every_listing_page_has_a_subscribe_link(site) -> None:
    listings = [site[1] / "index.html", site[1] / "findings" / "index.html",
                *sorted((site[1] / "places").glob("*/index.html")),
                *sorted((site[1] / "agencies").glob("*/index.html")),
                *sorted((site[1] / "categories").glob("*/index.html"))]
    missing = [p for p in listings if not any(
        tag == "a" and "subscribe" in (attrs.get("class") or "") for tag, attrs in tags_of(p))]
    assert missing == [] and len(listings) >= 14


def test_every_feed_named_in_a_page_head_exists(pages) -> None:
    missing = [(p, attrs["href"]) for p in pages for tag, attrs in tags_of(p)
               if tag == "link" and attrs.get("rel") == "alternate"
               and not (p.parent / attrs["href"]).resolve().is_file()]
    assert missing == []


def test_every_relative_link_points_at_a_page_or_file_of_the_site(site, pages) -> None:
    broken = set()
    for page in pages:
        for tag, attrs in tags_of(page):
            href = attrs.get("href") if tag in ("a", "link") else None
            if not href or urlsplit(href).scheme or href.startswith("#"):
                continue
            target = (page.parent / urlsplit(href).path).resolve()
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.add(href)
    assert broken == set()


def test_the_dismissed_finding_is_nowhere_in_the_site(site) -> None:
    dismissed = site[0].finding_ids["vega_denial"]
    hits = [p for p in site[1].rglob("*") if dismissed in p.as_posix()
            or (p.is_file() and dismissed.encode() in p.read_bytes())]
    assert hits == []


def test_a_finding_gone_from_the_latest_version_says_so(site) -> None:
    page = site[1] / "findings" / site[0].finding_ids["border_patrol_audit"] / "index.html"
    assert "no longer in the latest version" in page.read_text(encoding="utf-8")


def test_the_confirmed_finding_shows_the_reviewers_note(site) -> None:
    page = site[1] / "findings" / site[0].finding_ids["hsi_pilot"] / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "Confirmed by a reviewer" in html and "pilot agreement in the village" in html


def test_the_document_page_marks_published_passages_but_not_dismissed_ones(site) -> None:
    texts = [p.read_text(encoding="utf-8") for p in (site[1] / "documents").glob("*/index.html")]
    lakeshore = next(t for t in texts if "Regular Board Meeting Minutes, February 10" in t)
    assert lakeshore.count("<mark") == 2 and "Trustee Vega asked" in lakeshore
    assert lakeshore.count('<mark id="at-') == 2  # each passage is an anchor links land on


def test_html_archives_are_published_as_plain_text(site) -> None:
    names = sorted(p.suffix for p in (site[1] / "archive").iterdir())
    assert names == [".pdf", ".pdf", ".pdf", ".pdf", ".pdf", ".txt", ".txt"]


def test_templates_fail_on_an_undefined_name() -> None:
    template = environment().from_string("{{ missing.name }}")
    with pytest.raises(UndefinedError):
        template.render()


def test_dates_are_english_whatever_the_locale() -> None:
    assert day(datetime(2025, 3, 9, tzinfo=UTC)) == "9 March 2025"


@pytest.mark.parametrize("value,shown", [(512, "512 bytes"), (2048, "2.0 KB"),
                                         (3 * 1024 * 1024, "3.0 MB")])
def test_file_sizes_are_readable(value: int, shown: str) -> None:
    assert size(value) == shown


def test_an_empty_listing_still_has_one_page() -> None:
    assert list(paginate([], "findings/", 50)) == [Pager([], 1, 1, "findings/")]


def test_later_pages_of_a_listing_live_under_page_n() -> None:
    pagers = list(paginate(list(range(120)), "places/x/", 50))
    assert [(p.path, len(p.items)) for p in pagers] == [
        ("places/x/", 50), ("places/x/page/2/", 50), ("places/x/page/3/", 20)]


def test_times_are_shown_in_utc_whatever_zone_they_come_in() -> None:
    from datetime import timedelta, timezone

    chicago = timezone(timedelta(hours=-6))
    assert moment(datetime(2025, 3, 8, 23, 30, tzinfo=chicago)) == "9 March 2025, 05:30 UTC"
