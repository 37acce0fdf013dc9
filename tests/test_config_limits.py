"""Tests of config/limits.py: the `limits:` of config/site.yaml, validated with the site."""

from __future__ import annotations

import pytest

from config.limits import Limits
from config.schema import SITE_PATH, ConfigError, load_site

SITE = "title: t\nbase_url: https://example.org/\ndescription: d\n"


def test_the_shipped_site_yaml_sets_every_limit_to_its_default():
    assert load_site(SITE_PATH).limits == Limits()


def test_a_site_without_limits_gets_the_defaults(tmp_path):
    (tmp_path / "site.yaml").write_text(SITE)
    assert load_site(tmp_path / "site.yaml").limits == Limits()


def test_a_misspelt_limit_is_an_error_naming_it(tmp_path):
    (tmp_path / "site.yaml").write_text(SITE + "limits:\n  cels: 10\n")
    with pytest.raises(ConfigError, match=r"site\.yaml: limits\.cels: unknown key \(a typo\?\)"):
        load_site(tmp_path / "site.yaml")


def test_a_limit_out_of_range_is_an_error_naming_it(tmp_path):
    (tmp_path / "site.yaml").write_text(SITE + "limits:\n  memory_mb: 10\n")
    with pytest.raises(ConfigError, match=r"site\.yaml: limits\.memory_mb: Input should be "
                                          r"greater than or equal to 200"):
        load_site(tmp_path / "site.yaml")
