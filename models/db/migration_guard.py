"""Which migrations keep data, and the guard that stops the others on a database with rows.

Every revision says whether its downgrade keeps every row, in a module
attribute beside ``down_revision``: ``keeps_data = True`` (tested to hold:
``tests/test_migration_data.py`` walks every revision) or ``keeps_data =
False``. A downgrade that does not keep data, or whose revision does not
say, is refused on a database that holds rows unless the caller allows it
(``guestlist db downgrade --allow-data-loss``): no migration drops data silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import MigrationError
from ..search.tables import SEARCH_TABLES

KEEPS_DATA = "keeps_data"  # the attribute of a revision's module that the guard reads
VERSION_TABLE = "alembic_version"
# Tables that only speed work up and are rebuilt by using guestlist: their rows are not data.
CACHE_TABLES = frozenset({"bulk_loads"}) | SEARCH_TABLES


def keeps_data(script: Any) -> bool:
    """Whether the downgrade of ``script`` (an Alembic revision script) keeps every row: its module says ``keeps_data = True``."""
    return getattr(script.module, KEEPS_DATA, None) is True


def data_loss_reason(script: Any) -> str:
    """Why the guard counts ``script``'s downgrade as losing data, for the refusal."""
    if getattr(script.module, KEEPS_DATA, None) is False:
        return "its downgrade does not keep every row"
    return f"its script does not say that its downgrade keeps every row ({KEEPS_DATA} = True)"


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
                raise MigrationError(
                    f"downgrading {script.revision} ({script.doc}) would lose the database's {rows:,} rows "
                    f"[{data_loss_reason(script)}]; back them up with 'guestlist export seeds DIR', "
                    "then rerun with --allow-data-loss"
                )
        return steps

    return planned
