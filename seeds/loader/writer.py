"""Upserts by natural key with SQLAlchemy Core, counting what changed.

Per section and document: one SELECT for the stored rows the records name,
one executemany INSERT for the new ones, one executemany UPDATE per set of
changed columns. Only differing values are written, so reloading the same
documents issues no INSERT or UPDATE at all. Self references (event series,
organization parents, state successors) are set in a second pass, once every
row of the run exists. Bulk files of a section are handed to
``guestlist.seeds.loader.bulk`` right after that section's YAML records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from guestlist.models.errors import SeedError

from .bulk import load_file
from .format import PARTICIPANT_KEY, SECTIONS, TOP_LEVEL
from .ledger import Ledger, digest
from .resolve import Resolver, chunks
from .summary import DocumentReport
from .validate import BulkEntry, CheckedDocument, Record

# Seed field name of each column, for listing what changed.
FIELD_OF = {name: {f.column: f.name for f in spec.fields.values() if f.column} for name, spec in SECTIONS.items()}
CHUNK = 2_000  # records per round of SELECT / INSERT / UPDATE
# PostgreSQL plans a table filled inside this transaction by statistics taken
# before (or by guesses from its column widths, when never analyzed): it reads
# the whole table for each batch of keys the run looks up, so a run grew
# quadratically. Each table is analyzed again whenever the run has added as
# many rows as it had at its last analysis (and at least this many).
ANALYZE_MIN_ROWS = 5_000

Item = tuple[Record, dict[str, Any], dict[str, Any]]  # record, values to keep current, values only for new rows


def key_of(section: str, values: Any) -> tuple[Any, ...]:
    """The natural key of a row (or of a record's column values) in database columns."""
    spec = SECTIONS[section]
    if PARTICIPANT_KEY in spec.key_columns and PARTICIPANT_KEY not in values:
        (person, state), _message = spec.one_of  # the person's id, or minus the state's (guestlist.models.attendance)
        values = {
            **values,
            PARTICIPANT_KEY: _participant_key(values, spec.fields[person].column, spec.fields[state].column),
        }
    return tuple(values[c] for c in spec.key_columns)


def _participant_key(values: Any, person: str, state: str) -> int:
    return values[person] if values.get(person) is not None else -values[state]


@dataclass
class WriteContext:
    """One run's writing state: the open transaction (seed lock held), the
    resolver, the per-document reports, and the progress callback."""

    conn: Connection
    resolver: Resolver
    reports: dict[int, DocumentReport]
    advance: Callable[[int], None]
    ledger: Ledger  # told of every change to stored rows, so it never vouches for a file wrongly
    bulk_progress: bool | None = None  # None: the bulk module decides (a terminal and a large file)
    _added: dict[str, int] = field(default_factory=dict)  # rows added per table, and at its last ANALYZE
    _analyzed: dict[str, int] = field(default_factory=dict)

    def grew(self, table: str, rows: int) -> None:
        """Note rows added to ``table``; on PostgreSQL, refresh its statistics once it has doubled.

        ANALYZE inside the transaction sees the run's own rows, and rolls
        back with it; a table the role may not analyze is skipped with a
        warning by the server, never an error.
        """
        if rows <= 0 or self.conn.dialect.name != "postgresql":
            return
        added = self._added[table] = self._added.get(table, 0) + rows
        if added - self._analyzed.get(table, 0) >= max(ANALYZE_MIN_ROWS, self._analyzed.get(table, 0)):
            self.conn.exec_driver_sql(f"ANALYZE {table}")  # one of the project's own table names
            self._analyzed[table] = added

    def count(self, entry: BulkEntry, table: str, *, added: int = 0, changed: int = 0, unchanged: int = 0) -> None:
        extra = self.reports[id(entry.document)].table(table).extra
        extra["added"] += added
        extra["changed"] += changed
        extra["unchanged"] += unchanged


class Writer:
    def __init__(self, ctx: WriteContext, documents: list[CheckedDocument]):
        self.ctx, self.conn, self.resolver = ctx, ctx.conn, ctx.resolver
        self.documents = documents
        self.doc: CheckedDocument | None = None

    def run(self) -> None:
        for section in TOP_LEVEL:
            self.section(section)

    def section(self, section: str) -> None:
        for doc in self.documents:
            self.doc = doc
            self.write_records(section, doc)
        self.doc = None
        for doc in self.documents:
            for entry in doc.bulk:
                if entry.table == section:
                    self.write_bulk(entry)
        spec = SECTIONS[section]
        if spec.self_ref:
            for doc in self.documents:
                self.doc = doc
                self.link(section, doc)
        if spec.children_wait:
            for doc in self.documents:
                self.doc = doc
                for records in chunks(doc.sections[section], CHUNK):
                    for child in spec.children:
                        self.children(doc, records, child)

    def write_bulk(self, entry: BulkEntry) -> None:
        """Hand one bulk file to ``guestlist.seeds.loader.bulk``, in this transaction, and count its rows.

        A file the ledger holds as applied is not read at all; one that is
        read in full is recorded, after any rows it changed have dropped
        the ledger rows of its table.
        """
        table, source, ledger = SECTIONS[entry.table].table.name, entry.document.source, self.ctx.ledger
        file_digest = digest(entry.path, entry.format)
        held = ledger.held(entry.table, source, file_digest)
        if held is not None:
            self.ctx.count(entry, table, unchanged=held)
            self.ctx.reports[id(entry.document)].skipped.append(entry.shown)
            return
        counts = load_file(self.conn, entry, progress=self.ctx.bulk_progress)
        if counts.changed:
            ledger.changed(table)
        self.ctx.grew(table, counts.added)
        ledger.record(entry.table, source, file_digest, entry.shown, counts.added + counts.changed + counts.unchanged)
        self.ctx.count(entry, table, added=counts.added, changed=counts.changed, unchanged=counts.unchanged)

    def write_records(self, section: str, doc: CheckedDocument) -> None:
        """Upsert a section's records in chunks: bounded statements, and a progress bar that moves."""
        spec = SECTIONS[section]
        skip = (spec.self_ref,) if spec.self_ref else ()
        for records in chunks(doc.sections[section], CHUNK):
            items = [(r, *self.values(r, skip=skip)) for r in records]
            ids = self.upsert(section, doc, items)
            if spec.kind:
                self.resolver.remember(spec.kind, {key[0]: id_ for key, id_ in ids.items()})
            if not spec.children_wait:
                parent_ids = {id(r): ids[key_of(section, strong)] for r, strong, _weak in items}
                for child in spec.children:
                    self.children(doc, records, child, parent_ids)

    def children(
        self, doc: CheckedDocument, records: list[Record], child: str, parent_ids: dict[int, int] | None = None
    ) -> None:
        """Upsert the ``child`` records of ``records``; parent ids by record, else looked up by key."""
        parent_column = SECTIONS[child].parent[1]  # type: ignore[index]
        items = []
        for record in records:
            if child not in record.children:
                continue
            if parent_ids is not None:
                parent_id = parent_ids[id(record)]
            else:
                kind = SECTIONS[record.section].kind
                parent_id = self.resolver.id(kind, record.key[0], record.origin, "slug")  # type: ignore[arg-type]
            items.extend((c, *self.values(c, parent={parent_column: parent_id})) for c in record.children[child])
        self.upsert(child, doc, items)

    def values(
        self, record: Record, *, skip: tuple[str, ...] = (), parent: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Column values of a record: those to keep current, and those only for new rows."""
        spec = SECTIONS[record.section]
        strong, weak = dict(parent or {}), {}
        for name, value in record.values.items():
            f = spec.fields[name]
            if f.column is None or name in skip or name == "source":
                continue
            if f.type == "ref" and value is not None:
                value = self.resolver.id(f.ref, value, record.origin, name)  # type: ignore[arg-type]
            strong[f.column] = value
        if spec.source:
            source_id = self.resolver.id("source", record.source, record.origin, "source")
            (weak if spec.source == "weak" and not record.explicit_source else strong)["source_id"] = source_id
        for name, f in spec.fields.items():
            if f.default is not None and name not in record.values:
                weak[f.column] = f.default
        return strong, weak

    def upsert(self, section: str, doc: CheckedDocument, items: list[Item]) -> dict[tuple[Any, ...], int]:
        if not items:
            return {}
        table = SECTIONS[section].table
        tally = self.ctx.reports[id(doc)].table(table.name)
        keyed = [(key_of(section, strong), record, strong, weak) for record, strong, weak in items]
        existing = self.fetch(section, [k for k, *_ in keyed])
        # Runs of consecutive new rows with the same columns, in record order: ids then follow the
        # document's order, which decides the current status between two claims of the same day.
        inserts: list[tuple[frozenset[str], list[dict[str, Any]]]] = []
        updates: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        new_keys = []
        for key, record, strong, weak in keyed:
            current = existing.get(key)
            if current is None:
                row = {**weak, **strong}
                if not inserts or inserts[-1][0] != frozenset(row):
                    inserts.append((frozenset(row), []))
                inserts[-1][1].append(row)
                tally.mark_added(key, record.title)
                new_keys.append(key)
                continue
            diff = {c: v for c, v in strong.items() if current[c] != v}
            if diff:
                updates[tuple(sorted(diff))].append({"_id": current["id"], **{f"v_{c}": v for c, v in diff.items()}})
                tally.mark_changed(key, record.title, [FIELD_OF[section].get(c, c) for c in sorted(diff)])
            elif key not in tally.added and key not in tally.changed:
                tally.unchanged.add(key)
        with self.refusals(section):
            for _, rows in inserts:
                self.conn.execute(sa.insert(table), rows)
                self.ctx.grew(table.name, len(rows))
            for columns, params in updates.items():
                stmt = sa.update(table).where(table.c.id == sa.bindparam("_id"))
                self.conn.execute(stmt.values({c: sa.bindparam(f"v_{c}") for c in columns}), params)
        if updates:
            self.ctx.ledger.changed(table.name)
        ids = {key: row["id"] for key, row in existing.items()}
        if new_keys:
            ids.update({key: row["id"] for key, row in self.fetch(section, new_keys).items()})
        self.ctx.advance(len(items))
        return ids

    def fetch(self, section: str, keys: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], Any]:
        """Stored rows with these natural keys: one SELECT per batch of first key parts."""
        table = SECTIONS[section].table
        first = table.c[SECTIONS[section].key_columns[0]]
        wanted, found = set(keys), {}
        for batch in chunks(sorted({k[0] for k in wanted})):
            for row in self.conn.execute(sa.select(table).where(first.in_(batch))).mappings():
                key = key_of(section, row)
                if key in wanted:
                    found[key] = row
        return found

    def link(self, section: str, doc: CheckedDocument) -> None:
        """Second pass: self references, now that every row of the run exists."""
        spec = SECTIONS[section]
        field, column, kind, table = spec.self_ref, spec.self_column, spec.kind, spec.table
        tally = self.ctx.reports[id(doc)].table(table.name)
        wanted = {}
        for record in doc.sections[section]:
            if field in record.values:
                target = record.values[field]
                own = self.resolver.id(kind, record.key[0], record.origin, field)
                wanted[own] = (record, None if target is None else self.resolver.id(kind, target, record.origin, field))
        if not wanted:
            return
        current: dict[int, Any] = {}
        for batch in chunks(sorted(wanted)):
            current.update(self.conn.execute(sa.select(table.c.id, table.c[column]).where(table.c.id.in_(batch))).all())
        params = []
        for own, (record, target) in wanted.items():
            if current.get(own) != target:
                params.append({"_id": own, "v_target": target})
                tally.mark_changed(record.key, record.title, [field])
        if params:
            with self.refusals(section):
                stmt = (
                    sa.update(table).where(table.c.id == sa.bindparam("_id")).values({column: sa.bindparam("v_target")})
                )
                self.conn.execute(stmt, params)
            self.ctx.ledger.changed(table.name)

    def refusals(self, section: str) -> _Refusals:
        return _Refusals(self.doc.name if self.doc else "", section)


class _Refusals:
    """A constraint the checks did not foresee becomes one line, not a traceback."""

    def __init__(self, file: str, section: str):
        self.file, self.section = file, section

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, _tb: Any) -> bool:
        if (
            isinstance(exc, sa.exc.DBAPIError)
            and not isinstance(exc, sa.exc.OperationalError)
            or (isinstance(exc, sa.exc.OperationalError) and "constraint" in str(exc.orig).lower())
        ):
            reason = str(exc.orig or exc).strip().splitlines()[0]  # type: ignore[union-attr]
            raise SeedError(self.file, self.section, None, f"the database refused these records: {reason}") from None
        return False
