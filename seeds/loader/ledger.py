"""Skipping bulk files the database already holds, and knowing when that stops being true.

A bulk file applied in full leaves a ``bulk_loads`` row: its digest (the
bytes, format and ``LEDGER_VERSION``), bulk table, document source and the
schema revision. The next run skips a file whose row matches, and reports
its rows as unchanged, without reading it: re-seeding a million
participations costs a digest of the file instead of a second load.

A ledger row promises that loading the file again would write nothing. Rows
that a file *adds* never break another file's promise (they are new keys),
but a write that *changes* stored rows might undo one, so any write that
changes rows of a bulk table (a YAML record, a parent link, another bulk
file) drops that table's ledger rows; the next run reads those files in full
and records them again. Edits made with plain SQL, outside guestlist, are
not seen: ``guestlist seed --recheck`` reads every file in full.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from guestlist.models.loads import BulkLoad

from .format import BULK_TABLES, REF_KINDS, SECTIONS

# Bump when the loader would write the same file differently, so old ledger rows stop matching.
LEDGER_VERSION = "1"
# Database table -> the bulk table whose files write it (an attendance file writes claims too).
BULK_TABLE_OF = {SECTIONS[t].table.name: t for t in BULK_TABLES} | {
    SECTIONS[spec.bulk_child[0]].table.name: t for t, spec in ((t, SECTIONS[t]) for t in BULK_TABLES) if spec.bulk_child
}
BLOCK = 1 << 20


def digest(path: Path, fmt: str) -> str:
    """SHA-256 of the ledger version, the format and the file's bytes."""
    h = hashlib.sha256(f"guestlist-bulk/{LEDGER_VERSION}\0{fmt}\0".encode())
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            h.update(block)
    return h.hexdigest()


class Ledger:
    """The ledger as one run sees it: inside the run's transaction, under the seed lock.

    ``revision`` is the schema revision the run writes at (the loader has
    checked the database is at head). Files are keyed by their document's
    source slug, which the run has written before any bulk file.
    """

    def __init__(self, conn: Connection, revision: str, *, recheck: bool = False, record: bool = True):
        self.conn, self.revision, self.recheck, self.keeps = conn, revision, recheck, record
        self.table = BulkLoad.__table__

    def _key(self, bulk_table: str, source: str, file_digest: str) -> sa.ColumnElement[bool]:
        t = self.table
        return sa.and_(t.c.bulk_table == bulk_table, t.c.source_id == _source_id(source), t.c.digest == file_digest)

    def held(self, bulk_table: str, source: str, file_digest: str) -> int | None:
        """The row count of a matching ledger row: the file is in the database as it is. None: read it."""
        if self.recheck:
            return None
        row = self.conn.execute(
            sa.select(self.table.c.row_count, self.table.c.schema_revision).where(
                self._key(bulk_table, source, file_digest)
            )
        ).first()
        if row is None or row.schema_revision != self.revision:
            return None
        return int(row.row_count)

    def changed(self, table_name: str) -> None:
        """Rows of ``table_name`` were changed: files of its bulk table may no longer be held as they are."""
        bulk_table = BULK_TABLE_OF.get(table_name)
        if bulk_table is not None:
            self.conn.execute(sa.delete(self.table).where(self.table.c.bulk_table == bulk_table))

    def record(self, bulk_table: str, source: str, file_digest: str, file_name: str, row_count: int) -> None:
        """The file has just been applied or verified in full (not noted for a run's own transient files)."""
        if not self.keeps:
            return
        values = {
            "file_name": file_name[:500],
            "row_count": row_count,
            "schema_revision": self.revision,
            "loaded_at": dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        }
        key = self._key(bulk_table, source, file_digest)
        if self.conn.execute(sa.update(self.table).where(key).values(values)).rowcount == 0:
            self.conn.execute(
                sa.insert(self.table).values(
                    bulk_table=bulk_table, source_id=_source_id(source), digest=file_digest, **values
                )
            )


def _source_id(slug: str) -> sa.ScalarSelect[int]:
    sources, key = REF_KINDS["source"]
    return sa.select(sources.c.id).where(sources.c[key] == slug).scalar_subquery()
