"""Facts: a finding's owner, recipients, channel, kind, categories, status, period, counts,
laws, backfill flag and fact key (DESIGN.md, "The core records").

Revision 0003, after 0002. Existing findings get empty values; the next crawl that sees their
evidence fills them in.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TEXTS = ("owner", "county", "status_quote")
STRINGS = {"channel": 40, "kind": 20, "status": 20, "fact_key": 64}
JSONS = {"categories": "[]", "recipients": "[]", "counts": "{}", "laws": "[]"}
DATES = ("status_date", "event_start", "event_end")


def upgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        for name in TEXTS:
            batch_op.add_column(sa.Column(name, sa.Text(), server_default="", nullable=False))
        for name, length in STRINGS.items():
            batch_op.add_column(sa.Column(name, sa.String(length=length), server_default="",
                                          nullable=False))
        for name, empty in JSONS.items():
            batch_op.add_column(sa.Column(name, sa.JSON(), server_default=empty, nullable=False))
        for name in DATES:
            batch_op.add_column(sa.Column(name, sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("status_changed", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("backfill", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.create_index(batch_op.f("ix_findings_event_start"), ["event_start"])
        batch_op.create_index(batch_op.f("ix_findings_fact_key"), ["fact_key"])
    # a finding made before facts has its one category as its categories
    op.execute("UPDATE findings SET categories = '[\"' || category || '\"]'"
               if op.get_bind().dialect.name == "sqlite" else
               "UPDATE findings SET categories = json_build_array(category)")


def downgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_findings_fact_key"))
        batch_op.drop_index(batch_op.f("ix_findings_event_start"))
        for name in ("backfill", "status_changed", *DATES, *JSONS, *STRINGS, *TEXTS):
            batch_op.drop_column(name)
