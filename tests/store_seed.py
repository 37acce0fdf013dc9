"""Seed a Store from reviewable JSON (tests/fixtures/store_seed.json) for report tests.

The JSON says what a reader would check: documents as pages of text, findings as the exact
passage quoted and the words marked in it. The loader works out what the pipelines would
have stored: sha256 and archive path of each version, offsets and page of each occurrence,
offsets of marked words, and the stable finding id.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from config.reviews import Review, parse_reviews
from config.schema import SiteConfig
from sidedoor.store import (
    Document,
    DocumentVersion,
    Finding,
    Occurrence,
    Run,
    Source,
    SourceRun,
    Store,
)

SEED = Path(__file__).resolve().parent / "fixtures" / "store_seed.json"
SITE = SiteConfig(title="sidedoor test site", base_url="https://sidedoor.example.org/",
                  description="Findings from a small fictional store, for tests.",
                  language="en", author="sidedoor tests", broken_after=3)


@dataclass(frozen=True)
class Seeded:
    """What the seed put in the store, for tests to refer to."""

    store: Store
    archive_dir: Path
    now: datetime
    finding_ids: dict[str, str]  # seed key → finding id
    reviews: dict[str, Review]


def seed_folder(folder: Path, data: dict[str, Any] | None = None) -> Seeded:
    """A seeded SQLite store and archive inside ``folder``."""
    (folder / "archive").mkdir(parents=True, exist_ok=True)
    return seed_store(f"sqlite:///{folder / 'store.sqlite'}", folder / "archive", data)


def seed_finding_id(source_id: str, snippet: str, category: str) -> str:
    """A stable 20-character id like the engine's, made here so goldens do not follow it."""
    key = "\x1f".join((source_id, " ".join(snippet.split()).casefold(), category))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def load_seed(path: Path = SEED) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def seed_store(url: str, archive_dir: Path, data: dict[str, Any] | None = None) -> Seeded:
    """Open a store at ``url``, fill it from the seed, write the archived files."""
    data = data if data is not None else load_seed()
    store = Store.open(url)
    with store.session() as s:
        s.add_all(Source(**source) for source in data["sources"])
        s.flush()
        _add_runs(s, data["runs"])
        versions = _add_documents(s, data["documents"], archive_dir)
        ids = _add_findings(s, data["findings"], versions)
    reviews = parse_reviews({"reviews": {ids[k]: v for k, v in data["reviews"].items()}},
                            path=Path("store_seed.json"))
    return Seeded(store, archive_dir, when(data["now"]), ids, reviews)


def _add_runs(s: Any, runs: list[dict[str, Any]]) -> None:
    for raw in runs:
        run = Run(started_at=when(raw["started_at"]), finished_at=when(raw["finished_at"]),
                  command=raw["command"])
        s.add(run)
        s.flush()
        for source_id, outcome in raw["outcomes"].items():
            messages = raw.get("errors", {}).get(source_id, [])
            s.add(SourceRun(run_id=run.id, source_id=source_id, started_at=run.started_at,
                            finished_at=run.finished_at, outcome=outcome,
                            errors=len(messages), error_messages=messages))


def _add_documents(s: Any, documents: list[dict[str, Any]], archive_dir: Path
                   ) -> dict[str, tuple[DocumentVersion, str]]:
    versions: dict[str, tuple[DocumentVersion, str]] = {}
    for raw in documents:
        first = when(raw["versions"][0]["fetched_at"])
        last = when(raw["versions"][-1]["fetched_at"])
        doc = Document(source_id=raw["source_id"], url=raw["url"], title=raw["title"],
                       first_seen=first, last_seen=last, checked_at=last)
        s.add(doc)
        s.flush()
        for number, version in enumerate(raw["versions"], start=1):
            row = _version(doc, version, archive_dir)
            s.add(row)
            s.flush()
            versions[f"{raw['key']}@{number}"] = (row, raw["source_id"])
    return versions


def _version(doc: Document, raw: dict[str, Any], archive_dir: Path) -> DocumentVersion:
    text, sections, cursor = "", [], 0
    for label, page in raw["pages"].items():
        if text:
            text += "\n\n"
            cursor = len(text)
        text += page
        sections.append({"label": label, "start": cursor, "end": len(text)})
    body = text.encode("utf-8")
    sha = hashlib.sha256(body).hexdigest()
    archive_path = f"{sha[:2]}/{sha}{raw['suffix']}"
    (archive_dir / archive_path).parent.mkdir(parents=True, exist_ok=True)
    (archive_dir / archive_path).write_bytes(body)
    return DocumentVersion(
        document_id=doc.id, sha256=sha, fetched_at=when(raw["fetched_at"]),
        content_type=raw["content_type"], size=len(body), title=doc.title,
        published=raw.get("published"), archive_path=archive_path, text=text,
        sections=sections, etag=None, last_modified=None)


def _add_findings(s: Any, findings: list[dict[str, Any]],
                  versions: dict[str, tuple[DocumentVersion, str]]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for raw in findings:
        first_version, source_id = versions[raw["in"][0]]
        source = s.get(Source, source_id)
        snippet = raw["snippet"]
        fid = seed_finding_id(source_id, snippet, raw["category"])
        ids[raw["key"]] = fid
        s.add(Finding(
            id=fid, source_id=source_id, category=raw["category"], agencies=raw["agencies"],
            place=source.place, state=source.state, snippet=snippet,
            highlights=[_locate(snippet, word) for word in raw["marked"]],
            confidence=raw["confidence"], rules=raw["rules"],
            first_seen=when(raw["first_seen"]), last_seen=when(raw["last_seen"])))
        s.flush()
        for key in raw["in"]:
            version = versions[key][0]
            start = version.text.index(snippet)
            s.add(Occurrence(finding_id=fid, version_id=version.id, start=start,
                             end=start + len(snippet), section=_section(version, start),
                             first_seen=version.fetched_at))
    return ids


def _locate(snippet: str, word: str) -> list[int]:
    start = snippet.index(word)
    return [start, start + len(word)]


def _section(version: DocumentVersion, offset: int) -> str:
    return next(s["label"] for s in version.sections if s["start"] <= offset < s["end"])
