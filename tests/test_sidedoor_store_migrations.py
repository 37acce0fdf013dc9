"""Schema migrations: a new store is made by them, an old one is brought up to date, and the
models never drift from the migrations; on SQLite and on PostgreSQL (``db_url``)."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text

from sidedoor.store import Base, Store
from sidedoor.store.migrate import BASELINE, MIGRATIONS, config, migrate, ours


def head(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def test_a_new_store_is_made_by_the_migrations_at_their_newest_revision(db_url):
    Store.open(db_url)
    assert head(db_url) is not None
    engine = create_engine(db_url)
    assert {"sources", "documents", "findings", "alembic_version"} <= set(
        inspect(engine).get_table_names())
    engine.dispose()


def test_the_models_match_the_migrations(db_url):
    """Fails when sidedoor/store/models.py changed without a migration (make migration)."""
    engine = create_engine(db_url)
    migrate(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_name": ours})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def made_before_migrations(engine: Engine) -> None:
    """The baseline schema with no alembic_version table: a store of sidedoor 0.1."""
    with engine.begin() as connection:
        command.upgrade(config(connection), BASELINE)
        connection.execute(text("DROP TABLE alembic_version"))


def test_a_store_made_before_migrations_is_stamped_and_kept(db_url):
    engine = create_engine(db_url)
    made_before_migrations(engine)
    with engine.begin() as db:
        db.execute(text("INSERT INTO runs (started_at, command) VALUES ('2025-01-01', 'old')"))
        db.execute(text("INSERT INTO sources (id, name, place, state, kind, platform, "
                        "start_urls, schedule, enabled) VALUES ('town_board', 'Town', 'Town', "
                        "'IL', 'minutes', 'document_index', '[]', '0 6 * * *', true)"))
    migrate(engine)
    assert head(db_url) == newest()
    with engine.connect() as db:
        assert db.execute(text("SELECT command FROM runs")).fetchall() == [("old",)]
        assert db.execute(text("SELECT list_id, verified FROM sources")).fetchall() == [
            (None, True)]
    engine.dispose()


def newest() -> str:
    return max(p.name.split("_")[0] for p in (MIGRATIONS / "versions").glob("0*.py"))


def test_migrating_twice_changes_nothing(db_url):
    engine = create_engine(db_url)
    migrate(engine)
    first = head(db_url)
    migrate(engine)
    assert head(db_url) == first
    engine.dispose()


def test_the_scheduler_s_job_table_is_not_sidedoor_s_to_migrate():
    assert not ours("scheduler_jobs", "table", None)
    assert ours("findings", "table", None)


def test_processes_opening_a_new_postgresql_store_at_once_both_succeed(postgres_url):
    """Workers on several machines may start together on an empty database: one migrates,
    the others wait for it and find the schema there."""
    import threading

    from sqlalchemy import create_engine

    engines = [create_engine(postgres_url) for _ in range(4)]
    start = threading.Barrier(len(engines))
    failures: list[BaseException] = []

    def open_store(engine) -> None:
        start.wait()
        try:
            migrate(engine)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            failures.append(exc)

    threads = [threading.Thread(target=open_store, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    stuck = [t for t in threads if t.is_alive()]  # without the lock their DDL deadlocks
    if not stuck:
        for engine in engines:
            engine.dispose()
    assert (stuck, failures) == ([], [])
