"""Ctrl-C (SIGINT) and SIGTERM during a command that writes: roll back, say so in one line, exit 130 / 143.

Python's default reaction is wrong for a database client in two ways.
SIGTERM kills the process on the spot: SQLite is left with a hot journal
(every read-only report then fails until some writer recovers it) and a
server keeps running the statement it was sent. SIGINT raises
``KeyboardInterrupt`` wherever the program happens to be: SQLAlchemy
treats that as a dead connection, invalidates it, and the next statement
of the cleanup says "Can't reconnect until invalid transaction is rolled
back".

Inside :func:`interruptible` (the ``@writing`` decorator of the commands
that write) both signals instead do this:

- between statements, :class:`Interrupted` (an ordinary ``Exception``) is
  raised at once; the transaction's context managers roll back on the
  connection, which stays valid, so the rollback is synchronous and the
  locks are released before the process ends;
- during a statement, the statement is cancelled where it runs (PostgreSQL:
  the driver's cancel request; MariaDB: ``KILL QUERY`` from a second
  connection; SQLite: a progress handler that aborts the running
  statement) and :class:`Interrupted` replaces the error it ends with (or
  follows it, if it completed first); the rollback follows as above;
- a second signal while that rollback runs is ignored, so it cannot leave
  the half-finished state the first one was stopped to avoid (SIGKILL
  still ends the process; the databases recover from that on their own).

The command then prints one line on standard error, ``interrupted: nothing
was written`` (or what was kept, when part of the run had already
committed, such as the schema upgrade of ``guestlist setup``, or MariaDB's
schema changes, which it cannot roll back), and exits with 128 + the
signal's number: 130 for SIGINT, 143 for SIGTERM, as a shell reports a
process killed by it.
"""

from __future__ import annotations

import functools
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

