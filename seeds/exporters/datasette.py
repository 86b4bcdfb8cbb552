"""Datasette metadata for a guestlist database: descriptions and canned queries.

Descriptions come from the schema itself: the ``comment=`` of every table
and column in ``models`` and of every view column in ``guestlist.models.views``, so
the web pages say what the catalog says. The canned queries are the example
queries shipped as package data (``guestlist.models.reports.queries``), which the docs show and
``tests/test_docs.py`` runs on every database; here the events they name
become parameters (``:event``, or ``:event_a`` and ``:event_b`` for two), so
one canned query answers for any event.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from guestlist.models import Base
from guestlist.models.db import bind
from guestlist.models.db.ownership import sqlite_path
from guestlist.models.reports import queries
from guestlist.models.search import datasette_tables
from guestlist.models.sources import Source
from guestlist.models.views import ALL_VIEWS

from .metadata import DESCRIPTION, LICENSE, LICENSE_URL, TITLE

# Columns Datasette shows instead of a bare foreign-key id.
LABEL_COLUMNS = {
    "states": "name",
    "organizations": "name",
    "persons": "name",
    "events": "name",
    "offices": "title",
    "sources": "title",
}
HIDDEN_TABLES = ("alembic_version",)
# A quoted literal on a line that compares an event_slug: the event a query names.
_LITERAL = re.compile(r"'([^'\n]*)'")


def event_parameters(sql: str) -> tuple[str, list[tuple[str, str]]]:
    """``sql`` with the event slugs it compares replaced by parameters, and (parameter, slug) pairs in order.

    One event becomes ``:event``, two ``:event_a`` and ``:event_b``; a line
    that does not mention ``event_slug`` is left as it is.
    """
    slugs: list[str] = []
    for line in sql.splitlines():
        if "event_slug" in line:
            slugs += [s for s in _LITERAL.findall(line) if s not in slugs]
    names = ["event"] if len(slugs) == 1 else [f"event_{chr(ord('a') + i)}" for i in range(len(slugs))]
    pairs = list(zip(names, slugs, strict=True))
    by_slug = dict((slug, name) for name, slug in pairs)

    def swap(line: str) -> str:
        if "event_slug" not in line:
            return line
        return _LITERAL.sub(lambda m: f":{by_slug[m.group(1)]}" if m.group(1) in by_slug else m.group(0), line)

    return "\n".join(swap(line) for line in sql.splitlines()), pairs


def canned_queries() -> dict[str, dict[str, Any]]:
    """The example queries as Datasette's canned queries, each event a parameter named in the description."""
    out: dict[str, dict[str, Any]] = {}
    for name, entry in queries.canned().items():
        sql, pairs = event_parameters(entry["sql"])
        entry = dict(entry, sql=sql)
        if pairs:
            entry["params"] = [p for p, _ in pairs]
            shown = "; ".join(f"{p}: an event slug, e.g. {slug}" for p, slug in pairs)
            entry["description"] = f"{entry.get('description', entry['title'])} ({shown})"
        out[name] = entry
    return out


def _columns(table: Any) -> dict[str, str]:
    """Every column's comment; an uncommented primary key is described as what it is."""
    return {
        c.name: c.comment or ("Row id (primary key); stable within one database." if c.primary_key else "")
        for c in table.columns
    }


def tables() -> dict[str, dict[str, Any]]:
    """Per table and view: its description, column descriptions and Datasette hints."""
    out: dict[str, dict[str, Any]] = {}
    for table in sorted(Base.metadata.tables.values(), key=lambda t: t.name):
        entry: dict[str, Any] = {"description": table.comment or "", "columns": _columns(table)}
        if table.name in LABEL_COLUMNS:
            entry["label_column"] = LABEL_COLUMNS[table.name]
        out[table.name] = entry
    for view in ALL_VIEWS:
        out[view.name] = {"description": view.comment or "", "columns": _columns(view)}
    for name in HIDDEN_TABLES:
        out[name] = {"hidden": True}
    out.update(datasette_tables())  # the search box on search_entries uses its FTS5 table
    return out


def sources_line(db: Engine | Connection | str | None) -> str:
    """The documents the data comes from, for the 'Data source' line of every page (``db`` None: no database to ask)."""
    if not db:
        return "Sources listed in the sources table"
    with bind(db) as target, Session(target) as session:
        publishers = sorted({p for p in session.scalars(select(Source.publisher)) if p})
    if not publishers:
        return "Sources listed in the sources table"
    shown = ", ".join(publishers[:6]) + (f" and {len(publishers) - 6} more" if len(publishers) > 6 else "")
    return f"{shown}; every row names its source in the sources table"


def metadata(database: str, *, db: Engine | Connection | str | None = None) -> dict[str, Any]:
    """The metadata document for one database named ``database`` (its SQLite file stem), read from ``db``."""
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "source": sources_line(db),
        "databases": {
            database: {
                "tables": tables(),
                "queries": canned_queries(),
            }
        },
    }


def database_name(url: str) -> str:
    """The name Datasette gives the database: the SQLite file's stem, else 'guestlist'."""
    path = sqlite_path(url)
    return path.stem if path is not None else "guestlist"
