"""The rows the reports return, and the column order they share.

Each report returns frozen dataclasses whose field order is the column
order of the table, CSV, JSON and XLSX output (``columns``), so a table, a
file and a notebook show the same columns in the same order.

Some columns are derived, never stored (``field(init=False)``, filled in
when the row is made): ``state_short_name``, the name a reader knows the
state by (``display.state_short_name``: "North Korea"), beside
``state_name``, the ISO name that joins with the ``states`` table; a
count's ``says`` ("over 10,000"); the outcome words of a comparison.
``stored_columns`` names the fields a query fills.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from . import display

# What became of a bloc member at the event: the record says it came, it was
# only announced (expected or confirmed), it stayed away, or nothing is recorded.
UNKNOWN = "unknown"
BLOC_OUTCOMES = (display.ATTENDED, display.ANNOUNCED, display.ABSENT, UNKNOWN)


def _fill_display(row: Any) -> None:
    """Fill a row's derived columns from its stored ones."""
    for name, value in _display_values(row).items():
        object.__setattr__(row, name, value)


def _display_values(row: Any) -> dict[str, Any]:
    derived = {f.name for f in fields(row) if not f.init}
    out: dict[str, Any] = {}
    if "state_short_name" in derived:
        out["state_short_name"] = display.state_short_name(row.state_code, row.state_name)
    if "says" in derived:
        out["says"] = display.quantity(row.count, row.quantifier)
    for side in ("a", "b"):
        if f"{side}_outcome" in derived:
            out[f"{side}_outcome"] = display.outcome_of(getattr(row, f"{side}_status"))
    return out


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
    state_short_name: str | None = field(init=False)
    role: str
    capacity: str
    status: str | None
    reported_on: dt.date | None
    source_slug: str | None
    source_quote: str | None
    description: str | None

    def __post_init__(self) -> None:
        _fill_display(self)


@dataclass(frozen=True)
class Difference:
    """A state or person present at one event and not the other, or in another capacity.

    ``a_outcome`` and ``b_outcome`` say what each status means
    (``display.outcome_of``): attended, announced (expected or confirmed
    only) or absent, so an announced-only presence is never read as a visit.
    """

    kind: str  # "state" or "person"
    change: str  # "only_in_a", "only_in_b" or "capacity_changed"
    state_code: str | None
    state_name: str | None
    state_short_name: str | None = field(init=False)
    person_slug: str | None
    person_name: str | None
    a_status: str | None
    a_outcome: str | None = field(init=False)
    a_capacity: str | None
    b_status: str | None
    b_outcome: str | None = field(init=False)
    b_capacity: str | None

    def __post_init__(self) -> None:
        _fill_display(self)


@dataclass(frozen=True)
class BlocMember:
    """A member state on the event's date and what became of it at the event (``BLOC_OUTCOMES``)."""

    state_code: str
    state_name: str
    state_short_name: str | None = field(init=False)
    outcome: str  # attended, announced (expected or confirmed only), absent or unknown
    status: str | None
    capacity: str | None
    person_slug: str | None
    person_name: str | None
    reported_on: dt.date | None
    source_slug: str | None

    def __post_init__(self) -> None:
        _fill_display(self)


@dataclass(frozen=True)
class Count:
    """An aggregate claim about unnamed participants: '26 other heads of state'; ``says`` keeps the quantifier."""

    event_slug: str
    status: str
    capacity: str | None
    count: int | None
    quantifier: str | None
    says: str | None = field(init=False)  # the count as the source said it: 'over 10,000'
    description: str
    organization_slug: str | None
    reported_on: dt.date
    source_slug: str
    source_quote: str

    def __post_init__(self) -> None:
        _fill_display(self)


@dataclass(frozen=True)
class BlocBreakdown:
    """A bloc's members at an event, and its summary: attended, announced only, absent and unknown counted apart.

    ``as_of`` is the day the members are taken (the event's date, or
    ``on``); ``known_on`` the day the record is read as of (None: today).
    Read before the event, nobody has attended yet: the summary then says
    "announced" and "expected", never "present".
    """

    event_slug: str
    organization_slug: str
    as_of: dt.date
    members: list[BlocMember]
    counts: list[Count] = field(default_factory=list)
    event_date: dt.date | None = None
    known_on: dt.date | None = None

    def of(self, outcome: str) -> list[BlocMember]:
        return [m for m in self.members if m.outcome == outcome]

    @property
    def attended(self) -> list[BlocMember]:
        return self.of(display.ATTENDED)

    @property
    def announced(self) -> list[BlocMember]:
        """Members only announced (expected or confirmed), not recorded as having come."""
        return self.of(display.ANNOUNCED)

    @property
    def absent(self) -> list[BlocMember]:
        return self.of(display.ABSENT)

    @property
    def unknown(self) -> list[BlocMember]:
        return self.of(UNKNOWN)

    @property
    def before_the_event(self) -> bool:
        """The record is read as of a day before the event began: nobody can have attended yet."""
        return self.known_on is not None and self.event_date is not None and self.known_on < self.event_date

    def totals(self) -> dict[str, int]:
        """How many members, and how many of each outcome."""
        return {"members": len(self.members), **{o: len(self.of(o)) for o in BLOC_OUTCOMES}}

    def summary(self) -> str:
        """One line: '2 of 27 members attended, 1 announced only, 0 absent, 24 unknown'."""
        where = f"{self.organization_slug} at {self.event_slug} ({self.as_of.isoformat()})"
        if self.before_the_event:
            assert self.known_on is not None
            return (
                f"{where}, as known on {self.known_on.isoformat()}: {len(self.announced)} of {len(self.members)} "
                f"members announced (expected or confirmed), {len(self.absent)} absent, {len(self.unknown)} unknown"
            )
        return (
            f"{where}: {len(self.attended)} of {len(self.members)} members attended, "
            f"{len(self.announced)} announced only, {len(self.absent)} absent, {len(self.unknown)} unknown"
        )


