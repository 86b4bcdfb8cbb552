"""Datasette metadata for a guestlist database: descriptions and canned queries.

Descriptions come from the schema itself: the ``comment=`` of every table
and column in ``models`` and of every view column in ``models.views``, so
the web pages say what the catalog says. The canned queries are the README's
example queries, verbatim: each ```sql block that follows a line
``<!-- query: NAME -->`` in the README's ``sql`` section (the rule
``tests/test_readme.py`` runs them by).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .metadata import DESCRIPTION, LICENSE, LICENSE_URL, TITLE

QUERY = re.compile(r"^<!-- query: (?P<name>[A-Za-z0-9_-]+) -->[ \t]*\n+```sql[ \t]*\n(?P<sql>.*?)^```", re.M | re.S)
SQL_SECTION = re.compile(r"<!-- sql:start -->(.*?)<!-- sql:end -->", re.S)
# "**Who is coming?** Everyone whose ...": the bold lead is the title.
BOLD_LEAD = re.compile(r"\*\*(?P<title>[^*]+)\*\*[:.]?\s*(?P<rest>.*)", re.S)
# Columns Datasette shows instead of a bare foreign-key id.
LABEL_COLUMNS = {
    "states": "name",
    "organizations": "name",
    "persons": "name",
    "events": "name",
    "sources": "title",
}
HIDDEN_TABLES = ("alembic_version",)


def readme_text() -> str:
    """The README beside the package in a checkout, else the one in the installed metadata."""
    beside = Path(__file__).resolve().parents[2] / "README.md"
    if beside.exists():
        return beside.read_text(encoding="utf-8")
    from importlib.metadata import metadata

    return metadata("guestlist").get_payload() or ""  # type: ignore[attr-defined]


def queries(text: str) -> dict[str, dict[str, str]]:
    """The example queries of a README's ``sql`` section: name -> {sql, title, description}.

    The paragraph just before the marker describes the query; its leading
    bold text, if any, is the title. Without one the title is the name in words.
    """
    sql_section = SQL_SECTION.search(text)
    if sql_section:
        text = sql_section.group(1)
    found: dict[str, dict[str, str]] = {}
    for match in QUERY.finditer(text):
        name = match.group("name")
        if name in found:
            raise ValueError(f"README: query name '{name}' is used twice")
        entry = {"sql": match.group("sql").strip(), "title": name.replace("_", " ").replace("-", " ").capitalize()}
        paragraph = _paragraph_before(text, match.start())
        lead = BOLD_LEAD.fullmatch(paragraph or "")
        if lead:
            entry["title"] = lead.group("title").rstrip(".:")
        if paragraph:
            entry["description"] = paragraph.replace("**", "")
        found[name] = entry
    return found


def _paragraph_before(text: str, position: int) -> str | None:
    lines = text[:position].rstrip("\n").split("\n")
    paragraph: list[str] = []
    while lines and lines[-1].strip():
        paragraph.insert(0, lines.pop().strip())
    joined = " ".join(paragraph)
    if not joined or joined.startswith(("#", "```", "<!--", "|")):
        return None
    return joined


def _columns(table: Any) -> dict[str, str]:
    """Every column's comment; an uncommented primary key is described as what it is."""
    return {
        c.name: c.comment or ("Row id (primary key); stable within one database." if c.primary_key else "")
        for c in table.columns
    }


def tables() -> dict[str, dict[str, Any]]:
    """Per table and view: its description, column descriptions and Datasette hints."""
    from models import Base
    from models.views import ALL_VIEWS

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
    from models.search import datasette_tables

    out.update(datasette_tables())  # the search box on search_entries uses its FTS5 table
    return out


def sources_line(url: str | None) -> str:
    """The documents the data comes from, for the 'Data source' line of every page."""
    if not url:
        return "Sources listed in the sources table"
    from sqlalchemy import select

    from models.db import session_scope
    from models.sources import Source

    with session_scope(url) as session:
        publishers = sorted({p for p in session.scalars(select(Source.publisher)) if p})
    if not publishers:
        return "Sources listed in the sources table"
    shown = ", ".join(publishers[:6]) + (f" and {len(publishers) - 6} more" if len(publishers) > 6 else "")
    return f"{shown}; every row names its source in the sources table"


def metadata(database: str, *, url: str | None = None, readme: str | None = None) -> dict[str, Any]:
    """The metadata document for one database named ``database`` (its SQLite file stem)."""
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "source": sources_line(url),
        "databases": {
            database: {
                "tables": tables(),
                "queries": queries(readme if readme is not None else readme_text()),
            }
        },
    }


def database_name(url: str) -> str:
    """The name Datasette gives the database: the SQLite file's stem, else 'guestlist'."""
    from . import sqlite_path

    path = sqlite_path(url)
    return path.stem if path is not None else "guestlist"
