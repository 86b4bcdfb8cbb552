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
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, Row

from . import vocab
from .attendance import Attendance
from .errors import GuestlistError, NotFoundError
from .events import Event
from .organizations import Organization, StateMembership
from .persons import Person, Position
from .states import State
from .views import attendance_history, attendance_report, event_summary, participation_counts

Database = Engine | Connection | str | None

_CAPACITY_RANK = {word: i for i, word in enumerate(vocab.CAPACITY)}
_ROLE_RANK = {word: i for i, word in enumerate(vocab.ROLE)}
_STATUS_RANK = {word: i for i, word in enumerate(vocab.STATUS)}


# --------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Participation:
    """One participation with its current status (or one claim, in a history)."""

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


def columns(row_type: type) -> list[str]:
    """The stable column order of a report's rows: its dataclass fields."""
    return [f.name for f in fields(row_type)]


# ----------------------------------------------------------------- plumbing


@contextmanager
def connect(db: Database = None) -> Iterator[Connection]:
    """A connection for ``db``; a URL is opened read-only and closed afterwards."""
    if isinstance(db, Connection):
        yield db
        return
    if isinstance(db, Engine):
        with db.connect() as conn:
            yield conn
        return
    from .db import create_engine

    engine = create_engine(db, readonly=True)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


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


def _find_state(conn: Connection, code: str) -> Row[Any]:
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
    fuzzy = _pycountry_codes(wanted)
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


def _pycountry_codes(name: str) -> list[str]:
    """Alpha-3 codes pycountry's fuzzy search finds for an everyday name, best first."""
    if len(name) < 3:
        return []
    import pycountry

    try:
        return [c.alpha_3 for c in pycountry.countries.search_fuzzy(name)]
    except LookupError:
        return []


def _find_person(conn: Connection, slug: str) -> Row[Any]:
    t = Person.__table__
    row = conn.execute(sa.select(t.c.id, t.c.slug, t.c.name).where(t.c.slug == slug)).first()
    if row is None:
        candidates: dict[str, str] = {}
        for s, name in conn.execute(sa.select(t.c.slug, t.c.name)):
            candidates[s] = s
            candidates[name] = s
        raise _not_found("person", slug, candidates)
    return row


def _find_organization(conn: Connection, slug: str) -> Row[Any]:
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


def _participation_columns(view: sa.Table) -> list[sa.ColumnElement[Any]]:
    """The columns of ``view`` that make a Participation, in the dataclass's field order."""
    return [
        _title_on_the_day(view).label(name) if name == "position_title" else view.c[name]
        for name in columns(Participation)
    ]


def _participations(conn: Connection, view: sa.Table, condition: sa.ColumnElement[bool]) -> list[Participation]:
    """Rows of ``view`` as Participations."""
    return [Participation(*row) for row in conn.execute(sa.select(*_participation_columns(view)).where(condition))]


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


def _guest_order(p: Participation) -> tuple[Any, ...]:
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


def _record(conn: Connection, by: str, key: int, limit: int | None, offset: int) -> list[Participation]:
    """The participations whose ``by`` column (state_id or person_id) is ``key``, in record order.

    A page is chosen first, from attendance and events alone: the (``by``,
    event_id) index gives the ids, only those are sorted, and only the
    page's rows are then read from the view and get an office on the day
    looked up. Two statements rather than a join of the page to the view:
    PostgreSQL plans a view of more tables than from_collapse_limit on its
    own, whole (0.75 s at 200,000 participations). The ids are written into
    the second statement as integers, so a page of any size fits in it.
    """
    a, e, v = Attendance.__table__, Event.__table__, attendance_report
    dialect = conn.dialect.name
    query = sa.select(*_participation_columns(v)).order_by(
        *_time_order(dialect, v.c.event_date, v.c.event_slug, v.c.attendance_id)
    )
    if limit is None and not offset:
        query = query.where(v.c[by] == key)
    else:
        page = (
            sa.select(a.c.id)
            .join(e, e.c.id == a.c.event_id)
            .where(a.c[by] == key)
            .order_by(*_time_order(dialect, e.c.starts_on, e.c.slug, a.c.id))
            .limit(limit)
            .offset(offset or None)
        )
        ids = list(conn.execute(page).scalars())
        if not ids:
            return []
        page_ids = sa.bindparam("page_ids", ids, expanding=True, literal_execute=True)
        query = query.where(v.c.attendance_id.in_(page_ids))
    return [Participation(*row) for row in conn.execute(query)]


def _record_size(conn: Connection, by: str, key: int) -> int:
    a = Attendance.__table__
    return int(conn.execute(sa.select(sa.func.count()).select_from(a).where(a.c[by] == key)).scalar_one())


# ------------------------------------------------------------------ reports


def guest_list(event: str, *, db: Database = None) -> list[Participation]:
    """Everyone recorded for ``event`` with their current status: who comes, who stays away."""
    with connect(db) as conn:
        found = _find_event(conn, event)
        rows = _participations(conn, attendance_report, attendance_report.c.event_id == found.id)
    return sorted(rows, key=_guest_order)


def participation_counts_of(event: str, *, db: Database = None) -> list[Count]:
    """The aggregate claims about ``event``'s unnamed participants."""
    with connect(db) as conn:
        found = _find_event(conn, event)
        return _counts(conn, participation_counts.c.event_id == found.id)


