"""Notifications: which finding, with which status, went to which target (``notify:`` in
config/site.yaml), so each is pushed once.

Revision 0004, after 0003. A new table; nothing is sent for findings until a target is
configured, and then only what is news (not backfill).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("finding_id", sa.String(length=40), sa.ForeignKey("findings.id"),
                  nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("target", "finding_id", "status"),
    )
    op.create_index("ix_notifications_target", "notifications", ["target"])
    op.create_index("ix_notifications_finding_id", "notifications", ["finding_id"])


def downgrade() -> None:
    op.drop_index("ix_notifications_finding_id", table_name="notifications")
    op.drop_index("ix_notifications_target", table_name="notifications")
    op.drop_table("notifications")
