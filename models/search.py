"""Full-text search over quotes, notes and names, native on each database.

One derived table, ``search_entries``, holds one row per piece of searchable
text (a claim's quote, an event's name, a person's other name ...) with the
words of that text *folded* by Python into ``terms``: NFKC, case folded,
accents stripped, and runs of Chinese, Japanese or Korean characters cut
into overlapping pairs (``习近平`` -> ``习近 近平``), because none of the three
engines can find a word inside an unspaced run. Each database indexes
``terms`` with its own engine:

* SQLite: an FTS5 table ``search_entries_fts`` with ``content="search_entries"``
  (so Datasette's search box works on it), told of every change by :func:`sync`;
* PostgreSQL: a stored ``tsvector`` column (``'simple'`` configuration, no
  stemming, no stop words) with a GIN index;
* MariaDB: a ``FULLTEXT`` index. InnoDB's parser drops words under three
  characters and its stop words, and matches ``utf8mb4_bin`` text case
  sensitively (measured: ``un`` and ``лукашенко`` for ``Лукашенко`` find
  nothing); so there each folded term is stored as ``w`` + its UTF-8 in hex,
  which the parser keeps whole.

The same folding on both sides makes a query match the same entries on all
three (the ranking differs: bm25, ts_rank, InnoDB's relevance). The index is
derived: every seed brings it up to date in its own transaction
(:func:`sync`), ``guestlist db reindex-search`` rebuilds it (:func:`rebuild`),
and exports and backups leave it out.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import vocab
from .base import MYSQL_TABLE_OPTIONS
from .db import connect
from .errors import GuestlistError, NotFoundError

TABLE = "search_entries"
FIELDS_TABLE = "search_fields"
FTS_TABLE = "search_entries_fts"
FTS_CONTENT = "search_entries_terms"  # SQLite: the view FTS5 reads each entry's terms from
# What SQLite's FTS5 may add beside the virtual table (external content: no _content;
# columnsize=0, since d9f1b3c5e7a0: no _docsize, which c8e0a2b4d6f8's table had).
FTS_SHADOWS = tuple(f"{FTS_TABLE}_{part}" for part in ("data", "idx", "docsize", "config"))
# Every table of the index, for the code that must leave derived data out.
SEARCH_TABLES = frozenset({TABLE, FIELDS_TABLE, FTS_CONTENT, FTS_TABLE, *FTS_SHADOWS})
PG_COLUMN = "terms_tsv"
PG_INDEX = "ix_search_entries_terms_tsv"
MYSQL_INDEX = "ft_search_entries_terms"
NATIVE_INDEXES = frozenset({PG_INDEX, MYSQL_INDEX})

# An entry's id is its field's code times ROW_SPAN plus the row's id: one key, no second index.
ROW_SPAN = 1 << 40
MAX_QUERY = 500  # characters; longer text is not a search
MAX_TERMS = 32
MAX_LIMIT = 1000
DEFER_INDEXES = 100_000  # PostgreSQL: entries coming, at least, for the indexes to be built after them
PENDING_MERGE = 1_000  # entries written at once above which PostgreSQL's GIN pending list is merged
MARK = ("[", "]")


# -- what is indexed ----------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """One column of searchable text (a *field*), its code, and how its rows reach an event."""

    code: int  # search_fields.id; never reused (a migration adds a field, with a new code)
    kind: str
    table: str
    column: str
    event: str | None  # SQL for the event id, over alias t (and a for attendance)
    via_attendance: bool = False

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"

    @property
    def depends_on(self) -> frozenset[str]:
        return frozenset({self.table, "attendance"} if self.via_attendance else {self.table})

    @property
    def base(self) -> int:
        """The id of this field's entry for row 0: entries of the field lie above it, below the next."""
        return self.code * ROW_SPAN

    def ids(self) -> str:
        """SQL: the ids of this field's entries (a range of the primary key)."""
        return f"{TABLE}.id > {self.base} AND {TABLE}.id < {self.base + ROW_SPAN}"

    @property
    def join(self) -> str:
        """SQL: what the rows of alias t join to reach their event (attendance a, for claims)."""
        return " JOIN attendance a ON a.id = t.attendance_id" if self.via_attendance else ""


