"""Backoff: Retry-After is honoured, 5xx doubles the delay, the cap holds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.backoff import next_delay, retry_after

NOW = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("value", "seconds"), [
    ("120", 120.0),
    ("Tue, 04 Mar 2025 12:02:00 GMT", 120.0),
    ("Tue, 04 Mar 2025 11:00:00 GMT", 0.0),
    ("soon", None),
    (None, None),
])
def test_retry_after_reads_seconds_and_dates(value, seconds):
    assert retry_after(value, NOW) == seconds


def test_a_429_waits_as_long_as_the_server_asks():
    assert next_delay(1.0, 429, 90.0, cap=300) == 90.0


def test_a_5xx_doubles_the_delay():
    assert next_delay(4.0, 502, None, cap=300) == 8.0


def test_the_delay_never_passes_the_cap():
    assert next_delay(200.0, 503, 3600.0, cap=300) == 300


def test_a_first_error_waits_at_least_a_second():
    assert next_delay(0.0, 500, None, cap=300) == 1.0
