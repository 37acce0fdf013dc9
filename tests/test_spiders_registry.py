"""Every platform has a spider and a source that uses it (the sources' test_docs.py)."""

from __future__ import annotations

import pytest
import yaml

from config.schema import SOURCES_PATH, platforms
from spiders import spider_for
from tests.conftest import ROOT

SOURCE_FILES = (SOURCES_PATH, ROOT / "demo" / "sources.yaml")


def used_platforms() -> set[str]:
    return {entry["platform"] for path in SOURCE_FILES
            for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"].values()}


@pytest.mark.parametrize("platform", platforms())
def test_every_platform_module_has_its_spider(platform):
    assert spider_for(platform).name == platform


@pytest.mark.parametrize("platform", platforms())
def test_every_platform_is_used_by_a_source(platform):
    assert platform in used_platforms()


def test_an_unknown_platform_says_what_is_missing():
    with pytest.raises(ModuleNotFoundError):
        spider_for("sharepoint")
