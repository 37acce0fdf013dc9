"""Alembic's environment for sidedoor: migrations run on the connection the store passes in.

Run them through :mod:`sidedoor.store.migrate`, never with a bare ``alembic`` command: the
store's URL and connection come from sidedoor, not from an ini file.
"""

from __future__ import annotations

from typing import Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext

from sidedoor.store.migrate import ours
from sidedoor.store.models import Base, UTCDateTime


def render_item(kind: str, value: object, _context: AutogenContext) -> str | Literal[False]:
    """Write our UTC datetime column type as the plain DateTime it stores."""
    if kind == "type" and isinstance(value, UTCDateTime):
        return "sa.DateTime()"
    return False


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through sidedoor.store.migrate (make migration)")
context.configure(connection=connection, target_metadata=Base.metadata, include_name=ours,
                  render_as_batch=True, compare_type=True, render_item=render_item)
with context.begin_transaction():
    context.run_migrations()
