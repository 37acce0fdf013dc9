"""The store: SQLite by default, any SQLAlchemy URL (PostgreSQL) by ``SIDEDOOR_DB_URL``.

Writes are idempotent upserts keyed on stable ids (source + URL + sha256 for document
versions, the finding id for findings), and each document is saved in one transaction, so a
crash never leaves half a document and re-running a crawl changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Self

from sqlalchemy import Engine, create_engine, event, func, select, update
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from sidedoor.store.migrate import migrate
from sidedoor.store.models import (
    Base,
    Document,
    DocumentVersion,
    Finding,
    Occurrence,
    Run,
    Source,
    SourceRun,
)
from sidedoor.store.records import (
    FactRecord,
    FindingRecord,
    SourceRecord,
    SourceRunRecord,
    StoredDocument,
    VersionRecord,
)
from sidedoor.store.saving import save_document

__all__ = [
    "Base", "Document", "DocumentVersion", "FactRecord", "Finding", "FindingRecord",
    "Occurrence", "Run",
    "Source", "SourceRun", "SourceRecord", "SourceRunRecord", "Store", "StoreError",
    "StoredDocument",
    "VersionRecord",
]


class StoreError(Exception):
    """The store cannot be opened or written; the message names the database URL."""


def _still_there(store: Store) -> bool:
    """False when a SQLite file was deleted since it was opened (``demo --fresh``, tests)."""
    database = store.engine.url.database
    if store.engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return True
    return Path(database).exists()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:  # Any: DB-API objects
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL syncs the disk at checkpoints, not at every commit: a commit is in the
    # operating system's hands when it returns, so a process that crashes or is killed loses
    # nothing committed. Only a power cut or an operating-system crash can lose the last
    # commits (never leaving the file corrupt); the next crawl fetches those documents again.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Store:
    """Reads and writes sidedoor's records."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    _open: ClassVar[dict[str, Store]] = {}

    @classmethod
    def open(cls, url: str) -> Self:
        """The store at a SQLAlchemy URL, created if needed; one per URL and process, since
        every Scrapy component of every crawler in a crawl process asks for it."""
        known = cls._open.get(url)
        if known is not None and isinstance(known, cls) and _still_there(known):
            return known
        store = cls._create(url)
        cls._open[url] = store
        return store

    @classmethod
    def _create(cls, url: str) -> Self:
        try:
            engine = create_engine(url)
        except NoSuchModuleError as exc:
            raise StoreError(f"SIDEDOOR_DB_URL {url!r}: SQLAlchemy has no database driver "
                             "for it; use sqlite:///... or postgresql+psycopg://...") from exc
        except ArgumentError as exc:
            raise StoreError(f"SIDEDOOR_DB_URL {url!r} is not a database URL; use "
                             "sqlite:///path/to/sidedoor.sqlite or "
                             "postgresql+psycopg://user@host/db") from exc
        except ImportError as exc:
            raise StoreError(f"SIDEDOOR_DB_URL {url!r} needs the Python package "
                             f"{exc.name!r}, which is not installed: "
                             f".venv/bin/pip install {exc.name}") from exc
        if engine.dialect.name == "sqlite":
            database = engine.url.database
            if database and database != ":memory:":
                try:
                    Path(database).parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError(f"cannot create the data folder {Path(database).parent}: "
                                     f"{exc.strerror}; set SIDEDOOR_DATA_DIR to a folder "
                                     "you can write") from exc
            event.listen(engine, "connect", _sqlite_pragmas)
        try:
            migrate(engine)
        except Exception as exc:  # SQLAlchemy raises many kinds; all mean the same to a user
            detail = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
            raise StoreError(f"cannot open the store at {url}: {detail}") from exc
        return cls(engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on error."""
        with self.sessions.begin() as session:
            yield session

    def places(self) -> dict[str, str]:
        """Every place a source watches, with its state."""
        with self.session() as s:
            return {row.place: row.state for row in s.execute(select(Source.place, Source.state))}

    def sync_sources(self, sources: Iterable[SourceRecord]) -> None:
        """Insert or update the configured sources.

        Processes that start together (``sidedoor worker`` on several machines) may race to
        insert the same new source; the one that loses merges again, finding it there.
        """
        records = list(sources)
        try:
            self._merge_sources(records)
        except IntegrityError:
            self._merge_sources(records)

    def _merge_sources(self, records: list[SourceRecord]) -> None:
        with self.session() as s:
            for record in records:
                s.merge(Source(**record.__dict__))

    def start_run(self, command: str, now: datetime) -> int:
        with self.session() as s:
            run = Run(started_at=now, finished_at=None, command=command)
            s.add(run)
            s.flush()
            return run.id

    def finish_run(self, run_id: int, now: datetime) -> None:
        with self.session() as s:
            run = s.get(Run, run_id)
            if run is None:
                raise StoreError(f"no run {run_id} in the store")
            run.finished_at = now

    def unsettled_findings(self) -> set[str]:
        """Ids of the findings no finished run has seen: no build can have published them
        yet, so a crawl may still give a fact the smallest id of its evidence (saving.py)
        even when the run that began it was killed midway."""
        with self.session() as s:
            settled = s.scalar(select(func.max(Run.finished_at)))
            query = select(Finding.id)
            if settled is not None:
                query = query.where(Finding.first_seen > settled)
            return set(s.scalars(query))

    def record_source_run(self, run_id: int, record: SourceRunRecord) -> None:
        self.record_source_runs(run_id, [record])

    def record_source_runs(self, run_id: int, records: Iterable[SourceRunRecord]) -> None:
        """Save sources' outcomes of a run, in one transaction."""
        with self.session() as s:
            s.add_all(SourceRun(run_id=run_id, **record.__dict__) for record in records)

    def source_runs(self, run_id: int) -> list[SourceRun]:
        with self.session() as s:
            rows = s.scalars(select(SourceRun).where(SourceRun.run_id == run_id)).all()
            return list(rows)

    def never_crawled(self, source_ids: Iterable[str]) -> set[str]:
        """Of ``source_ids``, those with no document stored yet: their first crawl finds
        old news (a finding's ``backfill``)."""
        ids = set(source_ids)
        with self.session() as s:
            seen = set(s.scalars(select(Document.source_id).distinct()
                                 .where(Document.source_id.in_(ids))))
        return ids - seen

    def has_version(self, source_id: str, url: str, sha256: str) -> bool:
        """Whether this exact content of this URL is already stored."""
        with self.session() as s:
            found = s.scalar(
                select(DocumentVersion.id)
                .join(Document, Document.id == DocumentVersion.document_id)
                .where(Document.source_id == source_id, Document.url == url)
                .where(DocumentVersion.sha256 == sha256)
            )
            return found is not None

    def latest_snapshot(self, source_id: str, url: str) -> DocumentVersion | None:
        """The newest stored version of a source's URL that has structured data (a portal
        snapshot), or None."""
        query = (select(DocumentVersion)
                 .join(Document, Document.id == DocumentVersion.document_id)
                 .where(Document.source_id == source_id, Document.url == url,
                        DocumentVersion.data.is_not(None))
                 .order_by(DocumentVersion.fetched_at.desc(), DocumentVersion.id.desc())
                 .limit(1))
        with self.session() as s:
            return s.scalar(query)

    def stored_documents(self, source_id: str) -> dict[str, StoredDocument]:
        """The newest stored version of each of a source's documents, by URL, in one query
        (a re-crawl asks this once per source instead of once per listed document)."""
        query = (select(Document.url, Document.checked_at, DocumentVersion.id,
                        DocumentVersion.archive_path,
                        DocumentVersion.content_type, DocumentVersion.etag,
                        DocumentVersion.last_modified)
                 .join(Document, Document.id == DocumentVersion.document_id)
                 .where(Document.source_id == source_id)
                 .order_by(DocumentVersion.fetched_at, DocumentVersion.id))
        with self.session() as s:
            # ordered oldest first, so each URL ends up with its newest version
            return {row.url: StoredDocument(
                version_id=row.id, archive_path=row.archive_path,
                content_type=row.content_type, etag=row.etag, last_modified=row.last_modified,
                checked_at=row.checked_at) for row in s.execute(query)}

    def touch_document(self, source_id: str, url: str, sha256: str, now: datetime,
                       checked: bool = True) -> None:
        """Mark an unchanged document, and the findings in it, as seen again.

        ``checked``: the server confirmed the content (not just our archived copy).
        """
        with self.session() as s:
            version_id = s.scalar(
                select(DocumentVersion.id)
                .join(Document, Document.id == DocumentVersion.document_id)
                .where(Document.source_id == source_id, Document.url == url,
                       DocumentVersion.sha256 == sha256))
        if version_id is not None:
            self.touch_versions([version_id], now, checked=checked)

    def touch_versions(self, version_ids: Sequence[int], now: datetime,
                       checked: bool = True) -> None:
        """Mark these stored versions' documents, and the findings in them, as seen again,
        in one transaction. ``checked``: the server confirmed the content."""
        with self.session() as s:
            for start in range(0, len(version_ids), 500):
                chunk = version_ids[start:start + 500]
                documents = select(DocumentVersion.document_id).where(
                    DocumentVersion.id.in_(chunk))
                s.execute(update(Document).where(Document.id.in_(documents),
                                                 Document.last_seen < now)
                          .values(last_seen=now))
                if checked:
                    # the document page shows when it was checked: its revision moves
                    s.execute(update(Document).where(Document.id.in_(documents),
                                                     Document.checked_at < now)
                              .values(checked_at=now, revision=Document.revision + 1))
                findings = select(Occurrence.finding_id).where(Occurrence.version_id.in_(chunk))
                s.execute(update(Finding).where(Finding.id.in_(findings),
                                                Finding.last_seen < now)
                          .values(last_seen=now))

    def save_document(
        self,
        source: SourceRecord,
        url: str,
        version: VersionRecord,
        findings: Sequence[FindingRecord],
        now: datetime,
        fresh: set[str] | None = None,
    ) -> tuple[bool, int]:
        """Save a document version and its findings in one transaction (saving.py); ``fresh``
        collects the ids of the facts made by this caller (one crawl process).

        Returns (whether the version is new, how many findings are new).
        """
        with self.session() as s:
            return save_document(s, source, url, version, findings, now, fresh)

    def count_findings(self) -> int:
        with self.session() as s:
            return s.scalar(select(func.count(Finding.id))) or 0

