"""What happened at an event: its guest list, its counts, a comparison of two, a bloc's members, and every event.

Each report looks its event up by slug (``lookup``), reads the statuses
from the views as they stand today or as known on ``as_of`` (``status``),
and orders the rows in Python so the order is the same on every database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import vocab
from ..db import Database, connect
from ..errors import GuestlistError
from ..organizations import StateMembership
from ..states import State
from ..views import attendance_timeline, event_summary
from ..views import (
    participation_counts as counts_view,  # the view's SQL name is a contract; the concept is attendance counts
)
from .display import ANNOUNCED, outcome_of
from .lookup import find_event, find_organization, find_state, not_found
from .rows import (
    BLOC_OUTCOMES,
    UNKNOWN,
    AttendanceRow,
    BlocBreakdown,
    BlocMember,
    ComparisonSummary,
    Count,
    Difference,
    EventSummary,
    stored_columns,
)
from .status import (
    attendance_statuses,
    best_attendance_by,
    capacity_rank,
    guest_order,
    is_present,
    known_on,
    parse_day,
    sort_text,
    status_rank,
    undated_last,
)

# Words ``statuses`` takes besides the statuses themselves: each stands for a group of them.
STATUS_GROUPS = {"announced": vocab.ANNOUNCED_STATUSES, "absent": vocab.ABSENT_STATUSES}


def guest_list(
    event: str,
    *,
    as_of: dt.date | None = None,
    statuses: Iterable[str] = (),
    capacities: Iterable[str] = (),
    states: Iterable[str] = (),
    db: Database = None,
) -> list[AttendanceRow]:
    """Everyone recorded for ``event`` with their current status (or as known on ``as_of``): who comes, who stays away.

    ``statuses``, ``capacities`` and ``states`` keep only the rows with one
    of the words (or states) given; ``statuses`` also takes ``announced``
    (expected or confirmed) and ``absent`` (declined, boycotted or not
    attending). A state is a code or name, as ``state_record`` takes it.
    """
    day = parse_day(as_of)
    with connect(db) as conn:
        found = find_event(conn, event)
        keep = row_filter(conn, statuses=statuses, capacities=capacities, states=states)
        rows = attendance_statuses(conn, "event_id", found.id, day)
    return sorted(filter(keep, rows), key=guest_order)


def row_filter(
    conn: Connection, *, statuses: Iterable[str] = (), capacities: Iterable[str] = (), states: Iterable[str] = ()
) -> Callable[[AttendanceRow], bool]:
    """A test that keeps the attendance rows with one of the statuses, capacities and states given (none given: all).

    The words are checked first: a status or capacity outside the
    vocabulary, or a state not found, is a one-line error.
    """
    wanted_statuses = status_words(statuses)
    wanted_capacities = vocabulary_words("capacity", capacities, vocab.CAPACITY)
    wanted_states = {find_state(conn, s).code for s in states}

    def keep(r: AttendanceRow) -> bool:
        return (
            (not wanted_statuses or r.status in wanted_statuses)
            and (not wanted_capacities or r.capacity in wanted_capacities)
            and (not wanted_states or r.state_code in wanted_states)
        )

    return keep


def vocabulary_words(what: str, given: Iterable[str], words: Iterable[str]) -> set[str]:
    """``given`` checked against ``words``: a word not among them is one line naming the allowed ones."""
    allowed = tuple(words)
    wanted = {g.strip().lower() for g in given}
    wrong = sorted(wanted - set(allowed))
    if wrong:
        raise GuestlistError(f"unknown {what} {wrong[0]!r}: use {vocab.listed(allowed)}")
    return wanted


def status_words(given: Iterable[str]) -> set[str]:
    """The statuses ``given`` names, ``announced`` and ``absent`` standing for their groups (``STATUS_GROUPS``)."""
    wanted = vocabulary_words("status", given, (*vocab.STATUS, *STATUS_GROUPS))
    return {s for w in wanted for s in STATUS_GROUPS.get(w, (w,))}


def attendance_counts(event: str, *, as_of: dt.date | None = None, db: Database = None) -> list[Count]:
    """The aggregate claims about ``event``'s unnamed participants (reported by ``as_of``), deprecated ones left out.

    The rows of the ``attendance_counts`` table (models.AttendanceCount), read
    through the ``participation_counts`` view.
    """
    day = parse_day(as_of)
    with connect(db) as conn:
        found = find_event(conn, event)
        return _counts(conn, counts_view.c.event_id == found.id, day)


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
    return sorted(counts, key=lambda c: (c.reported_on, status_rank(c.status), c.description))


def compare_events(a: str, b: str, *, as_of: dt.date | None = None, db: Database = None) -> list[Difference]:
    """States and persons present at one event and not the other, and changes of capacity.

    Present means a current status (as known on ``as_of``, if given) of
    expected, confirmed or attended; each row's ``a_outcome`` and
    ``b_outcome`` tell an attendance from an announcement
    (``comparison_summary`` counts them apart). A state's capacity is that
    of its most senior participant: North Korea went from senior_official
    (2015) to head_of_state (2025).
    """
    day = parse_day(as_of)
    with connect(db) as conn:
        ea, eb = find_event(conn, a), find_event(conn, b)
        rows_a = attendance_statuses(conn, "event_id", ea.id, day)
        rows_b = attendance_statuses(conn, "event_id", eb.id, day)
    out: list[Difference] = []
    for kind, key in (("state", lambda p: p.state_code), ("person", lambda p: p.person_slug)):
        at_a, at_b = best_attendance_by(rows_a, key), best_attendance_by(rows_b, key)
        for k in at_a.keys() | at_b.keys():
            pa, pb = at_a.get(k), at_b.get(k)
            here_a = pa is not None and is_present(pa.status)
            here_b = pb is not None and is_present(pb.status)
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
            capacity_rank(d.a_capacity if d.change == "only_in_a" else d.b_capacity),
            sort_text(d.state_name),
            sort_text(d.person_name),
        ),
    )


def comparison_summary(event_a: str, event_b: str, rows: Iterable[Difference]) -> ComparisonSummary:
    """``compare_events``' rows counted: states and persons new, gone and changed, announced-only ones apart."""
    names = {"only_in_b": "new", "only_in_a": "gone", "capacity_changed": "changed"}
    totals: dict[str, dict[str, int]] = {}
    for kind in ("state", "person"):
        counted = {k: 0 for name in names.values() for k in (name, f"{name}_announced_only")}
        for d in rows if isinstance(rows, list) else list(rows):
            if d.kind != kind:
                continue
            name = names[d.change]
            counted[name] += 1
            outcomes = {"new": (d.b_outcome,), "gone": (d.a_outcome,), "changed": (d.a_outcome, d.b_outcome)}[name]
            if ANNOUNCED in outcomes:
                counted[f"{name}_announced_only"] += 1
        totals[kind] = counted
    return ComparisonSummary(event_a=event_a, event_b=event_b, totals=totals)


