"""Who held an office on a day, and offices with more holders at once than they have seats.

Both read the ``office_holders`` view, the SQL an analyst writes, and
count a holding on a day by one rule, ``guestlist.models.persons.held_on``:
from its start_on up to, not on, its end_on (the successor's first day),
an attestation on its one day only.

An office has ``seats`` holders at once. The ordinary holders of a day may
not outnumber them, nor the acting holders, nor the holders in exile, each
counted apart (an acting president may serve beside a suspended one);
claimants of a disputed office (``vocab.UNLIMITED_TENURES``) are rivals and
are not counted. A person counts once however many of their holdings
cover the day. The seed loader refuses a document that would break this
(``guestlist.seeds.loader``) and ``guestlist db check`` reports what is
stored (``overlaps``).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import vocab
from ..db import Database, connect
from ..errors import GuestlistError
from ..persons import held_on
from ..views import office_holders as view
from .lookup import find_state
from .rows import OfficeHolder
from .status import parse_day


@dataclass(frozen=True)
class Overlap:
    """An office whose holdings of one tenure give it more holders on ``day`` than its ``seats``."""

    office_slug: str
    office_title: str
    seats: int
    tenure: str
    day: dt.date
    holdings: tuple[OfficeHolder, ...]  # the holdings that count on the day, the one starting that day last

    def message(self) -> str:
        shown = "; ".join(h.shown() for h in self.holdings)
        kind = "" if self.tenure == "ordinary" else f"{self.tenure} "
        return (
            f"office {self.office_slug!r} ({self.office_title}) has {self.seats} {kind}holder"
            f"{'' if self.seats == 1 else 's'} at once, but {len(self.holdings)} hold it on {self.day}: {shown}"
        )


def _rows(conn: Connection, *conditions: sa.ColumnElement[bool]) -> list[OfficeHolder]:
    names = [c for c in view.c.keys() if c in OfficeHolder.__dataclass_fields__]
    query = sa.select(*(view.c[n] for n in names)).where(*conditions)
    return [
        OfficeHolder(**{n: _date(v) if n in ("start_on", "end_on") else v for n, v in zip(names, row)})
        for row in conn.execute(query)
    ]


def _date(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def overlaps(conn: Connection, offices: Iterable[int] | None = None) -> list[Overlap]:
    """Every day an office has more holders of one tenure than its seats: the first such day per office and tenure.

    ``offices``: the ids to look at (default every office). One SELECT,
    then a sweep over each office's holdings in start order, so a million
    holdings cost a sort, not a comparison of every pair.
    """
    conditions = [view.c.tenure.not_in(vocab.UNLIMITED_TENURES)]
    if offices is not None:
        ids = sorted(set(offices))
        if not ids:
            return []
        conditions.append(view.c.office_id.in_(ids))
    groups: dict[tuple[str, str], list[OfficeHolder]] = {}
    for row in _rows(conn, *conditions):
        groups.setdefault((row.office_slug, row.tenure), []).append(row)
    found = [_first_overlap(rows) for _, rows in sorted(groups.items())]
    return [o for o in found if o is not None]


def _first_overlap(rows: list[OfficeHolder]) -> Overlap | None:
    seats = rows[0].seats
    rows.sort(key=lambda r: (r.start_on, r.position_id))
    active: list[tuple[dt.date | dt.datetime, int, OfficeHolder]] = []  # (first day no longer held, position id, row)
    for row in rows:
        day = row.start_on
        while active and active[0][0] <= day:
            heapq.heappop(active)
        heapq.heappush(active, (_until(row), row.position_id, row))
        holding = [r for _, _, r in active if held_on(r.start_on, r.end_on, day)]
        persons = {r.person_slug for r in holding}
        if len(persons) > seats:
            others = sorted((r for r in holding if r is not row), key=lambda r: (r.start_on, r.position_id))
            return Overlap(row.office_slug, row.office_title, seats, row.tenure, day, (*others, row))
    return None


_OPEN = dt.date.max


def _until(row: OfficeHolder) -> dt.date:
    """The first day the holding no longer counts."""
    if row.end_on is None:
        return _OPEN
    if row.end_on == row.start_on:
        return row.start_on + dt.timedelta(days=1)
    return row.end_on


def office_holders(
    state: str,
    *,
    on: dt.date | str | None = None,
    office: str | None = None,
    as_of: dt.date | str | None = None,
    db: Database = None,
) -> list[OfficeHolder]:
    """Who held each office of ``state`` on ``on`` (default: every holding), each with its source.

    ``office``: an office's slug, a capacity word (``head_of_state``) or
    words of its title, in any letter case ("prime minister"). ``as_of``:
    the record as known on that day: holdings begun by then, and an end
    only if it had come by then (a later end reads as still open). An
    attestation is listed on its day only, never stretched into a tenure.
    Rows are ordered by office title, then start day.
    """
    day, known = parse_day(on), parse_day(as_of)
    if day is not None and known is not None and day > known:
        raise GuestlistError(
            f"--on {day} is after --as-of {known}: the record as of {known} cannot say who held an office later"
        )
    with connect(db) as conn:
        found = find_state(conn, state)
        conditions: list[sa.ColumnElement[bool]] = [view.c.state_code == found.code]
        if known is not None:
            conditions.append(view.c.start_on <= known)
        rows = [_as_known(r, known) for r in _rows(conn, *conditions)]
    if office is not None:
        rows = _matching(rows, office, found.code)
    if day is not None:
        rows = [r for r in rows if held_on(r.start_on, r.end_on, day)]
    return sorted(rows, key=lambda r: (r.office_title, r.start_on, r.position_id))


def _as_known(row: OfficeHolder, known: dt.date | None) -> OfficeHolder:
    if known is None or row.end_on is None or row.end_on <= known:
        return row
    return replace(row, end_on=None)


def _matching(rows: list[OfficeHolder], office: str, state: str) -> list[OfficeHolder]:
    wanted = office.strip().lower()
    if wanted in vocab.CAPACITY:
        return [r for r in rows if r.capacity == wanted]
    exact = [r for r in rows if r.office_slug == wanted]
    if exact:
        return exact
    words = wanted.split()
    found = [r for r in rows if all(w in r.office_title.lower() for w in words)]
    if not found:
        titles = sorted({f"{r.office_title} ({r.office_slug})" for r in rows})
        hint = ": " + "; ".join(titles) if titles else ""
        raise GuestlistError(f"no office of {state} matches {office!r}; its recorded offices{hint or ' are none'}")
    return found
