"""Is this database guestlist's? Asked before anything is written.

guestlist writes only to a database that is empty or recognisably its own:
its ``alembic_version`` holds a revision of this project. Anything else is
refused in one line that names what was found, before a byte changes:

- a file that is not an SQLite database (random bytes, a text file) or one
  cut short (its header promises more pages than the file holds), as a
  read-only SQLite connection sees it;
- another application's tables, with no guestlist revision;
- a revision this guestlist does not know: written by a newer guestlist
  (say so, and which), or another application's Alembic history.

:func:`missing_schema` finds the other way a database stops being what the
revision says: a table, view or column dropped by hand.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, make_url

from ..errors import DatabaseError, MigrationError
from ..tables import VIEWS_METADATA, Base

VERSION_TABLE = "alembic_version"
MIN_SQLITE_BYTES = 512  # the smallest page: any real database file is at least this long
# Tables every guestlist revision has had: their presence next to an unknown revision means a newer guestlist.
CORE_TABLES = frozenset({"states", "persons", "events", "attendance"})


def sqlite_path(url: str | URL) -> Path | None:
    """The file of an SQLite URL (plain or ``file:`` URI, as --read-only makes it); None otherwise."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    if database.startswith("file:"):
        database = unquote(database[len("file:") :].split("?", 1)[0])
    return Path(database)


def require_file(url: str | URL, hint: str = "run 'guestlist setup' first") -> None:
    """Refuse an SQLite path that does not exist, instead of creating an empty database there.

    For commands that only read or step back (``db current``, ``db downgrade``,
    reports, exports): a typo in the path must not leave a new file behind.
    """
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise DatabaseError(f"no database at {path}: {hint}")


def check_sqlite_file(url: str) -> None:
    """Refuse a file that is not an SQLite database, or is truncated; a missing or empty file is fine.

    SQLite itself reads the header, through a read-only connection: opening
    and closing the file with an ordinary file descriptor would drop every
    POSIX lock this process holds on it (SQLite's locks among them), which
    SQLite's own connections know to avoid. A file SQLite cannot look at
    now (locked, or a hot journal that only a writer may roll back) is left
    to the connection that follows.
    """
    path = sqlite_path(url)
    if path is None or not path.exists():
        return
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not an SQLite database")
    size = path.stat().st_size
    if size == 0:
        return  # SQLite's own empty database
    if size < MIN_SQLITE_BYTES:  # SQLite would take it for an empty database and overwrite it
        raise DatabaseError(
            f"{path} is not an SQLite database ({size:,} byte{'s' if size != 1 else ''}, too short for one): refusing to touch it"
        )
    try:
        probe = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, timeout=0)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path}: {exc}") from None
    try:
        page_size = probe.execute("PRAGMA page_size").fetchone()[0]
        pages = probe.execute("PRAGMA page_count").fetchone()[0]
    except sqlite3.OperationalError:
        return  # busy, or recovery needed: the real connection waits or recovers
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_CORRUPT":
            raise DatabaseError(
                f"{path} is damaged or truncated (SQLite: {exc}; {size:,} bytes): restore it from a backup"
            ) from None
        raise DatabaseError(
            f"{path} is not an SQLite database ({size:,} bytes; SQLite: {exc}): refusing to touch it"
        ) from None
    finally:
        probe.close()
    if pages * page_size > size:
        raise DatabaseError(
            f"{path} is truncated: its header says {pages:,} pages of {page_size:,} bytes "
            f"({pages * page_size:,} bytes) but the file holds {size:,}: restore it from a backup"
        )


@dataclass(frozen=True)
class Found:
    """What a database holds, as far as ownership goes."""

    tables: tuple[str, ...]  # every table and view but alembic_version
    revisions: tuple[str, ...]  # rows of alembic_version


def look(connection: Connection) -> Found:
    inspector = sa.inspect(connection)
    names = set(inspector.get_table_names())
    revisions: tuple[str, ...] = ()
    if VERSION_TABLE in names:
        revisions = tuple(connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars())
    others = (names | set(inspector.get_view_names())) - {VERSION_TABLE}
    return Found(tuple(sorted(others)), revisions)


def require_ours(connection: Connection, known: set[str]) -> Found:
    """Raise unless the database is empty or at revisions in ``known`` (this project's)."""
    found = look(connection)
    unknown = [rev for rev in found.revisions if rev not in known]
    if unknown:
        if CORE_TABLES <= set(found.tables):
            raise MigrationError(
                f"the database is at revision {', '.join(unknown)}, which this guestlist does not know: "
                "a newer guestlist wrote it; upgrade guestlist (pip install -U guestlist) to use this database"
            )
        raise DatabaseError(
            f"the database is not guestlist's: its alembic_version holds {', '.join(unknown)}, not a guestlist "
            f"revision{_tables(found)}; refusing to touch it"
        )
    if not found.revisions and found.tables:
        raise DatabaseError(
            f"the database is not guestlist's: it holds {len(found.tables)} table{'s' if len(found.tables) != 1 else ''}"
            f"{_tables(found)} and no guestlist revision; refusing to touch it: give an empty database or a guestlist one"
        )
    return found


def _tables(found: Found) -> str:
    if not found.tables:
        return ""
    shown = ", ".join(found.tables[:5]) + (f" and {len(found.tables) - 5} more" if len(found.tables) > 5 else "")
    return f" ({shown})"


def missing_schema(connection: Connection) -> list[str]:
    """Tables, views and columns of the models the live database lacks, e.g. ['column events.city']."""
    inspector = sa.inspect(connection)
    tables = set(inspector.get_table_names())
    views = set(inspector.get_view_names())
    missing = []
    for table in [*Base.metadata.sorted_tables, *VIEWS_METADATA.sorted_tables]:
        if table.info.get("is_view"):
            if table.name not in views:
                missing.append(f"view {table.name}")
            continue
        if table.name not in tables:
            missing.append(f"table {table.name}")
            continue
        live = {column["name"] for column in inspector.get_columns(table.name)}
        missing += [f"column {table.name}.{column.name}" for column in table.columns if column.name not in live]
    return missing


def require_complete(connection: Connection, revision: str) -> None:
    """Raise when the database at ``revision`` lacks part of its schema (dropped by hand)."""
    missing = missing_schema(connection)
    if missing:
        shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
        raise MigrationError(
            f"the database says it is at {revision} but lacks {shown}: it was changed outside guestlist; "
            "restore it from a backup, or load an export ('guestlist export seeds DIR') into a new database"
        )