ORIGINS = (
    Origin(1, "quote", "attendance_claims", "source_quote", "a.event_id", via_attendance=True),
    Origin(2, "quote", "attendance_counts", "source_quote", "t.event_id"),
    Origin(3, "note", "attendance_claims", "note", "a.event_id", via_attendance=True),
    Origin(4, "note", "event_notes", "text", "t.event_id"),
    Origin(5, "event", "events", "name", "t.id"),
    Origin(6, "event", "events", "description", "t.id"),
    Origin(7, "person", "persons", "name", None),
    Origin(8, "person", "person_names", "name", None),
    Origin(9, "organization", "organizations", "name", None),
    Origin(10, "source", "sources", "title", None),
)
ORIGIN_BY_NAME = {o.name: o for o in ORIGINS}
ORIGIN_BY_CODE = {o.code: o for o in ORIGINS}
assert {o.kind for o in ORIGINS} == set(vocab.SEARCH_KIND)
assert len(ORIGIN_BY_CODE) == len(ORIGINS)

metadata = sa.MetaData()
fields = sa.Table(
    FIELDS_TABLE,
    metadata,
    sa.Column("id", sa.SmallInteger, primary_key=True, autoincrement=False, comment="The field's code (search_entries.field)."),
    sa.Column("kind", sa.String(20), nullable=False, comment=f"{vocab.listed(vocab.SEARCH_KIND)}."),
    sa.Column("origin", sa.String(60), nullable=False, unique=True,
              comment="Table and column the text is from, e.g. 'attendance_claims.source_quote'."),
    comment="The columns whose text is searched, one row each (guestlist.models.search.ORIGINS).",
    **MYSQL_TABLE_OPTIONS,
)
entries = sa.Table(
    TABLE,
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=False,
              comment=f"field * {ROW_SPAN:,} + row_id: one entry per row and field."),
    # The foreign key exists on SQLite only (Datasette labels by it); the servers would check it
    # with a trigger per entry, so there stale() checks it (d9f1b3c5e7a0).
    sa.Column("field", sa.SmallInteger, sa.ForeignKey(f"{FIELDS_TABLE}.id"), nullable=False,
              comment="Which column the text is from: search_fields.id."),
    sa.Column("row_id", sa.Integer, nullable=False, comment="Id of the row in that column's table."),
    sa.Column("event_id", sa.Integer, nullable=True, comment="The event the text belongs to, if any (for --event)."),
    sa.Column("text", sa.Text, nullable=False, comment="The text as stored in its table."),
    sa.Column("terms", sa.Text, nullable=True, comment=(
        "The folded words the engine indexes (hex-coded on MariaDB); on SQLite NULL for ASCII text,"
        " whose words FTS5 reads from the text itself.")),
    comment="Derived full-text index over quotes, notes and names; rebuilt by 'guestlist db reindex-search'.",
    **MYSQL_TABLE_OPTIONS,
)


# -- folding -------------------------------------------------------------------------------

# Scripts written without spaces between words: Han, kana, Hangul.
_CJK = "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_WORD = re.compile(r"[^\W_]+")
_SEGMENT = re.compile(f"([{_CJK}]+)|([^{_CJK}]+)")


def fold(text: str) -> str:
    """Compatibility forms, case and accents away: 'Lukašenka' -> 'lukasenka', 'ＫＩＭ' -> 'kim'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare)


def _segments(word: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, term) within one folded word: pairs inside CJK runs, the rest whole."""
    for match in _SEGMENT.finditer(word):
        start, part = match.start(), match.group()
        if match.group(1) and len(part) > 1:
            for i in range(len(part) - 1):
                yield start + i, start + i + 2, part[i : i + 2]
        else:
            yield start, match.end(), part


@lru_cache(maxsize=65_536)
def terms_of(text: str) -> tuple[str, ...]:
    """The folded terms of ``text``, in order: what is indexed, and what a query phrase is."""
    if text.isascii():  # the same terms, faster: ASCII has no compatibility forms, marks or CJK
        return tuple(_WORD.findall(text.lower()))
    return tuple(term for word in _WORD.findall(fold(text)) for _, _, term in _segments(word))


def _mysql_term(term: str) -> str:
    encoded = term.encode("utf-8").hex()
    return f"w{encoded}" if len(encoded) < 80 else "h" + hashlib.md5(term.encode("utf-8")).hexdigest()  # noqa: S324 - a token, not security


def render_terms(terms: Iterable[str], dialect: str) -> str:
    """``terms`` as the engine reads them on ``dialect``."""
    return " ".join(_mysql_term(t) for t in terms) if dialect == "mysql" else " ".join(terms)


