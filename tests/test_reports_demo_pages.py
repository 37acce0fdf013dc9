"""The demo site in a real browser (Playwright driving Debian's chromium), at a phone's and a
desktop's width: a fact's status and date lead its page, a portal finding shows the rows it
stands on, and the evidence link lands on the passage in our text copy.

The demo is crawled and published once per test session (``demo_site`` in conftest.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.enable_socket
WIDTHS = [390, 1280]


def finding(demo_site: Path, source: str, category: str) -> dict[str, Any]:
    data = json.loads((demo_site / "data" / "findings.json").read_text("utf-8"))
    [found] = [f for f in data["findings"]
               if f["source_id"] == source and category in f["categories"]]
    return found


def open_page(browser: Browser, url: str, width: int) -> Any:  # Any: a Playwright page
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(url)
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_a_merged_fact_shows_its_status_and_date_first_and_its_three_documents(
        demo_site: Path, demo_base_url: str, demo_browser: Browser, width: int) -> None:
    fact = finding(demo_site, "ridgemoor_county_board", "sharing_agreement")
    page = open_page(demo_browser, f"{demo_base_url}findings/{fact['id']}/", width)
    status = page.locator("dl.fact dd").first
    status_box = status.bounding_box()
    evidence_box = page.get_by_role("heading", name="The evidence").bounding_box()
    texts = (status.inner_text(), page.locator("dl.fact time").first.inner_text())
    documents = page.locator("table.where tbody tr").count()
    page.context.close()
    assert texts[0].startswith("Adopted") and "Resolution 25-R-41" in texts[0]
    assert texts[1] == "Oct 14, 2025"
    assert status_box and evidence_box and status_box["y"] < evidence_box["y"]
    assert documents == 3


@pytest.mark.parametrize("width", WIDTHS)
def test_a_portal_finding_shows_the_rows_it_stands_on(
        demo_site: Path, demo_base_url: str, demo_browser: Browser, width: int) -> None:
    fact = finding(demo_site, "harlan_grove_police_portal", "immigration_search")
    page = open_page(demo_browser, f"{demo_base_url}findings/{fact['id']}/", width)
    rows = page.locator("table.rows tbody tr")
    numbers = rows.locator("th[scope=row]").all_inner_texts()
    marked = page.locator("table.rows mark").all_inner_texts()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    page.context.close()
    assert len(numbers) == 4 and all(n.strip().isdigit() for n in numbers)
    assert {"ICE", "ICE WARRANT"} <= set(marked)
    assert scroll_width <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_the_evidence_link_scrolls_to_the_passage_in_our_text_copy(
        demo_site: Path, demo_base_url: str, demo_browser: Browser, width: int) -> None:
    fact = finding(demo_site, "maplewood_village_board", "federal_access")
    page = open_page(demo_browser, f"{demo_base_url}findings/{fact['id']}/", width)
    page.locator(".evidence-quote figcaption a").first.click()
    page.wait_for_url("**/documents/*/#at-*")
    anchor = page.url.rsplit("#", 1)[1]
    target = page.locator(f"mark[id='{anchor}']")
    box = target.bounding_box()
    quoted = target.inner_text()
    page.context.close()
    assert box is not None and -1 <= box["y"] < 844  # the passage is on the first screen
    assert "Customs and Border Protection had access" in " ".join(quoted.split())
