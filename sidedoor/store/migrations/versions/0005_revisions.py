"""Revisions: a number on each finding and document that moves whenever something the site
shows of it changes, so a build reads again only what moved (reports/viewcache.py).

Revision 0005, after 0004. Existing rows start at 0; the first build after it reads the whole
store, as any build without a previous one does.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None
TABLES = ("documents", "findings")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="0",
                                          nullable=False))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("revision")
