"""The citation of a source, as a report row carries it and ``guestlist cite`` prints it.

A report row names its source by slug; ``source_citations`` turns slugs
into the fields a reader needs to find the document (``CITATION_FIELDS``),
so CSV and JSON can carry them beside every claim.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..sources import Source


@dataclass(frozen=True)
class Citation:
    """One source, as a citation names it."""

    slug: str
    title: str
    publisher: str | None
    author: str | None
    published_on: dt.date | None
    url: str | None
    retrieved_on: dt.date | None
    kind: str


# The fields a report row gains per source column (``source_`` + field), in order.
CITATION_FIELDS = tuple(f.name for f in fields(Citation) if f.name != "slug")


def source_citations(conn: Connection, slugs: Iterable[str | None]) -> dict[str, Citation]:
    """The citation of each slug given (None and unknown slugs are skipped)."""
    wanted = sorted({s for s in slugs if s})
    t = Source.__table__
    found: dict[str, Citation] = {}
    for start in range(0, len(wanted), 500):  # bound the IN list on every database
        rows = conn.execute(
            sa.select(*(t.c[f.name] for f in fields(Citation))).where(t.c.slug.in_(wanted[start : start + 500]))
        )
        for row in rows:
            found[row.slug] = Citation(**row._mapping)
    return found
