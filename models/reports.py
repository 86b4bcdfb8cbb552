"""Reports for notebooks and the ``guestlist report`` command.

Each function takes slugs or codes as a person would type them and returns
dataclasses whose field order is the column order of the CSV and JSON
output. The database is ``db=``: an Engine, a Connection or a URL (default:
``GUESTLIST_DATABASE_URL``, else ``guestlist.db``), opened read-only.

Every query is looked up by an indexed id (event, state, person) so reports
stay fast at a million participations; rows are ordered in Python so the
order is the same on every database, whatever its collation. The state and
person records are the exception: they are ordered in SQL, on keys that
compare the same everywhere, so they can be read a page at a time.

An unknown slug or code raises ``NotFoundError`` naming close matches.

Every report that shows a status takes ``as_of=``: the record as it was
known on that day (docs/ledger.md). Claims reported later do not exist
then, and a participation with no claim yet does not appear; the status is
read from the ``attendance_timeline`` view, the same SQL an analyst writes.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from . import vocab
from .attendance import Attendance, AttendanceClaim, takes_effect
from .db import Database, connect
from .errors import GuestlistError, NotFoundError
from .events import Event
from .names import pycountry_codes
from .organizations import Organization, StateMembership
from .persons import Person, Position
from .search import Hit as SearchHit  # noqa: F401 - re-exported: full-text search lives in guestlist.models.search
from .search import search as search  # re-exported: reports.search is the library's door to it
from .states import State
from .views import (
    attendance_history,
    attendance_report,
    attendance_timeline,
    claim_conflicts,
    event_summary,
)
from .views import (
    participation_counts as counts_view,  # the view's SQL name is a contract; the concept is attendance counts
)

_Found = Row[*tuple[Any, ...]]  # the row of a looked-up event, state, person or organization

_CAPACITY_RANK = {word: i for i, word in enumerate(vocab.CAPACITY)}
_ROLE_RANK = {word: i for i, word in enumerate(vocab.ROLE)}
_STATUS_RANK = {word: i for i, word in enumerate(vocab.STATUS)}


# --------------------------------------------------------------------- rows


@dataclass(frozen=True)
class AttendanceRow:
    """One attendance with its current status (or one claim, in a history)."""

    event_slug: str
    event_name: str
    event_date: dt.date | None
    person_slug: str | None
    person_name: str | None
    position_title: str | None
    state_code: str | None
    state_name: str | None
    role: str
    capacity: str
    status: str | None
    reported_on: dt.date | None
    source_slug: str | None
    source_quote: str | None
    description: str | None


Participation = AttendanceRow  # the earlier name, kept for library users


@dataclass(frozen=True)
class Difference:
    """A state or person present at one event and not the other, or in another capacity."""

    kind: str  # "state" or "person"
    change: str  # "only_in_a", "only_in_b" or "capacity_changed"
    state_code: str | None
    state_name: str | None
    person_slug: str | None
    person_name: str | None
    a_status: str | None
    a_capacity: str | None
    b_status: str | None
    b_capacity: str | None


@dataclass(frozen=True)
class BlocMember:
    """A member state on the event's date and what became of it at the event."""

    state_code: str
    state_name: str
    outcome: str  # "present", "absent" or "unknown"
    status: str | None
    capacity: str | None
    person_slug: str | None
    person_name: str | None
    reported_on: dt.date | None
    source_slug: str | None


@dataclass(frozen=True)
class Count:
    """An aggregate claim about unnamed participants: '26 other heads of state'."""

    event_slug: str
    status: str
    capacity: str | None
    count: int | None
    quantifier: str | None
    description: str
    organization_slug: str | None
    reported_on: dt.date
    source_slug: str
    source_quote: str


