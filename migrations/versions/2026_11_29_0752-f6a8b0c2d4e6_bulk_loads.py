"""bulk loads: the loader's ledger of bulk files applied in full

Revision ID: f6a8b0c2d4e6
Revises: e5f7a9b1c3d5
Create Date: 2026-11-29 07:52:31

Re-seeding unchanged documents re-read and re-checked every row of every
bulk file only to find nothing to write: 0.8x the first load's time on
SQLite at a million participations. The ledger remembers each bulk file
applied in full by a digest of its bytes, with the document's source and
the schema revision, so an unchanged file is skipped (guestlist.seeds.loader.ledger
says when a row of it stops counting).

Data: keeps every row of the facts. The ledger is a cache: downgrade()
drops it, and the next seed reads every bulk file again in full; the
migration guard does not count its rows as data (guestlist.models.db.migration_guard).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f6a8b0c2d4e6"
down_revision: str | Sequence[str] | None = "e5f7a9b1c3d5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
keeps_data: bool = True  # downgrade() keeps every row (guestlist.models.db.migration_guard)

BULK_TABLES = ("persons", "positions", "events", "attendance", "counts")  # copied, not imported: see a7c3e9f2b4d1


def upgrade() -> None:
    words = ", ".join(f"'{w}'" for w in BULK_TABLES)
    op.create_table(
        "bulk_loads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bulk_table", sa.String(length=20), nullable=False,
                  comment="What the file fills: persons, positions, events, attendance or counts."),
        sa.Column("source_id", sa.Integer(), nullable=False, comment="The document's source, every row's default source."),
        sa.Column("digest", sa.String(length=64), nullable=False,
                  comment="SHA-256 of the loader's ledger version, the file's format and its bytes."),
        sa.Column("file_name", sa.String(length=500), nullable=False, comment="The file as the document named it when last applied."),
        sa.Column("row_count", sa.Integer(), nullable=False,
                  comment="Rows the file stands for (participations and claims for attendance)."),
        sa.Column("schema_revision", sa.String(length=32), nullable=False,
                  comment="Alembic revision the file was applied at; another one re-reads it."),
        sa.Column("loaded_at", sa.DateTime(), nullable=False, comment="When (UTC) the file was last applied or verified in full."),
        sa.CheckConstraint(f"bulk_table IN ({words})", name=op.f("ck_bulk_loads_bulk_table")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_bulk_loads_source_id_sources"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_loads")),
        sa.UniqueConstraint("bulk_table", "source_id", "digest", name=op.f("uq_bulk_loads_bulk_table_source_id_digest")),
        comment="Loader's ledger (a cache): bulk files applied in full, so an unchanged re-seed skips them.",
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
    )


def downgrade() -> None:
    op.drop_table("bulk_loads")
