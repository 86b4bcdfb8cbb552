"""Shared by the seed loader tests: a database per module, snapshots, documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from models import Base
from models.db import create_engine
from models.migrate import upgrade

from .databases import fresh_database

DOCS = Path(__file__).parent / "seed_docs"
EXAMPLE = DOCS / "example.yaml"


def module_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database at head for a whole test module (one per dialect)."""
    with fresh_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        upgrade(url)
        yield url


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: two equal snapshots mean an unchanged database."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table.name: sorted(tuple(row) for row in conn.execute(sa.select(table)))
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def example() -> dict[str, Any]:
    """The example document as plain Python (dates as text, like the loader reads them)."""
    return yaml.load(EXAMPLE.read_text(encoding="utf-8"), Loader=_DatesAsText)


class _DatesAsText(yaml.SafeLoader):
    pass


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def write(tmp_path: Path, name: str, document: dict[str, Any] | str) -> Path:
    path = tmp_path / name
    text = document if isinstance(document, str) else yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def scalar(url: str, query: str, **params: Any) -> Any:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(query), params).scalar()
    finally:
        engine.dispose()


def rows(url: str, query: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of a raw query, dates as ISO text (SQLite returns them so through plain SQL)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(_plain(v) for v in r) for r in conn.execute(sa.text(query), params)]
    finally:
        engine.dispose()


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value
