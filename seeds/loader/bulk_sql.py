"""Staging tables and set-based upserts for bulk files, per database.

Checked rows (references already ids) reach a temporary staging table by
each database's fastest path: SQLite ``executemany`` straight from the row
iterator, PostgreSQL ``COPY``, MariaDB batched multi-row INSERTs. Then one
statement per target table upserts from there with ``ON CONFLICT ... DO
UPDATE ... WHERE`` a value differs (``ON DUPLICATE KEY UPDATE`` on MariaDB),
so seeding unchanged data writes no row at all.

Identifiers in this SQL come from the seed format (``guestlist.seeds.loader.format``:
tables, columns, keys, self-references), never from a file; every value from
a file reaches the database as a staged row or a bound parameter.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from guestlist.models.errors import SeedError

from .format import SECTIONS, Section, bulk_fields
from .resolve import unknown_reference
from .validate import BulkEntry

SQLITE_CACHE_KIB = 32_768  # page cache while a bulk file is written; restored afterwards
REBUILD_INDEXES_FROM = 10_000  # rows into an empty table from which its secondary indexes are rebuilt after
MYSQL_BATCH = 2_000
POSTGRES_BATCH = 50_000
_names = itertools.count(1)


@dataclass
class Counts:
    """Rows of one bulk file, as the run's report counts them."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0


def writer_for(conn: Connection, bulk: BulkEntry, columns: list[str], types: dict[str, str]) -> Writer:
    dialect = conn.dialect.name
    cls = {"sqlite": SQLiteWriter, "postgresql": PostgresWriter, "mysql": MySQLWriter}.get(dialect)
    if cls is None:
        raise SeedError(bulk.shown, None, None, f"bulk files are not supported on {dialect}")
    return cls(conn, bulk, columns, types)