@dataclass(frozen=True)
class ComparisonSummary:
    """What changed from event A to event B, states and persons apart, announced-only presences counted apart.

    ``totals[kind][change]`` counts the rows of ``compare_events``;
    ``totals[kind][change + "_announced_only"]`` those of them whose
    presence (at A for ``gone``, at B for ``new``, at either for
    ``changed``) rests on an announcement only, never on a record of
    attendance.
    """

    event_a: str
    event_b: str
    totals: dict[str, dict[str, int]]

    def lines(self) -> list[str]:
        """One line per kind: 'states: 10 new (1 announced only), 16 gone (13 announced only), 8 changed capacity (1 ...)'."""
        out = []
        for kind, counted in self.totals.items():
            parts = []
            for change, words in (("new", "new"), ("gone", "gone"), ("changed", "changed capacity")):
                part = f"{counted[change]} {words}"
                if counted[f"{change}_announced_only"]:
                    part += f" ({counted[f'{change}_announced_only']} announced only)"
                parts.append(part)
            out.append(f"{kind}s from {self.event_a} to {self.event_b}: " + ", ".join(parts))
        return out


@dataclass(frozen=True)
class Expectation:
    """A participant once expected (or confirmed), and its status now."""

    person_slug: str | None
    person_name: str | None
    state_code: str | None
    state_name: str | None
    state_short_name: str | None = field(init=False)
    capacity: str
    expected_status: str
    expected_on: dt.date
    expected_source: str
    status: str
    reported_on: dt.date
    source_slug: str
    outcome: str  # "attended", "stayed_away", "still_expected"

    def __post_init__(self) -> None:
        _fill_display(self)


@dataclass(frozen=True)
class EventSummary:
    event_slug: str
    event_name: str
    event_kind: str
    event_date: dt.date | None
    host_state_code: str | None
    named_participants: int
    states_represented: int  # attended or only announced (event_summary's contract); the next three tell them apart
    heads_present: int
    states_absent: int
    states_attended: int
    heads_attended: int
    states_announced_only: int


@dataclass(frozen=True)
class Change:
    """A participant's current status moving from one claim to the next (vocab.CHANGE says how)."""

    event_slug: str
    changed_on: dt.date
    person_slug: str | None
    person_name: str | None
    state_code: str | None
    state_name: str | None
    state_short_name: str | None = field(init=False)
    capacity: str
    change: str
    from_status: str | None
    to_status: str
    from_reported_on: dt.date | None
    from_source_slug: str | None
    to_source_slug: str
    to_source_quote: str

    def __post_init__(self) -> None:
        _fill_display(self)


@dataclass(frozen=True)
class Conflict:
    """Two sources that must agree on whether a participant came, and do not: both claims side by side."""

    event_slug: str
    event_date: dt.date | None
    person_slug: str | None
    person_name: str | None
    state_code: str | None
    state_name: str | None
    state_short_name: str | None = field(init=False)
    capacity: str
    present_status: str
    present_reported_on: dt.date
    present_source_slug: str
    present_source_quote: str
    absent_status: str
    absent_reported_on: dt.date
    absent_source_slug: str
    absent_source_quote: str

    def __post_init__(self) -> None:
        _fill_display(self)


@dataclass(frozen=True)
class OfficeHolder:
    """One holding of an office: who, from and until when, as what, on what evidence, says which source."""

    state_code: str | None
    state_name: str | None
    state_short_name: str | None = field(init=False)
    office_slug: str
    office_title: str
    seats: int
    person_slug: str
    person_name: str
    title: str  # as held: 'Acting President of Russia'
    capacity: str
    tenure: str
    evidence: str
    start_on: dt.date
    end_on: dt.date | None  # the day it passed on; None: no end recorded
    source_slug: str | None
    note: str | None
    position_id: int

    def __post_init__(self) -> None:
        _fill_display(self)

    def shown(self) -> str:
        """'park-geun-hye (President of South Korea, 2013-02-25 to 2017-03-10)', for a one-line message."""
        if self.evidence == "attested":
            when = f"attested on {self.start_on}"
        else:
            when = f"{self.start_on} to {self.end_on}" if self.end_on else f"from {self.start_on}, no end recorded"
        return f"{self.person_slug} ({self.title}, {when})"


def columns(row_type: type) -> list[str]:
    """The stable column order of a report's rows, derived columns included: its dataclass fields."""
    return [f.name for f in fields(row_type)]


def stored_columns(row_type: type) -> list[str]:
    """The columns a query fills, in order: the fields a row is made from (derived ones left out)."""
    return [f.name for f in fields(row_type) if f.init]
