"""Source lists and verified sources: sources.list_id and sources.verified.

Revision 0002, after 0001 (config/lists.py: sources from a list CSV, unverified until a live
run reaches them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("list_id", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("verified", sa.Boolean(), server_default=sa.true(),
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("verified")
        batch_op.drop_column("list_id")
