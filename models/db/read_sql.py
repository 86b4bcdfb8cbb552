"""A person's own SQL, run so that the database itself refuses any write (``guestlist query``).

The statement runs on a connection of a read-only engine
(:func:`guestlist.models.db.readonly_url`), and each database is asked to
refuse writes in its own way, so no parsing of SQL is trusted to spot one
hidden in a CTE or after a ``;``:

- SQLite: the file is open with ``mode=ro``, and an authorizer allows only
  reading (no ATTACH, which would create a file, no temporary tables, no
  PRAGMA); the driver runs one statement per call.
- PostgreSQL: the transaction is ``READ ONLY``, and the statement is
  prepared (``prepare_threshold=0``), which the server accepts for one
  command only: ``...; COMMIT; BEGIN READ WRITE; ...`` cannot leave the
  read-only transaction.
- MariaDB: ``START TRANSACTION READ ONLY`` (DDL included); the driver
  sends one statement.

The connection is dropped afterwards, so a session setting the SQL changed
never reaches another user of the pool. A refusal or bad SQL is a
``GuestlistError`` with the database's own message, first line only.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import GuestlistError

# What a read may do under SQLite's authorizer: read columns, select, call functions, recurse in a CTE.
_SQLITE_READS = {
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_FUNCTION,
    getattr(sqlite3, "SQLITE_RECURSIVE", 33),
}


@dataclass(frozen=True)
class SqlResult:
    """The columns as the SQL names them (possibly repeated, possibly not identifiers) and the rows."""

    columns: list[str]
    rows: list[tuple[Any, ...]]


def parameter_names(sql: str) -> list[str]:
    """The ``:name`` parameters ``sql`` uses, in order of first use (``::`` casts are not parameters)."""
    return list(sa.text(sql).compile().params)


def read_sql(conn: Connection, sql: str, params: dict[str, str] | None = None) -> SqlResult:
    """Run one statement ``sql`` with named ``params`` read-only on ``conn`` (a connection of a read-only engine).

    Every ``:name`` in the SQL must be given and every given name used;
    either mistake is one line naming it. ``conn`` is invalidated afterwards.
    """
    if not sql.strip():
        raise GuestlistError("no SQL given: pass a statement, or - to read it from standard input")
    values = dict(params or {})
    _check_parameters(parameter_names(sql), values)
    try:
        if not conn.in_transaction():
            conn.begin()  # SQLite's BEGIN goes out here, before the authorizer that would refuse it
        _forbid_writes(conn)
        result = conn.execute(sa.text(sql), values)
        if not result.returns_rows:
            raise GuestlistError("the statement returns no rows: guestlist query only reads (SELECT, WITH ... SELECT)")
        columns = list(result.keys())
        rows = [tuple(plain(v) for v in row) for row in result]
    except sa.exc.DBAPIError as exc:
        reason = database_message(exc)
        if reason == "not authorized":  # SQLite's authorizer says no more than this
            reason += " (guestlist query only reads)"
        raise GuestlistError(f"the database refused the query: {reason}") from None
    except sa.exc.ArgumentError as exc:
        raise GuestlistError(f"the query cannot be run: {str(exc).splitlines()[0]}") from None
    finally:
        _allow_again(conn)
        conn.invalidate()
    return SqlResult(columns, rows)


def _check_parameters(used: list[str], given: dict[str, str]) -> None:
    unknown = [name for name in given if name not in used]
    if unknown:
        wanted = ", ".join(f":{n}" for n in used) or "no parameters"
        raise GuestlistError(f"parameter {unknown[0]!r} is not in the SQL (it uses {wanted})")
    missing = [name for name in used if name not in given]
    if missing:
        raise GuestlistError(f"the SQL uses :{missing[0]}: give it with -p {missing[0]}=VALUE")


def _forbid_writes(conn: Connection) -> None:
    """Each database's own refusal of writes, for the transaction just begun."""
    dialect = conn.dialect.name
    raw: Any = conn.connection.dbapi_connection
    if dialect == "sqlite":
        raw.set_authorizer(lambda action, *_: sqlite3.SQLITE_OK if action in _SQLITE_READS else sqlite3.SQLITE_DENY)
    elif dialect == "postgresql":
        raw.prepare_threshold = 0  # every statement prepared: one command, never '...; COMMIT; BEGIN READ WRITE'
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        conn.exec_driver_sql("SELECT 1")  # a snapshot taken: the transaction cannot turn read-write now
    elif dialect in ("mysql", "mariadb"):
        conn.exec_driver_sql("START TRANSACTION READ ONLY")  # the driver has sent nothing yet: this opens it
    else:
        raise GuestlistError(f"guestlist query does not know how to keep {dialect} read-only")


def _allow_again(conn: Connection) -> None:
    """The SQLite authorizer off again (the connection is dropped next, but leaves nothing behind)."""
    raw: Any = conn.connection.dbapi_connection
    if conn.dialect.name == "sqlite" and raw is not None:
        raw.set_authorizer(None)


def database_message(exc: sa.exc.DBAPIError) -> str:
    """The database's own message, first line, without the driver's wrapping (MariaDB's (code, text) pair)."""
    orig = exc.orig
    args: tuple[Any, ...] = tuple(getattr(orig, "args", ()))
    text = args[1] if len(args) == 2 and isinstance(args[0], int) else str(orig or exc)
    lines = str(text).strip().splitlines()
    return lines[0] if lines else type(orig).__name__


def plain(value: Any) -> Any:
    """A cell as the outputs can write it: numbers, text, dates, true/false, or None."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (dt.time, dt.timedelta, uuid.UUID)):
        return str(value)
    return value
