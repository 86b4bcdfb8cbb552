"""Database-wide locks that serialise schema upgrades across processes.

Two ``guestlist db upgrade`` (or ``setup``) runs at once must not both apply
the same migration: the second waits for the first and then finds nothing to
do. Each database has its own lock primitive, held on the connection that
runs the migrations:

- PostgreSQL: a session advisory lock (scoped to the database by the server);
- MariaDB: ``GET_LOCK``, whose names are server-wide, so the name includes the
  database;
- SQLite: the write lock, taken by ``BEGIN IMMEDIATE`` when the migration
  transaction starts (``migrations/env.py``); here only a probe that says
  "waiting" and a longer busy timeout.

When the lock is taken by someone else, ``on_wait`` is called once with a
message, so a person at a terminal knows why nothing happens.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection

from .db import SQLITE_BUSY_TIMEOUT_MS
from .errors import DatabaseError

PG_LOCK_KEY = 0x6775_6573  # "gues"
MYSQL_LOCK_PREFIX = "guestlist_migrations:"
LOCK_TIMEOUT_S = 600
WAIT_MESSAGE = "waiting for another guestlist migration on this database to finish..."

OnWait = Callable[[str], None]


def mysql_lock_name(database: str) -> str:
    """GET_LOCK names are global to the server and at most 64 characters."""
    return (MYSQL_LOCK_PREFIX + database)[:64]


@contextmanager
def migration_lock(connection: Connection, on_wait: OnWait | None = None) -> Iterator[None]:
    """Hold the database's migration lock on ``connection`` for the block."""
    name = connection.dialect.name
    if name == "postgresql":
        with _pg_lock(connection, on_wait):
            yield
    elif name in ("mysql", "mariadb"):
        with _mysql_lock(connection, on_wait):
            yield
    elif name == "sqlite":
        with _sqlite_wait(connection, on_wait):
            yield
    else:
        yield


@contextmanager
def _pg_lock(connection: Connection, on_wait: OnWait | None) -> Iterator[None]:
    got = connection.exec_driver_sql(f"SELECT pg_try_advisory_lock({PG_LOCK_KEY})").scalar()
    if not got:
        _say(on_wait)
        connection.exec_driver_sql(f"SELECT pg_advisory_lock({PG_LOCK_KEY})")
    connection.commit()
    try:
        yield
    finally:
        connection.rollback()
        connection.exec_driver_sql(f"SELECT pg_advisory_unlock({PG_LOCK_KEY})")
        connection.commit()


@contextmanager
def _mysql_lock(connection: Connection, on_wait: OnWait | None) -> Iterator[None]:
    database = connection.exec_driver_sql("SELECT DATABASE()").scalar() or ""
    lock = mysql_lock_name(database)
    got = connection.exec_driver_sql("SELECT GET_LOCK(%s, 0)", (lock,)).scalar()
    if got != 1:
        _say(on_wait)
        got = connection.exec_driver_sql("SELECT GET_LOCK(%s, %s)", (lock, LOCK_TIMEOUT_S)).scalar()
    connection.commit()
    if got != 1:
        raise DatabaseError(f"another migration held the lock {lock!r} for more than {LOCK_TIMEOUT_S}s; try again later")
    try:
        yield
    finally:
        connection.rollback()
        connection.exec_driver_sql("SELECT RELEASE_LOCK(%s)", (lock,))
        connection.commit()


@contextmanager
def _sqlite_wait(connection: Connection, on_wait: OnWait | None) -> Iterator[None]:
    """Say so when another writer holds the file; wait up to LOCK_TIMEOUT_S for it.

    The probe takes and drops the write lock at once; the real lock is the
    ``BEGIN IMMEDIATE`` that follows, so a writer sneaking in between only
    means no message, never a double migration.
    """
    if connection.in_transaction():
        yield
        return
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA busy_timeout=0")
    try:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("ROLLBACK")
    except sqlite3.OperationalError:
        _say(on_wait)
    raw.execute(f"PRAGMA busy_timeout={LOCK_TIMEOUT_S * 1000}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


def _say(on_wait: OnWait | None) -> None:
    if on_wait is not None:
        on_wait(WAIT_MESSAGE)
