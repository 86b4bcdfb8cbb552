"""What the search index holds: the searchable columns (:data:`ORIGINS`), its tables, and its terms on each engine.

The names of every table and native index of the index are here too, for
the code that must leave derived data out (the migration environment, the
migration guard, exports); this module imports nothing that writes or reads
the index.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from .. import vocab
from ..base import MYSQL_TABLE_OPTIONS
from ..text import SCRIPT_RUN, WORD, fold, terms_of

TABLE = "search_entries"
FIELDS_TABLE = "search_fields"
FTS_TABLE = "search_entries_fts"
FTS_CONTENT = "search_entries_terms"  # SQLite: the view FTS5 reads each entry's terms from
# What SQLite's FTS5 may add beside the virtual table: no _content (the content is external);
# _docsize only for a table that keeps per-row sizes, which head's (columnsize=0) does not.
FTS_SHADOWS = tuple(f"{FTS_TABLE}_{part}" for part in ("data", "idx", "docsize", "config"))
# Every table of the index, for the code that must leave derived data out.
SEARCH_TABLES = frozenset({TABLE, FIELDS_TABLE, FTS_CONTENT, FTS_TABLE, *FTS_SHADOWS})
PG_COLUMN = "terms_tsv"
PG_INDEX = "ix_search_entries_terms_tsv"
MYSQL_INDEX = "ft_search_entries_terms"
NATIVE_INDEXES = frozenset({PG_INDEX, MYSQL_INDEX})

# An entry's id is its field's code times ROW_SPAN plus the row's id: one key, no second index.
ROW_SPAN = 1 << 40


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
ORIGIN_BY_CODE = {o.code: o for o in ORIGINS}
assert {o.kind for o in ORIGINS} == set(vocab.SEARCH_KIND)
assert len(ORIGIN_BY_CODE) == len(ORIGINS)

metadata = sa.MetaData()
fields = sa.Table(
    FIELDS_TABLE,
    metadata,
    sa.Column(
        "id", sa.SmallInteger, primary_key=True, autoincrement=False, comment="The field's code (search_entries.field)."
    ),
    sa.Column("kind", sa.String(20), nullable=False, comment=f"{vocab.listed(vocab.SEARCH_KIND)}."),
    sa.Column(
        "origin",
        sa.String(60),
        nullable=False,
        unique=True,
        comment="Table and column the text is from, e.g. 'attendance_claims.source_quote'.",
    ),
    comment="The columns whose text is searched, one row each (guestlist.models.search.ORIGINS).",
    **MYSQL_TABLE_OPTIONS,
)
entries = sa.Table(
    TABLE,
    metadata,
    sa.Column(
        "id",
        sa.BigInteger().with_variant(sa.Integer, "sqlite"),
        primary_key=True,
        autoincrement=False,
        comment=f"field * {ROW_SPAN:,} + row_id: one entry per row and field.",
    ),
    # The foreign key exists on SQLite only (Datasette labels by it); the servers would check it
    # with a trigger per entry, so there stale() checks it.
    sa.Column(
        "field",
        sa.SmallInteger,
        sa.ForeignKey(f"{FIELDS_TABLE}.id"),
        nullable=False,
        comment="Which column the text is from: search_fields.id.",
    ),
    sa.Column("row_id", sa.Integer, nullable=False, comment="Id of the row in that column's table."),
    sa.Column("event_id", sa.Integer, nullable=True, comment="The event the text belongs to, if any (for --event)."),
    sa.Column("text", sa.Text, nullable=False, comment="The text as stored in its table."),
    sa.Column(
        "terms",
        sa.Text,
        nullable=True,
        comment=(
            "The folded words the engine indexes (hex-coded on MariaDB); on SQLite NULL for ASCII text,"
            " whose words FTS5 reads from the text itself."
        ),
    ),
    comment="Derived full-text index over quotes, notes and names; rebuilt by 'guestlist db reindex-search'.",
    **MYSQL_TABLE_OPTIONS,
)


# -- terms ---------------------------------------------------------------------------------


def _mysql_term(term: str) -> str:
    encoded = term.encode("utf-8").hex()
    return f"w{encoded}" if len(encoded) < 80 else "h" + hashlib.md5(term.encode("utf-8")).hexdigest()


def render_terms(terms: Iterable[str], dialect: str) -> str:
    """``terms`` as the engine reads them on ``dialect``."""
    return " ".join(_mysql_term(t) for t in terms) if dialect == "mysql" else " ".join(terms)


def stored_terms(text: str, dialect: str) -> str | None:
    """What the ``terms`` column holds for ``text`` on ``dialect``.

    On SQLite: nothing for ASCII text, whose words FTS5's unicode61 tokenizer
    reads exactly as :func:`guestlist.models.text.terms_of` folds them (the FTS5 table reads
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
    runs = [
        m.group(1)
        for word in WORD.findall(fold(text))
        for m in SCRIPT_RUN.finditer(word)
        if m.group(1) and len(m.group(1)) > 2
    ]
    return " ".join((*terms_of(text), *runs))