def stored_terms(text: str, dialect: str) -> str | None:
    """What the ``terms`` column holds for ``text`` on ``dialect``.

    On SQLite: nothing for ASCII text, whose words FTS5's unicode61 tokenizer
    reads exactly as :func:`terms_of` folds them (the FTS5 table reads
    ``COALESCE(terms, text)``), so an English quote is stored once; after the
    folded terms of other text, its CJK runs of three or more characters
    whole, which no query phrase holds (a query's CJK is pairs and single
    characters) but which Datasette's search box, tokenizing a name like
    ``김정은`` itself, looks for.
    """
    if dialect != "sqlite":
        return render_terms(terms_of(text), dialect)
    if text.isascii():
        return None
    runs = [m.group(1) for word in _WORD.findall(fold(text)) for m in _SEGMENT.finditer(word) if m.group(1) and len(m.group(1)) > 2]
    return " ".join((*terms_of(text), *runs))


# -- writing ------------------------------------------------------------------------------

FOLD_TABLE = "search_fold"  # per transaction: each distinct text with its terms
WINDOW = 50_000  # row ids per round: bounded statements and memory
FOLD_LIMIT = 200_000  # distinct texts kept folded before the fold table starts again


class _Folder:
    """Writes entries with SQL: each distinct text is folded once in Python into a temporary
    table, then ``INSERT ... SELECT`` joins it to the rows, so a million claims sharing a few
    hundred quotes cost a few hundred folds, and no row travels through Python.

    On PostgreSQL the fold table also holds each text's ``tsvector``, made once there by the
    server and copied into every entry: measured, 3 s of an 11 s insert of 1,857,520 claims
    was the server parsing the same few quotes again. On SQLite the FTS5 table is told of
    each window's new entries: read back by id where every entry of the window is new, else
    by the same ``SELECT`` just before they are written (an entry's id is known before it
    exists: :data:`ROW_SPAN`).
    """

    def __init__(self, conn: Connection):
        self.conn, self.dialect = conn, conn.dialect.name
        self.folded: set[str] = set()
        self.analyzed = 0  # PostgreSQL: rows in the fold table at its last ANALYZE
        # MariaDB keeps a temporary table past a rollback: one left by a failed run goes first.
        conn.exec_driver_sql(f"DROP {'TEMPORARY ' if self.dialect == 'mysql' else ''}TABLE IF EXISTS {FOLD_TABLE}")
        if self.dialect == "mysql":
            conn.exec_driver_sql(
                f"CREATE TEMPORARY TABLE {FOLD_TABLE} (text LONGTEXT NOT NULL, terms LONGTEXT NOT NULL, KEY (text(255)))"
                " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
            )
        elif self.dialect == "postgresql":
            conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {FOLD_TABLE} (text TEXT NOT NULL, terms TEXT NOT NULL, tsv tsvector)")
        else:
            conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {FOLD_TABLE} (text TEXT NOT NULL, terms TEXT)")
            conn.exec_driver_sql(f"CREATE INDEX temp.ix_{FOLD_TABLE} ON {FOLD_TABLE} (text)")

    # SQLite: a window's new entries into the FTS5 table, as its content view gives their terms.
    _fts_new = sa.text(
        f"INSERT INTO {FTS_TABLE}(rowid, terms) SELECT id, COALESCE(terms, text) FROM {TABLE} WHERE id > :lo AND id <= :hi"
    )

    def close(self) -> None:
        self.conn.exec_driver_sql(f"DROP {'TEMPORARY ' if self.dialect == 'mysql' else ''}TABLE {FOLD_TABLE}")

    def fold(self, texts: list[str]) -> None:
        """Every one of ``texts`` (a window's distinct texts) in the fold table, for the window's INSERT."""
        if self.dialect == "sqlite":  # ASCII text stores no terms (stored_terms): the INSERT's LEFT JOIN finds none
            texts = [t for t in texts if not t.isascii()]
        new = [t for t in texts if t not in self.folded]
        if not new:
            return
        if len(self.folded) + len(new) > FOLD_LIMIT:  # start again with this window's texts, all of them
            self.conn.exec_driver_sql(f"DELETE FROM {FOLD_TABLE}")
            self.folded.clear()
            self.analyzed = 0
            new = texts
        terms = [stored_terms(t, self.dialect) for t in new]
        if self.dialect == "postgresql":  # two arrays, one statement: the server makes each tsvector once
            self.conn.exec_driver_sql(
                f"INSERT INTO {FOLD_TABLE} (text, terms, tsv) SELECT u.text, u.terms, to_tsvector('simple'::regconfig, u.terms)"
                " FROM unnest(%s::text[], %s::text[]) AS u(text, terms)", (new, terms),
            )
        else:
            slot = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"  # the drivers' own executemany: no per-row binding
            self.conn.exec_driver_sql(f"INSERT INTO {FOLD_TABLE} (text, terms) VALUES ({slot}, {slot})", list(zip(new, terms)))
        self.folded.update(new)
        if self.dialect == "postgresql" and len(self.folded) > 2 * self.analyzed:
            # A temporary table has no statistics of its own; once they are within 2x, the join's plan stands.
            self.conn.exec_driver_sql(f"ANALYZE {FOLD_TABLE}")
            self.analyzed = len(self.folded)

    def write(self, origin: Origin, covered: int | None, top: int) -> int:
        """Entries for the rows of ``origin`` up to id ``top`` that have text; with ``covered`` (the
        highest row with an entry), only those without one, probing row by row only up to ``covered``."""
        probing, plain = self._statements(origin, probe=True), self._statements(origin, probe=False)
        written = 0
        for lo in range(0, top, WINDOW):
            bounds = {"lo": lo, "hi": lo + WINDOW}
            probed = covered is not None and lo < covered
            distinct, fts, insert = probing if probed else plain
            texts = list(self.conn.execute(distinct, bounds).scalars())
            if not texts:
                continue  # no row of the window has text (a column mostly empty): nothing to write
            self.fold(texts)
            if fts is not None and probed:  # before the insert: the same rows, while they have no entry
                self.conn.execute(fts, bounds)
            written += self.conn.execute(insert, bounds).rowcount or 0
            if fts is not None and not probed:  # every entry of the window is new: read back by id
                self.conn.execute(self._fts_new, {"lo": origin.base + lo, "hi": origin.base + lo + WINDOW})
        return written

    def _statements(self, origin: Origin, probe: bool) -> tuple[sa.TextClause, sa.TextClause | None, sa.TextClause]:
        """The distinct texts of a window of rows, the FTS5 insert of their entries (SQLite), and their INSERT."""
        col = f"t.{origin.column}"
        missing = f" AND NOT EXISTS (SELECT 1 FROM {TABLE} s WHERE s.id = {origin.base} + t.id)" if probe else ""
        window = f" WHERE t.id > :lo AND t.id <= :hi AND {col} IS NOT NULL{missing}"
        outer = "LEFT " if self.dialect == "sqlite" else ""  # SQLite folds only non-ASCII text
        folded = f" {outer}JOIN {FOLD_TABLE} f ON f.text = {col}"
        distinct = sa.text(f"SELECT DISTINCT {col} FROM {origin.table} t{window}")
        fts = sa.text(
            f"INSERT INTO {FTS_TABLE}(rowid, terms) SELECT {origin.base} + t.id, COALESCE(f.terms, {col})"
            f" FROM {origin.table} t{folded}{window}"
        ) if self.dialect == "sqlite" else None
        tsv_column, tsv_value = (f", {PG_COLUMN}", ", f.tsv") if self.dialect == "postgresql" else ("", "")
        insert = sa.text(
            f"INSERT INTO {TABLE} (id, field, row_id, event_id, text, terms{tsv_column})"
            f" SELECT {origin.base} + t.id, {origin.code}, t.id, {origin.event or 'NULL'}, {col}, f.terms{tsv_value}"
            f" FROM {origin.table} t{origin.join}{folded}{window}"
        )
        return distinct, fts, insert


