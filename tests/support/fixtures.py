"""The shared fixtures, registered by ``tests/conftest.py`` (``pytest_plugins``): tests take them by name.

Every database is built by :func:`tests.support.databases.new_database`.

Per test (a database of its own, parametrized by ``dialect``):
  ``db_url`` (empty), ``migrated_url`` (at head), ``engine`` (on ``migrated_url``),
  ``alembic_engine`` / ``alembic_config`` (pytest-alembic's).

Per module, per dialect (``module_dialect``; a module overrides it to run on fewer):
  ``db`` (at head), ``seeded_url`` / ``seeded_engine`` (the bundled seeds),
  ``small_url`` / ``small_engine`` (the hand-made record of :mod:`tests.support.report_data`),
  ``ecosystem_url`` (the bundled seeds and :data:`tests.support.ecosystem.EDGES`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from guestlist.models.db import create_engine, migrate

from .databases import DIALECT_PARAMS, DIALECTS, new_database, skip_reason
from .ecosystem import EDGES
from .report_data import populate


def pytest_configure(config: pytest.Config) -> None:
    """CI sets GUESTLIST_REQUIRE_ALL_DIALECTS so a missing server fails instead of skipping."""
    if os.environ.get("GUESTLIST_REQUIRE_ALL_DIALECTS"):
        missing = [reason for d in DIALECTS if (reason := skip_reason(d))]
        if missing:
            raise pytest.UsageError("; ".join(missing))


def _engine(url: str) -> Iterator[Engine]:
    eng = create_engine(url)
    yield eng
    eng.dispose()


# --- a database per test --------------------------------------------------------


@pytest.fixture(params=DIALECT_PARAMS)
def dialect(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def db_url(dialect: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own for this test."""
    with new_database(dialect, tmp_path, "empty") as url:
        yield url


@pytest.fixture
def migrated_url(db_url: str) -> str:
    """An empty database upgraded to head."""
    migrate.upgrade(db_url)
    return db_url


@pytest.fixture
def engine(migrated_url: str) -> Iterator[Engine]:
    yield from _engine(migrated_url)


# pytest-alembic: its standard tests run once per database through these.
@pytest.fixture
def alembic_engine(db_url: str) -> Iterator[Engine]:
    yield from _engine(db_url)


@pytest.fixture
def alembic_config():  # type: ignore[no-untyped-def]
    return migrate.alembic_config()


# --- a database per module --------------------------------------------------------


@pytest.fixture(scope="module", params=DIALECT_PARAMS)
def module_dialect(request: pytest.FixtureRequest) -> str:
    """The dialect of the module-scoped databases; a module overrides it to run on fewer."""
    return request.param


@pytest.fixture(scope="module")
def db(module_dialect: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database at head for a whole test module (one per dialect)."""
    with new_database(module_dialect, tmp_path_factory.mktemp(module_dialect)) as url:
        yield url


@pytest.fixture(scope="module")
def small_url(module_dialect: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database holding the small hand-made record, shared by one module's tests per dialect."""
    with new_database(module_dialect, tmp_path_factory.mktemp("reports")) as url:
        populate(url)
        yield url


@pytest.fixture(scope="module")
def seeded_url(module_dialect: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database holding the bundled seeds, shared by one module's tests per dialect."""
    with new_database(module_dialect, tmp_path_factory.mktemp("seeded"), "seeded") as url:
        yield url


@pytest.fixture(scope="module")
def ecosystem_url(module_dialect: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database at head with the bundled seeds and EDGES, for a whole test module."""
    with new_database(module_dialect, tmp_path_factory.mktemp(module_dialect), "seeded", documents=[("ecosystem-edges", EDGES)]) as url:
        yield url


@pytest.fixture(scope="module")
def small_engine(small_url: str) -> Iterator[Engine]:
    yield from _engine(small_url)


@pytest.fixture(scope="module")
def seeded_engine(seeded_url: str) -> Iterator[Engine]:
    yield from _engine(seeded_url)
