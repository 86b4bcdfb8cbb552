"""What a database holds, in forms tests can compare: the one snapshot helper.

- :func:`snapshot`: every table's rows (Alembic's, the loader's ledger
  ``bulk_loads`` and the search index included), ids included, in key order:
  for "exactly as it was" after a crash, a refused load or a
  downgrade-upgrade step.
- :func:`data_snapshot`: the same without the caches, for "no fact changed"
  where a run may rightly refresh a cache.
- :func:`canonical`: every table's rows with surrogate ids replaced by what
  they point at, for comparing two databases loaded separately (a backup
  round trip), where ids may legitimately differ.
- :func:`integrity_problems`: the database's own consistency check.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
from collections import Counter
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from guestlist.models.db import create_engine
from guestlist.models.db.migration_guard import CACHE_TABLES

Rows = dict[str, list[tuple[Any, ...]]]


def _norm(value: Any) -> Any:
    """One representation per value across drivers (MariaDB booleans are ints, etc.)."""
    kind = type(value)
    if kind is str or kind is int or value is None:
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (memoryview, bytes)):
        return bytes(value)
    return value


def base_tables(conn: Connection) -> list[str]:
    """Tables only (no views), including alembic_version."""
    return sorted(sa.inspect(conn).get_table_names())


def snapshot(url: str, tables: list[str] | None = None) -> Rows:
    """All rows of all tables in primary-key order; ids included. Values as the driver gives them,
    so compare snapshots of the same database only (``canonical`` compares across databases)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            out: Rows = {}
            for name in tables or base_tables(conn):
                table = sa.Table(name, sa.MetaData(), autoload_with=conn)
                order = list(table.primary_key.columns)
                rows = conn.execute(sa.select(table).order_by(*order)).all()
                out[name] = [tuple(row) for row in rows] if order else sorted(map(tuple, rows), key=_sort_key)
            return out
    finally:
        engine.dispose()


def data_snapshot(url: str) -> Rows:
    """``snapshot`` without the caches (``bulk_loads``): what a load that writes nothing leaves as it was.

    A run that reads a bulk file in full records it in the loader's ledger
    even when no fact changed; a downgrade may drop the ledger. The search
    index is derived too (ids of its entries change on a rebuild).
    """
    return {name: rows for name, rows in snapshot(url).items() if name not in CACHE_TABLES}


def _sort_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple((v is None, type(v).__name__, v if v is not None else 0) for v in row)


def row_count(rows: Rows) -> int:
    return sum(len(v) for v in rows.values())


def diff(before: Rows, after: Rows) -> str:
    """A short description of how two snapshots differ ('' when equal)."""
    problems = []
    for name in sorted(set(before) | set(after)):
        a, b = before.get(name), after.get(name)
        if a == b:
            continue
        if a is None or b is None:
            problems.append(f"{name}: table {'added' if a is None else 'missing'}")
            continue
        only_a = Counter(a) - Counter(b)
        only_b = Counter(b) - Counter(a)
        problems.append(
            f"{name}: {len(a)} -> {len(b)} rows; gone e.g. {list(only_a)[:2]}; new e.g. {list(only_b)[:2]}"
        )
    return "\n".join(problems)


