"""Seeing where a running ``guestlist`` process is: a file it holds open, a statement its session runs."""

from __future__ import annotations

import os
from collections.abc import Callable

import sqlalchemy as sa


def has_open(pid: int, name: str) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}").endswith(name) for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:  # the process or one of its descriptors went away meanwhile
        return False


def server_running(url: str, pattern: str) -> Callable[[int], bool]:
    """True while another session of this database runs a statement matching ``pattern``."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.StaticPool)
    conn = engine.connect()
    if engine.dialect.name == "postgresql":
        query = sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state = 'active' AND query ILIKE :p"
        )
    else:
        query = sa.text(
            "SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE() "
            "AND id <> CONNECTION_ID() AND info LIKE :p"
        )

    def check(_pid: int) -> bool:
        return bool(conn.execute(query, {"p": pattern}).scalar())

    check.close = lambda: (conn.close(), engine.dispose())  # type: ignore[attr-defined]
    return check
