"""View helpers: slugs for URLs, the http(s)-only link rule, places and their states."""

from __future__ import annotations

import pytest

from reports.views import http_url, place_facet, slugify


@pytest.mark.parametrize("text,slug", [
    ("Lake Zürich, IL", "lake-zurich-il"),
    ("CBP/Border Patrol", "cbp-border-patrol"),
    ("  --  ", "unnamed"),
    ("<script>", "script"),
])
def test_slugs_are_lowercase_ascii_words(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,x",
    "vbscript:x", "/relative/path", "//evil.example/x", "http:///no-host", "ftp://x.example/",
    "https://x.example/\nSet-Cookie", "", None,
])
def test_anything_but_an_absolute_http_url_is_refused(url: str | None) -> None:
    assert http_url(url) is None


@pytest.mark.parametrize("url", ["https://x.example/a?b=c#d", "HTTP://X.EXAMPLE/"])
def test_http_and_https_urls_are_kept(url: str) -> None:
    assert http_url(url) == url


@pytest.mark.parametrize("place,state,label", [
    ("Marlow", "IL", "Marlow, IL"),
    ("Illinois", "IL", "Illinois"),
    ("IL", "IL", "IL"),
    ("New York", "NY", "New York"),
    ("Springfield", "MO", "Springfield, MO"),
])
def test_place_labels_name_the_state_unless_the_place_is_the_state(
        place: str, state: str, label: str) -> None:
    assert place_facet(place, state).label == label
