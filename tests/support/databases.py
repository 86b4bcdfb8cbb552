"""Throw-away databases on each configured server, for tests and benchmarks: the one way to build one.

SQLite always runs. PostgreSQL and MariaDB run when their URLs are set; each
test gets a database of its own (created and dropped here), so test runs and
developers sharing one server never see each other's rows.

:func:`new_database` builds every per-dialect database the tests use: empty,
migrated to head, or seeded with the bundled data (what ``guestlist setup``
leaves), plus any extra documents. The fixtures in :mod:`tests.support.fixtures`
wrap it per test or per module; a module that needs another mix (its own
documents, fewer dialects) writes a fixture that calls it too.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from guestlist.models.db.migrate import upgrade
from guestlist.seeds.loader import bundled, load

SERVER_ENV = {
    "postgresql": "GUESTLIST_TEST_POSTGRES_URL",
    "mysql": "GUESTLIST_TEST_MYSQL_URL",
}
EXAMPLE_URL = {
    "postgresql": "postgresql://postgres@127.0.0.1:5432/test",
    "mysql": "mysql+pymysql://root@127.0.0.1:3306/test",
}
DIALECTS = ("sqlite", "postgresql", "mysql")


State = Literal["empty", "migrated", "seeded"]


def server_url(dialect: str) -> str | None:
    return os.environ.get(SERVER_ENV[dialect]) if dialect in SERVER_ENV else None


def skip_reason(dialect: str) -> str | None:
    """Why a dialect cannot run here, naming the variable that would enable it."""
    if dialect == "sqlite" or server_url(dialect):
        return None
    return f"{dialect} not configured: set {SERVER_ENV[dialect]}={EXAMPLE_URL[dialect]} to run these tests on it"


def dialect_params(*only: str) -> list[Any]:
    """``pytest.param`` per dialect (all, or ``only`` these), skipped with the reason where not configured."""
    return [_dialect_param(d) for d in (only or DIALECTS)]


def _dialect_param(dialect: str) -> Any:
    reason = skip_reason(dialect)
    marks = [pytest.mark.skip(reason=reason)] if reason else []
    return pytest.param(dialect, id=dialect, marks=marks)


DIALECT_PARAMS = dialect_params()
SERVER_PARAMS = dialect_params("postgresql", "mysql")


@contextmanager
def new_database(
    dialect: str,
    workdir: Path,
    state: State = "migrated",
    *,
    documents: list[Any] | None = None,
    icu_locale: str | None = None,
) -> Iterator[str]:
    """Yield the URL of a new database in ``state``; drop it afterwards.

    ``empty``: nothing in it. ``migrated``: upgraded to head. ``seeded``: at
    head with the bundled seeds (as ``guestlist setup`` leaves it).
    ``documents`` (paths or ``(name, document)`` pairs) are loaded after, in
    the same load as the bundled seeds.
    """
    with _fresh_database(dialect, workdir, icu_locale=icu_locale) as url:
        if state != "empty":
            upgrade(url)
        extra = list(documents or [])
        if state == "seeded" or extra:
            load(url, [*(bundled() if state == "seeded" else []), *extra])
        yield url


@contextmanager
def _fresh_database(dialect: str, workdir: Path, *, icu_locale: str | None = None) -> Iterator[str]:
    """Yield the URL of a new, empty database; drop it afterwards.

    ``icu_locale`` (PostgreSQL only) makes the database's default collation
    that ICU locale's, e.g. 'en-US', where 'a-b' sorts after 'ab'.
    """
    if dialect == "sqlite":
        path = workdir / f"guestlist-{uuid.uuid4().hex[:8]}.db"
        yield f"sqlite:///{path}"
        return
    admin_url = server_url(dialect)
    assert admin_url, skip_reason(dialect)
    name = f"gl_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if dialect == "mysql":
                conn.exec_driver_sql(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
            elif icu_locale and dialect == "postgresql":
                conn.exec_driver_sql(
                    f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '{icu_locale}'"
                )
            else:
                conn.exec_driver_sql(f"CREATE DATABASE {name}")
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        yield url
    finally:
        with admin.connect() as conn:
            if dialect == "mysql":
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
            else:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()
