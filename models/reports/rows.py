"""The rows the reports return, and the column order they share.

Each report returns frozen dataclasses whose field order is the column
order of the CSV and JSON output (``columns``), so a table, a file and a
notebook show the same columns in the same order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields


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