@dataclass(frozen=True)
class BlocBreakdown:
    event_slug: str
    organization_slug: str
    as_of: dt.date
    members: list[BlocMember]
    counts: list[Count] = field(default_factory=list)

    def of(self, outcome: str) -> list[BlocMember]:
        return [m for m in self.members if m.outcome == outcome]

    @property
    def present(self) -> list[BlocMember]:
        return self.of("present")

    @property
    def absent(self) -> list[BlocMember]:
        return self.of("absent")

    @property
    def unknown(self) -> list[BlocMember]:
        return self.of("unknown")

    def summary(self) -> str:
        return (
            f"{self.organization_slug} at {self.event_slug} ({self.as_of.isoformat()}): "
            f"{len(self.present)} of {len(self.members)} members present, "
            f"{len(self.absent)} absent, {len(self.unknown)} unknown"
        )


@dataclass(frozen=True)
class Expectation:
    """A participant once expected (or confirmed), and its status now."""

    person_slug: str | None
    person_name: str | None
    state_code: str | None
    state_name: str | None
    capacity: str
    expected_status: str
    expected_on: dt.date
    expected_source: str
    status: str
    reported_on: dt.date
    source_slug: str
    outcome: str  # "attended", "stayed_away", "still_expected"


@dataclass(frozen=True)
class EventSummary:
    event_slug: str
    event_name: str
    event_kind: str
    event_date: dt.date | None
    host_state_code: str | None
    named_participants: int
    states_represented: int
    heads_present: int
    states_absent: int


@dataclass(frozen=True)
class Change:
    """A participant's current status moving from one claim to the next (vocab.CHANGE says how)."""

    event_slug: str
    changed_on: dt.date
    person_slug: str | None
    person_name: str | None
    state_code: str | None
    state_name: str | None
    capacity: str
    change: str
    from_status: str | None
    to_status: str
    from_reported_on: dt.date | None
    from_source_slug: str | None
    to_source_slug: str
    to_source_quote: str


@dataclass(frozen=True)
class Conflict:
    """Two sources that must agree on whether a participant came, and do not: both claims side by side."""

    event_slug: str
    event_date: dt.date | None
    person_slug: str | None
    person_name: str | None
    state_code: str | None
    state_name: str | None
    capacity: str
    present_status: str
    present_reported_on: dt.date
    present_source_slug: str
    present_source_quote: str
    absent_status: str
    absent_reported_on: dt.date
    absent_source_slug: str
    absent_source_quote: str


def columns(row_type: type) -> list[str]:
    """The stable column order of a report's rows: its dataclass fields."""
    return [f.name for f in fields(row_type)]


# ----------------------------------------------------------------- plumbing


def _not_found(what: str, given: str, candidates: dict[str, str]) -> NotFoundError:
    """A one-line error naming up to three close matches.

    ``candidates`` maps each string worth matching against (a slug, a code, a
    name) to the value the user should type instead.
    """
    lowered = {key.lower(): value for key, value in candidates.items()}
    wanted = given.strip().lower()
    close = difflib.get_close_matches(wanted, list(lowered), n=6, cutoff=0.6)
    if len(wanted) >= 3:  # 'kim' should find kim-jong-un, which difflib ranks too low
        close += sorted(key for key in lowered if wanted in key)
    hints = list(dict.fromkeys(lowered[c] for c in close))[:3]
    message = f"{what} not found: {given!r}"
    if hints:
        message += "; did you mean " + ", ".join(hints) + "?"
    return NotFoundError(message)


@dataclass(frozen=True)
class _Event:
    id: int
    slug: str
    name: str
    starts_on: dt.date | None


def _find_event(conn: Connection, slug: str) -> _Event:
    t = Event.__table__
    row = conn.execute(sa.select(t.c.id, t.c.slug, t.c.name, t.c.starts_on).where(t.c.slug == slug)).first()
    if row is None:
        slugs = conn.execute(sa.select(t.c.slug)).scalars()
        raise _not_found("event", slug, {s: s for s in slugs})
    return _Event(*row)


