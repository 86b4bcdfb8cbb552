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
from urllib.parse import unquote

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SAWarning

from ..errors import DatabaseError, GuestlistError
from .urls import SECRET_KEYS, USERINFO, mask_url, scrub


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
    install = (
        f"pip install 'guestlist[{supported.extra}]' and use {supported.example.split('://')[0]}://"
        if supported.extra
        else ""
    )
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
        dialect(dbapi=dbapi).create_connect_args(url)  # type: ignore[call-arg]  # concrete dialects take dbapi=


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
    shown = "&".join(f"{k}={'***' if k.lower() in SECRET_KEYS else v}" for k, v in parsed.query.items()) or "none"
    reason = scrub(
        str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
        parsed.render_as_string(hide_password=False),
    )
    if isinstance(exc, SAWarning):  # "Query string argument(s) 'x' are not accepted by the pysqlite driver ..."
        reason = reason.split(" are not accepted")[0].replace("Query string argument(s)", "unknown option(s)")
    return DatabaseError(
        f"the database URL's options are not accepted by the {parsed.get_driver_name()} driver "
        f"(options: {shown[:200]}): {reason[:200]}"
    )


def check_url(url: str) -> str:
    """Refuse, in one masked line, a URL that would be misread or cannot be used.

    A raw '@' in the password makes drivers connect to a host named after the
    rest of the password and echo it in their errors; an unparseable URL, an
    unsupported database or a driver that is not installed would otherwise
    surface as a traceback.
    """
    match = USERINFO.match(url)
    if match and "@" in match.group("password"):
        raise GuestlistError(f"the password in {mask_url(url)} contains '@': write it as %40")
    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018 - parsing the port is the check
    except (ArgumentError, ValueError):
        # Not echoed: what cannot be parsed cannot be reliably masked either.
        raise GuestlistError(
            "the database URL is not valid: expected e.g. sqlite:///guestlist.db or "
            "postgresql://user@host:5432/dbname (with the password percent-encoded after user:)"
        ) from None
    _check_sqlite_query(url)
    check_dialect(parsed)
    return url


# Query options the SQLite driver understands; anything else after a '?' was
# meant as part of the file name ('sqlite:///q?x.db' would open the file 'q').
SQLITE_OPTIONS = frozenset(
    {
        "mode",
        "uri",
        "cache",
        "timeout",
        "check_same_thread",
        "isolation_level",
        "detect_types",
        "nolock",
        "immutable",
        "vfs",
        "modeof",
        "cached_statements",
        "factory",
    }
)


def _check_sqlite_query(url: str) -> None:
    """Refuse an SQLite URL whose '?' would silently cut the file name short."""
    if make_url(url).get_backend_name() != "sqlite" or "?" not in url:
        return
    for part in url.split("?", 1)[1].split("&"):
        key = unquote(part.split("=", 1)[0])
        if "=" not in part or key not in SQLITE_OPTIONS:
            raise GuestlistError(
                f"the SQLite URL {mask_url(url)} has '{part}' after '?', which is no SQLite option: "
                "if '?' is part of the file name, write it as %3F (and '#' as %23)"
            )