def _stale_condition(origin: Origin) -> str:
    """Entries of ``origin`` whose row is gone or whose text is no longer the row's."""
    return (
        f"{origin.ids()} AND NOT EXISTS (SELECT 1 FROM {origin.table} t"
        f" WHERE t.id = {TABLE}.row_id AND t.{origin.column} = {TABLE}.text)"
    )


def sync(conn: Connection, tables: Iterable[str] | None = None) -> int:
    """Bring the index up to date with the rows of ``tables`` (all when None), in ``conn``'s transaction.

    Entries whose row is gone or whose text changed are deleted, then rows
    without an entry get one (:class:`_Folder`). Nothing is written
    when nothing changed (a re-seed leaves a SQLite file byte-identical).
    On SQLite the FTS5 table is told of both in bulk, by statements over the
    entries, not by per-row triggers: measured five times faster at 100,000
    entries. Returns the number of entries written.
    """
    touched = None if tables is None else set(tables)
    origins = [o for o in ORIGINS if touched is None or o.depends_on & touched]
    if not origins:
        return 0
    for origin in origins:
        if conn.dialect.name == "sqlite":
            conn.execute(sa.text(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, terms) SELECT 'delete', id, COALESCE(terms, text)"
                f" FROM {TABLE} WHERE {_stale_condition(origin)}"
            ))
        conn.execute(sa.text(f"DELETE FROM {TABLE} WHERE {_stale_condition(origin)}"))
    return _write(conn, origins, missing_only=True)


