"""config/reviews.yaml: decisions by finding id; errors name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.reviews import REVIEWS_PATH, ReviewStatus, load_reviews
from config.schema import ConfigError

ID = "0123456789abcdef0123"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "reviews.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_reviews_file_is_valid() -> None:
    assert isinstance(load_reviews(REVIEWS_PATH), dict)


def test_a_missing_file_means_no_reviews(tmp_path: Path) -> None:
    assert load_reviews(tmp_path / "absent.yaml") == {}


def test_a_dismissal_is_read_with_its_note(tmp_path: Path) -> None:
    path = write(tmp_path, f"reviews:\n  {ID}:\n    status: dismissed\n    note: A denial.\n")
    review = load_reviews(path)[ID]
    assert (review.status, review.note, review.dismissed) == (ReviewStatus.DISMISSED,
                                                              "A denial.", True)


def test_an_unknown_status_names_the_file_the_id_and_the_choices(tmp_path: Path) -> None:
    path = write(tmp_path, f"reviews:\n  {ID}:\n    status: maybe\n")
    with pytest.raises(ConfigError) as error:
        load_reviews(path)
    assert str(error.value) == (f"{path}: reviews.{ID}.status: expected 'confirmed' or "
                                "'dismissed', got 'maybe'")


def test_a_malformed_id_says_where_to_find_the_real_one(tmp_path: Path) -> None:
    path = write(tmp_path, "reviews:\n  findings/abc:\n    status: confirmed\n")
    with pytest.raises(ConfigError, match=r"reviews\.findings/abc: not a finding id; copy"):
        load_reviews(path)


def test_a_misspelt_key_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, f"reviews:\n  {ID}:\n    status: confirmed\n    notes: typo\n")
    with pytest.raises(ConfigError, match=rf"reviews\.{ID}\.notes: unknown key"):
        load_reviews(path)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    other = "f" * 20
    path = write(tmp_path, f"reviews:\n  {ID}:\n    note: x\n  {other}:\n    status: nope\n")
    with pytest.raises(ConfigError) as error:
        load_reviews(path)
    assert len(str(error.value).splitlines()) == 2


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "reviews: [unclosed\n")
    with pytest.raises(ConfigError, match=f"{path}: not valid YAML"):
        load_reviews(path)
