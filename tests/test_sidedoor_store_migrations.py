"""Schema migrations: a new store is made by them, an old one is brought up to date, and the
models never drift from the migrations."""

from __future__ import annotations

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from sidedoor.store import Base, Store
from sidedoor.store.migrate import BASELINE, migrate, ours


def head(url: str) -> str | None:
    with create_engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_a_new_store_is_made_by_the_migrations_at_their_newest_revision(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    Store.open(url)
    assert head(url) is not None
    assert {"sources", "documents", "findings", "alembic_version"} <= set(
        inspect(create_engine(url)).get_table_names())


def test_the_models_match_the_migrations():
    """Fails when sidedoor/store/models.py changed without a migration (make migration)."""
    engine = create_engine("sqlite://")
    migrate(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_name": ours})
        assert compare_metadata(context, Base.metadata) == []


def test_a_store_made_before_migrations_is_stamped_and_kept(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    Base.metadata.create_all(create_engine(url))
    with sqlite3.connect(tmp_path / "s.sqlite") as db:
        db.execute("INSERT INTO runs (started_at, command) VALUES ('2025-01-01', 'old')")
    migrate(create_engine(url))
    assert head(url) is not None and head(url) >= BASELINE
    with sqlite3.connect(tmp_path / "s.sqlite") as db:
        assert db.execute("SELECT command FROM runs").fetchall() == [("old",)]


def test_migrating_twice_changes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    migrate(create_engine(url))
    first = head(url)
    migrate(create_engine(url))
    assert head(url) == first


def test_the_scheduler_s_job_table_is_not_sidedoor_s_to_migrate():
    assert not ours("scheduler_jobs", "table", None)
    assert ours("findings", "table", None)
