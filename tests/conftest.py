"""Fixtures that run a test once per database: SQLite always, servers when configured."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from models.db import create_engine
from models import migrate
from models.migrate import upgrade

from .databases import DIALECTS, fresh_database, skip_reason


def pytest_configure(config: pytest.Config) -> None:
    """CI sets GUESTLIST_REQUIRE_ALL_DIALECTS so a missing server fails instead of skipping."""
    if os.environ.get("GUESTLIST_REQUIRE_ALL_DIALECTS"):
        missing = [reason for d in DIALECTS if (reason := skip_reason(d))]
        if missing:
            raise pytest.UsageError("; ".join(missing))


def _dialect_param(dialect: str):  # type: ignore[no-untyped-def]
    reason = skip_reason(dialect)
    marks = [pytest.mark.skip(reason=reason)] if reason else []
    return pytest.param(dialect, id=dialect, marks=marks)


DIALECT_PARAMS = [_dialect_param(d) for d in DIALECTS]


@pytest.fixture(params=DIALECT_PARAMS)
def dialect(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def db_url(dialect: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own for this test."""
    with fresh_database(dialect, tmp_path) as url:
        yield url


@pytest.fixture
def migrated_url(db_url: str) -> str:
    """An empty database upgraded to head."""
    upgrade(db_url)
    return db_url


@pytest.fixture
def engine(migrated_url: str) -> Iterator[Engine]:
    eng = create_engine(migrated_url)
    yield eng
    eng.dispose()


# pytest-alembic: its standard tests run once per database through these.
@pytest.fixture
def alembic_engine(db_url: str) -> Iterator[Engine]:
    eng = create_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def alembic_config():  # type: ignore[no-untyped-def]
    return migrate.alembic_config()
