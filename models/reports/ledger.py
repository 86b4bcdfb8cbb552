"""The ledger of an event: every claim, who was expected and came, each change of status, and where sources disagree.

A participant's status is the last claim that takes effect (docs/ledger.md):
by reported_on, a preferred claim after a normal one of its day, then by
id. These reports read the claims themselves (``attendance_history``) and
the ``claim_conflicts`` view rather than only the current status.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from .. import vocab
from ..attendance import takes_effect
from ..db import Database, connect
from ..views import attendance_history, claim_conflicts
from .lookup import find_event
from .rows import AttendanceRow, Change, Conflict, Expectation, stored_columns
from .status import (
    attendance_rows,
    capacity_rank,
    guest_order,
    is_absent,
    is_present,
    parse_day,
    sort_text,
    undated_last,
)


def status_history(event: str, *, as_of: dt.date | None = None, db: Database = None) -> list[AttendanceRow]:
    """Every status claim about ``event``'s participants (reported by ``as_of``), oldest first, deprecated ones too."""
    day = parse_day(as_of)
    v = attendance_history
    with connect(db) as conn:
        found = find_event(conn, event)
        rows = attendance_rows(
            conn, v, sa.and_(v.c.event_id == found.id, *([] if day is None else [v.c.reported_on <= day]))
        )
    return sorted(rows, key=lambda p: (p.reported_on or dt.date.min, guest_order(p)))


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
    day = parse_day(as_of)
    with connect(db) as conn:
        found = find_event(conn, event)
        history = _ledger(conn, found.id, day)
    out: list[Expectation] = []
    for claims in history.values():
        first = next((r for r in claims if r.status in vocab.ANNOUNCED_STATUSES), None)
        if first is None:
            continue
        last = claims[-1]
        outcome = (
            "attended" if last.status == "attended" else "stayed_away" if is_absent(last.status) else "still_expected"
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
        key=lambda e: (
            outcomes.index(e.outcome),
            capacity_rank(e.capacity),
            sort_text(e.state_name),
            sort_text(e.person_name),
        ),
    )


def _change(before: str | None, after: str, on: dt.date, starts_on: dt.date | None) -> str:
    """The vocab.CHANGE word for a status moving from ``before`` to ``after`` on day ``on``."""
    if before is None:
        return "came_unannounced" if after == "attended" else "reported_absent" if is_absent(after) else "announced"
    if before == "attended":
        return "attendance_retracted"
    if is_present(before):
        if after == "attended":
            return "came_as_expected"
        if is_absent(after):
            return "did_not_come" if starts_on is not None and on >= starts_on else "withdrew"
        return "confirmed" if after == "confirmed" else "restated"
    if after == "attended":
        return "came_after_all"
    return "reconsidered" if is_present(after) else "restated"


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
    start, end = parse_day(since), parse_day(until)
    with connect(db) as conn:
        found = find_event(conn, event)
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
                            change=_change(
                                previous.status if previous else None, claim.status, claim.reported_on, found.starts_on
                            ),
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
        key=lambda c: (c.changed_on, capacity_rank(c.capacity), sort_text(c.state_name), sort_text(c.person_name)),
    )


def conflicts(event: str | None = None, *, db: Database = None) -> list[Conflict]:
    """Attendances where two sources disagree on presence, both claims side by side (the ``claim_conflicts`` view).

    A present claim against an absent one, from two sources, neither
    deprecated, either made on the same day or both on or after the event's
    first day. Deprecating one of them ends the conflict. ``event``: one
    event only (default: all).
    """
    v = claim_conflicts
    query = sa.select(*(v.c[n] for n in stored_columns(Conflict)))
    with connect(db) as conn:
        if event is not None:
            query = query.where(v.c.event_id == find_event(conn, event).id)
        rows = [Conflict(*r) for r in conn.execute(query)]
    return sorted(
        rows,
        key=lambda c: (
            undated_last(c.event_date),
            c.event_slug,
            sort_text(c.state_name),
            sort_text(c.person_name),
            c.present_reported_on,
            c.absent_reported_on,
            c.present_source_slug,
            c.absent_source_slug,
        ),
    )
