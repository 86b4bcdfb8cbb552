"""Engines and sessions for a database URL, configured the same way everywhere.

Every engine the project creates goes through :func:`create_engine` (or,
for a URL checked already, :func:`build_engine`), so the SQLite foreign-key
pragma and real transactions are never forgotten. Whatever reads or writes
takes a :data:`Database`: an engine or a connection of the caller's is
used as it is (:func:`bind`, :func:`connect`), a URL gets an engine of its
own for the call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from .dialects import bad_options, check_dialect, refused_options
from .ownership import check_sqlite_file
from .urls import resolve_url
from .waits import wait_policy

# What every report, search, load and export takes: an engine, a connection, a URL, or None (the default URL).
Database = Engine | Connection | str | None


def create_engine(url: str | None = None, *, readonly: bool = False, **kwargs: Any) -> Engine:
    """An engine for ``url`` (resolved as the CLI does) with the project's settings.

    ``readonly`` opens SQLite files with ``mode=ro`` so nothing through this
    engine can write, and makes server transactions read-only (a guard; the
    security boundary is a read-only role from ``guestlist db grant-readonly``).
    """
    parsed = make_url(resolve_url(url))
    check_dialect(parsed)
    if readonly:
        parsed = make_url(readonly_url(parsed.render_as_string(hide_password=False)))
    return build_engine(parsed, **kwargs)


def build_engine(url: str | URL, **kwargs: Any) -> Engine:
    """The engine for a URL already resolved and checked (``dialects.check_url``), taken as it is.

    The SQLite file is checked (``ownership.check_sqlite_file``) and the
    project's settings applied; the URL is not resolved, checked or made
    read-only again. The command line checks its URL once and builds its one
    engine here; everything else calls :func:`create_engine`.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        check_sqlite_file(parsed.render_as_string(hide_password=False))
        engine = _create(parsed, kwargs)
        _configure_sqlite(engine)
        return engine
    given = parsed
    if backend == "mysql" and "charset" not in parsed.query:
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    kwargs.setdefault("pool_pre_ping", True)
    engine = _create(parsed, kwargs, given)
    _bound_lock_waits(engine, backend)
    return engine


def readonly_url(url: str | None = None) -> str:
    """The same database, opened so that writes fail.

    SQLite: a ``file:`` URI with ``mode=ro``. PostgreSQL: every transaction
    read-only (``default_transaction_read_only``). MariaDB: the session's
    transactions read-only. Idempotent.
    """
    parsed = make_url(resolve_url(url))
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:") or parsed.query.get("mode") == "ro":
            return parsed.render_as_string(hide_password=False)
        if not (database.startswith("file:") and parsed.query.get("uri")):
            database = "file:" + quote(database, safe="/:\\")
        return parsed.set(database=database, query={**parsed.query, "mode": "ro", "uri": "true"}).render_as_string(
            hide_password=False
        )
    if backend == "postgresql":
        setting = "-c default_transaction_read_only=on"
        options = parsed.query.get("options", "")
        if setting not in options:
            options = f"{options} {setting}".strip()
        return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)
    if backend == "mysql":
        return parsed.update_query_dict({"init_command": "SET SESSION TRANSACTION READ ONLY"}).render_as_string(
            hide_password=False
        )
    return parsed.render_as_string(hide_password=False)


def _bound_lock_waits(engine: Engine, backend: str) -> None:
    """Every lock wait on a server gives up after the run's wait (``guestlist.models.db.waits``), never hangs."""
    policy = wait_policy()
    if backend == "postgresql":
        statements = [f"SET lock_timeout = {policy.milliseconds or 1}"]
    elif backend in ("mysql", "mariadb"):
        statements = [
            f"SET SESSION innodb_lock_wait_timeout = {policy.whole_seconds}, lock_wait_timeout = {policy.whole_seconds}"
        ]
    else:
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for statement in statements:
            cursor.execute(statement)
        cursor.close()
        dbapi_connection.commit()


def _create(parsed: URL, kwargs: dict[str, Any], given: URL | None = None) -> Engine:
    """``sa.create_engine``, with driver options the driver refuses named in one line.

    Options in the URL's query go to the driver as keyword arguments; a wrong
    one (``?charset=bogus``, ``?read_timeout=abc``, an unknown name) fails as
    a ValueError, TypeError or worse inside the driver, at engine creation or
    at the first connect, which would otherwise be a traceback.
    """
    with refused_options(given or parsed):
        engine = sa.create_engine(parsed, **kwargs)

    @event.listens_for(engine, "do_connect")
    def _connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        try:
            return dialect.connect(*cargs, **cparams)
        except (TypeError, ValueError, AttributeError, LookupError) as exc:
            raise bad_options(given or parsed, exc) from None

    return engine


def _configure_sqlite(engine: Engine) -> None:
    """Foreign keys on, a busy timeout (the run's wait), and transactions SQLite actually honours.

    pysqlite's own transaction handling skips BEGIN before DDL and SELECT,
    which breaks all-or-nothing loads and transactional migrations; the
    driver is put in autocommit and SQLAlchemy emits BEGIN itself.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={wait_policy().milliseconds}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())


def sessionmaker_for(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(url: str | None = None, **engine_kwargs: Any) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on error."""
    engine = create_engine(url, **engine_kwargs)
    try:
        with sessionmaker_for(engine).begin() as session:
            yield session
    finally:
        engine.dispose()


@contextmanager
def bind(db: Database = None, *, readonly: bool = False) -> Iterator[Engine | Connection]:
    """``db`` as an engine or a connection: the caller's as it is, or, for a URL, an engine disposed afterwards.

    ``readonly`` applies to a URL only: an engine or connection the caller
    passes is theirs, opened as they chose.
    """
    if isinstance(db, (Engine, Connection)):
        yield db
        return
    engine = create_engine(db, readonly=readonly)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def connect(db: Database = None, *, readonly: bool = True) -> Iterator[Connection]:
    """A connection for ``db``: the caller's connection, one of the caller's engine, or one of a URL's own engine.

    A URL is opened read-only unless ``readonly=False``; its engine is
    disposed afterwards.
    """
    if isinstance(db, Connection):
        yield db
        return
    with bind(db, readonly=readonly) as engine:
        assert isinstance(engine, Engine)
        with engine.connect() as conn:
            yield conn