def rebuild(conn: Connection) -> int:
    """Empty the index and fold every row again (after rows were changed with plain SQL).

    Writes the layout of head only. A table of an older revision is left as
    it is (0 entries): revision c8e0a2b4d6f8, which made the first layout,
    calls this to fill it, and d9f1b3c5e7a0, which replaces it, calls this
    again on its own; a migration that changes the layout does the same.
    """
    columns = {c["name"] for c in sa.inspect(conn).get_columns(TABLE)}
    if columns != {c.name for c in entries.columns} | ({PG_COLUMN} if conn.dialect.name == "postgresql" else set()):
        return 0
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
    conn.execute(entries.delete())
    return _write(conn, ORIGINS, missing_only=False)


def _write(conn: Connection, origins: Iterable[Origin], missing_only: bool) -> int:
    """The entries of ``origins`` (only for rows without one, if asked); on PostgreSQL a large
    write into a small table builds the indexes after the rows, any other merges the GIN pending list."""
    origins = list(origins)
    # Above the highest row that has an entry no row has one, so those windows skip the
    # per-row NOT EXISTS probe: a first load of a million claims probes nothing.
    covered = {o.code: _covered(conn, o) if missing_only else None for o in origins}
    top = {o.code: _top(conn, o) for o in origins}
    coming = sum(max(top[o.code] - (covered[o.code] or 0), 0) for o in origins)  # at most this many entries
    deferred = _drop_indexes(conn) if conn.dialect.name == "postgresql" and _outgrows(conn, coming) else None
    if deferred is not None:  # the few entries held are written again: without the key, no probe
        for origin in origins:
            conn.execute(sa.text(f"DELETE FROM {TABLE} WHERE {origin.ids()}"))
        covered = dict.fromkeys(covered)
    folder = _Folder(conn)
    written = sum(folder.write(origin, covered[origin.code], top[origin.code]) for origin in origins)
    folder.close()  # not on an error: the rollback drops it (MariaDB's, the next run)
    if deferred is not None:
        for statement in deferred:
            conn.exec_driver_sql(statement)
    else:
        _merge_pending(conn, written)
    return written


def _covered(conn: Connection, origin: Origin) -> int | None:
    top = conn.execute(sa.text(f"SELECT MAX(id) FROM {TABLE} WHERE {origin.ids()}")).scalar()
    return None if top is None else int(top) - origin.base


def _top(conn: Connection, origin: Origin) -> int:
    return conn.execute(sa.text(f"SELECT MAX(id) FROM {origin.table}")).scalar() or 0


def _outgrows(conn: Connection, coming: int) -> bool:
    """Whether up to ``coming`` new entries are many (:data:`DEFER_INDEXES`) and more than the
    table holds: counted only that far, so a small write into a large table counts little."""
    if coming < DEFER_INDEXES:
        return False
    held = conn.execute(sa.text(f"SELECT COUNT(*) FROM (SELECT 1 FROM {TABLE} LIMIT :n) s"), {"n": coming}).scalar_one()
    return held < coming


