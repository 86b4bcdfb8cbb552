"""Datasette metadata for a guestlist database: descriptions and canned queries.

Descriptions come from the schema itself: the ``comment=`` of every table
and column in ``models`` and of every view column in ``guestlist.models.views``, so
the web pages say what the catalog says. The canned queries are the example
queries shipped as package data (``guestlist.models.reports.queries``), which the docs show and
``tests/test_docs.py`` runs on every database.
"""

from __future__ import annotations

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
    "sources": "title",
}
HIDDEN_TABLES = ("alembic_version",)


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
                "queries": queries.canned(),
            }
        },
    }


def database_name(url: str) -> str:
    """The name Datasette gives the database: the SQLite file's stem, else 'guestlist'."""
    path = sqlite_path(url)
    return path.stem if path is not None else "guestlist"
