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
FTS_TABLE = "search_entries_fts"
# What SQLite's FTS5 adds beside the virtual table (external content: no _content).
FTS_SHADOWS = tuple(f"{FTS_TABLE}_{part}" for part in ("data", "idx", "docsize", "config"))
# Every table of the index, for the code that must leave derived data out.
SEARCH_TABLES = frozenset({TABLE, FTS_TABLE, *FTS_SHADOWS})
PG_COLUMN = "terms_tsv"
PG_INDEX = "ix_search_entries_terms_tsv"
MYSQL_INDEX = "ft_search_entries_terms"
NATIVE_INDEXES = frozenset({PG_INDEX, MYSQL_INDEX})

MAX_QUERY = 500  # characters; longer text is not a search
MAX_TERMS = 32
MAX_LIMIT = 1000
PENDING_MERGE = 1_000  # entries written at once above which PostgreSQL's GIN pending list is merged
MARK = ("[", "]")

metadata = sa.MetaData()
entries = sa.Table(
    TABLE,
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False, comment=f"{vocab.listed(vocab.SEARCH_KIND)}."),
    sa.Column("origin", sa.String(60), nullable=False, comment="Table and column the text is from, e.g. 'attendance_claims.source_quote'."),
    sa.Column("row_id", sa.Integer, nullable=False, comment="Id of the row in that table."),
    sa.Column("event_id", sa.Integer, nullable=True, comment="The event the text belongs to, if any (for --event)."),
    sa.Column("text", sa.Text, nullable=False, comment="The text as stored in its table."),
    sa.Column("terms", sa.Text, nullable=False, comment="The folded words the engine indexes (hex-coded on MariaDB)."),
    sa.UniqueConstraint("origin", "row_id", name="uq_search_entries_origin_row_id"),
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
    """``terms`` as the ``terms`` column holds them on ``dialect``."""
    return " ".join(_mysql_term(t) for t in terms) if dialect == "mysql" else " ".join(terms)


# -- what is indexed ----------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """One column of searchable text, and how its rows reach an event."""

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


ORIGINS = (
    Origin("quote", "attendance_claims", "source_quote", "a.event_id", via_attendance=True),
    Origin("quote", "attendance_counts", "source_quote", "t.event_id"),
    Origin("note", "attendance_claims", "note", "a.event_id", via_attendance=True),
    Origin("note", "event_notes", "text", "t.event_id"),
    Origin("event", "events", "name", "t.id"),
    Origin("event", "events", "description", "t.id"),
    Origin("person", "persons", "name", None),
    Origin("person", "person_names", "name", None),
    Origin("organization", "organizations", "name", None),
    Origin("source", "sources", "title", None),
)
ORIGIN_BY_NAME = {o.name: o for o in ORIGINS}
assert {o.kind for o in ORIGINS} == set(vocab.SEARCH_KIND)


FOLD_TABLE = "search_fold"  # per transaction: each distinct text with its terms
WINDOW = 50_000  # row ids per round: bounded statements and memory
FOLD_LIMIT = 200_000  # distinct texts kept folded before the fold table starts again


