"""The site's maps, built from the demo world: a static SVG of the states, shaded by findings,
the demo towns as points, a place's recipient states highlighted, a table beside it, and not
one request beyond the site in a real browser (Playwright driving Debian's chromium).

The demo is crawled and published once over 127.0.0.1 (``sidedoor demo``, which places its
towns by demo/places.yaml). Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from config.places import load_places
from reports.maps import site_maps
from reports.views import SiteData

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DEMO_TOWNS = {"Maplewood, IL", "Harlan Grove, IL", "Bramblewood, IL", "Lakeshore County, IL",
              "Ridgemoor County, IL"}


@pytest.fixture(scope="module")
def demo(demo_site: Path) -> dict[str, Any]:
    findings = json.loads((demo_site / "data" / "findings.json").read_text("utf-8"))
    return {"public": demo_site, "findings": findings["findings"]}


def svg_of(demo: dict[str, Any], page: str) -> Any:  # Any: an lxml element
    tree = lxml.html.parse(str(demo["public"] / page / "index.html"))
    found = tree.xpath("//figure[contains(@class, 'usmap')]/svg")
    assert len(found) == 1, f"{page}: expected one map"
    return found[0]


def classes(svg: Any) -> dict[str, set[str]]:
    return {p.get("data-state"): set(p.get("class").split())
            for p in svg.xpath(".//g[@class='states']/path")}


def test_the_map_draws_each_state_and_dc_as_a_path_named_for_screen_readers(demo) -> None:
    svg = svg_of(demo, "map")
    title = svg.xpath("./title")[0]
    assert (len(classes(svg)), svg.get("role"), svg.get("aria-labelledby").split()[0],
            title.text) == (51, "img", title.get("id"), "Map of findings by state")


def test_illinois_is_shaded_by_its_findings_and_states_without_findings_are_not(demo) -> None:
    in_illinois = sum(1 for f in demo["findings"] if f["state"] == "IL")
    level = sum(1 for least in (1, 3, 10, 30) if in_illinois >= least)
    shaded = {code: c for code, c in classes(svg_of(demo, "map")).items() if "lv0" not in c}
    assert shaded == {"IL": {f"lv{level}"}}


def test_every_demo_place_with_a_position_is_a_point(demo) -> None:
    points = svg_of(demo, "map").xpath(".//g[@class='points']/circle/title/text()")
    assert {label.split(":")[0] for label in points} == DEMO_TOWNS


def test_a_place_page_highlights_the_states_its_findings_recipients_name(demo) -> None:
    named = {r["state"] for f in demo["findings"] if f["place"] == "Maplewood"
             for r in f["recipients"] if r["state"] and r["state"] != "IL"}
    svg = svg_of(demo, "places/maplewood-il")
    highlighted = {code for code, c in classes(svg).items() if "to" in c}
    flows = svg.xpath(".//g[@class='flows']/path")
    assert "TX" in named  # the demo's accepted sharing request from Texas
    assert (highlighted, len(flows)) == (named, len(named))


def test_a_place_page_marks_its_own_state_and_its_own_point(demo) -> None:
    svg = svg_of(demo, "places/harlan-grove-il")
    home = {code for code, c in classes(svg).items() if "home" in c}
    focus = svg.xpath(".//circle[contains(@class, 'focus')]/title/text()")
    assert (home, [t.split(":")[0] for t in focus]) == ({"IL"}, ["Harlan Grove, IL"])


def test_a_place_page_links_its_own_timeline_of_every_finding_there(demo) -> None:
    page = lxml.html.parse(str(demo["public"] / "places" / "maplewood-il" / "index.html"))
    timeline = lxml.html.parse(str(demo["public"] / "places" / "maplewood-il" / "timeline" /
                                   "index.html"))
    listed = timeline.xpath("//ol[@class='timeline']//a/@href")
    in_maplewood = {f["id"] for f in demo["findings"] if f["place"] == "Maplewood"}
    assert "../../places/maplewood-il/timeline/" in page.xpath("//a/@href")
    assert sorted(h.split("/")[-2] for h in listed) == sorted(in_maplewood)


def test_the_map_as_a_table_gives_the_count_of_each_state(demo) -> None:
    tree = lxml.html.parse(str(demo["public"] / "map" / "index.html"))
    rows = tree.xpath("//details[@class='map-table']//table[1]/tbody/tr")
    counted = {r.xpath("./th")[0].text_content(): int(r.xpath("./td")[0].text_content())
               for r in rows}
    assert counted == {"Illinois": sum(1 for f in demo["findings"] if f["state"] == "IL")}


def test_the_svg_refers_to_nothing_outside_the_page(demo) -> None:
    svg = lxml.html.tostring(svg_of(demo, "places/maplewood-il"), encoding="unicode")
    outside = [word for word in ("href", "src=", "url(", "http:", "https:")
               if word in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")]
    assert outside == []


def test_without_boundaries_the_site_has_no_maps_and_the_log_says_why(tmp_path, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="reports.maps")
    maps = site_maps(SiteData(findings=[], sources=[], documents=[]), load_places(),
                     atlas_path=tmp_path / "states-10m.json")
    assert (maps.overview, maps.by_place) == (None, {})
    assert "run `make install`" in caplog.text


# --- in a browser ---

@pytest.fixture(scope="module")
def base_url(demo_base_url: str) -> str:
    return demo_base_url


@pytest.fixture(scope="module")
def browser(demo_browser: Browser) -> Browser:
    return demo_browser


@pytest.mark.enable_socket
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("page_path", ["map/", "places/maplewood-il/"])
def test_a_map_page_requests_nothing_beyond_the_site_and_fits_the_screen(
        browser: Browser, base_url: str, width: int, page_path: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844},
                                  java_script_enabled=False)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base_url + page_path)
    page.wait_for_load_state("networkidle")
    figure = page.locator("figure.usmap")
    figure.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    figure.screenshot(path=str(ARTIFACTS / f"map-{page_path.strip('/').replace('/', '-')}"
                                           f"-{width}.png"))
    box = page.locator("figure.usmap svg").bounding_box()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert [url for url in requests if not url.startswith(base_url)] == []
    assert len(requests) >= 2  # the page and its stylesheets, all from the site
    assert box is not None and box["width"] >= min(width - 40, 900) * 0.9
    assert scroll_width <= width


@pytest.mark.enable_socket
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_path", ["map/", "places/maplewood-il/", "places/illinois/",
                                       "places/maplewood-il/timeline/"])
def test_a_map_page_has_no_serious_accessibility_violation(
        browser: Browser, base_url: str, scheme: str, page_path: str) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(base_url + page_path)
    if "timeline" not in page_path:
        page.locator("details.map-table summary").click()  # the tables are checked too
    results = Axe().run(page)
    context.close()
    serious = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
