"""Writers that turn the database into formats other tools read: Popolo JSON, CSV."""

from __future__ import annotations

from pathlib import Path


def require_schema(url: str) -> None:
    """Refuse, in one line, a database that is missing or has no reporting views.

    Without this an SQLite path with a typo would be created empty and the
    export would fail on a missing table with a driver message.
    """
    import sqlalchemy as sa

    from models.db import create_engine
    from models.errors import DatabaseError
    from models.urls import mask_url

    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise DatabaseError(f"no database at {path}: run 'guestlist setup' first")
    engine = create_engine(url)
    try:
        views = set(sa.inspect(engine).get_view_names())
    finally:
        engine.dispose()
    if "attendance_report" not in views:
        raise DatabaseError(f"{mask_url(url)} is not at the latest schema: run 'guestlist db upgrade'")


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (plain or ``file:`` URI, as --read-only makes it); None otherwise."""
    from urllib.parse import unquote

    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    if database.startswith("file:"):
        database = unquote(database[len("file:") :].split("?", 1)[0])
    return Path(database)
