"""How long guestlist waits for another process's lock, and what it says meanwhile.

A command blocked by another writer does not hang in silence: where the lock
is guestlist's own (a PostgreSQL advisory lock, a MariaDB named lock) the
database says who holds it, and the person at a terminal is told; on SQLite
nobody can tell, so it is "another process". After the wait (``--wait
SECONDS``, ``GUESTLIST_WAIT``, default ``settings.WAIT.default``) the command
gives up with one line, having written nothing.

Every other lock wait is bounded by the same time through each database's
own setting: SQLite's busy timeout, PostgreSQL's ``lock_timeout``, MariaDB's
``innodb_lock_wait_timeout`` and ``lock_wait_timeout``.

The policy is a context variable: the CLI sets it for its run, a library
caller may too (:func:`set_wait`), and otherwise it comes from the environment.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from ..settings import WAIT

OnWait = Callable[[str], None]


@dataclass(frozen=True)
class WaitPolicy:
    seconds: float
    on_wait: OnWait | None = None

    @property
    def milliseconds(self) -> int:
        return int(self.seconds * 1000)

    @property
    def whole_seconds(self) -> int:
        """For settings that take whole seconds, at least 1 (MariaDB refuses 0)."""
        return max(1, math.ceil(self.seconds))

    def say(self, message: str) -> None:
        if self.on_wait is not None:
            self.on_wait(message)

    def waiting(self, what: str, holder: str) -> str:
        return f"waiting for {what}, held by {holder}; giving up after {self.seconds:g} s (--wait SECONDS)..."

    def gave_up(self, what: str, holder: str) -> str:
        return (
            f"gave up after {self.seconds:g} s waiting for {what}, held by {holder}; nothing was written: "
            "try again when it is done, or wait longer with --wait SECONDS"
        )


_policy: ContextVar[WaitPolicy | None] = ContextVar("guestlist_wait", default=None)


def seconds_from_env() -> float:
    value = (WAIT.environ() or "").strip()
    try:
        seconds = float(value) if value else WAIT.default
    except ValueError:
        return WAIT.default
    return seconds if math.isfinite(seconds) and seconds >= 0 else WAIT.default


def wait_policy() -> WaitPolicy:
    return _policy.get() or WaitPolicy(seconds_from_env())


def set_wait(seconds: float | None = None, on_wait: OnWait | None = None) -> WaitPolicy:
    """This run's policy: ``seconds`` (None: GUESTLIST_WAIT or the default) and who is told about waits."""
    policy = WaitPolicy(seconds_from_env() if seconds is None else seconds, on_wait)
    _policy.set(policy)
    return policy


def is_lock_timeout(exc: BaseException) -> bool:
    """A driver error that means "a lock was not granted in time" (SQLite busy, PG 55P03, MariaDB 1205)."""
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlstate", None) == "55P03":
        return True
    args = getattr(orig, "args", ())
    if args and args[0] in (1205, 3572):  # lock wait timeout; NOWAIT
        return True
    text = str(orig).lower()
    return "database is locked" in text or "database table is locked" in text or "lock timeout" in text


SQLITE_HOLDER = "another process (SQLite cannot tell which)"
