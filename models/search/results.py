"""Searching: the matching entries, best first, with their matches marked and the keys to look them up.

Also the Datasette metadata that points its search box at the same index.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import vocab
from ..db import connect
from ..errors import GuestlistError, NotFoundError
from ..text import SCRIPT_RUN, WORD, fold, segments, terms_of
from .query import Query, engine_query, parse
from .tables import (
    FIELDS_TABLE,
    FTS_CONTENT,
    FTS_SHADOWS,
    FTS_TABLE,
    ORIGIN_BY_CODE,
    ORIGINS,
    PG_COLUMN,
    TABLE,
    entries,
    fields,
)

MAX_LIMIT = 1000
MARK = ("[", "]")


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
    for word in WORD.finditer(original):
        for match in SCRIPT_RUN.finditer(word.group()):
            start = word.start() + match.start()
            part = match.group()
            if match.group(1):
                pairs = list(segments(part)) if len(part) > 1 else [(0, 1, fold(part))]
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
