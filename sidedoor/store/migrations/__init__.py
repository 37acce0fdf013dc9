"""Alembic migrations of the store's schema; applied by :func:`sidedoor.store.migrate.migrate`
whenever a store is opened. Add one with ``make migration m="what changed"``."""