def _drop_indexes(conn: Connection) -> list[str]:
    """PostgreSQL: drop the table's indexes (its primary key, the GIN index); the statements that make them again.

    Built once over every entry after a large write they cost far less than
    kept up entry by entry. The definitions are the catalog's own
    (``pg_get_constraintdef``, ``pg_get_indexdef``), so they come back exactly
    as the migrations made them. The drop holds the table's exclusive lock to
    the commit: a search waits for such a load (a first one, a rebuild)
    instead of reading it half done.
    """
    rows = conn.execute(sa.text(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid), c.conname, pg_get_constraintdef(c.oid)"
        " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
        " LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid"
        " WHERE x.indrelid = CAST(:table AS regclass) ORDER BY x.indisprimary DESC, i.relname"
    ), {"table": TABLE}).all()
    again = []
    for index, index_sql, constraint, constraint_sql in rows:
        if constraint is not None:
            conn.exec_driver_sql(f'ALTER TABLE {TABLE} DROP CONSTRAINT "{constraint}"')
            again.append(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{constraint}" {constraint_sql}')
        else:
            conn.exec_driver_sql(f'DROP INDEX "{index}"')
            again.append(index_sql)
    return again


def _merge_pending(conn: Connection, written: int) -> None:
    """PostgreSQL: fold the GIN index's pending list into the index now.

    New entries wait in a list every search reads through until autovacuum
    merges them: measured, a one-word search over 63,000 fresh entries took
    6 ms in the index scan before and 0.02 ms after.
    """
    if conn.dialect.name == "postgresql" and written >= PENDING_MERGE:
        conn.execute(sa.text(f"SELECT gin_clean_pending_list('{PG_INDEX}'::regclass)"))


def stale(conn: Connection) -> dict[str, int]:
    """What disagrees with the rows, by field (entries missing or out of date) and by part of
    the index (an entry whose id, field or tsvector is not its own, a field unlike ORIGINS,
    FTS5 against its content); empty when in step."""
    out = {}
    for origin in ORIGINS:
        missing = conn.execute(sa.text(
            f"SELECT COUNT(*) FROM {origin.table} t{origin.join} WHERE t.{origin.column} IS NOT NULL AND NOT EXISTS"
            f" (SELECT 1 FROM {TABLE} s WHERE s.id = {origin.base} + t.id AND s.text = t.{origin.column}"
            f" AND s.event_id {'IS NULL' if origin.event is None else '= ' + origin.event})"
        )).scalar_one()
        extra = conn.execute(sa.text(f"SELECT COUNT(*) FROM {TABLE} WHERE {_stale_condition(origin)}")).scalar_one()
        if missing or extra:
            out[origin.name] = missing + extra
    malformed = conn.execute(sa.text(
        f"SELECT COUNT(*) FROM {TABLE} WHERE id <> field * {ROW_SPAN} + row_id OR field NOT IN ({', '.join(str(o.code) for o in ORIGINS)})"
    )).scalar_one()
    if malformed:
        out[f"{TABLE}.id"] = malformed
    held = {tuple(row) for row in conn.execute(sa.select(fields.c.id, fields.c.kind, fields.c.origin))}
    if differing := held ^ {(o.code, o.kind, o.name) for o in ORIGINS}:
        out[FIELDS_TABLE] = len(differing)
    if conn.dialect.name == "postgresql":  # written by _Folder: a plain-SQL write may not
        wrong = conn.execute(sa.text(
            f"SELECT COUNT(*) FROM {TABLE} WHERE {PG_COLUMN} IS DISTINCT FROM to_tsvector('simple'::regconfig, terms)"
        )).scalar_one()
        if wrong:
            out[f"{TABLE}.{PG_COLUMN}"] = wrong
    if conn.dialect.name == "sqlite":
        try:  # the FTS5 index against its content table
            conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")
        except sa.exc.DatabaseError:
            out[FTS_TABLE] = 1
    return out


# -- queries ------------------------------------------------------------------------------

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Query:
    """All of ``groups`` (each: any of its phrases) and none of ``excluded``."""

    groups: tuple[tuple[Phrase, ...], ...]
    excluded: tuple[Phrase, ...] = ()

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(t for group in self.groups for phrase in group for t in phrase)


_TOKEN = re.compile(r'-?"[^"]*"|\S+')


def parse(text: str) -> Query:
    """Words (all must match), "a phrase", ``OR`` between alternatives, ``-word`` to exclude.

    Anything else is refused with one line: unbalanced quotes, an operator
    with nothing to join, a query over :data:`MAX_QUERY` characters or
    without a single word.
    """
    if len(text) > MAX_QUERY:
        raise GuestlistError(f"search text is {len(text):,} characters long; at most {MAX_QUERY} are searched")
    if text.count('"') % 2:
        raise GuestlistError(f"search text {_shown(text)} has an unbalanced '\"': close the phrase")
    groups: list[list[Phrase]] = []
    excluded: list[Phrase] = []
    pending_or = False
    for token in _TOKEN.findall(text):
        if token in ("OR", "|"):
            if not groups or pending_or:
                raise GuestlistError(f"search text {_shown(text)}: 'OR' needs a word on each side")
            pending_or = True
            continue
        if token in ("AND", "&", "+"):
            continue
        negative = token.startswith("-")
        body = token[1:] if negative else token
        if negative and not body:
            raise GuestlistError(f"search text {_shown(text)}: '-' needs a word right after it")
        phrase = terms_of(body.strip('"'))
        if not phrase:
            if pending_or:
                raise GuestlistError(f"search text {_shown(text)}: 'OR' needs a word on each side")
            continue  # punctuation only: nothing to look for in it
        if negative:
            if pending_or:
                raise GuestlistError(f"search text {_shown(text)}: an excluded word cannot be an alternative after 'OR'")
            excluded.append(phrase)
        elif pending_or:
            groups[-1].append(phrase)
        else:
            groups.append([phrase])
        pending_or = False
    if pending_or:
        raise GuestlistError(f"search text {_shown(text)}: 'OR' needs a word on each side")
    if not groups:
        raise GuestlistError(f"search text {_shown(text)} has no word to look for")
    query = Query(tuple(tuple(g) for g in groups), tuple(excluded))
    if sum(len(p) for g in query.groups for p in g) + sum(len(p) for p in excluded) > MAX_TERMS:
        raise GuestlistError(f"search text {_shown(text)} has more than {MAX_TERMS} words; shorten it")
    return query


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def engine_query(query: Query, dialect: str) -> str:
    """The query in the engine's own syntax; always passed as a bound parameter."""
    if dialect == "sqlite":
        phrase = lambda p: '"' + " ".join(p) + '"'  # noqa: E731
        body = " AND ".join("(" + " OR ".join(phrase(p) for p in g) + ")" for g in query.groups)
        body += "".join(f" NOT {phrase(p)}" for p in query.excluded)
        return f"terms : ({body})"
    if dialect == "postgresql":
        phrase = lambda p: "(" + " <-> ".join(f"'{t}'" for t in p) + ")"  # noqa: E731
        parts = ["(" + " | ".join(phrase(p) for p in g) + ")" for g in query.groups]
        return " & ".join(parts + [f"!{phrase(p)}" for p in query.excluded])
    phrase = lambda p: '"' + render_terms(p, "mysql") + '"'  # noqa: E731
    parts = ["+(" + " ".join(phrase(p) for p in g) + ")" for g in query.groups]
    return " ".join(parts + [f"-{phrase(p)}" for p in query.excluded])


# -- results ------------------------------------------------------------------------------


@dataclass
class Hit:
    """One matching entry: what it is, its text with the matches marked, and the keys to look it up."""

    kind: str
    field: str
    text: str
    marked: str
    score: float
    event: str | None = None
    person: str | None = None
    source: str | None = None
    organization: str | None = None
    state: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def mark(text: str, terms: Iterable[str], marks: tuple[str, str] = MARK) -> str:
    """``text`` with every word (or CJK pair) whose folded form is one of ``terms`` marked."""
    wanted = set(terms)
    spans: list[tuple[int, int]] = []
    original = unicodedata.normalize("NFC", text)
    for word in _WORD.finditer(original):
        for match in _SEGMENT.finditer(word.group()):
            start = word.start() + match.start()
            part = match.group()
            if match.group(1):
                pairs = list(_segments(part)) if len(part) > 1 else [(0, 1, fold(part))]
                spans.extend((start + s, start + e) for s, e, t in pairs if fold(t) in wanted)
            elif set(terms_of(part)) & wanted:
                spans.append((start, start + len(part)))
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, last = [], 0
    for s, e in merged:
        out += [original[last:s], marks[0], original[s:e], marks[1]]
        last = e
    return "".join(out + [original[last:]])


# Per origin, the natural keys of a row: event, person, source, organization, state.
_KEYS = {
    "attendance_claims": (
        "SELECT t.id, e.slug, p.slug, s.slug, NULL, st.code FROM attendance_claims t JOIN attendance a ON a.id = t.attendance_id"
        " JOIN events e ON e.id = a.event_id LEFT JOIN persons p ON p.id = a.person_id"
        " LEFT JOIN states st ON st.id = a.state_id JOIN sources s ON s.id = t.source_id"
    ),
    "attendance_counts": (
        "SELECT t.id, e.slug, NULL, s.slug, o.slug, NULL FROM attendance_counts t JOIN events e ON e.id = t.event_id"
        " JOIN sources s ON s.id = t.source_id LEFT JOIN organizations o ON o.id = t.organization_id"
    ),
    "event_notes": (
        "SELECT t.id, e.slug, NULL, s.slug, NULL, NULL FROM event_notes t JOIN events e ON e.id = t.event_id"
        " JOIN sources s ON s.id = t.source_id"
    ),
    "events": "SELECT t.id, t.slug, NULL, s.slug, NULL, NULL FROM events t LEFT JOIN sources s ON s.id = t.source_id",
    "persons": "SELECT t.id, NULL, t.slug, s.slug, NULL, NULL FROM persons t LEFT JOIN sources s ON s.id = t.source_id",
    "person_names": "SELECT t.id, NULL, p.slug, NULL, NULL, NULL FROM person_names t JOIN persons p ON p.id = t.person_id",
    "organizations": (
        "SELECT t.id, NULL, NULL, s.slug, t.slug, NULL FROM organizations t LEFT JOIN sources s ON s.id = t.source_id"
    ),
    "sources": "SELECT t.id, NULL, NULL, t.slug, NULL, NULL FROM sources t",
}


def _keys(conn: Connection, table: str, ids: list[int]) -> dict[int, tuple[Any, ...]]:
    stmt = sa.text(_KEYS[table] + " WHERE t.id IN :ids").bindparams(sa.bindparam("ids", expanding=True))
    return {row[0]: tuple(row[1:]) for row in conn.execute(stmt, {"ids": ids})}


def _matches(conn: Connection, query: Query, kinds: tuple[str, ...], event_id: int | None, limit: int) -> list[Any]:
    dialect = conn.dialect.name
    params: dict[str, Any] = {"q": engine_query(query, dialect), "limit": limit}
    where = []
    if kinds:
        where.append("e.field IN :fields")
        params["fields"] = [o.code for o in ORIGINS if o.kind in kinds]
    if event_id is not None:
        where.append("e.event_id = :event_id")
        params["event_id"] = event_id
    extra = "".join(f" AND {w}" for w in where)
    if dialect == "sqlite":
        sql = (
            f"SELECT e.field, e.row_id, e.text, -bm25({FTS_TABLE}) AS score FROM {FTS_TABLE}"
            f" JOIN {TABLE} e ON e.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH :q{extra}"
        )
    elif dialect == "postgresql":
        sql = (
            f"SELECT e.field, e.row_id, e.text, ts_rank(e.{PG_COLUMN}, q) AS score"
            f" FROM {TABLE} e, to_tsquery('simple', :q) q WHERE e.{PG_COLUMN} @@ q{extra}"
        )
    else:
        sql = (
            f"SELECT e.field, e.row_id, e.text, MATCH(e.terms) AGAINST (:q IN BOOLEAN MODE) AS score"
            f" FROM {TABLE} e WHERE MATCH(e.terms) AGAINST (:q IN BOOLEAN MODE){extra}"
        )
    stmt = sa.text(sql + " ORDER BY score DESC, e.id LIMIT :limit")
    if kinds:
        stmt = stmt.bindparams(sa.bindparam("fields", expanding=True))
    try:
        return list(conn.execute(stmt, params))
    except sa.exc.DBAPIError as exc:
        if not sa.inspect(conn).has_table(TABLE):
            raise GuestlistError("this database has no search index: run 'guestlist db upgrade'") from None
        raise GuestlistError(f"the database refused the search: {str(exc.orig).strip().splitlines()[0]}") from None


def search(
    text: str,
    *,
    kind: str | Iterable[str] | None = None,
    event: str | None = None,
    limit: int = 20,
    db: Any = None,
) -> list[Hit]:
    """Entries matching ``text``, best first: quotes, notes, events, persons, organizations, sources.

    ``kind`` narrows to one or more of :data:`guestlist.models.vocab.SEARCH_KIND`;
    ``event`` (a slug) to the texts of one event. Ranking is each engine's
    own, so the order may differ between databases; the set does not.
    ``db`` is a URL, engine or connection, as for every report.
    """
    kinds = (kind,) if isinstance(kind, str) else tuple(kind or ())
    for k in kinds:
        if k not in vocab.SEARCH_KIND:
            raise GuestlistError(f"unknown search kind '{k}': use one of {', '.join(vocab.SEARCH_KIND)}")
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise GuestlistError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    query = parse(text)
    with connect(db) as conn:
        event_id = None
        if event is not None:
            event_id = conn.execute(sa.text("SELECT id FROM events WHERE slug = :slug"), {"slug": event}).scalar()
            if event_id is None:
                raise NotFoundError(f"no event with slug '{event}': see 'guestlist report events'")
        rows = _matches(conn, query, kinds, event_id, limit)
        by_table: dict[str, list[int]] = {}
        for row in rows:
            by_table.setdefault(ORIGIN_BY_CODE[row.field].table, []).append(row.row_id)
        keys = {table: _keys(conn, table, ids) for table, ids in by_table.items()}
    hits = []
    for row in rows:
        origin = ORIGIN_BY_CODE[row.field]
        found = keys[origin.table].get(row.row_id, (None,) * 5)
        hits.append(Hit(origin.kind, origin.name, row.text, mark(row.text, query.terms), float(row.score or 0), *found))
    return hits


# -- Datasette ----------------------------------------------------------------------------


def datasette_tables() -> dict[str, dict[str, Any]]:
    """Metadata entries that make Datasette's search box on ``search_entries`` use the FTS table,
    and label each entry's field by its origin (the foreign key is declared on SQLite)."""
    def columns(table: sa.Table) -> dict[str, str]:
        return {c.name: c.comment or "" for c in table.columns}

    return {
        TABLE: {"description": entries.comment, "columns": columns(entries), "fts_table": FTS_TABLE, "fts_pk": "id"},
        FIELDS_TABLE: {"description": fields.comment, "columns": columns(fields), "label_column": "origin"},
        **{name: {"hidden": True} for name in (FTS_CONTENT, FTS_TABLE, *FTS_SHADOWS)},
    }
