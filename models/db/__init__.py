"""The database plumbing: URLs, engines, locks, waits, ownership, privileges and migrations.

    from guestlist.models.db import create_engine, connect, session_scope

The names callers use most are here; the rest is in the module that owns it
(``guestlist.models.db.migrate`` for Alembic, ``.locks``, ``.waits``, ...).
Importing this package loads no Alembic: only ``migrate`` does.
"""

from __future__ import annotations

from .engine import (
    Database,
    bind,
    build_engine,
    connect,
    create_engine,
    readonly_url,
    session_scope,
    sessionmaker_for,
)
from .urls import mask_url, resolve_url

__all__ = [
    "Database",
    "bind",
    "build_engine",
    "connect",
    "create_engine",
    "mask_url",
    "readonly_url",
    "resolve_url",
    "session_scope",
    "sessionmaker_for",
]
