"""source language and the source_citations view

Revision ID: f2b4d6e8a0c1
Revises: e1a3c5f7b9d2
Create Date: 2026-12-07 21:30:00

A citation names the language a document is written in (CSL's
``language``, BibTeX's ``langid``), so ``sources`` gains ``language``: a
BCP 47 tag such as 'en', 'ko', 'zh' or 'bs', NULL where the record does
not show it. The new view ``source_citations`` lists every source with the
fields a citation needs, in the order a reader names them; its name and
columns join the contract of a7c3e9f2b4d1 (columns may be added, never
renamed or dropped). It cannot be called ``sources``: the table has that
name.

The column is added with ALTER TABLE ADD COLUMN on every database (no
table rebuild, which SQLite cannot do while views name the table). The
downgrade drops the view, then the column (SQLite's own ALTER TABLE DROP
COLUMN, for the same reason).

Data: keeps every row. downgrade() drops sources.language, so it first
refuses while any source records a language (the old schema could not say
so): export the seeds, or clear the languages, first.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from guestlist.models.errors import MigrationError  # the CLI's one-line error (an exception type, not the ORM)

revision: str = "f2b4d6e8a0c1"
down_revision: str | Sequence[str] | None = "e1a3c5f7b9d2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
keeps_data: bool = True  # downgrade() keeps every row or refuses (guestlist.models.db.migration_guard)

LANGUAGE_COMMENT = "BCP 47 tag of the language the document is written in, e.g. 'en', 'zh', 'bs'; NULL when not shown."
VIEW = "source_citations"
# Copied, not imported from guestlist.models.views: a revision keeps creating what it created.
VIEW_SQL = """
SELECT
    src.slug AS slug,
    src.publisher AS publisher,
    src.title AS title,
    src.author AS author,
    src.published_on AS published_on,
    src.url AS url,
    src.retrieved_on AS retrieved_on,
    src.kind AS kind,
    src.language AS language
FROM sources src
"""


def upgrade() -> None:
    op.add_column("sources", sa.Column("language", sa.String(35), nullable=True, comment=LANGUAGE_COMMENT))
    op.execute(f"CREATE VIEW {VIEW} AS {VIEW_SQL.strip()}")


def downgrade() -> None:
    bind = op.get_bind()
    recorded = bind.execute(sa.text("SELECT COUNT(*) FROM sources WHERE language IS NOT NULL")).scalar()
    if recorded:
        raise MigrationError(
            f"cannot downgrade below {revision}: {recorded:,} sources record their language, which the older "
            "schema cannot hold; back them up with 'guestlist export seeds DIR' "
            "or clear sources.language first"
        )
    op.execute(f"DROP VIEW {VIEW}")
    if bind.dialect.name == "sqlite":
        op.execute("ALTER TABLE sources DROP COLUMN language")
    else:
        op.drop_column("sources", "language")