def _find_state(conn: Connection, code: str) -> _Found:
    """A state by alpha-3 code, alpha-2 code or name, in any letter case.

    Names are the stored ones (ISO's "Korea, Democratic People's Republic
    of"), then the everyday ones pycountry knows ("North Korea") when they
    name exactly one state.
    """
    t = State.__table__
    wanted = code.strip()
    cols = (t.c.id, t.c.code, t.c.name)
    for condition in (
        t.c.code == wanted.upper(),
        t.c.alpha2 == wanted.upper(),
        sa.func.lower(t.c.name) == wanted.lower(),
        sa.func.lower(t.c.official_name) == wanted.lower(),
    ):
        row = conn.execute(sa.select(*cols).where(condition).order_by(t.c.id)).first()
        if row is not None:
            return row
    fuzzy = pycountry_codes(wanted)
    if len(fuzzy) == 1:
        row = conn.execute(sa.select(*cols).where(t.c.code == fuzzy[0])).first()
        if row is not None:
            return row
    candidates: dict[str, str] = {}
    for c, name in conn.execute(sa.select(t.c.code, t.c.name)):
        candidates[c] = c
        candidates[name] = f"{c} ({name})"
    error = _not_found("state", code, candidates)
    if "did you mean" not in str(error) and fuzzy:
        known = {c: n for c, n in conn.execute(sa.select(t.c.code, t.c.name).where(t.c.code.in_(fuzzy[:3])))}
        hints = [f"{c} ({known[c]})" for c in fuzzy[:3] if c in known]
        if hints:
            error = NotFoundError(f"{error}; did you mean " + ", ".join(hints) + "?")
    raise error


def _find_person(conn: Connection, slug: str) -> _Found:
    t = Person.__table__
    row = conn.execute(sa.select(t.c.id, t.c.slug, t.c.name).where(t.c.slug == slug)).first()
    if row is None:
        candidates: dict[str, str] = {}
        for s, name in conn.execute(sa.select(t.c.slug, t.c.name)):
            candidates[s] = s
            candidates[name] = s
        raise _not_found("person", slug, candidates)
    return row


def _find_organization(conn: Connection, slug: str) -> _Found:
    """An organization by slug, or by abbreviation in any letter case ('EU')."""
    t = Organization.__table__
    cols = (t.c.id, t.c.slug, t.c.name)
    row = conn.execute(sa.select(*cols).where(t.c.slug == slug)).first()
    if row is None:
        row = conn.execute(
            sa.select(*cols).where(sa.func.lower(t.c.abbreviation) == slug.lower()).order_by(t.c.id)
        ).first()
    if row is None:
        candidates: dict[str, str] = {}
        for s, name, abbreviation in conn.execute(sa.select(t.c.slug, t.c.name, t.c.abbreviation)):
            candidates[s] = candidates[name] = s
            if abbreviation:
                candidates[abbreviation] = s
        raise _not_found("organization", slug, candidates)
    return row


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
                pos.c.start_on <= view.c.event_date,
                sa.or_(pos.c.end_on.is_(None), pos.c.end_on >= view.c.event_date),
                *conditions,
            )
            .order_by(pos.c.start_on, pos.c.id)
            .limit(1)
            .scalar_subquery()
        )

    same_state = pos.c.state_id == view.c.state_id
    return sa.func.coalesce(first(same_state, pos.c.capacity == view.c.capacity), first(same_state), first())


def _attendance_columns(view: sa.Table) -> list[sa.ColumnElement[Any]]:
    """The columns of ``view`` that make a AttendanceRow, in the dataclass's field order."""
    return [
        _title_on_the_day(view).label(name) if name == "position_title" else view.c[name]
        for name in columns(AttendanceRow)
    ]


def _attendance_rows(conn: Connection, view: sa.Table, condition: sa.ColumnElement[bool]) -> list[AttendanceRow]:
    """Rows of ``view`` as AttendanceRows."""
    return [AttendanceRow(*row) for row in conn.execute(sa.select(*_attendance_columns(view)).where(condition))]


def _day(as_of: Any) -> dt.date | None:
    """``as_of`` checked: None (today's record) or a date, also given as YYYY-MM-DD text."""
    if as_of is None or (isinstance(as_of, dt.date) and not isinstance(as_of, dt.datetime)):
        return as_of
    if isinstance(as_of, str):
        try:
            return dt.date.fromisoformat(as_of.strip())
        except ValueError:
            pass
    raise GuestlistError(f"as_of must be a date (YYYY-MM-DD), not {as_of!r}")


