"""Budget: a source's requests and time per run are bounded, and the limit is named."""

from __future__ import annotations

import pytest
from scrapy import Request

from spiders.middlewares.budget import Budget, BudgetSpent


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def request(source_id: str | None, n: int = 0, **meta: object) -> Request:
    return Request(f"http://127.0.0.1:8000/doc-{n}.pdf",
                   meta={"source_id": source_id, **meta} if source_id else meta)


def test_a_source_may_make_its_number_of_requests():
    budget = Budget(max_requests=3, max_seconds=0)
    for n in range(3):
        budget.process_request(request("town_board", n))


def test_the_request_past_the_limit_is_refused_naming_the_setting():
    budget = Budget(max_requests=3, max_seconds=0)
    for n in range(3):
        budget.process_request(request("town_board", n))
    with pytest.raises(BudgetSpent, match="stopped after 3 requests.*SIDEDOOR_SOURCE_MAX_REQUESTS"):
        budget.process_request(request("town_board", 3))


def test_each_source_has_its_own_budget():
    budget = Budget(max_requests=1, max_seconds=0)
    budget.process_request(request("town_board"))
    budget.process_request(request("county_board"))


def test_redirects_and_robots_txt_do_not_count():
    budget = Budget(max_requests=1, max_seconds=0)
    budget.process_request(request("town_board"))
    budget.process_request(request("town_board", 1, redirect_urls=["http://a/"]))
    budget.process_request(request(None))


def test_a_source_past_its_time_is_refused():
    clock = Clock()
    budget = Budget(max_requests=0, max_seconds=60, clock=clock)
    budget.process_request(request("town_board"))
    clock.now += 61
    with pytest.raises(BudgetSpent, match="stopped after 60 s"):
        budget.process_request(request("town_board", 1))
