"""A build over the last one reads from the store only what changed, and gives the site a
build from scratch of the same store gives, byte for byte, after each kind of change: a new
finding, a merged fact's status, a dismissed finding, a source's health, a document seen
again, nothing at all, and sidedoor's own code (a full build)."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from store_seed import SITE, Seeded, seed_folder

from config.reviews import Review, ReviewStatus
from reports.build import BuildResult, build_site
from reports.buildstate import site_digest, state_path
from reports.viewcache import CACHE
from sidedoor.store import (
    DocumentVersion,
    FactRecord,
    FindingRecord,
    SourceRecord,
    SourceRunRecord,
    VersionRecord,
)

SOURCE = SourceRecord(id="lakeshore_village_board", name="Lakeshore Village Board",
                      place="Lakeshore", state="IL", kind="minutes",
                      platform="document_index",
                      start_urls=["https://lakeshore.example.gov/board"], schedule="0 6 * * *",
                      enabled=True)
PASSAGE = ("The board approved a memorandum giving ERO access to the village's plate reader "
           "data for immigration cases.")


def files(root: Path) -> dict[str, bytes]:
    """Every file of a site (what a build keeps for the next is beside it, not in it)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


class Site:
    """A store, its published site built build after build, and builds from scratch."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.seeded: Seeded = seed_folder(tmp_path / "store")
        self.out = tmp_path / "public"
        self.reviews = dict(self.seeded.reviews)
        self.now = self.seeded.now
        self.fresh = 0

    def build(self, out: Path | None = None) -> BuildResult:
        return build_site(self.seeded.store, out or self.out, site=SITE,
                          archive_dir=self.seeded.archive_dir, now=self.now,
                          reviews=self.reviews, search_index=False)

    def rebuild_matches_scratch(self) -> BuildResult:
        """Build over the published site, build from scratch, and compare."""
        self.now += timedelta(hours=1)
        result = self.build()
        self.fresh += 1
        scratch = self.tmp / f"scratch{self.fresh}"
        self.build(scratch)
        ours, theirs = files(self.out), files(scratch)
        assert sorted(ours) == sorted(theirs)
        assert [name for name in ours if ours[name] != theirs[name]] == []
        return result

    def save(self, url: str, findings: list[FindingRecord], text: str) -> None:
        sha = hashlib.sha256(text.encode()).hexdigest()
        path = f"{sha[:2]}/{sha}.pdf"
        (self.seeded.archive_dir / path).parent.mkdir(parents=True, exist_ok=True)
        (self.seeded.archive_dir / path).write_text(text, encoding="utf-8")
        version = VersionRecord(sha256=sha, fetched_at=self.now, content_type="application/pdf",
                                size=len(text), title=f"Minutes at {url}", archive_path=path,
                                text=text, sections=[{"label": "page 1", "start": 0,
                                                      "end": len(text)}])
        self.seeded.store.save_document(SOURCE, url, version, findings, self.now)

    def page(self, path: str) -> str:
        return (self.out / path / "index.html").read_text(encoding="utf-8")


def ero_record(status: str, day: str) -> FindingRecord:
    text = f"Minutes of {day}. {PASSAGE}"
    start = text.index(PASSAGE)
    fact = FactRecord(key="lakeshore-ero-agreement", categories=["sharing_agreement"],
                      owner="Lakeshore PD", recipients=[{"name": "ERO", "state": ""}],
                      channel="agreement", kind="agreement", status=status,
                      status_quote=PASSAGE, status_date=day, event_start=day)
    return FindingRecord(id=hashlib.sha256(day.encode()).hexdigest()[:20],
                         category="sharing_agreement", agencies=["ERO"], snippet=PASSAGE,
                         highlights=[[PASSAGE.index("ERO"), PASSAGE.index("ERO") + 3]],
                         confidence=0.9, rules=["Names an agreement giving ERO access."],
                         start=start, end=start + len(PASSAGE), section="page 1", fact=fact)


def save_ero(site: Site, status: str, day: str) -> str:
    record = ero_record(status, day)
    site.save(f"https://lakeshore.example.gov/board/{day}.pdf", [record],
              f"Minutes of {day}. {PASSAGE}")
    return record.id


@pytest.fixture
def site(tmp_path: Path) -> Site:
    built = Site(tmp_path)
    built.build()
    return built


def test_each_kind_of_change_gives_the_site_a_build_from_scratch_gives(site, monkeypatch):
    fact_id = save_ero(site, "proposed", "2025-03-10")  # a new finding
    site.rebuild_matches_scratch()
    assert "Proposed" in site.page(f"findings/{fact_id}")

    save_ero(site, "adopted", "2025-03-24")  # more evidence: the fact's status moves
    site.rebuild_matches_scratch()
    assert "Adopted" in site.page(f"findings/{fact_id}")

    dismissed = site.seeded.finding_ids["texas_dps"]
    site.reviews[dismissed] = Review(status=ReviewStatus.DISMISSED, note="not a flow")
    site.rebuild_matches_scratch()
    assert not (site.out / "findings" / dismissed).exists()

    run = site.seeded.store.start_run("crawl", site.now)  # a source breaks, then recovers
    site.seeded.store.record_source_runs(run, [SourceRunRecord(
        source_id="marlow_police_portal", started_at=site.now + timedelta(days=d),
        outcome="error", errors=1, error_messages=["HTTP 500"]) for d in (1, 2, 3)])
    site.rebuild_matches_scratch()
    assert "broken" in site.page("sources")

    with site.seeded.store.session() as s:
        versions = list(s.scalars(DocumentVersion.__table__.select().with_only_columns(
            DocumentVersion.id)))
    site.seeded.store.touch_versions(versions, site.now + timedelta(days=5))  # seen again
    site.rebuild_matches_scratch()

    unchanged = site.rebuild_matches_scratch()
    assert unchanged.rendered == 2  # the home and sources pages show the build time

    monkeypatch.setattr("reports.incremental.code_digest", lambda: "another version")
    assert site.rebuild_matches_scratch().reused == 0


def test_a_new_finding_reads_again_only_its_own_rows(site, caplog):
    save_ero(site, "proposed", "2025-03-10")
    with caplog.at_level(logging.INFO, logger="reports.reload"):
        site.rebuild_matches_scratch()
    # the new finding alone: no other finding is in its new document
    assert "read again 1 of 10 findings and 1 documents" in caplog.text


def test_a_store_changed_behind_an_unchanged_stamp_is_read_whole_when_the_views_are_gone(
        site):
    state = state_path(site.out, CACHE, str(site_digest(site.out)))
    assert state.is_file()
    state.write_bytes(b"not a pickle")
    save_ero(site, "proposed", "2025-03-10")
    result = site.rebuild_matches_scratch()
    assert result.rendered > 0
