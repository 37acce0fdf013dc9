"""Tests of pipelines/pagesplit.py: the second half of a long PDF read in a forked child."""

from __future__ import annotations

import io
import os

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from config.limits import Limits
from pipelines import pagesplit
from pipelines.pdftext import pdf_text
from pipelines.sections import LimitExceeded

URL = "https://town.example.gov/minutes/long.pdf"


@pytest.fixture
def idle(monkeypatch):
    """Split whatever the machine's load (the tests must not depend on it)."""
    monkeypatch.setattr(pagesplit, "idle_core", lambda: True)


def long_pdf(pages: int) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter)
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica", 11)
        canvas.drawString(72, 700, f"Page {number} of the minutes: the board met")
        canvas.drawString(72, 684, "with the chief about the plate reader contract.")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def pids(part: range) -> list[tuple[int, int]]:
    return [(index, os.getpid()) for index in part]


def test_second_half_is_read_by_another_process(idle):
    result = pagesplit.read_pages(30, pids)
    assert [index for index, _ in result] == list(range(30))
    assert {pid for _, pid in result[:15]} == {os.getpid()}
    assert os.getpid() not in {pid for _, pid in result[15:]}


def test_short_document_is_read_in_this_process(idle):
    result = pagesplit.read_pages(pagesplit.SPLIT_PAGES - 1, pids)
    assert {pid for _, pid in result} == {os.getpid()}


def test_busy_machine_reads_in_this_process(monkeypatch):
    monkeypatch.setattr(pagesplit, "idle_core", lambda: False)
    assert {pid for _, pid in pagesplit.read_pages(40, pids)} == {os.getpid()}


def test_failed_child_half_is_read_by_the_parent(idle):
    parent = os.getpid()

    def read(part: range) -> list[int]:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return list(part)

    assert pagesplit.read_pages(30, read) == list(range(30))


def test_early_stop_in_first_half_drops_the_rest(idle):
    def read(part: range) -> list[int]:
        return list(part)[:3]

    assert pagesplit.read_pages(30, read) == [0, 1, 2]


def test_split_pdf_reads_the_same_text_and_pages(idle, monkeypatch):
    body = long_pdf(40)
    split = pdf_text(body, URL)
    monkeypatch.setattr(pagesplit, "idle_core", lambda: False)
    whole = pdf_text(body, URL)
    assert split.pages == whole.pages
    assert len(split.pages) == 40
    assert split.pages[39].startswith("Page 40 of the minutes")


def test_text_limit_passed_in_the_child_half_fails_as_unsplit(idle, monkeypatch):
    body = long_pdf(40)
    limits = Limits(text_chars=2_500)  # passed on about page 27, in the child's half
    with pytest.raises(LimitExceeded) as split:
        pdf_text(body, URL, limits=limits)
    monkeypatch.setattr(pagesplit, "idle_core", lambda: False)
    with pytest.raises(LimitExceeded) as whole:
        pdf_text(body, URL, limits=limits)
    assert str(split.value) == str(whole.value)
    assert "text characters" in str(split.value)
