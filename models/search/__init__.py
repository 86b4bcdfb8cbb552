"""Full-text search over quotes, notes and names, native on each database.

One derived table, ``search_entries``, holds one row per piece of searchable
text (a claim's quote, an event's name, a person's other name ...) with the
words of that text *folded* by Python into ``terms``: NFKC, case folded,
accents stripped, and runs of Chinese, Japanese or Korean characters cut
into overlapping pairs (``习近平`` -> ``习近 近平``), because none of the three
engines can find a word inside an unspaced run (:mod:`guestlist.models.text`).
Each database indexes ``terms`` with its own engine:

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
(:func:`sync`), an upgrade through guestlist that reaches head fills it in
the upgrade's transaction (:func:`sync`; revisions only create its objects),
``guestlist db reindex-search`` rebuilds it (:func:`rebuild`), and exports
and backups leave it out.

The parts: :mod:`.tables` (what is indexed, the tables, the terms on each
engine), :mod:`.index` (writing), :mod:`.query` (parsing, each engine's
query), :mod:`.results` (:func:`search`, its hits, Datasette's metadata).
A tuning value (``WINDOW``, ``DEFER_INDEXES``) is read from the module that
defines it.
"""

from __future__ import annotations

from .index import DEFER_INDEXES, FOLD_LIMIT, FOLD_TABLE, PENDING_MERGE, WINDOW, rebuild, stale, sync
from .query import MAX_QUERY, MAX_TERMS, Phrase, Query, engine_query, parse
from .results import MARK, MAX_LIMIT, Hit, datasette_tables, mark, search
from .tables import (
    FIELDS_TABLE,
    FTS_CONTENT,
    FTS_SHADOWS,
    FTS_TABLE,
    MYSQL_INDEX,
    NATIVE_INDEXES,
    ORIGIN_BY_CODE,
    ORIGINS,
    PG_COLUMN,
    PG_INDEX,
    ROW_SPAN,
    SEARCH_TABLES,
    TABLE,
    Origin,
    entries,
    fields,
    metadata,
    render_terms,
    stored_terms,
)

__all__ = [
    "DEFER_INDEXES",
    "FIELDS_TABLE",
    "FOLD_LIMIT",
    "FOLD_TABLE",
    "FTS_CONTENT",
    "FTS_SHADOWS",
    "FTS_TABLE",
    "MARK",
    "MAX_LIMIT",
    "MAX_QUERY",
    "MAX_TERMS",
    "MYSQL_INDEX",
    "NATIVE_INDEXES",
    "ORIGINS",
    "ORIGIN_BY_CODE",
    "PENDING_MERGE",
    "PG_COLUMN",
    "PG_INDEX",
    "ROW_SPAN",
    "SEARCH_TABLES",
    "TABLE",
    "WINDOW",
    "Hit",
    "Origin",
    "Phrase",
    "Query",
    "datasette_tables",
    "engine_query",
    "entries",
    "fields",
    "mark",
    "metadata",
    "parse",
    "rebuild",
    "render_terms",
    "search",
    "stale",
    "stored_terms",
    "sync",
]
