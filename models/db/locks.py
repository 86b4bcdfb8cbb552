"""Database-wide locks that serialise guestlist's writers across processes.

Two ``guestlist db upgrade`` (or ``setup``) runs at once must not both apply
the same migration, and two seeds must not interleave: the second waits for
the first. Each database has its own lock primitive:

- PostgreSQL: an advisory lock (scoped to the database by the server);
- MariaDB: ``GET_LOCK``, whose names are server-wide, so the name includes the
  database;
- SQLite: the write lock, taken by ``BEGIN IMMEDIATE``; a probe first says
  whether someone else holds it.

When the lock is taken, the holder is named where the database can tell:
a PostgreSQL or MariaDB lock of guestlist's own is held by another guestlist
run, and ``pg_stat_activity`` or the process list says which; SQLite's write
lock may be held by any process (a ``sqlite3`` shell, another program), so
it is "another process". How long to wait and who is told come from
:mod:`guestlist.models.db.waits`; after the wait the command gives up in one line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import DatabaseError
from .waits import SQLITE_HOLDER, OnWait, WaitPolicy, is_lock_timeout, wait_policy

MYSQL_NAME_LENGTH = 64  # GET_LOCK names are global to the server and at most 64 characters


class Lock(Enum):
    """guestlist's database-wide locks: what a waiting run calls it, its PostgreSQL key, its MariaDB name.

    The keys and names are part of how two guestlist versions running at
    once exclude each other: never change one.
    """

    MIGRATIONS = ("the migration lock", 0x6775_6573, "guestlist_migrations:")  # "gues"
    SEED = ("the seed lock", 0x6775_6573_746C, "guestlist-seed:")  # "guestl"

    def __init__(self, what: str, pg_key: int, mysql_prefix: str) -> None:
        self.what, self.pg_key, self.mysql_prefix = what, pg_key, mysql_prefix

    def mysql_name(self, database: str) -> str:
        """The GET_LOCK name: scoped to the database, since MariaDB's names are server-wide."""
        return (self.mysql_prefix + database)[:MYSQL_NAME_LENGTH]


@contextmanager
def hold(connection: Connection, lock: Lock, on_wait: OnWait | None = None) -> Iterator[None]:
    """Hold ``lock`` on ``connection`` for the block, waiting (and saying so) while another run holds it.

    On the servers the lock belongs to the session and is taken, and given
    back, outside any transaction: the block begins its own. On SQLite it
    is the file's write lock, taken by the block's ``BEGIN IMMEDIATE`` (the
    connection's ``sqlite_begin`` option); a connection already in a
    transaction holds what it holds.

    A connection already in a transaction (a library caller's, who commits
    or rolls back afterwards) keeps it: nothing here commits or rolls back.
    PostgreSQL then takes a transaction-level advisory lock, which ends with
    the caller's transaction; MariaDB's named lock is held for the block.
    """
    policy = wait_policy()
    if on_wait is not None:
        policy = WaitPolicy(policy.seconds, on_wait)
    name = connection.dialect.name
    if name == "postgresql" and connection.in_transaction():
        _pg_advisory_lock(connection, lock, policy, for_transaction=True)
        yield
    elif name in ("mysql", "mariadb") and connection.in_transaction():
        with _mysql_lock(connection, lock, policy, in_transaction=True):
            yield
    elif name == "postgresql":
        with _pg_lock(connection, lock, policy):
            yield
    elif name in ("mysql", "mariadb"):
        with _mysql_lock(connection, lock, policy):
            yield
    elif name == "sqlite":
        if connection.in_transaction():
            yield
        else:
            with _sqlite_write_lock(connection, policy):
                yield
    else:
        yield


@contextmanager
def _pg_lock(connection: Connection, lock: Lock, policy: WaitPolicy) -> Iterator[None]:
    _pg_advisory_lock(connection, lock, policy, for_transaction=False)
    connection.commit()
    try:
        yield
    finally:
        _release(connection, f"SELECT pg_advisory_unlock({lock.pg_key})")


@contextmanager
def _mysql_lock(
    connection: Connection, lock: Lock, policy: WaitPolicy, *, in_transaction: bool = False
) -> Iterator[None]:
    database = connection.exec_driver_sql("SELECT DATABASE()").scalar() or ""
    name = lock.mysql_name(database)
    _mysql_named_lock(connection, name, policy, what=lock.what)
    if in_transaction:  # the caller's: GET_LOCK and RELEASE_LOCK neither need nor end a transaction
        try:
            yield
        finally:
            try:
                connection.exec_driver_sql("SELECT RELEASE_LOCK(%s)", (name,))
            except sa.exc.DBAPIError:
                pass  # a connection that is gone took the lock with it
        return
    connection.commit()
    try:
        yield
    finally:
        _release(connection, "SELECT RELEASE_LOCK(%s)", (name,))


