"""How the reports read a status, and the order they show it in.

The columns of an ``AttendanceRow`` read from the views (with the office
held on the day), the ``as_of`` day checked and turned into the timeline's
as-of condition, and the orders every report shares: vocabulary ranks,
the guest-list order, and the one participation that speaks for a state
or person at an event (``best_attendance``, ``best_attendance_by``).

Rows are ordered in Python, with these keys, so the order is the same on
every database, whatever its collation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import vocab
from ..errors import GuestlistError
from ..persons import Position, held_on_sql
from ..views import attendance_report, attendance_timeline
from .rows import AttendanceRow, stored_columns

_CAPACITY_RANK = {word: i for i, word in enumerate(vocab.CAPACITY)}
_ROLE_RANK = {word: i for i, word in enumerate(vocab.ROLE)}
_STATUS_RANK = {word: i for i, word in enumerate(vocab.STATUS)}


# ------------------------------------------------------------ view columns


def _title_on_the_day(view: sa.Table) -> sa.ColumnElement[Any]:
    """The title the participant held on the event's date, as correlated subqueries.

    A position for the state represented in the capacity the person came in
    wins (Xi as President of China rather than as party leader), then one
    for that state, then any; the earliest-started first. Each is one probe
    of the (person_id, title, start_on) index. COALESCE rather than an
    ORDER BY on outer columns, which SQLite cannot correlate through a view.
    """
    pos = Position.__table__

    def first(*conditions: sa.ColumnElement[bool]) -> sa.ScalarSelect[Any]:
        return (
            sa.select(pos.c.title)
            .where(
                pos.c.person_id == view.c.person_id,
                held_on_sql(pos.c.start_on, pos.c.end_on, view.c.event_date),
                *conditions,
            )
            .order_by(pos.c.start_on, pos.c.id)
            .limit(1)
            .scalar_subquery()
        )

    same_state = pos.c.state_id == view.c.state_id
    return sa.func.coalesce(first(same_state, pos.c.capacity == view.c.capacity), first(same_state), first())


def attendance_columns(view: sa.Table) -> list[sa.ColumnElement[Any]]:
    """The columns of ``view`` that make an AttendanceRow, in the dataclass's field order."""
    return [
        _title_on_the_day(view).label(name) if name == "position_title" else view.c[name]
        for name in stored_columns(AttendanceRow)
    ]


def attendance_rows(conn: Connection, view: sa.Table, condition: sa.ColumnElement[bool]) -> list[AttendanceRow]:
    """Rows of ``view`` as AttendanceRows."""
    return [AttendanceRow(*row) for row in conn.execute(sa.select(*attendance_columns(view)).where(condition))]


# ------------------------------------------------------------------- as of


def parse_day(as_of: Any) -> dt.date | None:
    """``as_of`` checked: None (today's record) or a date, also given as YYYY-MM-DD text."""
    if as_of is None or (isinstance(as_of, dt.date) and not isinstance(as_of, dt.datetime)):
        return as_of
    if isinstance(as_of, str):
        try:
            return dt.date.fromisoformat(as_of.strip())
        except ValueError:
            pass
    raise GuestlistError(f"as_of must be a date (YYYY-MM-DD), not {as_of!r}")


def known_on(day: dt.date) -> sa.ColumnElement[bool]:
    """attendance_timeline's rows that were current on ``day``: the as-of query of docs/ledger.md."""
    t = attendance_timeline
    return sa.and_(t.c.valid_from <= day, sa.or_(t.c.valid_until.is_(None), t.c.valid_until > day))


def attendance_statuses(conn: Connection, by: str, key: int, as_of: dt.date | None) -> list[AttendanceRow]:
    """Attendance rows whose ``by`` column (event_id, state_id, person_id) is ``key``, with their status.

    Today's: attendance_report, participations without claims included. As
    of a day: the timeline's row current on that day, so a participation
    nobody had reported on yet is left out.
    """
    if as_of is None:
        return attendance_rows(conn, attendance_report, attendance_report.c[by] == key)
    return attendance_rows(conn, attendance_timeline, sa.and_(attendance_timeline.c[by] == key, known_on(as_of)))


# ------------------------------------------------------- ranks and orders


def _rank(table: dict[str, int], word: str | None) -> int:
    return table.get(word or "", len(table))


def capacity_rank(capacity: str | None) -> int:
    """A capacity's place in vocab.CAPACITY, the most senior first; unknown words last."""
    return _rank(_CAPACITY_RANK, capacity)


def status_rank(status: str | None) -> int:
    """A status's place in vocab.STATUS; unknown words last."""
    return _rank(_STATUS_RANK, status)


def sort_text(value: str | None) -> str:
    """A name as a sort key: case-folded, None as empty, so every database orders it alike."""
    return (value or "").casefold()


def undated_last(value: dt.date | None) -> dt.date:
    """A date as a sort key that puts undated events last."""
    return value or dt.date.max


def is_present(status: str | None) -> bool:
    """The status says the participant comes or came (vocab.PRESENT_STATUSES)."""
    return status in vocab.PRESENT_STATUSES


def is_absent(status: str | None) -> bool:
    """The status says the participant stays or stayed away (vocab.ABSENT_STATUSES)."""
    return status in vocab.ABSENT_STATUSES


def guest_order(p: AttendanceRow) -> tuple[Any, ...]:
    """Hosts first, present before absent, heads before ministers, then by name."""
    return (
        _rank(_ROLE_RANK, p.role),
        not is_present(p.status),
        capacity_rank(p.capacity),
        sort_text(p.state_name),
        sort_text(p.person_name),
    )


# ------------------------------------------------------ best and grouping


def best_attendance(rows: Iterable[AttendanceRow]) -> AttendanceRow | None:
    """The participation that speaks for a state or person at one event.

    A present one beats an absent one, a higher capacity a lower one.
    """
    ranked = sorted(
        rows,
        key=lambda p: (
            not is_present(p.status),
            not is_absent(p.status),
            capacity_rank(p.capacity),
            sort_text(p.person_name),
        ),
    )
    return ranked[0] if ranked else None


def best_attendance_by(
    rows: Iterable[AttendanceRow], key: Callable[[AttendanceRow], str | None]
) -> dict[str, AttendanceRow]:
    """``key`` (a state's code, a person's slug, an event's slug) -> the best of the rows with that key.

    Rows whose key is None are left out.
    """
    groups: dict[str, list[AttendanceRow]] = {}
    for p in rows:
        k = key(p)
        if k is not None:
            groups.setdefault(k, []).append(p)
    return {k: best for k, group in groups.items() if (best := best_attendance(group)) is not None}