def bloc_breakdown(
    event: str, organization: str, *, on: dt.date | None = None, as_of: dt.date | None = None, db: Database = None
) -> BlocBreakdown:
    """An organization's members as of the event's date (or ``on``): attended, announced only, absent or unknown.

    A membership is active on day d when joined_on <= d and (left_on IS NULL
    or d <= left_on). A member whose best status is expected or confirmed is
    ``announced``, never counted as having come. ``as_of`` reads the
    statuses and counts as known on that day.
    """
    known = parse_day(as_of)
    with connect(db) as conn:
        found = find_event(conn, event)
        org = find_organization(conn, organization)
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
        rows = attendance_statuses(conn, "event_id", found.id, known)
        counts = _counts(
            conn,
            sa.and_(counts_view.c.event_id == found.id, counts_view.c.organization_slug == org.slug),
            known,
        )
    at_event = best_attendance_by(rows, lambda p: p.state_code)
    result: list[BlocMember] = []
    for _, code, name in {r.code: r for r in members}.values():
        p = at_event.get(code)
        outcome = (outcome_of(p.status) if p is not None else None) or UNKNOWN
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
    result.sort(key=lambda b: (BLOC_OUTCOMES.index(b.outcome), sort_text(b.state_name)))
    return BlocBreakdown(
        event_slug=found.slug,
        organization_slug=org.slug,
        as_of=day,
        members=result,
        counts=counts,
        event_date=found.starts_on,
        known_on=known,
    )


SUMMARY_COUNTS = 7  # the counts of event_summary that depend on the day the record is read


def _summaries_on(conn: Connection, day: dt.date) -> dict[int, tuple[int, ...]]:
    """event_summary's counts per event id (``SUMMARY_COUNTS``, in its column order), as known on ``day``."""
    t = attendance_timeline
    present, absent = t.c.status.in_(vocab.PRESENT_STATUSES), t.c.status.in_(vocab.ABSENT_STATUSES)
    attended, announced = t.c.status == "attended", t.c.status.in_(vocab.ANNOUNCED_STATUSES)
    head = t.c.capacity.in_(vocab.HEAD_CAPACITIES)

    def distinct(column: sa.ColumnElement[Any], when: sa.ColumnElement[bool] | None = None) -> sa.ColumnElement[int]:
        return sa.func.count(sa.distinct(column if when is None else sa.case((when, column))))

    query = (
        sa.select(
            t.c.event_id,
            distinct(t.c.person_id),
            distinct(t.c.state_id, present),
            distinct(t.c.person_id, sa.and_(present, head)),
            distinct(t.c.state_id, absent),
            distinct(t.c.state_id, attended),
            distinct(t.c.person_id, sa.and_(attended, head)),
        )
        .where(known_on(day))
        .group_by(t.c.event_id)
    )
    counts = {row[0]: tuple(row[1:]) for row in conn.execute(query)}
    # A state announced and never seen there: its announced participants minus those who attended.
    seen = sa.func.max(sa.case((attended, 1), else_=0))
    states = (
        sa.select(t.c.event_id, t.c.state_id)
        .where(known_on(day), t.c.state_id.is_not(None), sa.or_(attended, announced))
        .group_by(t.c.event_id, t.c.state_id)
        .having(seen == 0)
    )
    announced_only: dict[int, int] = {}
    for event_id, _state in conn.execute(states):
        announced_only[event_id] = announced_only.get(event_id, 0) + 1
    return {event_id: (*values, announced_only.get(event_id, 0)) for event_id, values in counts.items()}


def events(*, kind: str | None = None, as_of: dt.date | None = None, db: Database = None) -> list[EventSummary]:
    """Every event with its head counts (as known on ``as_of``), oldest first; ``kind`` narrows to one kind."""
    if kind is not None and kind not in vocab.EVENT_KIND:
        raise not_found("event kind", kind, {k: k for k in vocab.EVENT_KIND})
    day = parse_day(as_of)
    v = event_summary
    names = stored_columns(EventSummary)
    query = sa.select(*(v.c[n] for n in names), v.c.event_id)
    if kind is not None:
        query = query.where(v.c.event_kind == kind)
    with connect(db) as conn:
        found = conn.execute(query).all()
        known = _summaries_on(conn, day) if day is not None else None
    first = names.index("named_participants")
    rows = []
    for *values, event_id in found:
        if known is not None:
            values[first:] = known.get(event_id, (0,) * SUMMARY_COUNTS)
        rows.append(EventSummary(*values))
    return sorted(rows, key=lambda e: (undated_last(e.event_date), e.event_slug))
