"""The static site and feeds generator: store rows → view models → pages, feeds, open data.

``reports.build.build_site`` is the entry point; see README, "Outputs", and docs/data.md.
"""
