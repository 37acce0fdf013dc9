"""Source health on the status page: last success, last error, and the broken flag."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from store_seed import seed_folder

from reports.sources import is_broken, list_health, load_sources
from sidedoor.store import Source


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory):
    seeded = seed_folder(tmp_path_factory.mktemp("sources"))
    with seeded.store.session() as session:
        return {s.id: s for s in load_sources(session, broken_after=3)}


def test_a_source_failing_its_last_three_runs_is_broken(sources) -> None:
    assert (sources["cedar_county_board"].broken,
            sources["cedar_county_board"].status) == (True, "broken")


def test_one_empty_run_after_successes_is_not_broken(sources) -> None:
    assert (sources["marlow_police_portal"].broken,
            sources["marlow_police_portal"].status) == (False, "empty")


def test_a_disabled_source_is_never_broken(sources) -> None:
    assert (sources["oakmont_city_council"].broken,
            sources["oakmont_city_council"].status) == (False, "disabled")


def test_last_error_keeps_its_time_and_message(sources) -> None:
    audit = sources["il_sos_alpr_audits"]
    assert (audit.last_error.day, audit.last_error_messages) == (
        5, ("https://sos.example.gov/alpr-audits: timed out after 180 s",))


def test_last_success_is_the_newest_ok_run(sources) -> None:
    assert sources["marlow_police_portal"].last_success.day == 5


def test_a_source_that_never_succeeded_has_no_last_success(sources) -> None:
    assert sources["cedar_county_board"].last_success is None


def test_documents_are_counted_per_source(sources) -> None:
    assert {k: s.documents for k, s in sources.items()} == {
        "cedar_county_board": 0, "il_sos_alpr_audits": 1, "lakeshore_village_board": 1,
        "marlow_police_portal": 1, "oakmont_city_council": 0,
        "prairie_grove_village_board": 2}


@pytest.mark.parametrize("outcomes,broken", [
    (("error", "empty", "error"), True),
    (("error", "error", "ok"), False),
    (("error", "error"), False),
    (("ok", "error", "error", "error"), False),
    (("empty", "empty", "empty", "ok"), True),
    ((), False),
])
def test_broken_means_the_newest_runs_all_failed_or_were_empty(
        outcomes: tuple[str, ...], broken: bool) -> None:
    assert is_broken(outcomes, 3) is broken


def in_list(source, list_id: str = "il_flock_portals", *, verified: bool = False):
    from dataclasses import replace

    return replace(source, list_id=list_id, verified=verified)


def test_a_source_list_is_one_row_with_its_counts_and_its_broken_members(sources) -> None:
    members = [in_list(sources["cedar_county_board"]), in_list(sources["marlow_police_portal"])]
    single, lists = list_health([sources["oakmont_city_council"], *members])
    (row,) = lists
    assert [s.id for s in single] == ["oakmont_city_council"]
    assert (row.list_id, row.sources, row.failing, row.unverified) == ("il_flock_portals", 2,
                                                                        2, 2)
    assert [s.id for s in row.broken] == ["cedar_county_board"]


def test_a_source_with_a_success_in_the_store_counts_as_verified(tmp_path) -> None:
    seeded = seed_folder(tmp_path)
    with seeded.store.session() as session:
        session.execute(update(Source).values(verified=False))
    with seeded.store.session() as session:
        found = {s.id: s for s in load_sources(session, broken_after=3)}
    succeeded = {i for i, s in found.items() if s.last_success is not None}
    assert succeeded and all(found[i].verified for i in succeeded)
    assert not any(s.verified for i, s in found.items() if i not in succeeded)


def test_the_sources_page_shows_a_list_as_one_row(tmp_path) -> None:
    from reports.build import build_site
    from tests.test_reports_site import SITE

    seeded = seed_folder(tmp_path)
    with seeded.store.session() as session:
        session.execute(update(Source).where(Source.id == "cedar_county_board")
                        .values(list_id="il_flock_portals", verified=False))
    build_site(seeded.store, tmp_path / "public", site=SITE, archive_dir=seeded.archive_dir,
               now=seeded.now, reviews=seeded.reviews, search_index=False)
    html = (tmp_path / "public" / "sources" / "index.html").read_text(encoding="utf-8")
    assert 'id="list-il_flock_portals"' in html and 'id="cedar_county_board"' not in html
    assert 'href="#list-il_flock_portals"' in html  # the broken member's link in the warning
