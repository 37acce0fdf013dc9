"""Baseline: the schema of sidedoor 0.1, as sidedoor/store/models.py first defined it.

Databases made before migrations existed hold exactly this schema and are stamped with it.
Datetimes are stored as naive UTC (sidedoor.store.models.UTCDateTime adds the zone on read).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(length=120)  # a source id
INDEXES = {  # table: indexed columns
    "documents": ["source_id"],
    "findings": ["category", "source_id"],
    "source_runs": ["run_id", "source_id"],
    "document_versions": ["document_id", "sha256"],
    "occurrences": ["finding_id", "version_id"],
}


def when(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def text(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.Text(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        when("started_at"), when("finished_at", nullable=True),
        sa.Column("command", sa.String(length=40), nullable=False),
    )
    op.create_table(
        "sources",
        sa.Column("id", ID, primary_key=True),
        text("name"), text("place"),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("start_urls", sa.JSON(), nullable=False),
        sa.Column("schedule", sa.String(length=60), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source_id", ID, sa.ForeignKey("sources.id"), nullable=False),
        text("url"), text("title"),
        when("first_seen"), when("last_seen"), when("checked_at"),
        sa.UniqueConstraint("source_id", "url"),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.String(length=40), primary_key=True),
        sa.Column("source_id", ID, sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("agencies", sa.JSON(), nullable=False),
        text("place"),
        sa.Column("state", sa.String(length=2), nullable=False),
        text("snippet"),
        sa.Column("highlights", sa.JSON(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("vendors", sa.JSON(), nullable=False),
        sa.Column("systems", sa.JSON(), nullable=False),
        when("first_seen"), when("last_seen"),
    )
    op.create_table(
        "source_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("source_id", ID, sa.ForeignKey("sources.id"), nullable=False),
        when("started_at"), when("finished_at", nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in (
            "documents_fetched", "documents_new", "documents_unchanged", "findings_new",
            "errors")),
        sa.Column("error_messages", sa.JSON(), nullable=False),
    )
    op.create_table(
        "document_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        when("fetched_at"),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        text("title"),
        sa.Column("published", sa.String(length=10), nullable=True),
        text("archive_path"), text("text"),
        sa.Column("sections", sa.JSON(), nullable=False),
        text("etag", nullable=True), text("last_modified", nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.UniqueConstraint("document_id", "sha256"),
    )
    op.create_table(
        "occurrences",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("finding_id", sa.String(length=40), sa.ForeignKey("findings.id"),
                  nullable=False),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("document_versions.id"),
                  nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        text("section"), when("first_seen"),
        sa.UniqueConstraint("finding_id", "version_id", "start"),
    )
    for table, columns in INDEXES.items():
        for column in columns:
            op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table in reversed(INDEXES):
        for column in INDEXES[table]:
            op.drop_index(f"ix_{table}_{column}", table_name=table)
    for table in ("occurrences", "document_versions", "source_runs", "findings", "documents",
                  "sources", "runs"):
        op.drop_table(table)