def _counts(conn: Connection, condition: sa.ColumnElement[bool]) -> list[Count]:
    v = participation_counts
    rows = conn.execute(sa.select(v).where(condition)).all()
    counts = [
        Count(
            event_slug=r.event_slug,
            status=r.status,
            capacity=r.capacity,
            count=r.count,
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


def _best(rows: Iterable[Participation]) -> Participation | None:
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


def _by(rows: Iterable[Participation], key: Callable[[Participation], str | None]) -> dict[str, Participation]:
    groups: dict[str, list[Participation]] = {}
    for p in rows:
        k = key(p)
        if k is not None:
            groups.setdefault(k, []).append(p)
    return {k: best for k, group in groups.items() if (best := _best(group)) is not None}


def compare_events(a: str, b: str, *, db: Database = None) -> list[Difference]:
    """States and persons present at one event and not the other, and changes of capacity.

    Present means a current status of expected, confirmed or attended. A
    state's capacity is that of its most senior participant: North Korea
    went from senior_official (2015) to head_of_state (2025).
    """
    with connect(db) as conn:
        ea, eb = _find_event(conn, a), _find_event(conn, b)
        rows_a = _participations(conn, attendance_report, attendance_report.c.event_id == ea.id)
        rows_b = _participations(conn, attendance_report, attendance_report.c.event_id == eb.id)
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
    state: str, *, limit: int | None = None, offset: int = 0, db: Database = None
) -> list[Participation]:
    """Every event a state took part in (or stayed away from), in which capacity, over time.

    Ordered by event date (undated events last), event slug, then the order
    the participations were recorded. ``limit`` and ``offset`` read one page
    of that order (``limit=None``: to the end), so consecutive pages add up
    to the whole record; ``state_record_size`` gives the number of rows.
    """
    limit, offset = _page_bounds(limit, offset)
    with connect(db) as conn:
        found = _find_state(conn, state)
        return _record(conn, "state_id", found.id, limit, offset)


def state_record_size(state: str, *, db: Database = None) -> int:
    """How many rows ``state_record(state)`` has: for paging."""
    with connect(db) as conn:
        return _record_size(conn, "state_id", _find_state(conn, state).id)


def person_record(
    person: str, *, limit: int | None = None, offset: int = 0, db: Database = None
) -> list[Participation]:
    """Every event a person is recorded at, with the office held on the day.

    Ordered and paged as ``state_record``; ``person_record_size`` gives the number of rows.
    """
    limit, offset = _page_bounds(limit, offset)
    with connect(db) as conn:
        found = _find_person(conn, person)
        return _record(conn, "person_id", found.id, limit, offset)


def person_record_size(person: str, *, db: Database = None) -> int:
    """How many rows ``person_record(person)`` has: for paging."""
    with connect(db) as conn:
        return _record_size(conn, "person_id", _find_person(conn, person).id)


def status_history(event: str, *, db: Database = None) -> list[Participation]:
    """Every status claim about ``event``'s participants, oldest first."""
    with connect(db) as conn:
        found = _find_event(conn, event)
        rows = _participations(conn, attendance_history, attendance_history.c.event_id == found.id)
    return sorted(rows, key=lambda p: (p.reported_on or dt.date.min, _guest_order(p)))


def bloc_breakdown(
    event: str, organization: str, *, on: dt.date | None = None, db: Database = None
) -> BlocBreakdown:
    """An organization's members as of the event's date: present, absent or unknown.

    A membership is active on day d when joined_on <= d and (left_on IS NULL
    or d <= left_on). Example: the EU at the 2025 parade, 1 of 27 present.
    """
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
        rows = _participations(conn, attendance_report, attendance_report.c.event_id == found.id)
        counts = _counts(
            conn,
            sa.and_(participation_counts.c.event_id == found.id, participation_counts.c.organization_slug == org.slug),
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


def expected_vs_actual(event: str, *, db: Database = None) -> list[Expectation]:
    """Who was expected (or confirmed) at ``event``, and what the latest claim says became of it."""
    with connect(db) as conn:
        found = _find_event(conn, event)
        v = attendance_history
        rows = conn.execute(sa.select(v).where(v.c.event_id == found.id)).all()
    history: dict[int, list[Row[Any]]] = {}
    for r in rows:
        history.setdefault(r.attendance_id, []).append(r)
    out: list[Expectation] = []
    for claims in history.values():
        claims.sort(key=lambda r: (r.reported_on, r.claim_id))
        first = next((r for r in claims if r.status in ("expected", "confirmed")), None)
        if first is None:
            continue
        last = claims[-1]
        outcome = (
            "attended" if last.status == "attended" else "stayed_away" if _is_absent(last.status) else "still_expected"
        )
        out.append(
            Expectation(
                person_slug=last.person_slug,
                person_name=last.person_name,
                state_code=last.state_code,
                state_name=last.state_name,
                capacity=last.capacity,
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


def events(*, kind: str | None = None, db: Database = None) -> list[EventSummary]:
    """Every event with its head counts, oldest first; ``kind`` narrows to one kind."""
    if kind is not None and kind not in vocab.EVENT_KIND:
        raise _not_found("event kind", kind, {k: k for k in vocab.EVENT_KIND})
    v = event_summary
    names = columns(EventSummary)
    query = sa.select(*(v.c[n] for n in names))
    if kind is not None:
        query = query.where(v.c.event_kind == kind)
    with connect(db) as conn:
        rows = [EventSummary(*r) for r in conn.execute(query)]
    return sorted(rows, key=lambda e: (_date_key(e.event_date), e.event_slug))

from .search import Hit as SearchHit, search  # noqa: E402,F401 - full-text search lives in models.search