def _known_on(day: dt.date) -> sa.ColumnElement[bool]:
    """attendance_timeline's rows that were current on ``day``: the as-of query of docs/ledger.md."""
    t = attendance_timeline
    return sa.and_(t.c.valid_from <= day, sa.or_(t.c.valid_until.is_(None), t.c.valid_until > day))


def _statuses(conn: Connection, by: str, key: int, as_of: dt.date | None) -> list[AttendanceRow]:
    """Attendance rows whose ``by`` column (event_id, state_id, person_id) is ``key``, with their status.

    Today's: attendance_report, participations without claims included. As
    of a day: the timeline's row current on that day, so a participation
    nobody had reported on yet is left out.
    """
    if as_of is None:
        return _attendance_rows(conn, attendance_report, attendance_report.c[by] == key)
    return _attendance_rows(conn, attendance_timeline, sa.and_(attendance_timeline.c[by] == key, _known_on(as_of)))


def _claimed_by(attendance_id: sa.ColumnElement[Any], day: dt.date) -> sa.ColumnElement[bool]:
    """The participation had a non-deprecated claim on or before ``day``."""
    c = AttendanceClaim.__table__
    return sa.exists().where(c.c.attendance_id == attendance_id, c.c.rank != "deprecated", c.c.reported_on <= day)


def _rank(table: dict[str, int], word: str | None) -> int:
    return table.get(word or "", len(table))


def _text(value: str | None) -> str:
    return (value or "").casefold()


def _date_key(value: dt.date | None) -> dt.date:
    return value or dt.date.max


def _is_present(status: str | None) -> bool:
    return status in vocab.PRESENT_STATUSES


def _is_absent(status: str | None) -> bool:
    return status in vocab.ABSENT_STATUSES


def _guest_order(p: AttendanceRow) -> tuple[Any, ...]:
    """Hosts first, present before absent, heads before ministers, then by name."""
    return (
        _rank(_ROLE_RANK, p.role),
        not _is_present(p.status),
        _rank(_CAPACITY_RANK, p.capacity),
        _text(p.state_name),
        _text(p.person_name),
    )


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
    query = sa.select(*_attendance_columns(v)).order_by(
        *_time_order(dialect, v.c.event_date, v.c.event_slug, v.c.attendance_id)
    )
    if as_of is not None:
        query = query.where(_known_on(as_of))
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
    a = Attendance.__table__
    known = [] if as_of is None else [_claimed_by(a.c.id, as_of)]
    return int(conn.execute(sa.select(sa.func.count()).select_from(a).where(a.c[by] == key, *known)).scalar_one())


# ------------------------------------------------------------------ reports


def guest_list(event: str, *, as_of: dt.date | None = None, db: Database = None) -> list[AttendanceRow]:
    """Everyone recorded for ``event`` with their current status (or as known on ``as_of``): who comes, who stays away."""
    day = _day(as_of)
    with connect(db) as conn:
        found = _find_event(conn, event)
        rows = _statuses(conn, "event_id", found.id, day)
    return sorted(rows, key=_guest_order)


def attendance_counts(event: str, *, as_of: dt.date | None = None, db: Database = None) -> list[Count]:
    """The aggregate claims about ``event``'s unnamed participants (reported by ``as_of``), deprecated ones left out.

    The rows of the ``attendance_counts`` table (models.AttendanceCount), read
    through the ``participation_counts`` view.
    """
    day = _day(as_of)
    with connect(db) as conn:
        found = _find_event(conn, event)
        return _counts(conn, counts_view.c.event_id == found.id, day)


participation_counts_of = attendance_counts  # the earlier name, kept for README examples and library users