class _Folder:
    """Writes entries with SQL: each distinct text is folded once in Python into a temporary
    table, then ``INSERT ... SELECT`` joins it to the rows, so a million claims sharing a few
    hundred quotes cost a few hundred folds, and no row travels through Python.
    """

    def __init__(self, conn: Connection):
        self.conn, self.dialect = conn, conn.dialect.name
        self.folded: set[str] = set()
        # MariaDB keeps a temporary table past a rollback: one left by a failed run goes first.
        conn.exec_driver_sql(f"DROP {'TEMPORARY ' if self.dialect == 'mysql' else ''}TABLE IF EXISTS {FOLD_TABLE}")
        if self.dialect == "mysql":
            conn.exec_driver_sql(
                f"CREATE TEMPORARY TABLE {FOLD_TABLE} (text LONGTEXT NOT NULL, terms LONGTEXT NOT NULL, KEY (text(255)))"
                " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
            )
        else:
            conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {FOLD_TABLE} (text TEXT NOT NULL, terms TEXT NOT NULL)")
            if self.dialect == "sqlite":
                conn.exec_driver_sql(f"CREATE INDEX temp.ix_{FOLD_TABLE} ON {FOLD_TABLE} (text)")

    def close(self) -> None:
        self.conn.exec_driver_sql(f"DROP {'TEMPORARY ' if self.dialect == 'mysql' else ''}TABLE {FOLD_TABLE}")

    def fold(self, texts: Iterable[str]) -> None:
        new = [t for t in texts if t not in self.folded]
        if not new:
            return
        if len(self.folded) + len(new) > FOLD_LIMIT:
            self.conn.exec_driver_sql(f"DELETE FROM {FOLD_TABLE}")
            self.folded.clear()
        rows = [(t, render_terms(terms_of(t), self.dialect)) for t in new]
        slot = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"  # the drivers' own executemany: no per-row binding
        self.conn.exec_driver_sql(f"INSERT INTO {FOLD_TABLE} (text, terms) VALUES ({slot}, {slot})", rows)
        self.folded.update(new)
        if self.dialect == "postgresql":
            self.conn.exec_driver_sql(f"ANALYZE {FOLD_TABLE}")  # a temporary table has no statistics of its own

    def write(self, origin: Origin, missing_only: bool) -> int:
        """Entries for the rows of ``origin`` that have text (and, if asked, no entry yet)."""
        # Above the highest row that has an entry no row has one, so those windows skip the
        # per-row NOT EXISTS probe: a first load of a million claims probes nothing.
        covered = self.conn.execute(
            sa.text(f"SELECT MAX(row_id) FROM {TABLE} WHERE origin = :origin"), {"origin": origin.name}
        ).scalar() if missing_only else None
        probing, plain = self._statements(origin, probe=True), self._statements(origin, probe=False)
        top = self.conn.execute(sa.text(f"SELECT MAX(id) FROM {origin.table}")).scalar() or 0
        written = 0
        for lo in range(0, top, WINDOW):
            bounds = {"lo": lo, "hi": lo + WINDOW}
            distinct, insert = probing if covered is not None and lo < covered else plain
            self.fold(self.conn.execute(distinct, bounds).scalars())
            written += self.conn.execute(insert, bounds).rowcount or 0
        return written

    @staticmethod
    def _statements(origin: Origin, probe: bool) -> tuple[sa.TextClause, sa.TextClause]:
        """The distinct texts of a window of rows, and the INSERT of their entries."""
        col = f"t.{origin.column}"
        join = " JOIN attendance a ON a.id = t.attendance_id" if origin.via_attendance else ""
        missing = (
            f" AND NOT EXISTS (SELECT 1 FROM {TABLE} s WHERE s.origin = '{origin.name}' AND s.row_id = t.id)"
            if probe else ""
        )
        window = f" WHERE t.id > :lo AND t.id <= :hi AND {col} IS NOT NULL{missing}"
        distinct = sa.text(f"SELECT DISTINCT {col} FROM {origin.table} t{window}")
        insert = sa.text(
            f"INSERT INTO {TABLE} (kind, origin, row_id, event_id, text, terms)"
            f" SELECT '{origin.kind}', '{origin.name}', t.id, {origin.event or 'NULL'}, {col}, f.terms"
            f" FROM {origin.table} t{join} JOIN {FOLD_TABLE} f ON f.text = {col}{window}"
        )
        return distinct, insert


def _stale_condition(origin: Origin) -> str:
    """Entries of ``origin`` whose row is gone or whose text is no longer the row's."""
    return (
        f"origin = :origin AND NOT EXISTS (SELECT 1 FROM {origin.table} t"
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
    sqlite = conn.dialect.name == "sqlite"
    for origin in origins:
        if sqlite:
            conn.execute(sa.text(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text, terms) SELECT 'delete', id, text, terms"
                f" FROM {TABLE} WHERE {_stale_condition(origin)}"
            ), {"origin": origin.name})
        conn.execute(sa.text(f"DELETE FROM {TABLE} WHERE {_stale_condition(origin)}"), {"origin": origin.name})
    # New rows get ids above the largest left (SQLite's rowid rule, and the servers' sequences).
    before = conn.execute(sa.text(f"SELECT COALESCE(MAX(id), 0) FROM {TABLE}")).scalar_one() if sqlite else 0
    folder = _Folder(conn)
    written = sum(folder.write(origin, missing_only=True) for origin in origins)
    folder.close()  # not on an error: the rollback drops it (MariaDB's, the next run)
    if sqlite and written:
        conn.execute(sa.text(
            f"INSERT INTO {FTS_TABLE}(rowid, text, terms) SELECT id, text, terms FROM {TABLE} WHERE id > :before"
        ), {"before": before})
    _merge_pending(conn, written)
    return written


