"""Who takes part in an event, in which capacity, and the claims about it.

A participation's status is never a column: it is the latest of its status
claims, each with a date, a source and a quote, so a document saying
"expected" and a later one saying "attended" both stay on record.

Claims carry a rank (vocab.RANK, after Wikidata's statement ranks): the
current status is the latest non-deprecated claim by reported_on; on one
day a preferred claim beats a normal one, then the one recorded last. An
editor settles a dispute between sources by ranking, never by deleting.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Computed,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import vocab
from .base import Base, one_of, table_args
from .events import Event
from .organizations import Organization
from .persons import Person
from .sources import Source
from .states import State


def _ranked() -> tuple[CheckConstraint, CheckConstraint]:
    """The rank vocabulary and the rule that a preferred or deprecated claim says why."""
    needing = ", ".join(f"'{w}'" for w in vocab.RANKS_NEEDING_REASON)
    return one_of("rank", vocab.RANK), CheckConstraint(
        f"rank NOT IN ({needing}) OR rank_reason IS NOT NULL", name="rank_reason_given"
    )


def _rank_column() -> Mapped[str]:
    return mapped_column(
        String(20),
        default="normal",
        server_default=text("'normal'"),
        comment=f"{vocab.listed(vocab.RANK)}: a deprecated claim is never current; "
        "on one day a preferred one beats a normal one.",
    )


def _rank_reason_column() -> Mapped[str | None]:
    return mapped_column(
        String(500), comment="Why the editor ranked the claim preferred or deprecated (required then)."
    )


# Within one day a preferred claim beats a normal one; deprecated claims never take effect.
_RANK_WEIGHT = {"normal": 0, "preferred": 1}


def takes_effect(reported_on: dt.date, rank: str, claim_id: int) -> tuple[dt.date, int, int]:
    """Sort key of a participation's non-deprecated claims: the last one is its current status.

    The same rule as the attendance_report and attendance_timeline views
    (migration b7d9f1a3c5e7), for code that holds the claims in Python.
    """
    return reported_on, _RANK_WEIGHT[rank], claim_id


def current_claim(claims: list[AttendanceClaim]) -> AttendanceClaim | None:
    """The claim that gives a participation's current status, None when every claim is deprecated (or none)."""
    ranked = [c for c in claims if c.rank != "deprecated"]
    return max(ranked, key=lambda c: takes_effect(c.reported_on, c.rank, c.id), default=None)


# One participation per (event, participant). The participant is the person
# when one is named, else the state (an unnamed official). NULLs never collide
# in a plain UNIQUE, so the key folds both into one always-set integer.
PARTICIPANT_KEY = "CASE WHEN person_id IS NULL THEN -state_id ELSE person_id END"


class Attendance(Base):
    __tablename__ = "attendance"
    __table_args__ = table_args(
        UniqueConstraint("event_id", "participant_key"),
        CheckConstraint("person_id IS NOT NULL OR state_id IS NOT NULL", name="has_person_or_state"),
        # A state's or person's participations by event, index-only (revision e5f7a9b1c3d5).
        Index("ix_attendance_state_id_event_id", "state_id", "event_id"),
        Index("ix_attendance_person_id_event_id", "person_id", "event_id"),
        one_of("role", vocab.ROLE),
        one_of("capacity", vocab.CAPACITY),
        comment="One row per (event, participant): a person, a state, or a person for a state.",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), comment="The event.")
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id"), comment="The person; NULL for an unnamed representative."
    )
    state_id: Mapped[int | None] = mapped_column(
        ForeignKey("states.id"), comment="The state represented; NULL for a private person."
    )
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id"), comment="Body acted for, e.g. a foreign ministry at its own briefing."
    )
    # Nullable in DDL only because MariaDB refuses NOT NULL on generated
    # columns; has_person_or_state guarantees a value.
    participant_key: Mapped[int] = mapped_column(
        Integer,
        Computed(PARTICIPANT_KEY, persisted=True),
        nullable=True,
        comment="Derived: person_id, or minus state_id when no person is named.",
    )
    role: Mapped[str] = mapped_column(String(20), comment="host, guest or participant.")
    capacity: Mapped[str] = mapped_column(String(40), comment=vocab.sample(vocab.CAPACITY))
    description: Mapped[str | None] = mapped_column(
        String(300), comment="How the document describes the participant, e.g. 'a senior official'."
    )

    event: Mapped[Event] = relationship()
    person: Mapped[Person | None] = relationship()
    state: Mapped[State | None] = relationship()
    organization: Mapped[Organization | None] = relationship()
    claims: Mapped[list[AttendanceClaim]] = relationship(
        back_populates="attendance", cascade="all, delete-orphan", order_by="AttendanceClaim.reported_on"
    )


class AttendanceClaim(Base):
    """One source's word, on one date, on whether a participant comes."""

    __tablename__ = "attendance_claims"
    __table_args__ = table_args(
        UniqueConstraint("attendance_id", "source_id", "reported_on"),
        Index("ix_attendance_claims_latest", "attendance_id", "reported_on", "id"),
        one_of("status", vocab.STATUS),
        *_ranked(),
        comment="Status history of each participation; the latest non-deprecated claim is the current status.",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attendance_id: Mapped[int] = mapped_column(
        ForeignKey("attendance.id", ondelete="CASCADE"), comment="The participation the claim is about."
    )
    status: Mapped[str] = mapped_column(String(20), comment=f"{', '.join(vocab.STATUS)}.")
    reported_on: Mapped[dt.date] = mapped_column(Date, comment="Date the source made the claim.")
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True, comment="The source.")
    source_quote: Mapped[str] = mapped_column(String(500), comment="Short supporting quote from the source.")
    note: Mapped[str | None] = mapped_column(Text, comment="Editor's note on how the claim was read.")
    rank: Mapped[str] = _rank_column()
    rank_reason: Mapped[str | None] = _rank_reason_column()

    attendance: Mapped[Attendance] = relationship(back_populates="claims")
    source: Mapped[Source] = relationship()


class AttendanceCount(Base):
    """An aggregate claim about participants nobody names: "26 other heads of state"."""

    __tablename__ = "attendance_counts"
    __table_args__ = table_args(
        UniqueConstraint("event_id", "source_id", "description"),
        one_of("status", vocab.STATUS),
        one_of("capacity", vocab.CAPACITY),
        CheckConstraint("count IS NULL OR count >= 0", name="count_not_negative"),
        *_ranked(),
        comment="Aggregate, unnamed participation claims, e.g. 'most Western leaders will boycott'.",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True, comment="The event.")
    status: Mapped[str] = mapped_column(String(20), comment="Status the counted participants share.")
    capacity: Mapped[str | None] = mapped_column(String(40), comment="Capacity of those counted, when stated.")
    count: Mapped[int | None] = mapped_column(Integer, comment="The number; NULL for 'most', 'several', ...")
    quantifier: Mapped[str | None] = mapped_column(
        String(40), comment="The words used where no exact number is given, e.g. 'most', 'multiple'."
    )
    description: Mapped[str] = mapped_column(String(300), comment="Who is counted, e.g. 'other heads of state'.")
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id"), comment="Bloc the count is about, e.g. the EU."
    )
    reported_on: Mapped[dt.date] = mapped_column(Date, comment="Date the source made the claim.")
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), comment="The source.")
    source_quote: Mapped[str] = mapped_column(String(500), comment="Short supporting quote from the source.")
    rank: Mapped[str] = _rank_column()
    rank_reason: Mapped[str | None] = _rank_reason_column()

    event: Mapped[Event] = relationship()
    source: Mapped[Source] = relationship()
