"""guestlist's settings: every environment variable it reads, with its default and meaning, in one table.

The command line's options take their variable, help and default from
:data:`SETTINGS`; the library reads the same entries (the database URL, the
lock wait, the crash guard's debug switch); ``docs/cli.md`` shows the table
(``python -m guestlist.seeds.docs_blocks`` writes it). Plain data and the
standard library only, so the command line reads it without loading
SQLAlchemy and ``guestlist --help`` stays fast.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """An environment variable: its name, its value when unset, what it does, and the option that overrides it."""

    name: str
    default: T
    help: str
    option: str

    def environ(self) -> str | None:
        """The variable's text in this process's environment; None when unset."""
        return os.environ.get(self.name)

    def shown_default(self) -> str:
        """The default as a person reads it: ``120``, ``off``, ``none``."""
        if self.default is None:
            return "none"
        if isinstance(self.default, bool):
            return "on" if self.default else "off"
        if isinstance(self.default, float):
            return f"{self.default:g}"
        return str(self.default)


SETTINGS = (
    Setting(
        "GUESTLIST_DATABASE_URL",
        "sqlite:///guestlist.db",
        "The database, as an SQLAlchemy URL; a relative SQLite path is in the current folder.",
        "--database-url URL",
    ),
    Setting(
        "GUESTLIST_READ_ONLY",
        False,
        "Open the database so that writes fail (SQLite mode=ro; read-only transactions on servers).",
        "--read-only",
    ),
    Setting(
        "GUESTLIST_WAIT",
        120.0,
        "How long to wait for another process's lock before giving up, having written nothing; "
        "waits are announced on a terminal.",
        "--wait SECONDS",
    ),
    Setting(
        "GUESTLIST_DEBUG",
        False,
        "Show the traceback of an internal error (a bug) instead of one line.",
        "--debug",
    ),
    Setting(
        "GUESTLIST_READONLY_PASSWORD",
        None,
        "The password of the role 'guestlist db grant-readonly' creates or updates; prompted for (hidden) when a "
        "new role needs one, and an existing role keeps its password when none is given.",
        "db grant-readonly --password TEXT",
    ),
)
DATABASE_URL, READ_ONLY, WAIT, DEBUG, READONLY_PASSWORD = SETTINGS
