"""The declarative base every table hangs off.

The naming convention gives every index and constraint a deterministic name,
so migrations can drop exactly what they created on all three databases and
batch rebuilds on SQLite can find constraints again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CheckConstraint, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# MariaDB's default collation folds case and accents; binary collation makes
# natural keys compare the way they do on SQLite and PostgreSQL.
MYSQL_TABLE_OPTIONS: dict[str, Any] = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin"}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_args(*items: Any, comment: str) -> tuple[Any, ...]:
    """Constraints for ``__table_args__`` plus the comment and shared options.

    The comment lands in the database catalog on PostgreSQL and MariaDB, and
    feeds the data dictionary and Datasette metadata.
    """
    return (*items, {**MYSQL_TABLE_OPTIONS, "comment": comment})


def one_of(column: str, words: tuple[str, ...], name: str | None = None) -> CheckConstraint:
    """A named CHECK that keeps ``column`` inside a vocabulary on every database."""
    quoted = ", ".join(f"'{w}'" for w in words)
    return CheckConstraint(f"{column} IN ({quoted})", name=name or column)


def not_before(end: str, start: str, name: str | None = None) -> CheckConstraint:
    """A named CHECK that an optional end date does not precede its start."""
    return CheckConstraint(
        f"{end} IS NULL OR {start} IS NULL OR {end} >= {start}",
        name=name or f"{end}_not_before_{start}",
    )
