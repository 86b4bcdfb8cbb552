"""Writers that turn the database into formats other tools read: Popolo JSON, CSV."""

from __future__ import annotations

from guestlist.models.db.ownership import require_file, sqlite_path

__all__ = ["require_file", "require_schema", "sqlite_path"]


def require_schema(url: str) -> None:
    """Refuse, in one line, a database that is missing or not at head (``guestlist.models.db.migrate.require_head``).

    Without this an SQLite path with a typo would be created empty and the
    export would fail on a missing table with a driver message.
    """
    from guestlist.models.db.migrate import require_head_at  # here: 'guestlist --help' does not load Alembic

    require_file(url)
    require_head_at(url)
