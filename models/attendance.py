"""Who takes part in an event, in which capacity, and the claims about it.

A participation's status is never a column: it is the latest of its status
claims, each with a date, a source and a quote, so a document saying
"expected" and a later one saying "attended" both stay on record.
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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import vocab
from .base import Base, one_of, table_args
from .events import Event
from .organizations import Organization
from .persons import Person
from .sources import Source
from .states import State

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
    capacity: Mapped[str] = mapped_column(String(40), comment="head_of_state, head_of_government, senior_official, ...")
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
        comment="Status history of each participation; the latest claim is the current status.",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attendance_id: Mapped[int] = mapped_column(
        ForeignKey("attendance.id", ondelete="CASCADE"), comment="The participation the claim is about."
    )
    status: Mapped[str] = mapped_column(String(20), comment="expected, confirmed, attended, declined, boycotted, not_attending.")
    reported_on: Mapped[dt.date] = mapped_column(Date, comment="Date the source made the claim.")
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True, comment="The source.")
    source_quote: Mapped[str] = mapped_column(String(500), comment="Short supporting quote from the source.")
    note: Mapped[str | None] = mapped_column(Text, comment="Editor's note on how the claim was read.")

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

    event: Mapped[Event] = relationship()
    source: Mapped[Source] = relationship()