def _counts(conn: Connection, condition: sa.ColumnElement[bool], as_of: dt.date | None = None) -> list[Count]:
    v = counts_view
    condition = sa.and_(condition, v.c.rank != "deprecated", *([] if as_of is None else [v.c.reported_on <= as_of]))
    rows = conn.execute(sa.select(v).where(condition)).all()
    counts = [
        Count(
            event_slug=r.event_slug,
            status=r.status,
            capacity=r.capacity,
            count=r._mapping["count"],  # not r.count: a Row's count() is the tuple method
            quantifier=r.quantifier,
            description=r.description,
            organization_slug=r.organization_slug,
            reported_on=r.reported_on,
            source_slug=r.source_slug,
            source_quote=r.source_quote,
        )
        for r in rows
    ]
    return sorted(counts, key=lambda c: (c.reported_on, _rank(_STATUS_RANK, c.status), c.description))


def _best(rows: Iterable[AttendanceRow]) -> AttendanceRow | None:
    """The participation that speaks for a state or person at one event.

    A present one beats an absent one, a higher capacity a lower one.
    """
    ranked = sorted(
        rows,
        key=lambda p: (
            not _is_present(p.status),
            not _is_absent(p.status),
            _rank(_CAPACITY_RANK, p.capacity),
            _text(p.person_name),
        ),
    )
    return ranked[0] if ranked else None


def _by(rows: Iterable[AttendanceRow], key: Callable[[AttendanceRow], str | None]) -> dict[str, AttendanceRow]:
    groups: dict[str, list[AttendanceRow]] = {}
    for p in rows:
        k = key(p)
        if k is not None:
            groups.setdefault(k, []).append(p)
    return {k: best for k, group in groups.items() if (best := _best(group)) is not None}


def compare_events(a: str, b: str, *, as_of: dt.date | None = None, db: Database = None) -> list[Difference]:
    """States and persons present at one event and not the other, and changes of capacity.

    Present means a current status (as known on ``as_of``, if given) of
    expected, confirmed or attended. A state's capacity is that of its most
    senior participant: North Korea went from senior_official (2015) to
    head_of_state (2025).
    """
    day = _day(as_of)
    with connect(db) as conn:
        ea, eb = _find_event(conn, a), _find_event(conn, b)
        rows_a = _statuses(conn, "event_id", ea.id, day)
        rows_b = _statuses(conn, "event_id", eb.id, day)
    out: list[Difference] = []
    for kind, key in (("state", lambda p: p.state_code), ("person", lambda p: p.person_slug)):
        at_a, at_b = _by(rows_a, key), _by(rows_b, key)
        for k in at_a.keys() | at_b.keys():
            pa, pb = at_a.get(k), at_b.get(k)
            here_a = pa is not None and _is_present(pa.status)
            here_b = pb is not None and _is_present(pb.status)
            if here_a and not here_b:
                change = "only_in_a"
            elif here_b and not here_a:
                change = "only_in_b"
            elif here_a and here_b and pa.capacity != pb.capacity:  # type: ignore[union-attr]
                change = "capacity_changed"
            else:
                continue
            shown = pb or pa  # a person's latest state, if it changed
            assert shown is not None
            out.append(
                Difference(
                    kind=kind,
                    change=change,
                    state_code=shown.state_code,
                    state_name=shown.state_name,
                    person_slug=shown.person_slug if kind == "person" else None,
                    person_name=shown.person_name if kind == "person" else None,
                    a_status=pa.status if pa else None,
                    a_capacity=pa.capacity if pa else None,
                    b_status=pb.status if pb else None,
                    b_capacity=pb.capacity if pb else None,
                )
            )
    changes = ("capacity_changed", "only_in_a", "only_in_b")
    return sorted(
        out,
        key=lambda d: (
            d.kind != "state",
            changes.index(d.change),
            _rank(_CAPACITY_RANK, d.a_capacity if d.change == "only_in_a" else d.b_capacity),
            _text(d.state_name),
            _text(d.person_name),
        ),
    )


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
    limit, offset = _page_bounds(limit, offset)
    day = _day(as_of)
    with connect(db) as conn:
        found = _find_state(conn, state)
        return _record(conn, "state_id", found.id, limit, offset, day)