class Writer:
    """One bulk file's staging table and the statements that apply it."""

    types = {"int": "INTEGER", "bool": "BOOLEAN", "date": "DATE"}
    text = "TEXT"
    temporary = ""

    def __init__(self, conn: Connection, bulk: BulkEntry, columns: list[str], types: dict[str, str]):
        self.conn, self.bulk, self.columns, self.stage_types = conn, bulk, columns, types
        self.section: Section = SECTIONS[bulk.table]
        self.fields = bulk_fields(bulk.table)
        self.file_columns = [c for c in columns if c in self.fields]
        self.stage = f"gl_bulk_{next(_names)}"
        self.staged = 0
        self._created = False

    # -- staging ---------------------------------------------------------------
    def create(self) -> None:
        cols = [f"{name} {self.types.get(self.stage_types[name], self.text)}" for name in self.columns]
        self.conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {self.stage} ({', '.join(cols)}){self.options()}")
        self._created = True

    def options(self) -> str:
        return ""

    def stage_rows(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Write every row to the staging table; the caller sets ``staged`` to their number."""
        self.create()
        self.write(iter(rows))

    def write(self, rows: Iterator[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    def drop(self) -> None:
        if self._created:
            self.conn.exec_driver_sql(f"DROP {self.temporary}TABLE IF EXISTS {self.stage}")
            self._created = False

    # -- SQL helpers -------------------------------------------------------------
    def differs(self, a: str, b: str) -> str:
        return f"{a} IS DISTINCT FROM {b}"

    def first(self, sql: str, **params: Any) -> Any:
        return self.conn.execute(sa.text(sql), params).first()

    def count(self, table: str) -> int:
        return int(self.conn.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar() or 0)

    def fail(self, line: int, message: str, field: str | None = None, record: str | None = None) -> SeedError:
        return SeedError(self.bulk.shown, record or self.bulk.label, field, message, line)

    def check_unique(self, keys: list[str], what: str, where: str = "") -> None:
        """The same natural key twice in one file is a mistake, never a merge."""
        row = self.first(
            f"SELECT MIN(line), MAX(line) FROM {self.stage} s {where} GROUP BY {', '.join(keys)} "
            "HAVING COUNT(*) > 1 ORDER BY MIN(line) LIMIT 1"
        )
        if row is not None:
            raise self.fail(row[1], f"duplicate {what}: already given at line {row[0]} of this file")

    def upsert(
        self,
        target: str,
        insert: list[tuple[str, str]],
        key: list[str],
        update: list[str],
        source: str,
        rows: int,
        params: dict[str, Any],
    ) -> tuple[int, int]:
        """INSERT ... SELECT ``source``, rewriting ``update`` columns only where they differ.

        Returns (added, changed); ``rows`` is how many distinct keys the
        SELECT yields, for the dialects that count by difference.
        """
        raise NotImplementedError

    @staticmethod
    def insert_select(target: str, insert: list[tuple[str, str]], source: str) -> str:
        return (
            f"INSERT INTO {target} ({', '.join(c for c, _ in insert)}) "
            f"SELECT {', '.join(e for _, e in insert)} {source}"
        )

    def on_conflict(self, target: str, key: list[str], update: list[str]) -> str:
        sql = f" ON CONFLICT ({', '.join(key)}) DO "
        if not update:
            return sql + "NOTHING"
        return (
            sql
            + "UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in update)
            + " WHERE "
            + " OR ".join(self.differs(f"{target}.{c}", f"excluded.{c}") for c in update)
        )

    # -- the whole file ------------------------------------------------------------
    def apply(self, source_id: int) -> Counts:
        if self.staged == 0:
            return Counts()
        params = {"doc_source": source_id}
        if self.section.bulk_child:
            return self.apply_attendance(params)
        return self.apply_entities(params)

    def apply_entities(self, params: dict[str, Any]) -> Counts:
        """Upsert the file's rows; an event's parent may be defined further down the file.

        Parents stored before the statement are set by the upsert itself;
        those the file creates are filled in afterwards, which only touches
        rows the upsert has already counted as added or changed.
        """
        section = self.section
        key = list(section.key_columns)
        insert: list[tuple[str, str]] = []
        update: list[str] = []
        joins = ""
        for name in self.file_columns:
            spec = self.fields[name]
            column = spec.column or name
            expr = f"s.{name}"
            if name == section.self_ref:
                expr, joins = "r_parent.id", f" LEFT JOIN {section.table.name} r_parent ON r_parent.{key[0]} = s.{name}"
            if spec.default is not None:
                params[f"d_{name}"] = spec.default
                expr = f"COALESCE({expr}, :d_{name})"
            insert.append((column, expr))
            if column not in key:
                update.append(column)
        for name, spec in self.fields.items():
            if spec.default is not None and name not in self.file_columns:
                params[f"d_{name}"] = spec.default
                insert.append((spec.column or name, f":d_{name}"))  # on create only
        if "source" in self.fields and "source" not in self.file_columns:
            insert.append(("source_id", ":doc_source"))
            if section.source == "strong":
                update.append("source_id")
        group = [f"s.{k}" for k in section.key if k in self.file_columns]
        self.check_unique(group, section.noun)
        added, changed = self.upsert(
            section.table.name, insert, key, update, f"FROM {self.stage} s{joins}", self.staged, params
        )
        if section.self_ref in self.file_columns:
            self.link_parents()
        return Counts(added, changed, self.staged - added - changed)

    def self_ref(self) -> tuple[str, str, str, str]:
        """(table, key column, self-reference field, its column) of the file's section."""
        spec = self.section
        return spec.table.name, spec.key_columns[0], spec.self_ref, spec.self_column  # type: ignore[return-value]

    def link_parents(self) -> None:
        table, key, field, column = self.self_ref()
        row = self.first(
            f"SELECT s.line, s.{field}, s.{key} FROM {self.stage} s LEFT JOIN {table} p ON p.{key} = s.{field} "
            f"WHERE s.{field} IS NOT NULL AND p.id IS NULL ORDER BY s.line LIMIT 1"
        )
        if row is not None:
            message = unknown_reference(self.conn, self.section.kind, row[1])  # type: ignore[arg-type]
            raise self.fail(row[0], message, field, f"{self.bulk.label} '{row[2]}'")
        self.write_parents()
        row = self.first(
            "WITH RECURSIVE walk(start, cur, depth) AS ("
            f" SELECT e.id, e.{column}, 1 FROM {table} e JOIN {self.stage} s ON s.{key} = e.{key}"
            f" WHERE e.{column} IS NOT NULL"
            f" UNION ALL SELECT w.start, e.{column}, w.depth + 1 FROM walk w JOIN {table} e ON e.id = w.cur"
            f" WHERE w.cur <> w.start AND e.{column} IS NOT NULL AND w.depth < 100000)"
            # The walk's rows are read once (a join on them made PostgreSQL loop over them per event).
            f" SELECT e.{key} FROM {table} e WHERE e.id = (SELECT MIN(w.start) FROM walk w WHERE w.cur = w.start)"
        )
        if row is not None:
            line = self.first(f"SELECT MIN(line) FROM {self.stage} WHERE {key} = :key", key=row[0])[0]
            raise self.fail(
                line, f"the parents of this {self.section.noun} form a cycle", field, f"{self.bulk.label} '{row[0]}'"
            )

    def write_parents(self) -> None:
        table, key, field, column = self.self_ref()
        self.conn.exec_driver_sql(
            f"UPDATE {table} SET {column} = p.id FROM {self.stage} s JOIN {table} p ON p.{key} = s.{field} "
            f"WHERE s.{key} = {table}.{key} AND {self.differs(f'{table}.{column}', 'p.id')}"
        )

    # -- attendance: participations, then their claims --------------------------------
    def apply_attendance(self, params: dict[str, Any]) -> Counts:
        """Participations (the first row of each), then one claim per row."""
        section = self.section
        child_name, child_fields = section.bulk_child  # type: ignore[misc]
        child = SECTIONS[child_name]
        repeated = self.first(
            f"SELECT COUNT(*) FROM (SELECT 1 AS x FROM {self.stage} WHERE first_of_run = 1 "
            "GROUP BY event, participant_key HAVING COUNT(*) > 1) r"
        )[0]
        if repeated:
            self.merge_repeated_runs()
        attendance_rows = int(self.first(f"SELECT COUNT(*) FROM {self.stage} WHERE first_of_run = 1")[0])
        insert: list[tuple[str, str]] = []
        update: list[str] = []
        for name, spec in section.fields.items():
            if name in self.file_columns and spec.column:
                insert.append((spec.column, f"s.{name}"))
                if name in section.values_fields:
                    update.append(spec.column)
        key = list(section.key_columns)
        parent = section.table.name
        a_added, a_changed = self.upsert(
            parent,
            insert,
            key,
            update,
            f"FROM {self.stage} s WHERE s.first_of_run = 1",
            attendance_rows,
            params,
        )
        # The child's key: its parent, the (implicit) source and its own key fields.
        claim = [(child.parent[1], "a.id")]  # type: ignore[index]
        claim_update = []
        for name in child_fields:
            spec = child.fields[name]
            if name == "source":
                claim.append((spec.column, "s.source" if "source" in self.file_columns else ":doc_source"))  # type: ignore[arg-type]
            elif name in self.file_columns:
                claim.append((spec.column, f"s.{name}"))  # type: ignore[arg-type]
                if name not in child.key:
                    claim_update.append(spec.column)
        c_added, c_changed = self.upsert(
            child.table.name,
            claim,
            list(child.key_columns),
            claim_update,  # type: ignore[arg-type]
            f"FROM {self.stage} s JOIN {parent} a ON a.{key[0]} = s.{section.key[0]} AND a.{key[1]} = s.{key[1]}",
            self.staged,
            params,
        )
        added, changed = a_added + c_added, a_changed + c_changed
        return Counts(added, changed, attendance_rows + self.staged - added - changed)

    def merge_repeated_runs(self) -> None:
        """A participation given again further down the file: same values, new claims only."""
        fields = [n for n in self.section.values_fields if n in self.file_columns]
        if fields:
            values = ", ".join(f"COALESCE({self.as_text(n)}, '') AS v_{n}" for n in fields)
            row = self.first(
                f"SELECT event, participant_key FROM (SELECT DISTINCT event, participant_key, {values} "
                f"FROM {self.stage} WHERE first_of_run = 1) d GROUP BY event, participant_key HAVING COUNT(*) > 1 LIMIT 1"
            )
            if row is not None:
                lines = (
                    self.conn.execute(
                        sa.text(
                            f"SELECT line FROM {self.stage} WHERE event = :e AND participant_key = :k "
                            "AND first_of_run = 1 ORDER BY line"
                        ),
                        {"e": row[0], "k": row[1]},
                    )
                    .scalars()
                    .all()
                )
                raise self.fail(
                    lines[-1],
                    f"differs from line {lines[0]} for the same participation (each row repeats the participation)",
                )
        source = ["source"] if "source" in self.file_columns else []
        self.check_unique(
            ["event", "participant_key", *source, "reported_on"],
            "claim (same source and reported_on) for this participation",
        )
        self.conn.exec_driver_sql(
            f"CREATE TEMPORARY TABLE {self.stage}_keep AS SELECT MIN(line) AS line FROM {self.stage} "
            "WHERE first_of_run = 1 GROUP BY event, participant_key"
        )
        try:
            self.unmark_repeats()
        finally:
            self.conn.exec_driver_sql(f"DROP {self.temporary}TABLE {self.stage}_keep")

    def as_text(self, name: str) -> str:
        return name if self.stage_types[name] not in ("int", "bool") else f"CAST({name} AS CHAR(20))"

    def unmark_repeats(self) -> None:
        self.conn.exec_driver_sql(
            f"UPDATE {self.stage} SET first_of_run = 0 WHERE first_of_run = 1 "
            f"AND line NOT IN (SELECT line FROM {self.stage}_keep)"
        )


class SQLiteWriter(Writer):
    """executemany straight from the row iterator, with a larger page cache."""

    types = {"int": "INTEGER", "bool": "INTEGER"}

    def stage_rows(self, rows: Iterable[tuple[Any, ...]]) -> None:
        raw = self.conn.connection.driver_connection
        self._cache = raw.execute("PRAGMA cache_size").fetchone()[0]
        raw.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        super().stage_rows(rows)

    def drop(self) -> None:
        super().drop()
        if hasattr(self, "_cache"):
            self.conn.connection.driver_connection.execute(f"PRAGMA cache_size = {self._cache}")

    def write(self, rows: Iterator[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" for _ in self.columns)
        self.conn.connection.driver_connection.executemany(f"INSERT INTO {self.stage} VALUES ({marks})", rows)

    def differs(self, a: str, b: str) -> str:
        return f"{a} IS NOT {b}"

    def as_text(self, name: str) -> str:
        return f"CAST({name} AS TEXT)"

    def upsert(self, target, insert, key, update, source, rows, params):  # type: ignore[no-untyped-def]
        before = self.count(target)
        where = "" if " WHERE " in source else " WHERE true"  # SQLite needs it before ON CONFLICT
        sql = self.insert_select(target, insert, source) + where + self.on_conflict(target, key, update)
        # Into an empty table, building the secondary indexes once afterwards
        # beats maintaining them row by row (about 3x on a million rows). The
        # same DDL comes back, in the same transaction, so nothing else can
        # ever see the table without them.
        indexes = self.secondary_indexes(target) if before == 0 and rows >= REBUILD_INDEXES_FROM else []
        for name, _ddl in indexes:
            self.conn.exec_driver_sql(f'DROP INDEX "{name}"')
        written = self.conn.execute(sa.text(sql), params).rowcount
        for _name, ddl in indexes:
            self.conn.exec_driver_sql(ddl)
        added = self.count(target) - before
        return added, written - added

    def secondary_indexes(self, table: str) -> list[tuple[str, str]]:
        """Indexes created by CREATE INDEX (not those behind UNIQUE or PRIMARY KEY)."""
        rows = self.conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,)
        )
        return [(name, sql) for name, sql in rows]


class PostgresWriter(Writer):
    """COPY into a temporary table, then one INSERT ... SELECT ... ON CONFLICT per target."""

    def options(self) -> str:
        return " ON COMMIT DROP"

    def write(self, rows: Iterator[tuple[Any, ...]]) -> None:
        # One COPY per batch: checking the next rows looks keys up on this
        # same connection, which cannot run a query while a COPY is open.
        # Rows go as CSV text made by the C writer: None is an unquoted empty
        # field, which COPY reads as NULL (an empty text is null in bulk files).
        raw = self.conn.connection.driver_connection
        sql = f"COPY {self.stage} ({', '.join(self.columns)}) FROM STDIN (FORMAT csv)"
        with raw.cursor() as cursor:
            while batch := list(itertools.islice(rows, POSTGRES_BATCH)):
                text = io.StringIO()
                csv.writer(text, lineterminator="\n").writerows(batch)
                with cursor.copy(sql) as copy:
                    copy.write(text.getvalue())
        # Statistics of the staging table, so the joins below are planned on real numbers.
        self.conn.exec_driver_sql(f"ANALYZE {self.stage}")

    def as_text(self, name: str) -> str:
        return f"CAST({name} AS TEXT)"

    def upsert(self, target, insert, key, update, source, rows, params):  # type: ignore[no-untyped-def]
        sql = self.insert_select(target, insert, source) + self.on_conflict(target, key, update)
        sql = (
            f"WITH w AS ({sql} RETURNING (xmax = 0) AS inserted) "
            "SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted) FROM w"
        )
        # As on SQLite: an empty table's secondary indexes are built once at
        # the end. DROP INDEX locks the (empty) table until the run commits.
        empty = not self.conn.exec_driver_sql(f"SELECT EXISTS (SELECT 1 FROM {target})").scalar()
        indexes = self.secondary_indexes(target) if empty and rows >= REBUILD_INDEXES_FROM else []
        for name, _ddl in indexes:
            self.conn.exec_driver_sql(f'DROP INDEX "{name}"')
        if empty:
            # Nothing to conflict with (the keys were checked unique in the
            # file), so a plain INSERT skips the speculative insertions.
            added, changed = self.conn.execute(sa.text(self.insert_select(target, insert, source)), params).rowcount, 0
        else:
            added, changed = self.conn.execute(sa.text(sql), params).one()
        for _name, ddl in indexes:
            self.conn.exec_driver_sql(ddl)
        return int(added), int(changed)

    def secondary_indexes(self, table: str) -> list[tuple[str, str]]:
        """Plain indexes of ``table``: not unique, not behind a constraint."""
        rows = self.conn.exec_driver_sql(
            "SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
            "WHERE x.indrelid = to_regclass(%(t)s) AND NOT x.indisunique AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)",
            {"t": table},
        )
        return [(name, ddl) for name, ddl in rows]


class MySQLWriter(Writer):
    """Batched multi-row INSERTs into a temporary table, then INSERT ... ON DUPLICATE KEY UPDATE.

    MariaDB cannot open a temporary table twice in one statement, so every
    statement here names the staging table once.
    """

    text = "LONGTEXT"
    temporary = "TEMPORARY "

    def options(self) -> str:
        return " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"

    def write(self, rows: Iterator[tuple[Any, ...]]) -> None:
        sql = f"INSERT INTO {self.stage} ({', '.join(self.columns)}) VALUES ({', '.join('%s' for _ in self.columns)})"
        cursor = self.conn.connection.driver_connection.cursor()
        try:
            while batch := list(itertools.islice(rows, MYSQL_BATCH)):
                cursor.executemany(sql, batch)
        finally:
            cursor.close()

    def differs(self, a: str, b: str) -> str:
        return f"NOT ({a} <=> {b})"

    def write_parents(self) -> None:
        table, key, field, column = self.self_ref()
        self.conn.exec_driver_sql(
            f"UPDATE {table} e JOIN {self.stage} s ON s.{key} = e.{key} JOIN {table} p ON p.{key} = s.{field} "
            f"SET e.{column} = p.id WHERE {self.differs(f'e.{column}', 'p.id')}"
        )

    def unmark_repeats(self) -> None:
        self.conn.exec_driver_sql(
            f"UPDATE {self.stage} s LEFT JOIN {self.stage}_keep k ON k.line = s.line "
            "SET s.first_of_run = 0 WHERE s.first_of_run = 1 AND k.line IS NULL"
        )

    def upsert(self, target, insert, key, update, source, rows, params):  # type: ignore[no-untyped-def]
        from pymysql.constants import CLIENT  # the MariaDB driver, installed only with the mysql extra

        before = self.count(target)
        assignments = [f"{c} = VALUES({c})" for c in update] or [f"{key[0]} = {key[0]}"]
        sql = self.insert_select(target, insert, source) + " ON DUPLICATE KEY UPDATE " + ", ".join(assignments)
        affected = self.conn.execute(sa.text(sql), params).rowcount
        added = self.count(target) - before
        # Affected rows: 1 per insert, 2 per change, and per unchanged row 1 with FOUND_ROWS, else 0.
        if self.conn.connection.driver_connection.client_flag & CLIENT.FOUND_ROWS:
            return added, max(0, affected - rows)
        return added, max(0, (affected - added) // 2)