def _merge_pending(conn: Connection, written: int) -> None:
    """PostgreSQL: fold the GIN index's pending list into the index now.

    New entries wait in a list every search reads through until autovacuum
    merges them: measured, a one-word search over 63,000 fresh entries took
    6 ms in the index scan before and 0.02 ms after.
    """
    if conn.dialect.name == "postgresql" and written >= PENDING_MERGE:
        conn.execute(sa.text(f"SELECT gin_clean_pending_list('{PG_INDEX}'::regclass)"))


def rebuild(conn: Connection) -> int:
    """Empty the index and fold every row again (after rows were changed with plain SQL)."""
    conn.execute(entries.delete())
    folder = _Folder(conn)
    written = sum(folder.write(origin, missing_only=False) for origin in ORIGINS)
    folder.close()  # not on an error: the rollback drops it (MariaDB's, the next run)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    _merge_pending(conn, written)
    return written


def stale(conn: Connection) -> dict[str, int]:
    """Per origin, entries that disagree with the rows (missing or out of date); empty when in step."""
    out = {}
    for origin in ORIGINS:
        join = " JOIN attendance a ON a.id = t.attendance_id" if origin.via_attendance else ""
        missing = conn.execute(sa.text(
            f"SELECT COUNT(*) FROM {origin.table} t{join} WHERE t.{origin.column} IS NOT NULL AND NOT EXISTS"
            f" (SELECT 1 FROM {TABLE} s WHERE s.origin = :origin AND s.row_id = t.id AND s.text = t.{origin.column})"
        ), {"origin": origin.name}).scalar_one()
        extra = conn.execute(sa.text(
            f"SELECT COUNT(*) FROM {TABLE} s WHERE s.origin = :origin AND NOT EXISTS"
            f" (SELECT 1 FROM {origin.table} t WHERE t.id = s.row_id AND t.{origin.column} = s.text)"
        ), {"origin": origin.name}).scalar_one()
        if missing or extra:
            out[origin.name] = missing + extra
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
        where.append("e.kind IN :kinds")
        params["kinds"] = list(kinds)
    if event_id is not None:
        where.append("e.event_id = :event_id")
        params["event_id"] = event_id
    extra = "".join(f" AND {w}" for w in where)
    if dialect == "sqlite":
        sql = (
            f"SELECT e.kind, e.origin, e.row_id, e.text, -bm25({FTS_TABLE}, 0.0, 1.0) AS score FROM {FTS_TABLE}"
            f" JOIN {TABLE} e ON e.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH :q{extra}"
        )
    elif dialect == "postgresql":
        sql = (
            f"SELECT e.kind, e.origin, e.row_id, e.text, ts_rank(e.{PG_COLUMN}, q) AS score"
            f" FROM {TABLE} e, to_tsquery('simple', :q) q WHERE e.{PG_COLUMN} @@ q{extra}"
        )
    else:
        sql = (
            f"SELECT e.kind, e.origin, e.row_id, e.text, MATCH(e.terms) AGAINST (:q IN BOOLEAN MODE) AS score"
            f" FROM {TABLE} e WHERE MATCH(e.terms) AGAINST (:q IN BOOLEAN MODE){extra}"
        )
    stmt = sa.text(sql + " ORDER BY score DESC, e.kind, e.origin, e.row_id LIMIT :limit")
    if kinds:
        stmt = stmt.bindparams(sa.bindparam("kinds", expanding=True))
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

    ``kind`` narrows to one or more of :data:`models.vocab.SEARCH_KIND`;
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
            by_table.setdefault(ORIGIN_BY_NAME[row.origin].table, []).append(row.row_id)
        keys = {table: _keys(conn, table, ids) for table, ids in by_table.items()}
    hits = []
    for row in rows:
        found = keys[ORIGIN_BY_NAME[row.origin].table].get(row.row_id, (None,) * 5)
        hits.append(Hit(row.kind, row.origin, row.text, mark(row.text, query.terms), float(row.score or 0), *found))
    return hits


# -- Datasette ----------------------------------------------------------------------------


def datasette_tables() -> dict[str, dict[str, Any]]:
    """Metadata entries that make Datasette's search box on ``search_entries`` use the FTS table."""
    columns = {c.name: c.comment or "Row id (primary key); stable within one database." for c in entries.columns}
    return {
        TABLE: {"description": entries.comment, "columns": columns, "fts_table": FTS_TABLE, "fts_pk": "id"},
        **{name: {"hidden": True} for name in (FTS_TABLE, *FTS_SHADOWS)},
    }
