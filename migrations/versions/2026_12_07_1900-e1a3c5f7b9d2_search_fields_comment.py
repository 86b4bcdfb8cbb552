"""search_fields comment names the installed module

Revision ID: e1a3c5f7b9d2
Revises: d9f1b3c5e7a0
Create Date: 2026-12-07 19:00:00

The table comment of search_fields points a reader of the database at the
code that declares its rows. The library is now installed as one package,
guestlist, so the comment names guestlist.models.search.ORIGINS. SQLite
keeps no table comments; there the revision changes nothing.

Data: a table comment only; downgrade() puts the earlier comment back and
keeps every row.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "e1a3c5f7b9d2"
down_revision: str | Sequence[str] | None = "d9f1b3c5e7a0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
keeps_data: bool = True  # downgrade() keeps every row (guestlist.models.db.migration_guard)

OLD = "The columns whose text is searched, one row each (models.search.ORIGINS)."
NEW = "The columns whose text is searched, one row each (guestlist.models.search.ORIGINS)."


def _comment(comment: str, existing: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.create_table_comment("search_fields", comment, existing_comment=existing)


def upgrade() -> None:
    _comment(NEW, OLD)


def downgrade() -> None:
    _comment(OLD, NEW)