SIGNALS = (signal.SIGINT, signal.SIGTERM)
# SQLite calls the progress handler every this many virtual-machine steps: often enough to stop a
# long statement within milliseconds, rarely enough to cost nothing measurable.
SQLITE_PROGRESS_STEPS = 20_000
WRITE_VERBS = frozenset(
    {"INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "CREATE", "ALTER", "DROP", "RENAME", "TRUNCATE", "COPY"}
)
DDL_VERBS = frozenset({"CREATE", "ALTER", "DROP", "RENAME", "TRUNCATE"})
NOTHING_WRITTEN = "interrupted: nothing was written"

F = TypeVar("F", bound=Callable[..., Any])


class Interrupted(Exception):
    """The run was stopped by a signal; raised where it can be cleaned up after, never inside a driver call."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"interrupted by {signal.Signals(signum).name}")


class _State:
    """What this process's run has seen; one run at a time (the command line runs one command)."""

    def __init__(self) -> None:
        self.armed = False
        self.signum: int | None = None
        self.raised = False  # Interrupted was raised once; the cleanup after it must run undisturbed
        self.in_flight: Any = None  # the SQLAlchemy Connection running a statement, if any
        self.dirty: set[int] = set()  # connections whose open transaction has written
        self.committed = False  # a transaction that wrote was committed
        self.kept_ddl = False  # MariaDB/MySQL ran DDL, which commits by itself

    def stop(self) -> Interrupted:
        self.raised = True
        return Interrupted(self.signum or signal.SIGINT)

    @property
    def stopping(self) -> bool:
        return self.signum is not None and not self.raised


_state = _State()


def writing(command: F) -> F:
    """Decorate a click command's function that writes to the database: see the module docstring."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        with interruptible():
            return command(*args, **kwargs)

    return run  # type: ignore[return-value]


@contextmanager
def interruptible() -> Iterator[None]:
    """Turn SIGINT and SIGTERM inside the block into a rollback, one line and exit 128 + signal."""
    global _state
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set signal handlers (the CLI invoked from a worker thread)
        return
    _state = _State()
    previous = {signum: signal.signal(signum, _on_signal) for signum in SIGNALS}
    listeners = _listen()
    _state.armed = True
    try:
        yield
    except BaseException:
        if _state.signum is None:
            raise
        _state.armed = False
        # Whatever the cleanup raised on the way out (a cancelled statement, a failed
        # rollback) is a consequence of the signal; the signal is what the user is told about.
        click.echo(_message(), err=True)
        raise click.exceptions.Exit(128 + _state.signum) from None
    else:
        _state.armed = False
        if _state.signum is not None:  # arrived as the command was returning: its work is done
            click.echo(f"interrupted after the command had finished: {_kept() or 'its changes are kept'}", err=True)
            raise click.exceptions.Exit(128 + _state.signum)
    finally:
        for remove in listeners:
            remove()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _message() -> str:
    kept = _kept()
    return f"interrupted: {kept}; the rest was rolled back" if kept else NOTHING_WRITTEN


def _kept() -> str:
    if _state.kept_ddl:
        return (
            "MariaDB keeps the schema changes already made (it cannot roll back DDL); run the command again to finish"
        )
    if _state.committed:
        return "the changes committed before the signal are kept"
    return ""


def _on_signal(signum: int, _frame: Any) -> None:
    if _state.signum is not None:
        return  # already stopping: let the rollback finish
    _state.signum = signum
    if not _state.armed:
        return
    if _state.in_flight is not None:
        _cancel(_state.in_flight)  # the statement ends in an error, which becomes Interrupted
        return
    raise _state.stop()


def _cancel(connection: Any) -> None:
    """Stop the statement ``connection`` is running, on the server; best effort (else it finishes first)."""
    name = connection.dialect.name
    try:
        raw = connection.connection.dbapi_connection
        if name == "postgresql":
            cancel = getattr(raw, "cancel_safe", None) or raw.cancel
            cancel()
        elif name in ("mysql", "mariadb"):
            thread = int(raw.thread_id())
            args, kwargs = connection.dialect.create_connect_args(connection.engine.url)
            side = connection.dialect.loaded_dbapi.connect(*args, **kwargs)
            try:
                side.cursor().execute(f"KILL QUERY {thread}")
            finally:
                side.close()
        # SQLite: the progress handler (_on_connect) aborts the running statement.
    except Exception:
        pass


# --- what the run does, as SQLAlchemy reports it --------------------------------


def _before(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    _state.in_flight = conn
    words = statement.lstrip(" \t\r\n(").split(None, 2)[:2]
    verb = words[0].upper() if words else ""
    if verb in WRITE_VERBS:
        _state.dirty.add(id(conn))
        # MariaDB commits DDL on its own, except on temporary tables (the loader's staging).
        temporary = len(words) > 1 and words[1].upper() == "TEMPORARY"
        if verb in DDL_VERBS and not temporary and conn.dialect.name in ("mysql", "mariadb"):
            _state.kept_ddl = True


def _after(*_args: Any) -> None:
    _state.in_flight = None
    if _state.stopping:
        raise _state.stop()


def _error(context: Any) -> None:
    _state.in_flight = None
    if _state.stopping:
        raise _state.stop()


def _commit(conn: Any) -> None:
    if id(conn) in _state.dirty:
        _state.dirty.discard(id(conn))
        _state.committed = True


def _rollback(conn: Any) -> None:
    _state.dirty.discard(id(conn))


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        # Non-zero aborts the running statement (SQLITE_INTERRUPT); the Python signal handler
        # itself runs inside this callback, since SQLite holds the main thread meanwhile.
        dbapi_connection.set_progress_handler(
            lambda: 1 if _state.stopping and _state.in_flight is not None else 0, SQLITE_PROGRESS_STEPS
        )


def _listen() -> list[Callable[[], None]]:
    """Attach the hooks to every engine and pool (this process runs one command); the removers."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.pool import Pool

    hooks = [
        (Engine, "before_cursor_execute", _before),
        (Engine, "after_cursor_execute", _after),
        (Engine, "handle_error", _error),
        (Engine, "commit", _commit),
        (Engine, "rollback", _rollback),
        (Pool, "connect", _on_connect),
    ]
    for target, name, fn in hooks:
        event.listen(target, name, fn)
    return [functools.partial(event.remove, target, name, fn) for target, name, fn in hooks]
