"""Schema migrations (Alembic), applied whenever a store is opened.

``migrate(engine)`` brings a database to the newest revision. A database made before sidedoor
had migrations (tables, but no ``alembic_version``) holds the baseline schema and is stamped
with it first. Maintainers who change ``sidedoor/store/models.py`` write the matching revision
with ``make migration m="what changed"`` (``python -m sidedoor.store.migrate "what changed"``),
which compares the models with a fresh database at the newest revision; review the file it
writes like code. ``tests/test_sidedoor_store_migrations.py`` fails while models and
migrations disagree.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, inspect, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"
# Tables in the store's database that are not sidedoor's models: APScheduler's job store.
FOREIGN_TABLES = frozenset({"scheduler_jobs"})


def ours(name: str | None, kind: str, _parent: object) -> bool:
    """Whether Alembic should look at a database object (not the scheduler's job table)."""
    return not (kind == "table" and name in FOREIGN_TABLES)


def config(connection: Connection) -> Config:
    """Alembic's configuration for migrating over ``connection``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


# A PostgreSQL advisory lock key (any fixed number): processes that open one new store at
# once (``sidedoor worker`` on several machines) migrate it one after the other.
MIGRATION_LOCK = 0x51DED002


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema revision."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": MIGRATION_LOCK})
        tables = set(inspect(connection).get_table_names())
        cfg = config(connection)
        if "alembic_version" not in tables and "sources" in tables:
            command.stamp(cfg, BASELINE)  # made by create_all before migrations existed
        command.upgrade(cfg, "head")


def new_revision(message: str) -> None:
    """Write a revision for the difference between the models and the newest revision."""
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{folder}/schema.sqlite")
        migrate(engine)
        with engine.begin() as connection:
            command.revision(config(connection), message=message, autogenerate=True)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit('usage: python -m sidedoor.store.migrate "what changed"')
    new_revision(sys.argv[1])
