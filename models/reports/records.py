"""A state's or a person's record over time, read a page at a time.

Unlike the other reports, the records are ordered in SQL, on keys that
compare the same on every database (event date, event slug, then the
order the attendances were recorded), so ``limit`` and ``offset`` can read
one page of a record of any length and consecutive pages add up to the
whole; ``state_record_size`` and ``person_record_size`` count the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..attendance import Attendance, AttendanceClaim
from ..db import Database, connect
from ..errors import GuestlistError
from ..events import Event
from ..views import attendance_report, attendance_timeline
from .lookup import find_person, find_state
from .rows import AttendanceRow
from .status import attendance_columns, known_on, parse_day


def _claimed_by(attendance_id: sa.ColumnElement[Any], day: dt.date) -> sa.ColumnElement[bool]:
    """The participation had a non-deprecated claim on or before ``day``."""
    c = AttendanceClaim.__table__
    return sa.exists().where(c.c.attendance_id == attendance_id, c.c.rank != "deprecated", c.c.reported_on <= day)


def _time_order(dialect: str, date: Any, slug: Any, attendance_id: Any) -> list[sa.ColumnElement[Any]]:
    """A record's order: event date (undated events last), event slug, then attendance id.

    One total order that SQL gives the same on every database: slugs compare
    by code point (SQLite and MariaDB's utf8mb4_bin tables already do; on
    PostgreSQL ``COLLATE "C"``), and within one event the participations
    come in the order they were recorded.
    """
    return [date.is_(None), date, slug.collate("C") if dialect == "postgresql" else slug, attendance_id]


# No record holds this many rows; larger values give the same page and would overflow a 64-bit LIMIT.
_MAX_ROWS = 2**62


def _page_bounds(limit: int | None, offset: int) -> tuple[int | None, int]:
    """``limit`` (None: no limit) and ``offset`` checked, and capped where a page cannot tell."""
    checked = {"offset": offset} if limit is None else {"limit": limit, "offset": offset}
    for name, value in checked.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise GuestlistError(f"{name} must be a whole number, 0 or more: {value!r}")
    return (None if limit is None else min(limit, _MAX_ROWS)), min(offset, _MAX_ROWS)


def _record(
    conn: Connection, by: str, key: int, limit: int | None, offset: int, as_of: dt.date | None = None
) -> list[AttendanceRow]:
    """The participations whose ``by`` column (state_id or person_id) is ``key``, in record order.

    A page is chosen first, from attendance and events alone: the (``by``,
    event_id) index gives the ids, only those are sorted, and only the
    page's rows are then read from the view and get an office on the day
    looked up. Two statements rather than a join of the page to the view:
    PostgreSQL plans a view of more tables than from_collapse_limit on its
    own, whole (0.75 s at 200,000 participations). The ids are written into
    the second statement as integers, so a page of any size fits in it.
    """
    a, e = Attendance.__table__, Event.__table__
    v = attendance_report if as_of is None else attendance_timeline
    dialect = conn.dialect.name
    query = sa.select(*attendance_columns(v)).order_by(
        *_time_order(dialect, v.c.event_date, v.c.event_slug, v.c.attendance_id)
    )
    if as_of is not None:
        query = query.where(known_on(as_of))
    if limit is None and not offset:
        query = query.where(v.c[by] == key)
    else:
        page = (
            sa.select(a.c.id)
            .join(e, e.c.id == a.c.event_id)
            .where(a.c[by] == key, *([] if as_of is None else [_claimed_by(a.c.id, as_of)]))
            .order_by(*_time_order(dialect, e.c.starts_on, e.c.slug, a.c.id))
            .limit(limit)
            .offset(offset or None)
        )
        ids = list(conn.execute(page).scalars())
        if not ids:
            return []
        page_ids: sa.BindParameter[list[int]] = sa.bindparam("page_ids", ids, expanding=True, literal_execute=True)
        query = query.where(v.c.attendance_id.in_(page_ids))
    return [AttendanceRow(*row) for row in conn.execute(query)]


def _record_size(conn: Connection, by: str, key: int, as_of: dt.date | None = None) -> int:
    """How many attendances have ``by`` (state_id or person_id) ``key``: the rows of ``_record`` (those claimed by ``as_of``)."""
    a = Attendance.__table__
    known = [] if as_of is None else [_claimed_by(a.c.id, as_of)]
    return int(conn.execute(sa.select(sa.func.count()).select_from(a).where(a.c[by] == key, *known)).scalar_one())


def state_record(
    state: str, *, limit: int | None = None, offset: int = 0, as_of: dt.date | None = None, db: Database = None
) -> list[AttendanceRow]:
    """Every event a state took part in (or stayed away from), in which capacity, over time.

    Ordered by event date (undated events last), event slug, then the order
    the participations were recorded. ``limit`` and ``offset`` read one page
    of that order (``limit=None``: to the end), so consecutive pages add up
    to the whole record; ``state_record_size`` gives the number of rows.
    ``as_of``: the record as known on that day.
    """
    return _page_of(find_state, "state_id", state, limit, offset, as_of, db)


def state_record_size(state: str, *, as_of: dt.date | None = None, db: Database = None) -> int:
    """How many rows ``state_record(state)`` has: for paging."""
    return _size_of(find_state, "state_id", state, as_of, db)


def person_record(
    person: str, *, limit: int | None = None, offset: int = 0, as_of: dt.date | None = None, db: Database = None
) -> list[AttendanceRow]:
    """Every event a person is recorded at, with the office held on the day.

    Ordered and paged as ``state_record``; ``person_record_size`` gives the number of rows.
    """
    return _page_of(find_person, "person_id", person, limit, offset, as_of, db)


def person_record_size(person: str, *, as_of: dt.date | None = None, db: Database = None) -> int:
    """How many rows ``person_record(person)`` has: for paging."""
    return _size_of(find_person, "person_id", person, as_of, db)


def _page_of(
    find: Callable[[Connection, str], Any],
    column: str,
    subject: str,
    limit: int | None,
    offset: int,
    as_of: dt.date | None,
    db: Database,
) -> list[AttendanceRow]:
    """One page of the record of the state or person ``find`` resolves ``subject`` to, by ``column``."""
    limit, offset = _page_bounds(limit, offset)
    day = parse_day(as_of)
    with connect(db) as conn:
        return _record(conn, column, find(conn, subject).id, limit, offset, day)


def _size_of(
    find: Callable[[Connection, str], Any], column: str, subject: str, as_of: dt.date | None, db: Database
) -> int:
    """How many rows the record of the state or person ``find`` resolves ``subject`` to has."""
    with connect(db) as conn:
        return _record_size(conn, column, find(conn, subject).id, parse_day(as_of))
