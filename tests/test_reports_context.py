"""Store rows → view models: what the site shows, what it leaves out, how it is ordered."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_seed import seed_folder

from reports.context import agencies_with_parents, archive_name, load_site_data
from reports.views import segments


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory):
    return seed_folder(tmp_path_factory.mktemp("context"))


def load(seeded, reviews=None, archive_dir: Path | None = None):
    with seeded.store.session() as session:
        return load_site_data(session, reviews=seeded.reviews if reviews is None else reviews,
                              broken_after=3, archive_dir=archive_dir or seeded.archive_dir)


@pytest.fixture(scope="module")
def data(seeded):
    return load(seeded)


def test_dismissed_findings_are_left_out(seeded, data) -> None:
    assert seeded.finding_ids["vega_denial"] not in {f.id for f in data.findings}


def test_without_reviews_every_finding_is_published(seeded) -> None:
    assert len(load(seeded, reviews={}).findings) == len(seeded.finding_ids)


def test_findings_are_newest_first(data) -> None:
    seen = [f.first_seen for f in data.findings]
    assert seen == sorted(seen, reverse=True)


def test_evidence_is_newest_version_first_and_only_the_latest_has_an_anchor(seeded, data) -> None:
    finding = data.by_id()[seeded.finding_ids["hsi_pilot"]]
    assert [(e.section, e.anchor) for e in finding.evidence] == [("page 2", "page-2"),
                                                                 ("page 2", "")]


def test_the_same_passage_in_two_sources_is_linked_both_ways(seeded, data) -> None:
    ids = seeded.finding_ids
    by_id = data.by_id()
    assert (by_id[ids["lakeshore_lookup"]].same_passage,
            by_id[ids["prairie_lookup"]].same_passage) == ((ids["prairie_lookup"],),
                                                          (ids["lakeshore_lookup"],))


def test_marked_words_become_marked_parts(seeded, data) -> None:
    finding = data.by_id()[seeded.finding_ids["ice_warrant"]]
    assert [p.text for p in finding.parts if p.marked] == ["ICE WARRANT"]


def test_a_non_http_document_url_is_not_kept_as_a_link(seeded, data) -> None:
    finding = data.by_id()[seeded.finding_ids["leads_fbi"]]
    assert finding.evidence[0].source_url is None


def test_a_missing_archive_file_means_no_archive_link(seeded, tmp_path: Path) -> None:
    empty = load(seeded, archive_dir=tmp_path)
    assert ({e.archive_name for f in empty.findings for e in f.evidence},
            empty.archive_files) == ({None}, {})


def test_archived_files_of_evidence_and_of_document_versions_are_published(data) -> None:
    versions = {v.archive_name for d in data.documents for v in d.versions}
    assert (len(data.archive_files), set(data.archive_files) >= versions) == (7, True)


def test_a_passage_gone_from_the_latest_version_is_flagged_as_such(seeded, data) -> None:
    by_id = data.by_id()
    assert (by_id[seeded.finding_ids["border_patrol_audit"]].only_in_older_versions,
            by_id[seeded.finding_ids["hsi_pilot"]].only_in_older_versions) == (True, False)


def test_new_in_latest_run_are_findings_first_seen_since_it_started(seeded, data) -> None:
    assert {f.id for f in data.new_in_latest_run} == {
        seeded.finding_ids["prairie_lookup"], seeded.finding_ids["leads_fbi"]}


def test_a_state_wide_source_is_filed_under_the_state(seeded, data) -> None:
    finding = data.by_id()[seeded.finding_ids["border_patrol_audit"]]
    assert (finding.place.label, finding.place.path) == ("Illinois", "places/illinois/")


def test_every_watched_place_has_a_facet_even_without_findings(data) -> None:
    counts = {facet.label: len(items) for facet, items in data.places.items()}
    assert counts == {"Cedar County, IL": 0, "Illinois": 1, "Lakeshore, IL": 2,
                      "Marlow, IL": 3, "Oakmont, IL": 0, "Prairie Grove, IL": 2}


def test_agencies_and_categories_group_the_findings(data) -> None:
    assert ({f.label: len(v) for f, v in data.agencies.items()},
            {f.key: len(v) for f, v in data.categories.items()}) == (
        {"FBI": 1, "ICE": 1, "CBP": 2, "Texas DPS": 1, "HSI": 1},
        {"sharing_agreement": 3, "immigration_search": 1, "federal_access": 3,
         "out_of_state_sharing": 1})


def test_documents_list_only_published_findings(seeded, data) -> None:
    lakeshore = next(d for d in data.documents if d.title.startswith("Regular Board"))
    assert set(lakeshore.finding_ids) == {seeded.finding_ids["hsi_pilot"],
                                          seeded.finding_ids["lakeshore_lookup"]}


@pytest.mark.parametrize("path,content_type,name", [
    ("ab/abc.pdf", "application/pdf", "abc.pdf"),
    ("ab/abc.html", "text/html", "abc.txt"),
    ("ab/abc", "text/html; charset=utf-8", "abc.txt"),
    ("ab/abc.svg", "image/svg+xml", "abc.txt"),
    ("ab/abc.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "abc.xlsx"),
    ("ab/abc", "application/octet-stream", "abc.bin"),
    ("ab/abc.p<d>f", "application/pdf", "abc.bin"),
])
def test_archived_files_get_a_safe_published_name(path: str, content_type: str,
                                                  name: str) -> None:
    assert archive_name("abc", path, content_type) == name


def test_overlapping_highlights_merge_into_one_mark() -> None:
    parts = segments("federal agents searched", [(0, 7), (4, 14)])
    assert [(p.text, p.marked) for p in parts] == [("federal agents", True),
                                                    (" searched", False)]


def test_highlights_outside_the_text_are_ignored() -> None:
    parts = segments("abc", [(5, 9), (-3, -1)])
    assert [(p.text, p.marked) for p in parts] == [("abc", False)]


def test_section_offsets_shift_highlights_into_the_section() -> None:
    parts = segments("page two text", [(105, 108)], offset=100)
    assert [(p.text, p.marked) for p in parts] == [("page ", False), ("two", True),
                                                    (" text", False)]


PARENTS = {"ERO": "ICE", "HSI": "ICE", "ICE": "DHS", "USBP": "CBP", "CBP": "DHS", "DHS": None}


def test_an_agencys_parts_are_grouped_under_it_and_its_parents(seeded) -> None:
    with seeded.store.session() as session:
        data = load_site_data(session, reviews=seeded.reviews, broken_after=3,
                              archive_dir=seeded.archive_dir, parents=PARENTS)
    hsi = seeded.finding_ids["hsi_pilot"]
    groups = {facet.label: {f.id for f in found} for facet, found in data.agencies.items()}
    assert hsi in groups["HSI"] and hsi in groups["ICE"] and hsi in groups["DHS"]


def test_a_finding_naming_an_agency_and_its_parent_is_listed_once_under_the_parent() -> None:
    from reports.views import Facet

    named = [Facet("agencies", "ero", "ERO", ""), Facet("agencies", "ice", "ICE", "")]
    assert [f.label for f in agencies_with_parents(named, PARENTS, {})] == ["ERO", "ICE", "DHS"]


def test_a_finding_is_dated_by_its_oldest_document_not_by_the_crawl(data) -> None:
    dated = [f for f in data.findings if f.dated]
    assert dated and all(f.event_date.date().isoformat() == f.dated[:10] for f in dated)
    assert all(f.event_date < f.first_seen for f in dated)


def test_a_finding_without_a_dated_document_keeps_the_day_it_was_found(data) -> None:
    undated = [f for f in data.findings if not f.dated]
    assert all(f.event_date == f.first_seen for f in undated)
