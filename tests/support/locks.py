"""Holding, from outside, a lock guestlist takes (migrations, seeding), to show a process waits for it."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from guestlist.models.db.locks import Lock


@contextmanager
def holding_lock(url: str, pg_key: int, mysql_name: str) -> Iterator[None]:
    """Take, from outside, a lock guestlist takes: SQLite's write lock, else the named one."""
    dialect = make_url(url).get_backend_name()
    if dialect == "sqlite":
        conn = sqlite3.connect(make_url(url).database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    take, give = (
        (f"SELECT pg_advisory_lock({pg_key})", f"SELECT pg_advisory_unlock({pg_key})")
        if dialect == "postgresql"
        else ("SELECT GET_LOCK(%s, 10)", "SELECT RELEASE_LOCK(%s)")
    )
    params = () if dialect == "postgresql" else (mysql_name,)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql(take, params).scalar() in (1, None, "")
            try:
                yield
            finally:
                conn.exec_driver_sql(give, params)
    finally:
        engine.dispose()


def holding_migration_lock(url: str) -> contextlib.AbstractContextManager[None]:
    return holding_lock(url, Lock.MIGRATIONS.pg_key, Lock.MIGRATIONS.mysql_name(make_url(url).database or ""))


def holding_seed_lock(url: str) -> contextlib.AbstractContextManager[None]:
    return holding_lock(url, Lock.SEED.pg_key, Lock.SEED.mysql_name(make_url(url).database or ""))