def state_record_size(state: str, *, as_of: dt.date | None = None, db: Database = None) -> int:
    """How many rows ``state_record(state)`` has: for paging."""
    day = _day(as_of)
    with connect(db) as conn:
        return _record_size(conn, "state_id", _find_state(conn, state).id, day)


def person_record(
    person: str, *, limit: int | None = None, offset: int = 0, as_of: dt.date | None = None, db: Database = None
) -> list[AttendanceRow]:
    """Every event a person is recorded at, with the office held on the day.

    Ordered and paged as ``state_record``; ``person_record_size`` gives the number of rows.
    """
    limit, offset = _page_bounds(limit, offset)
    day = _day(as_of)
    with connect(db) as conn:
        found = _find_person(conn, person)
        return _record(conn, "person_id", found.id, limit, offset, day)


def person_record_size(person: str, *, as_of: dt.date | None = None, db: Database = None) -> int:
    """How many rows ``person_record(person)`` has: for paging."""
    day = _day(as_of)
    with connect(db) as conn:
        return _record_size(conn, "person_id", _find_person(conn, person).id, day)


def status_history(event: str, *, as_of: dt.date | None = None, db: Database = None) -> list[AttendanceRow]:
    """Every status claim about ``event``'s participants (reported by ``as_of``), oldest first, deprecated ones too."""
    day = _day(as_of)
    v = attendance_history
    with connect(db) as conn:
        found = _find_event(conn, event)
        rows = _attendance_rows(conn, v, sa.and_(v.c.event_id == found.id, *([] if day is None else [v.c.reported_on <= day])))
    return sorted(rows, key=lambda p: (p.reported_on or dt.date.min, _guest_order(p)))


def bloc_breakdown(
    event: str, organization: str, *, on: dt.date | None = None, as_of: dt.date | None = None, db: Database = None
) -> BlocBreakdown:
    """An organization's members as of the event's date (or ``on``): present, absent or unknown.

    A membership is active on day d when joined_on <= d and (left_on IS NULL
    or d <= left_on). Example: the EU at the 2025 parade, 1 of 27 present.
    ``as_of`` reads the statuses and counts as known on that day.
    """
    known = _day(as_of)
    with connect(db) as conn:
        found = _find_event(conn, event)
        org = _find_organization(conn, organization)
        day = on or found.starts_on
        if day is None:
            raise GuestlistError(f"event {found.slug!r} has no date: give the day to take the members on")
        m, s = StateMembership.__table__, State.__table__
        members = conn.execute(
            sa.select(s.c.id, s.c.code, s.c.name)
            .join(m, m.c.state_id == s.c.id)
            .where(
                m.c.organization_id == org.id,
                m.c.joined_on <= day,
                sa.or_(m.c.left_on.is_(None), m.c.left_on >= day),
            )
        ).all()
        rows = _statuses(conn, "event_id", found.id, known)
        counts = _counts(
            conn,
            sa.and_(counts_view.c.event_id == found.id, counts_view.c.organization_slug == org.slug),
            known,
        )
    at_event = _by(rows, lambda p: p.state_code)
    result: list[BlocMember] = []
    for _, code, name in {r.code: r for r in members}.values():
        p = at_event.get(code)
        outcome = "unknown" if p is None else "present" if _is_present(p.status) else "absent" if _is_absent(p.status) else "unknown"
        result.append(
            BlocMember(
                state_code=code,
                state_name=name,
                outcome=outcome,
                status=p.status if p else None,
                capacity=p.capacity if p else None,
                person_slug=p.person_slug if p else None,
                person_name=p.person_name if p else None,
                reported_on=p.reported_on if p else None,
                source_slug=p.source_slug if p else None,
            )
        )
    outcomes = ("present", "absent", "unknown")
    result.sort(key=lambda b: (outcomes.index(b.outcome), _text(b.state_name)))
    return BlocBreakdown(event_slug=found.slug, organization_slug=org.slug, as_of=day, members=result, counts=counts)


