"""Writers that turn the database into formats other tools read: Popolo JSON, CSV."""

from __future__ import annotations

from sqlalchemy.engine import Connection, Engine

from guestlist.models.db import Database, resolve_url
from guestlist.models.db.ownership import require_file

__all__ = ["require_schema"]


def require_schema(db: Database) -> None:
    """Refuse, in one line, a database that is missing or not at head (``guestlist.models.db.migrate.require_head``).

    Without this an SQLite path with a typo would be created empty and the
    export would fail on a missing table with a driver message. ``db`` is a
    URL, an engine or a connection.
    """
    from guestlist.models.db.migrate import require_head_at  # here: 'guestlist --help' does not load Alembic

    require_file(db.engine.url if isinstance(db, (Engine, Connection)) else resolve_url(db))
    require_head_at(db)
