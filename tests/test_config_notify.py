"""Tests of config/notify.py: the `notify:` of config/site.yaml, validated with the site."""

from __future__ import annotations

import pytest

from config.notify import MissingVariable, expand, target_key
from config.schema import SITE_PATH, ConfigError, load_site

SITE = "title: t\nbase_url: https://example.org/\ndescription: d\nnotify:\n"
MAIL = "mailtos://${SMTP_USER}:${SMTP_PASSWORD}@smtp.example.org?to=desk@example.org"


def load(tmp_path, entries: str):
    (tmp_path / "site.yaml").write_text(SITE + entries)
    return load_site(tmp_path / "site.yaml")


def test_the_shipped_site_yaml_notifies_no_one():
    assert load_site(SITE_PATH).notify == ()


def test_an_entry_names_a_feed_and_its_urls(tmp_path):
    site = load(tmp_path, f"  - feed: agencies/ice\n    urls: ['{MAIL}', 'json://127.0.0.1:9']\n")
    assert [(e.feed, e.urls) for e in site.notify] == [
        ("agencies/ice", (MAIL, "json://127.0.0.1:9"))]


def test_one_url_may_be_written_without_a_list(tmp_path):
    site = load(tmp_path, f"  - feed: all\n    urls: '{MAIL}'\n")
    assert site.notify[0].urls == (MAIL,)


def test_a_feed_given_as_its_address_is_read_as_its_path(tmp_path):
    site = load(tmp_path, f"  - feed: feeds/places/maplewood-il/\n    urls: '{MAIL}'\n")
    assert site.notify[0].feed == "places/maplewood-il"


@pytest.mark.parametrize("entry,problem", [
    ("  - feed: agencies/ICE\n    urls: 'json://localhost'\n",
     r"notify\[0\]\.feed: expected 'all' or a feed's page path on the site like "
     r"'places/maplewood-il', 'agencies/ice' or 'categories/federal-access', got 'agencies/ICE'"),
    ("  - feed: all\n    urls: ['nosuch://x']\n",
     r"notify\[0\]\.urls\[0\]: Apprise has no service with the scheme nosuch://"),
    ("  - feed: all\n    urls: ['mailtos://user:$PASS@smtp.example.org']\n",
     r"notify\[0\]\.urls\[0\]: a mailtos:// URL has a '\$' that is not a \$\{NAME\} placeholder"),
    ("  - feed: all\n    urls: ['desk@example.org']\n",
     r"notify\[0\]\.urls\[0\]: expected an Apprise URL like"),
    ("  - feed: all\n    urls: []\n", r"notify\[0\]\.urls: expected at least one Apprise URL"),
    ("  - feed: all\n    urls: 'json://localhost'\n    fed: all\n",
     r"notify\[0\]\.fed: unknown key \(a typo\?\)"),
])
def test_a_bad_entry_is_one_line_naming_the_file_and_entry(tmp_path, entry, problem):
    with pytest.raises(ConfigError, match=rf"^{tmp_path / 'site.yaml'}: {problem}") as caught:
        load(tmp_path, entry)
    assert "\n" not in str(caught.value)


def test_an_error_never_shows_the_url_past_its_scheme(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, "  - feed: all\n    urls: ['mailtos://user:$hunter2@smtp.example.org']\n")
    assert "hunter2" not in str(caught.value)


def test_expand_fills_placeholders_from_the_environment():
    assert expand("json://${HOST}:${PORT}/x", {"HOST": "127.0.0.1", "PORT": "9"}) == \
        "json://127.0.0.1:9/x"


def test_expand_names_an_unset_variable():
    with pytest.raises(MissingVariable, match=r"^\$\{SMTP_PASSWORD\} is not set in the "):
        expand(MAIL, {"SMTP_USER": "me"})


def test_a_target_is_the_feed_and_the_url_as_written():
    assert (target_key("all", MAIL) == target_key("all", MAIL),
            target_key("all", MAIL) == target_key("agencies/ice", MAIL),
            len(target_key("all", MAIL))) == (True, False, 32)