def _ledger(conn: Connection, event_id: int, as_of: dt.date | None = None) -> dict[int, list[Row[Any]]]:
    """Each participation's non-deprecated claims (reported by ``as_of``), in the order they take effect.

    By reported_on, a preferred claim after a normal one of its day, then by
    id: the last claim of each day is that day's status, the last of all the
    current one, as attendance_report and attendance_timeline decide.
    """
    v = attendance_history
    condition = sa.and_(v.c.event_id == event_id, v.c.rank != "deprecated")
    if as_of is not None:
        condition = sa.and_(condition, v.c.reported_on <= as_of)
    history: dict[int, list[Row[Any]]] = {}
    for r in conn.execute(sa.select(v).where(condition)):
        history.setdefault(r.attendance_id, []).append(r)
    for claims in history.values():
        claims.sort(key=lambda r: takes_effect(r.reported_on, r.rank, r.claim_id))
    return history


def _who(row: Row[Any]) -> dict[str, Any]:
    """The participant of a history row, as Expectation and Change name it."""
    return {name: row._mapping[name] for name in ("person_slug", "person_name", "state_code", "state_name", "capacity")}


def expected_vs_actual(event: str, *, as_of: dt.date | None = None, db: Database = None) -> list[Expectation]:
    """Who was expected (or confirmed) at ``event``, and what the current claim (as of ``as_of``) says became of it.

    Deprecated claims take no part: neither as the expectation nor as the outcome.
    """
    day = _day(as_of)
    with connect(db) as conn:
        found = _find_event(conn, event)
        history = _ledger(conn, found.id, day)
    out: list[Expectation] = []
    for claims in history.values():
        first = next((r for r in claims if r.status in vocab.ANNOUNCED_STATUSES), None)
        if first is None:
            continue
        last = claims[-1]
        outcome = (
            "attended" if last.status == "attended" else "stayed_away" if _is_absent(last.status) else "still_expected"
        )
        out.append(
            Expectation(
                **_who(last),
                expected_status=first.status,
                expected_on=first.reported_on,
                expected_source=first.source_slug,
                status=last.status,
                reported_on=last.reported_on,
                source_slug=last.source_slug,
                outcome=outcome,
            )
        )
    outcomes = ("attended", "stayed_away", "still_expected")
    return sorted(
        out,
        key=lambda e: (outcomes.index(e.outcome), _rank(_CAPACITY_RANK, e.capacity), _text(e.state_name), _text(e.person_name)),
    )


def _change(before: str | None, after: str, on: dt.date, starts_on: dt.date | None) -> str:
    """The vocab.CHANGE word for a status moving from ``before`` to ``after`` on day ``on``."""
    if before is None:
        return "came_unannounced" if after == "attended" else "reported_absent" if _is_absent(after) else "announced"
    if before == "attended":
        return "attendance_retracted"
    if _is_present(before):
        if after == "attended":
            return "came_as_expected"
        if _is_absent(after):
            return "did_not_come" if starts_on is not None and on >= starts_on else "withdrew"
        return "confirmed" if after == "confirmed" else "restated"
    if after == "attended":
        return "came_after_all"
    return "reconsidered" if _is_present(after) else "restated"


