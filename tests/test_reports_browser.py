"""The built site in a real browser (Playwright driving Debian's chromium), search included.

The site is built from tests/fixtures/store_seed.json with its Pagefind index and served by
http.server on 127.0.0.1. Screenshots of the main pages go to tests/artifacts/ for review.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import Browser, Page, sync_playwright
from store_seed import SITE, Seeded, seed_folder

from reports.build import build_site
from tests.local_sites import served_folder

pytestmark = pytest.mark.enable_socket
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def seeded_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Seeded, Path]:
    folder = tmp_path_factory.mktemp("browser")
    seeded = seed_folder(folder)
    build_site(seeded.store, folder / "public", site=SITE, archive_dir=seeded.archive_dir,
               now=seeded.now, reviews=seeded.reviews, search_index=True)
    return seeded, folder / "public"


@pytest.fixture(scope="module")
def base_url(seeded_site: tuple[Seeded, Path]) -> Iterator[str]:
    with served_folder(seeded_site[1]) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A fresh page that records requests to other origins and console errors."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    opened.foreign = []  # type: ignore[attr-defined]
    opened.errors = []  # type: ignore[attr-defined]
    opened.on("request", lambda r: None if r.url.startswith(base_url)
              else opened.foreign.append(r.url))  # type: ignore[attr-defined]
    opened.on("console", lambda m: opened.errors.append(m.text)  # type: ignore[attr-defined]
              if m.type == "error" else None)
    yield opened
    context.close()


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_home_lists_the_latest_findings(page: Page, base_url: str) -> None:
    page.goto(base_url)
    shoot(page, "home")
    assert (page.locator("section.latest article.finding").count(), page.foreign,
            page.errors) == (8, [], [])


@pytest.mark.parametrize("name,path", [
    ("home", ""), ("finding", "findings/{leads_fbi}/"), ("sources", "sources/"),
    ("search", "search/?q=lookup"), ("document", "documents/"),
])
def test_pages_fit_a_phone_screen(browser: Browser, base_url: str, seeded_site, name: str,
                                  path: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True)
    phone = context.new_page()
    if path == "documents/":
        path += next((seeded_site[1] / "documents").iterdir()).name + "/"
    phone.goto(base_url + path.format(**seeded_site[0].finding_ids))
    phone.wait_for_load_state("networkidle")
    shoot(phone, f"{name}-phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 360


def test_a_finding_leads_to_its_quoted_evidence_in_the_document(page: Page, base_url: str,
                                                                 seeded_site) -> None:
    page.goto(base_url)
    page.get_by_role("link", name="Federal access in Lakeshore, IL (HSI)").click()
    page.wait_for_url("**/findings/*/")
    shoot(page, "finding")
    quote = page.locator(".evidence-quote mark").first.inner_text()
    page.locator(".evidence-quote figcaption a").first.click()
    page.wait_for_url("**/documents/*/#at-*")
    shoot(page, "document")
    passage = page.url.rsplit("#", 1)[1]
    marked = page.locator(f"#page-2 mark[id='{passage}']").inner_text()
    assert (quote, marked.startswith("Chief Dorsey reported"), page.errors) == (
        "Homeland Security Investigations (HSI)", True, [])


def test_the_archived_copy_link_serves_the_file(page: Page, base_url: str) -> None:
    page.goto(base_url)
    href = page.locator("section.latest .evidence a", has_text="archived copy").first \
        .get_attribute("href")
    response = page.request.get(base_url + href.removeprefix("./"))
    assert (response.status, response.text().startswith("Item 7:")) == (200, True)


def test_search_finds_the_planted_finding(page: Page, base_url: str) -> None:
    page.goto(base_url + "search/")
    page.get_by_label("Words to find").fill("warrant")
    page.get_by_role("button", name="Search").click()
    first = page.locator("#search-results li a").first
    first.wait_for()
    shoot(page, "search")
    assert (first.inner_text(), page.errors, page.foreign) == (
        "Immigration-related search in Marlow, IL (ICE)", [], [])


def test_search_filters_by_place_without_words(page: Page, base_url: str) -> None:
    page.goto(base_url + "search/?place=Marlow%2C+IL")
    page.locator("#search-status", has_text="result").wait_for()
    titles = sorted(page.locator("#search-results li > a").all_inner_texts())
    assert titles == ["Federal access in Marlow, IL (CBP)",
                      "Immigration-related search in Marlow, IL (ICE)",
                      "Marlow Police Department: Flock transparency portal",
                      "Out-of-state sharing in Marlow, IL (Texas DPS)"]


def test_search_offers_filters_for_place_agency_category_and_year(page: Page,
                                                                  base_url: str) -> None:
    page.goto(base_url + "search/")
    page.locator("#search-filters:not([hidden])").wait_for()
    years = page.locator("#filter-year option").all_inner_texts()
    agencies = page.locator("#filter-agency option").count()
    assert (years, agencies) == (["any", "2025 (8)"], 6)


def test_a_scraped_script_does_not_run_in_search_results(page: Page, base_url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base_url + "search/?q=pwned")
    page.locator("#search-results li").first.wait_for()
    text = page.locator("#search-results").inner_text()
    assert ("alert" in text, dialogs) == (True, [])


def test_subscribe_shows_a_page_with_the_feed_address_to_copy(page: Page, base_url: str) -> None:
    page.goto(base_url)
    page.get_by_role("banner").get_by_role("link", name="Subscribe").click()
    page.wait_for_url("**/subscribe/")
    shoot(page, "subscribe")
    address = page.locator("#feed-all ~ dl code.address, section dl code.address").first
    assert address.inner_text() == "https://sidedoor.example.org/feed.xml"


def test_the_feed_opened_from_the_subscribe_page_is_a_valid_feed(page: Page,
                                                                 base_url: str) -> None:
    page.goto(base_url + "subscribe/")
    link = page.get_by_role("link", name="open the RSS feed for all findings")
    response = page.request.get(base_url + "subscribe/" + link.get_attribute("href"))
    parsed = feedparser.parse(response.body())
    assert (response.status, parsed.bozo, len(parsed.entries)) == (200, 0, 8)


def test_a_feed_opened_in_the_browser_reads_as_a_page(page: Page, base_url: str) -> None:
    page.goto(base_url + "feeds/places/marlow-il.xml")
    shoot(page, "feed-in-browser")
    titles = page.locator("article.finding h3").all_inner_texts()
    assert (len(titles), page.foreign, page.get_by_role("link", name="How to subscribe").count()
            ) == (3, [], 1)


def test_a_place_page_links_its_own_feed(page: Page, base_url: str) -> None:
    page.goto(base_url + "places/marlow-il/")
    shoot(page, "place")
    page.get_by_role("link", name="Follow Marlow, IL").click()
    page.wait_for_url("**/subscribe/places/marlow-il/")
    assert page.locator("code.address").first.inner_text() == (
        "https://sidedoor.example.org/feeds/places/marlow-il.xml")


def test_the_status_page_flags_the_broken_source(page: Page, base_url: str) -> None:
    page.goto(base_url + "sources/")
    shoot(page, "sources")
    assert page.locator("#cedar_county_board .status").inner_text() == "broken"


def test_pages_work_with_javascript_off(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(base_url + "search/")
    message = plain.locator("#search-status").inner_text()
    plain.goto(base_url)
    cards = plain.locator("article.finding").count()
    context.close()
    assert (message.startswith("Search needs JavaScript"), cards) == (True, 8)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", "findings/{hsi_pilot}/", "places/marlow-il/",
                                  "sources/", "search/?q=lookup", "subscribe/",
                                  "subscribe/places/marlow-il/", "glossary/", "about/",
                                  "cite/", "data/", "findings/table/", "timeline/",
                                  "documents/"])
def test_no_serious_accessibility_violations(browser: Browser, base_url: str, seeded_site,
                                             path: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    if path == "documents/":
        path += next((seeded_site[1] / "documents").iterdir()).name + "/"
    page.goto(base_url + path.format(**seeded_site[0].finding_ids))
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    context.close()
    serious = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_the_first_finding_is_on_a_phones_first_screen(browser: Browser,
                                                        base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(base_url)
    shoot(phone, "home-390")
    box = phone.locator("section.latest article.finding h3").first.bounding_box()
    context.close()
    assert box is not None and box["y"] + box["height"] <= 844


def test_the_focus_ring_in_the_dark_header_stands_out(page: Page, base_url: str) -> None:
    page.goto(base_url)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    header = page.evaluate("getComputedStyle(document.querySelector('.masthead'))"
                           ".backgroundColor")
    assert contrast(ring, header) >= 3


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS ``rgb(r, g, b)`` colours."""
    def luminance(css: str) -> float:
        channels = [int(c) / 255 for c in css[css.index("(") + 1:-1].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_findings_table_filters_sorts_and_exports_what_is_shown(browser: Browser,
                                                                    base_url: str) -> None:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(base_url + "findings/table/")
    page.select_option("#filter-place", "Marlow, IL")
    page.get_by_role("button", name="Category").click()
    shown = page.locator("tbody tr:not([hidden]) td[data-label=Category]").all_inner_texts()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download these rows (CSV)").click()
    rows = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    context.close()
    assert (shown, len(rows)) == (
        ["Federal access", "Immigration-related searches", "Out-of-state sharing"], 4)


def test_the_findings_table_lists_every_finding_without_javascript(browser: Browser,
                                                                   base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "findings/table/")
    rows = page.locator("tbody tr").count()
    filters = page.locator("#table-filters").is_visible()
    context.close()
    assert (rows, filters) == (8, False)
