"""Events, the facts stated about them, and how they relate to each other."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import vocab
from .base import Base, not_before, one_of, table_args
from .sources import Source
from .states import State


class Event(Base):
    """A parade, summit, visit, meeting or briefing; or a series of them.

    ``parent`` groups an event into a series (the Victory Day parades) or a
    larger event. Dates carry a precision because documents often say only
    "in 1959" or "six years ago": a year-precision date is stored as 1 January.
    """

    __tablename__ = "events"
    __table_args__ = table_args(
        one_of("kind", vocab.EVENT_KIND),
        one_of("date_precision", vocab.DATE_PRECISION),
        not_before("ends_on", "starts_on"),
        CheckConstraint("duration_minutes IS NULL OR duration_minutes > 0", name="duration_positive"),
        CheckConstraint("troops IS NULL OR troops >= 0", name="troops_not_negative"),
        comment="State events: parades, summits, visits, meetings, briefings, and series of them.",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(
        String(120), unique=True, comment="Natural key, e.g. 'beijing-victory-day-parade-2025'."
    )
    name: Mapped[str] = mapped_column(String(300), comment="English name.")
    kind: Mapped[str] = mapped_column(String(40), comment=vocab.sample(vocab.EVENT_KIND))
    starts_on: Mapped[dt.date | None] = mapped_column(Date, comment="First day; NULL when not yet known.")
    ends_on: Mapped[dt.date | None] = mapped_column(Date, comment="Last day; NULL for one-day events.")
    date_precision: Mapped[str] = mapped_column(
        String(10), default="day", comment="day, month or year: how much of starts_on is known."
    )
    city: Mapped[str | None] = mapped_column(String(200), comment="City, in English.")
    venue: Mapped[str | None] = mapped_column(String(300), comment="Venue, e.g. 'Tiananmen Square'.")
    host_state_id: Mapped[int | None] = mapped_column(ForeignKey("states.id"), index=True, comment="The hosting state.")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id"), index=True, comment="The series or larger event this belongs to."
    )
    duration_minutes: Mapped[int | None] = mapped_column(Integer, comment="Stated duration in minutes.")
    troops: Mapped[int | None] = mapped_column(Integer, comment="Stated number of troops, where a number is given.")
    troops_description: Mapped[str | None] = mapped_column(
        String(200), comment="Troop strength as worded, e.g. 'tens of thousands'."
    )
    is_prospective: Mapped[bool] = mapped_column(
        default=False, comment="True for an event only wished for or planned, not scheduled."
    )
    description: Mapped[str | None] = mapped_column(Text, comment="Short neutral description.")
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), comment="Source of the event's facts.")
    source_quote: Mapped[str | None] = mapped_column(String(500), comment="Short supporting quote.")

    host_state: Mapped[State | None] = relationship()
    parent: Mapped[Event | None] = relationship(remote_side=[id])
    source: Mapped[Source | None] = relationship()

    def __repr__(self) -> str:
        return f"Event({self.slug!r})"


class EventRelation(Base):
    """A typed link: this parade ``commemorates`` that surrender (80th anniversary)."""

    __tablename__ = "event_links"
    __table_args__ = table_args(
        UniqueConstraint("event_id", "relation", "related_event_id"),
        one_of("relation", vocab.EVENT_RELATION),
        CheckConstraint("event_id <> related_event_id", name="not_self"),
        CheckConstraint("anniversary IS NULL OR anniversary > 0", name="anniversary_positive"),
        comment=f"Typed relations between events: {vocab.sample(vocab.EVENT_RELATION)}",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), comment="Subject event.")
    relation: Mapped[str] = mapped_column(String(40), comment=f"{', '.join(vocab.EVENT_RELATION)}.")
    related_event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True, comment="Object event.")
    anniversary: Mapped[int | None] = mapped_column(Integer, comment="For commemorates: which anniversary.")
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), comment="Source of the relation.")
    source_quote: Mapped[str | None] = mapped_column(String(500), comment="Short supporting quote.")

    event: Mapped[Event] = relationship(foreign_keys=[event_id])
    related_event: Mapped[Event] = relationship(foreign_keys=[related_event_id])


class EventNote(Base):
    """Other stated facts about an event, each with its source: equipment shown, significance."""

    __tablename__ = "event_notes"
    __table_args__ = table_args(
        UniqueConstraint("event_id", "topic"),
        comment="Other sourced facts about events, one per topic, e.g. 'equipment'.",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), comment="The event.")
    topic: Mapped[str] = mapped_column(String(80), comment="Short key, e.g. 'equipment', 'significance'.")
    text: Mapped[str] = mapped_column(Text, comment="The fact, in a sentence.")
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), comment="Source of the fact.")
    source_quote: Mapped[str | None] = mapped_column(String(500), comment="Short supporting quote.")
