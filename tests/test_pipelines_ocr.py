"""Tests of pipelines/ocr.py: the OCR budget and the rendering scale."""

from __future__ import annotations

import pytest

from pipelines.ocr import OcrBudget, OcrFailed, OcrUnavailable, ocr_image, scale_for


def test_a_spent_budget_refuses_pages_and_says_which():
    budget = OcrBudget(pages=1, seconds=30)
    allowed = []
    for page in (1, 2, 3):
        if budget.allows(page):
            allowed.append(page)
            budget.pages -= 1  # what ocr_image spends on a page
    assert (allowed, budget.note()) == ([1], "2 scanned page(s) not OCRed (2, 3): over "
                                             "limits.ocr_pages or limits.ocr_seconds in "
                                             "config/site.yaml")


def test_a_budget_out_of_seconds_refuses_the_next_page():
    assert OcrBudget(pages=10, seconds=0).allows(1) is False


def test_a_letter_page_is_rendered_at_300_dpi():
    assert scale_for(612, 792, 300, 35) == pytest.approx(300 / 72)


def test_a_200_inch_page_is_rendered_within_the_megapixels():
    scale = scale_for(14400, 14400, 300, 35)
    assert (14400 * scale) ** 2 == pytest.approx(35_000_000)


def test_a_missing_tesseract_is_unavailable():
    with pytest.raises(OcrUnavailable, match=r"apt-get install tesseract-ocr"):
        ocr_image(b"P5\n1 1\n255\n\x00", OcrBudget(1, 1), command="no-such-tesseract")


def test_a_failing_tesseract_says_how():
    with pytest.raises(OcrFailed, match=r"^tesseract failed \(exit 1\): no message$"):
        ocr_image(b"P5\n1 1\n255\n\x00", OcrBudget(1, 1), command="false")