def canonical(url: str, *, skip: Iterable[str] = ("alembic_version", *CACHE_TABLES)) -> dict[str, Counter[tuple[Any, ...]]]:
    """Every table of facts (not Alembic's, not the loader's ledger) as a multiset of rows whose ids are replaced by the rows they name.

    A foreign key becomes a digest of the referenced row's own canonical form
    (recursively); the primary key ``id`` and computed columns are dropped. So
    two databases holding the same facts compare equal whatever order they
    were loaded in, while any difference in a referenced row shows up too.
    """
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            metadata = sa.MetaData()
            names = [n for n in base_tables(conn) if n not in skip]
            metadata.reflect(conn, only=names)
            columns: dict[str, list[str]] = {}
            raw: dict[str, dict[Any, tuple[Any, ...]]] = {}
            for name in names:
                table = metadata.tables[name]
                computed = {c.name for c in table.columns if c.computed is not None}
                # Sorted by name, so two databases compare column by column whatever their order.
                columns[name] = sorted(c.name for c in table.columns if c.name not in computed | {"participant_key"})
                selected = [table.c.id, *(table.c[c] for c in columns[name] if c != "id")] if "id" in table.c else [
                    sa.literal(None), *(table.c[c] for c in columns[name])
                ]
                raw[name] = {}
                for number, row in enumerate(conn.execute(sa.select(*selected))):
                    raw[name][row[0] if row[0] is not None else ("row", number)] = tuple(row[1:])
    finally:
        engine.dispose()
    kept = {name: [c for c in columns[name] if c != "id"] for name in names}
    fks = {
        name: [
            next((fk.column.table.name for fk in metadata.tables[name].c[c].foreign_keys), None) for c in kept[name]
        ]
        for name in names
    }
    forms: dict[tuple[str, Any], tuple[Any, ...]] = {}
    digests: dict[tuple[str, Any], str] = {}

    def form(name: str, row_id: Any, depth: int = 0) -> tuple[Any, ...]:
        key = (name, row_id)
        found = forms.get(key)
        if found is not None:
            return found
        if depth > 50:
            raise AssertionError(f"reference cycle through {name}")
        values = []
        for target, value in zip(fks[name], raw[name][row_id]):
            if target is not None and value is not None:
                ref = (target, value)
                if ref not in digests:
                    digests[ref] = hashlib.sha1(repr(form(target, value, depth + 1)).encode()).hexdigest()
                value = digests[ref]
            values.append(_norm(value))
        forms[key] = result = tuple(values)
        return result

    return {name: Counter(form(name, row_id) for row_id in raw[name]) for name in names}


def integrity_problems(url: str) -> list[str]:
    """The database's own check: [] when clean.

    SQLite: ``PRAGMA integrity_check`` and ``foreign_key_check``. PostgreSQL:
    amcheck's ``bt_index_check`` on every index when the extension can be
    created, else a full read of every table and index. MariaDB: ``CHECK TABLE``.
    """
    engine = create_engine(url)
    problems: list[str] = []
    try:
        with engine.connect() as conn:
            name = conn.dialect.name
            if name == "sqlite":
                result = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                if result != ["ok"]:
                    problems += result
                problems += [str(tuple(r)) for r in conn.exec_driver_sql("PRAGMA foreign_key_check")]
            elif name == "postgresql":
                problems += _pg_check(conn)
            else:
                for table in base_tables(conn):
                    for row in conn.exec_driver_sql(f"CHECK TABLE `{table}` EXTENDED"):
                        if row[2] in ("error", "warning") or (row[2] == "status" and row[3] != "OK"):
                            problems.append(f"{table}: {row[2]} {row[3]}")
    finally:
        engine.dispose()
    return problems


def _pg_check(conn: Connection) -> list[str]:
    problems = []
    try:
        with conn.begin():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS amcheck")
        has_amcheck = True
    except sa.exc.DBAPIError:
        has_amcheck = False
    with conn.begin():
        if has_amcheck:
            indexes = conn.exec_driver_sql(
                "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam "
                "WHERE n.nspname = current_schema() AND a.amname = 'btree'"
            ).all()
            for oid, relname in indexes:
                try:
                    with conn.begin_nested():
                        conn.exec_driver_sql("SELECT bt_index_check(%s::regclass, true)", (oid,))
                except sa.exc.DBAPIError as exc:
                    problems.append(f"{relname}: {exc.orig}")
        for table in base_tables(conn):
            conn.exec_driver_sql(f'SELECT count(*) FROM (SELECT * FROM "{table}") AS t').scalar()
    return problems
