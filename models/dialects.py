"""The databases guestlist runs on, and what to install for each.

A URL naming another database (``oracle://``, ``mssql://``) or a driver that
is not installed (``postgresql+pg8000://``) would otherwise end in an
ImportError deep inside SQLAlchemy; here it is one line that says what to
use or what to install.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.engine import URL
from sqlalchemy.exc import NoSuchModuleError, SAWarning

from .errors import DatabaseError


@dataclass(frozen=True)
class Supported:
    name: str  # as people call it
    example: str  # the URL guestlist documents and tests
    extra: str | None  # the pip extra that installs the tested driver


SUPPORTED = {
    "sqlite": Supported("SQLite", "sqlite:///guestlist.db", None),
    "postgresql": Supported("PostgreSQL", "postgresql+psycopg://user@host:5432/dbname", "postgres"),
    "mysql": Supported("MariaDB", "mysql+pymysql://user@host:3306/dbname", "mysql"),
}
SUPPORTED["mariadb"] = SUPPORTED["mysql"]


def _choices() -> str:
    return ", ".join(f"{s.name} ({s.example.split('://')[0]}://)" for s in dict.fromkeys(SUPPORTED.values()))


def check_dialect(url: URL) -> None:
    """Refuse an unsupported database or a driver that cannot be imported, naming what to do."""
    backend = url.get_backend_name()
    supported = SUPPORTED.get(backend)
    if supported is None:
        raise DatabaseError(f"guestlist does not run on {backend!r} databases ({url.drivername}://): use {_choices()}")
    install = f"pip install 'guestlist[{supported.extra}]' and use {supported.example.split('://')[0]}://" if supported.extra else ""
    try:
        dialect = url.get_dialect()
    except NoSuchModuleError:
        raise DatabaseError(
            f"SQLAlchemy has no {supported.name} driver called {url.get_driver_name()!r} ({url.drivername}://)"
            + (f": {install}" if install else "")
        ) from None
    try:
        dbapi = dialect.import_dbapi()
    except ImportError as exc:
        module = exc.name or url.get_driver_name()
        raise DatabaseError(
            f"the {supported.name} driver {url.get_driver_name()!r} ({url.drivername}://) is not installed "
            f"(no module {module!r})" + (f": {install}, or install {module}" if install else f": install {module}")
        ) from None
    # The options in the query, read as the driver will read them (no connection made).
    with refused_options(url):
        dialect(dbapi=dbapi).create_connect_args(url)


@contextmanager
def refused_options(url: URL) -> Iterator[None]:
    """Turn a driver's refusal of the URL's query options into one line naming them.

    pysqlite ignores an unknown option with a warning, so a typo would
    silently do nothing: that warning is an error here.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Query string argument", category=SAWarning)
        try:
            yield
        except (SAWarning, TypeError, ValueError) as exc:
            raise bad_options(url, exc) from None


def bad_options(parsed: URL, exc: Exception) -> DatabaseError:
    from .urls import SECRET_KEYS, scrub

    shown = "&".join(f"{k}={'***' if k.lower() in SECRET_KEYS else v}" for k, v in parsed.query.items()) or "none"
    reason = scrub(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__, parsed.render_as_string(hide_password=False))
    if isinstance(exc, SAWarning):  # "Query string argument(s) 'x' are not accepted by the pysqlite driver ..."
        reason = reason.split(" are not accepted")[0].replace("Query string argument(s)", "unknown option(s)")
    return DatabaseError(
        f"the database URL's options are not accepted by the {parsed.get_driver_name()} driver "
        f"(options: {shown[:200]}): {reason[:200]}"
    )
