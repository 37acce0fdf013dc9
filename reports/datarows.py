"""Each finding's line of findings.json and row of findings.csv, kept from build to build.

Encoding findings is most of what the open data costs, and a day's crawl changes few of
them. So each finding's fragments are keyed by a digest of everything they show
(``reports/incremental.py``), and ``STATE_FILE``, published beside the data files it
describes, lists in file order each finding's digest and the byte lengths of its line and
row. The next build takes an unchanged finding's fragments from the previous build's
files (mapped, not read whole) instead of encoding it again.
"""

from __future__ import annotations

import json
import logging
import mmap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)
STATE_FILE = "data/.sidedoor-rows.json"
JSON_FILE = "data/findings.json"
CSV_FILE = "data/findings.csv"
JSON_SEPARATOR = b",\n"  # between two lines of findings.json
_FORMAT = 2
_DIGEST = 64  # hexadecimal characters of a row's digest


@dataclass(frozen=True)
class Row:
    """One finding's fragments."""

    digest: str
    json: bytes  # its line of findings.json, without the separator
    csv: bytes  # its row of findings.csv, line end included


class PreviousRows:
    """The fragments of the previous build's findings, by digest. Use as a context manager:
    the previous files stay mapped until it closes."""

    def __init__(self, previous: Path | None) -> None:
        self.previous = previous
        self._where: dict[str, tuple[int, int, int, int]] = {}
        self._maps: list[mmap.mmap] = []

    def __enter__(self) -> PreviousRows:
        if self.previous is not None:
            try:
                self._open(self.previous)
            except (OSError, ValueError, TypeError, KeyError) as exc:
                logger.info("no usable open data rows in %s (%s); encoding every finding",
                            self.previous, exc)
                self.close()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, digest: str) -> Row | None:
        """The previous build's fragments of a finding with this digest, if it had one."""
        where = self._where.get(digest)
        if where is None:
            return None
        json_at, json_end, csv_at, csv_end = where
        return Row(digest, self._maps[0][json_at:json_end], self._maps[1][csv_at:csv_end])

    def close(self) -> None:
        self._where = {}
        for mapped in self._maps:
            mapped.close()
        self._maps = []

    def _open(self, previous: Path) -> None:
        state = json.loads((previous / STATE_FILE).read_text(encoding="utf-8"))
        if state.get("format") != _FORMAT:
            raise ValueError(f"format {state.get('format')!r}")
        files = [(previous / JSON_FILE, state["json_size"]),
                 (previous / CSV_FILE, state["csv_size"])]
        for path, size in files:
            with path.open("rb") as handle:
                if size == 0 or path.stat().st_size != size:
                    raise ValueError(f"{path} is not the size its rows say")
                self._maps.append(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
        json_at, csv_at = int(state["json_start"]), int(state["csv_start"])
        digests: str = state["digests"]
        if len(digests) != _DIGEST * len(state["json_lengths"]):
            raise ValueError("as many digests as rows")
        for number, (json_length, csv_length) in enumerate(zip(
                state["json_lengths"], state["csv_lengths"], strict=True)):
            digest = digests[number * _DIGEST:(number + 1) * _DIGEST]
            self._where[digest] = (json_at, json_at + json_length, csv_at, csv_at + csv_length)
            json_at += json_length + len(JSON_SEPARATOR)
            csv_at += csv_length


def save_rows(out: Path, rows: Sequence[Row], *, json_start: int, csv_start: int) -> None:
    """Describe the fragments of this build's findings.json and findings.csv, in file order,
    for the next build. ``*_start`` is where the first finding starts in each file."""
    json_size = (out / JSON_FILE).stat().st_size
    csv_size = (out / CSV_FILE).stat().st_size
    state = {"format": _FORMAT, "json_start": json_start, "json_size": json_size,
             "csv_start": csv_start, "csv_size": csv_size,
             "digests": "".join(r.digest for r in rows),  # quicker to read than a list
             "json_lengths": [len(r.json) for r in rows],
             "csv_lengths": [len(r.csv) for r in rows]}
    (out / STATE_FILE).write_text(json.dumps(state, separators=(",", ":")), encoding="utf-8")
