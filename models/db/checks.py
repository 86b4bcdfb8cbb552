"""The words the database's CHECK constraints allow, against the words ``guestlist.models.vocab`` declares.

Alembic's autogenerate compares tables, columns, indexes and comments, but
not the text of a CHECK constraint. A word added to ``vocab.STATUS``
without a migration would pass ``guestlist db check`` and then fail at
seed time, when the database's ``ck_attendance_claims_status`` refuses it.
So ``guestlist.models.db.migrate.check`` also reads every named CHECK constraint of the
live database, in each database's own catalog, and compares the quoted
words in it with the words of the same constraint in the models (which
build it from ``vocab``):

- SQLite keeps no catalog of constraints: the table's ``CREATE TABLE``
  text in ``sqlite_master`` is parsed (``CONSTRAINT name CHECK (...)``,
  including those added with ``ALTER TABLE ADD COLUMN``);
- PostgreSQL: ``pg_constraint`` through ``pg_get_constraintdef``;
- MariaDB: ``information_schema.CHECK_CONSTRAINTS``.

Each catalog spells the condition its own way (``= ANY (ARRAY[...])`` on
PostgreSQL); the set of quoted words is what all three keep the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..tables import Base

_WORD = re.compile(r"'((?:[^']|'')*)'")
_SQLITE_CHECK = re.compile(r"CONSTRAINT\s+[\"`\[]?(\w+)[\"`\]]?\s+CHECK\s*\(", re.IGNORECASE)


def words(condition: str) -> frozenset[str]:
    """The quoted literals of a CHECK condition: the vocabulary it allows or names."""
    return frozenset(w.replace("''", "'") for w in _WORD.findall(condition))


def declared() -> dict[str, frozenset[str]]:
    """Named CHECK constraint -> the words the models (that is, ``vocab``) put in it, for those that quote any."""
    out: dict[str, frozenset[str]] = {}
    for table in Base.metadata.sorted_tables:
        for constraint in table.constraints:
            if isinstance(constraint, sa.CheckConstraint) and isinstance(constraint.name, str):
                found = words(str(constraint.sqltext))
                if found:
                    out[constraint.name] = found
    return out


def live(connection: Connection) -> dict[str, frozenset[str]]:
    """Named CHECK constraint -> the quoted words in it, as the database's catalog holds it."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        return _sqlite(connection)
    if dialect == "postgresql":
        rows = connection.execute(
            sa.text(
                "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "JOIN pg_namespace n ON n.oid = c.connamespace "
                "WHERE c.contype = 'c' AND n.nspname = current_schema()"
            )
        )
    else:
        rows = connection.execute(
            sa.text(
                "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                "WHERE CONSTRAINT_SCHEMA = DATABASE()"
            )
        )
    return {str(name): words(str(condition)) for name, condition in rows}


def _sqlite(connection: Connection) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    tables = connection.execute(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL"))
    for (sql,) in tables:
        for match in _SQLITE_CHECK.finditer(sql):
            out[match.group(1)] = words(_parenthesised(sql, match.end()))
    return out


def _parenthesised(sql: str, start: int) -> str:
    """The text from ``start`` (just after an opening parenthesis) to its closing one, quotes respected."""
    depth, quoted = 1, False
    for i in range(start, len(sql)):
        ch = sql[i]
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
            if depth == 0:
                return sql[start:i]
    return sql[start:]


@dataclass(frozen=True)
class Drift:
    """One constraint whose words differ: those only the models have, those only the database has."""

    name: str
    missing: frozenset[str]  # in vocab, not allowed by the database
    extra: frozenset[str]  # allowed by the database, no longer in vocab
    absent: bool = False  # the database has no such constraint at all

    def __str__(self) -> str:
        if self.absent:
            return f"{self.name} is missing from the database"
        parts = []
        if self.missing:
            parts.append(
                "vocab has " + ", ".join(f"'{w}'" for w in sorted(self.missing)) + " which the database refuses"
            )
        if self.extra:
            parts.append(
                "the database allows " + ", ".join(f"'{w}'" for w in sorted(self.extra)) + " which vocab lacks"
            )
        return f"{self.name}: {' and '.join(parts)}"


def drift(connection: Connection) -> list[Drift]:
    """Every named CHECK constraint whose words in the database differ from the models', by name."""
    have = live(connection)
    out = []
    for name, wanted in sorted(declared().items()):
        if name not in have:
            out.append(Drift(name, wanted, frozenset(), absent=True))
        elif have[name] != wanted:
            out.append(Drift(name, wanted - have[name], have[name] - wanted))
    return out


def message(drifts: list[Drift]) -> str:
    """The one line ``guestlist db check`` ends with."""
    return (
        "CHECK constraints differ from guestlist.models.vocab: "
        + "; ".join(str(d) for d in drifts)
        + ": a vocabulary change needs a migration that rewrites the constraint (docs/vocabulary.md)"
    )