def changes(
    event: str, *, since: dt.date | None = None, until: dt.date | None = None, db: Database = None
) -> list[Change]:
    """Every change of a participant's current status at ``event`` made between ``since`` and ``until``, in date order.

    A change happens on a day whose winning claim (the last of that day,
    docs/ledger.md) says another status than the status before it; the
    first claim about a participant is a change from nothing. ``change``
    names it: announced, withdrew, did_not_come ("expected and did not
    come"), came_unannounced ("came without being announced"), ...
    Deprecated claims take no part. Both bounds are inclusive.
    """
    start, end = _day(since), _day(until)
    with connect(db) as conn:
        found = _find_event(conn, event)
        history = _ledger(conn, found.id, end)
    out: list[Change] = []
    for claims in history.values():
        previous: Row[Any] | None = None
        for i, claim in enumerate(claims):
            if i + 1 < len(claims) and claims[i + 1].reported_on == claim.reported_on:
                continue  # beaten on its own day: never the status
            if previous is None or previous.status != claim.status:
                if start is None or claim.reported_on >= start:
                    out.append(
                        Change(
                            event_slug=found.slug,
                            changed_on=claim.reported_on,
                            **_who(claim),
                            change=_change(previous.status if previous else None, claim.status, claim.reported_on, found.starts_on),
                            from_status=previous.status if previous else None,
                            to_status=claim.status,
                            from_reported_on=previous.reported_on if previous else None,
                            from_source_slug=previous.source_slug if previous else None,
                            to_source_slug=claim.source_slug,
                            to_source_quote=claim.source_quote,
                        )
                    )
            previous = claim
    return sorted(
        out,
        key=lambda c: (c.changed_on, _rank(_CAPACITY_RANK, c.capacity), _text(c.state_name), _text(c.person_name)),
    )


def conflicts(event: str | None = None, *, db: Database = None) -> list[Conflict]:
    """Attendances where two sources disagree on presence, both claims side by side (the ``claim_conflicts`` view).

    A present claim against an absent one, from two sources, neither
    deprecated, either made on the same day or both on or after the event's
    first day. Deprecating one of them ends the conflict. ``event``: one
    event only (default: all).
    """
    v = claim_conflicts
    query = sa.select(*(v.c[n] for n in columns(Conflict)))
    with connect(db) as conn:
        if event is not None:
            query = query.where(v.c.event_id == _find_event(conn, event).id)
        rows = [Conflict(*r) for r in conn.execute(query)]
    return sorted(
        rows,
        key=lambda c: (
            _date_key(c.event_date),
            c.event_slug,
            _text(c.state_name),
            _text(c.person_name),
            c.present_reported_on,
            c.absent_reported_on,
            c.present_source_slug,
            c.absent_source_slug,
        ),
    )


def _summaries_on(conn: Connection, day: dt.date) -> dict[int, tuple[int, int, int, int]]:
    """event_summary's four counts per event id, from the participations as known on ``day``."""
    t = attendance_timeline
    present, absent = t.c.status.in_(vocab.PRESENT_STATUSES), t.c.status.in_(vocab.ABSENT_STATUSES)
    heads = sa.and_(present, t.c.capacity.in_(vocab.HEAD_CAPACITIES))

    def distinct(column: sa.ColumnElement[Any], when: sa.ColumnElement[bool] | None = None) -> sa.ColumnElement[int]:
        return sa.func.count(sa.distinct(column if when is None else sa.case((when, column))))

    query = (
        sa.select(
            t.c.event_id,
            distinct(t.c.person_id),
            distinct(t.c.state_id, present),
            distinct(t.c.person_id, heads),
            distinct(t.c.state_id, absent),
        )
        .where(_known_on(day))
        .group_by(t.c.event_id)
    )
    return {row[0]: tuple(row[1:]) for row in conn.execute(query)}


def events(*, kind: str | None = None, as_of: dt.date | None = None, db: Database = None) -> list[EventSummary]:
    """Every event with its head counts (as known on ``as_of``), oldest first; ``kind`` narrows to one kind."""
    if kind is not None and kind not in vocab.EVENT_KIND:
        raise _not_found("event kind", kind, {k: k for k in vocab.EVENT_KIND})
    day = _day(as_of)
    v = event_summary
    names = columns(EventSummary)
    query = sa.select(*(v.c[n] for n in names), v.c.event_id)
    if kind is not None:
        query = query.where(v.c.event_kind == kind)
    with connect(db) as conn:
        found = conn.execute(query).all()
        known = _summaries_on(conn, day) if day is not None else None
    rows = []
    for *values, event_id in found:
        if known is not None:
            values[-4:] = known.get(event_id, (0, 0, 0, 0))
        rows.append(EventSummary(*values))
    return sorted(rows, key=lambda e: (_date_key(e.event_date), e.event_slug))
