"""One-off queries of a database by URL, for assertions on what a load wrote."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from guestlist.models.db import create_engine


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