def _release(connection: Connection, statement: str, parameters: tuple[str, ...] = ()) -> None:
    """Give the session lock back; a connection that is gone took the lock with it."""
    try:
        connection.rollback()
        if parameters:
            connection.exec_driver_sql(statement, parameters)
        else:
            connection.exec_driver_sql(statement)
        connection.commit()
    except sa.exc.DBAPIError:
        pass


def _pg_advisory_lock(connection: Connection, lock: Lock, policy: WaitPolicy, *, for_transaction: bool) -> None:
    """Take the advisory lock of ``lock`` for the session, or for the caller's transaction; say who holds it; give up in time.

    The wait is bounded by ``lock_timeout``, set for the wait alone (``SET
    LOCAL``, then set back: the caller's transaction goes on with its own).
    Giving up rolls back a transaction begun here; the caller rolls back its own.
    """
    scope = "xact_" if for_transaction else ""
    if connection.exec_driver_sql(f"SELECT pg_try_advisory_{scope}lock({lock.pg_key})").scalar():
        return
    holder = _pg_holder(connection, lock.pg_key)
    policy.say(policy.waiting(lock.what, holder))
    before = connection.exec_driver_sql("SELECT current_setting('lock_timeout')").scalar()
    try:
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {policy.milliseconds or 1}")
        connection.exec_driver_sql(f"SELECT pg_advisory_{scope}lock({lock.pg_key})")
    except sa.exc.OperationalError as exc:
        if not is_lock_timeout(exc):
            raise
        if not for_transaction:
            connection.rollback()
        raise DatabaseError(policy.gave_up(lock.what, holder)) from None
    connection.exec_driver_sql("SELECT set_config('lock_timeout', %s, true)", (before,))


def _pg_holder(connection: Connection, key: int) -> str:
    row = connection.exec_driver_sql(
        "SELECT a.pid, a.usename, a.application_name, host(a.client_addr), to_char(a.backend_start, 'HH24:MI:SS') "
        "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s AND l.objid = %s AND l.objsubid = 1 "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1",
        (key >> 32, key & 0xFFFF_FFFF),
    ).first()
    if row is None:
        return "another guestlist run"  # released between the try and the look
    pid, user, application, client, since = row
    parts = [f"PostgreSQL backend {pid}", f"user {user}"]
    if application:
        parts.append(f"application {application!r}")
    if client:
        parts.append(f"from {client}")
    parts.append(f"connected at {since}")
    return f"another guestlist run ({', '.join(parts)})"


def _mysql_named_lock(connection: Connection, name: str, policy: WaitPolicy, *, what: str) -> None:
    """``GET_LOCK(name)``: at once if free, else say who holds it and wait at most the policy's time."""
    if connection.exec_driver_sql("SELECT GET_LOCK(%s, 0)", (name,)).scalar() == 1:
        return
    holder = _mysql_holder(connection, name)
    policy.say(policy.waiting(what, holder))
    got = connection.exec_driver_sql("SELECT GET_LOCK(%s, %s)", (name, policy.seconds)).scalar()
    if got != 1:
        raise DatabaseError(policy.gave_up(what, holder))


def _mysql_holder(connection: Connection, name: str) -> str:
    holder_id = connection.exec_driver_sql("SELECT IS_USED_LOCK(%s)", (name,)).scalar()
    row = None
    if holder_id is not None:
        row = connection.exec_driver_sql(
            "SELECT USER, HOST FROM information_schema.PROCESSLIST WHERE ID = %s", (holder_id,)
        ).first()
    if row is None:
        return "another guestlist run"  # released between the try and the look
    user, host = row
    return f"another guestlist run (MariaDB connection {holder_id}, {user}@{host})"


@contextmanager
def _sqlite_write_lock(
    connection: Connection, policy: WaitPolicy | None = None, *, what: str | None = None
) -> Iterator[None]:
    """Say so when another process holds the file's write lock; give up after the policy's time.

    The probe takes and drops the write lock at once; the real lock is the
    ``BEGIN IMMEDIATE`` the block starts, so a writer sneaking in between only
    means no message, never two writers. A busy error anywhere in the block
    (the BEGIN, or the COMMIT waiting for readers) is the wait running out.
    """
    policy = policy or wait_policy()
    raw = cast(sqlite3.Connection, connection.connection.driver_connection)  # pysqlite's, on an SQLite engine
    main = raw.execute("PRAGMA database_list").fetchone()  # the driver connection: no BEGIN from SQLAlchemy
    what = what or f"the write lock on {main[2] if main and main[2] else 'the database'}"
    raw.execute("PRAGMA busy_timeout=0")
    try:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("ROLLBACK")
    except sqlite3.OperationalError:
        policy.say(policy.waiting(what, SQLITE_HOLDER))
    raw.execute(f"PRAGMA busy_timeout={policy.milliseconds}")
    try:
        yield
    except sa.exc.OperationalError as exc:
        if not is_lock_timeout(exc):
            raise
        raise DatabaseError(policy.gave_up(what, SQLITE_HOLDER)) from None
