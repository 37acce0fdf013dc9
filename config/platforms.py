"""The platform registry: every spider a source may name as its ``platform``.

Each name is a module of spiders/ that defines a spider of that ``name`` (what
``spiders.spider_for`` loads); tests/test_spiders_registry.py checks the two agree.
`sidedoor new-source --spider` adds its spider's line here.
"""

from __future__ import annotations

PLATFORMS = (
    "audit_log",
    "boarddocs",
    "civicclerk",
    "civicplus",
    "document_index",
    "elms",
    "flock_portal",
    "granicus",
    "legistar",
    "primegov",
)


def platforms() -> list[str]:
    """The platform names, sorted."""
    return sorted(PLATFORMS)
