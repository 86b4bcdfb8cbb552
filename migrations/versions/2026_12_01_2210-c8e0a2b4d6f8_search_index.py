"""search index: full-text search over quotes, notes and names

Revision ID: c8e0a2b4d6f8
Revises: b7d9f1a3c5e7
Create Date: 2026-12-01 22:10:00

One derived table, search_entries (one row per quote, note, name or title,
with its folded terms), indexed by each database's own engine: an FTS5
table with content="search_entries" on SQLite (the form Datasette's search
box detects; guestlist.models.search.sync keeps it current in bulk), a stored tsvector column ('simple'
configuration) with a GIN index on PostgreSQL, a FULLTEXT index on MariaDB.
guestlist.models.search says why the terms are folded in Python and hex-coded on
MariaDB.

The revision creates the index's objects empty and stops. Filling them is
guestlist's, with the folding every query uses (a search that folds its
query unlike the index finds nothing): an upgrade through guestlist fills
the index once it reaches head, and after a plain 'alembic upgrade'
'guestlist db reindex-search' does.

Data: keeps every row of the facts. The index is derived: downgrade() drops
it and upgrading builds it again from the rows; the migration guard does not
count its rows as data (guestlist.models.db.migration_guard).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c8e0a2b4d6f8"
down_revision: str | Sequence[str] | None = "b7d9f1a3c5e7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
keeps_data: bool = True  # downgrade() keeps every row (guestlist.models.db.migration_guard)

TABLE, FTS = "search_entries", "search_entries_fts"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False,
                  comment="quote, note, event, person, organization or source."),
        sa.Column("origin", sa.String(length=60), nullable=False,
                  comment="Table and column the text is from, e.g. 'attendance_claims.source_quote'."),
        sa.Column("row_id", sa.Integer(), nullable=False, comment="Id of the row in that table."),
        sa.Column("event_id", sa.Integer(), nullable=True,
                  comment="The event the text belongs to, if any (for --event)."),
        sa.Column("text", sa.Text(), nullable=False, comment="The text as stored in its table."),
        sa.Column("terms", sa.Text(), nullable=False,
                  comment="The folded words the engine indexes (hex-coded on MariaDB)."),
        sa.PrimaryKeyConstraint("id", name="pk_search_entries"),
        sa.UniqueConstraint("origin", "row_id", name="uq_search_entries_origin_row_id"),
        comment="Derived full-text index over quotes, notes and names; rebuilt by 'guestlist db reindex-search'.",
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            f'CREATE VIRTUAL TABLE {FTS} USING fts5(text, terms, content="{TABLE}", content_rowid="id",'
            " tokenize='unicode61 remove_diacritics 2')"
        )
    elif dialect == "postgresql":
        op.execute(
            f"ALTER TABLE {TABLE} ADD COLUMN terms_tsv tsvector"
            " GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, terms)) STORED"
        )
        op.execute(f"CREATE INDEX ix_search_entries_terms_tsv ON {TABLE} USING gin (terms_tsv)")
    else:
        op.execute(f"CREATE FULLTEXT INDEX ft_search_entries_terms ON {TABLE} (terms)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TABLE IF EXISTS {FTS}")
    op.drop_table(TABLE)
