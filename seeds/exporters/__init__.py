"""Writers that turn the database into formats other tools read: Popolo JSON, CSV."""

from __future__ import annotations

from models.ownership import require_file, sqlite_path

__all__ = ["require_file", "require_schema", "sqlite_path"]


def require_schema(url: str) -> None:
    """Refuse, in one line, a database that is missing or has no reporting views.

    Without this an SQLite path with a typo would be created empty and the
    export would fail on a missing table with a driver message.
    """
    import sqlalchemy as sa

    from models.db import create_engine
    from models.errors import DatabaseError
    from models.urls import mask_url

    require_file(url)
    engine = create_engine(url)
    try:
        views = set(sa.inspect(engine).get_view_names())
    finally:
        engine.dispose()
    if "attendance_report" not in views:
        raise DatabaseError(f"{mask_url(url)} is not at the latest schema: run 'guestlist db upgrade'")
