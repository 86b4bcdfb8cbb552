"""Which migrations keep data, and the guard that stops the others on a database with rows.

Every revision's docstring has a paragraph starting ``Data:`` that says what
its downgrade does to the rows. One that says ``keeps every row`` is tested
to do so (``tests/test_migration_data.py`` walks every revision); any other
downgrade cannot keep data, and running it on a database that holds rows is
refused unless the caller allows it (``guestlist db downgrade --allow-data-loss``):
no migration drops data silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import MigrationError
from ..search import SEARCH_TABLES

KEEPS = "keeps every row"
VERSION_TABLE = "alembic_version"
# Tables that only speed work up and are rebuilt by using guestlist: their rows are not data.
CACHE_TABLES = frozenset({"bulk_loads"}) | SEARCH_TABLES


def data_note(script: Any) -> str | None:
    """The ``Data:`` paragraph of a revision's docstring, on one line; None when missing."""
    doc = getattr(script.module, "__doc__", None) or ""
    for paragraph in re.split(r"\n\s*\n", doc):
        if paragraph.strip().startswith("Data:"):
            return " ".join(paragraph.split())
    return None


def keeps_data(script: Any) -> bool:
    note = data_note(script)
    return note is not None and KEEPS in note


def count_rows(connection: Connection) -> int:
    """Rows in every table but Alembic's own and the caches."""
    names = [n for n in sa.inspect(connection).get_table_names() if n != VERSION_TABLE and n not in CACHE_TABLES]
    return sum(connection.execute(sa.select(sa.func.count()).select_from(sa.table(n))).scalar() or 0 for n in names)


def guard_steps(
    migrations_fn: Callable[..., Iterable[Any]], connection: Connection, allow: bool
) -> Callable[..., list[Any]]:
    """Wrap Alembic's step planner: refuse a lossy downgrade step while the database holds rows."""

    def planned(heads: Any, ctx: Any) -> list[Any]:
        steps = list(migrations_fn(heads, ctx))
        lossy = [s for s in steps if s.is_downgrade and not keeps_data(s.revision)]
        if lossy and not allow:
            rows = count_rows(connection)
            if rows:
                script = lossy[0].revision
                reason = data_note(script) or "its docstring does not say it keeps every row"
                raise MigrationError(
                    f"downgrading {script.revision} ({script.doc}) would lose the database's {rows:,} rows "
                    f"[{reason.removeprefix('Data: ')[:160]}]; back them up with 'guestlist export seeds DIR', "
                    "then rerun with --allow-data-loss"
                )
        return steps

    return planned
