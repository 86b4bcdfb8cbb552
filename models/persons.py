"""People, the names they go by, and the offices they hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    or_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import vocab
from .base import Base, not_before, one_of, table_args
from .organizations import Organization
from .states import State


class Person(Base):
    __tablename__ = "persons"
    __table_args__ = table_args(comment="People who attend, host or stay away from events.")

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True, comment="Natural key, e.g. 'kim-jong-un'.")
    name: Mapped[str] = mapped_column(String(300), comment="Display name in English.")
    sort_name: Mapped[str | None] = mapped_column(String(300), comment="Name for sorting, family name first.")
    birth_date: Mapped[dt.date | None] = mapped_column(Date, comment="Date of birth, where established.")
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), comment="Where the person is identified.")

    other_names: Mapped[list[PersonName]] = relationship(back_populates="person", cascade="all, delete-orphan")
    identifiers: Mapped[list[PersonIdentifier]] = relationship(back_populates="person", cascade="all, delete-orphan")
    positions: Mapped[list[Position]] = relationship(back_populates="person", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"Person({self.slug!r})"


class PersonName(Base):
    """Other names and transliterations: Kim Jong-un, 김정은."""

    __tablename__ = "person_names"
    __table_args__ = table_args(
        UniqueConstraint("person_id", "name"),
        one_of("kind", vocab.NAME_KIND),
        comment="Other names, spellings and transliterations of persons.",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), comment="The person so named.")
    name: Mapped[str] = mapped_column(String(300), comment="The other name.")
    kind: Mapped[str] = mapped_column(
        String(40), default="alternate", comment="alternate, transliteration, native, ..."
    )
    lang: Mapped[str | None] = mapped_column(String(16), comment="BCP 47 language tag of the name, e.g. 'ko'.")
    note: Mapped[str | None] = mapped_column(String(300), comment="e.g. the romanization scheme.")

    person: Mapped[Person] = relationship(back_populates="other_names")


class PersonIdentifier(Base):
    """An identifier in another dataset, so records can be joined with it."""

    __tablename__ = "person_identifiers"
    __table_args__ = table_args(
        UniqueConstraint("scheme", "identifier"),
        UniqueConstraint("person_id", "scheme"),
        comment="External identifiers of persons, e.g. Wikidata QIDs.",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), comment="The person identified."
    )
    scheme: Mapped[str] = mapped_column(String(40), comment="Identifier scheme, e.g. 'wikidata'.")
    identifier: Mapped[str] = mapped_column(String(200), comment="The identifier, e.g. 'Q56226'.")

    person: Mapped[Person] = relationship(back_populates="identifiers")


def held_on(start_on: dt.date, end_on: dt.date | None, day: dt.date) -> bool:
    """Whether a holding from ``start_on`` to ``end_on`` counts on ``day``.

    ``end_on`` is the day the office passed on, the successor's first day,
    so the holding counts before it, not on it; an attestation
    (``start_on`` = ``end_on``) counts on its one day. Every "who held it
    on the day" answer reads this rule: the reports, name resolution and
    the one-holder-at-a-time check.
    """
    if day < start_on:
        return False
    return end_on is None or day < end_on or day == start_on == end_on


def held_on_sql(start_on: Any, end_on: Any, day: Any) -> ColumnElement[bool]:
    """``held_on`` as a SQL condition, for queries that join holdings to days (an event's date)."""
    return and_(
        start_on <= day,
        or_(end_on.is_(None), end_on > day, and_(end_on == start_on, start_on == day)),
    )


class Office(Base):
    """An office of a state or organization, and how many may hold it at once.

    Holdings of it (``Position``) may not give it more ordinary holders on
    one day than ``seats`` (nor more acting holders, nor more holders in
    exile): the seed loader refuses a document that would, and
    ``guestlist db check`` reports any stored overlap
    (``guestlist.models.reports.offices``).
    """

    __tablename__ = "offices"
    __table_args__ = table_args(
        CheckConstraint("seats >= 1", name="seats_at_least_one"),
        CheckConstraint("state_id IS NOT NULL OR organization_id IS NOT NULL", name="has_state_or_organization"),
        comment="Offices of states and organizations, each with the number of holders it has at once.",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True, comment="Natural key, e.g. 'president-of-south-korea'.")
    title: Mapped[str] = mapped_column(String(200), comment="The office's name, e.g. 'President of South Korea'.")
    state_id: Mapped[int | None] = mapped_column(
        ForeignKey("states.id"), index=True, comment="State whose office it is."
    )
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id"), index=True, comment="Organization whose office it is, e.g. a party."
    )
    seats: Mapped[int] = mapped_column(
        Integer,
        default=1,
        server_default=text("1"),
        comment="How many hold it at once: 1 for a head of state, head of government or minister; "
        "3 for the members of Bosnia and Herzegovina's Presidency.",
    )
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id"), comment="Reference for the office and its seats."
    )
    note: Mapped[str | None] = mapped_column(Text, comment="Free text, e.g. how the office rotates.")

    state: Mapped[State | None] = relationship()
    organization: Mapped[Organization | None] = relationship()

    def __repr__(self) -> str:
        return f"Office({self.slug!r})"


class Position(Base):
    """A person's holding of an office over a period, or on one attested day.

    ``start_on`` is required because it is part of the natural key: the same
    title held twice (Putin as president) is two rows. A holding runs from
    ``start_on`` up to ``end_on``, the day it passed on: on a handover day
    the successor holds the office (guestlist.models.reports.offices).
    """

    __tablename__ = "positions"
    __table_args__ = table_args(
        UniqueConstraint("person_id", "title", "start_on"),
        # The reports' "office on the day" probes: one lookup per participant.
        Index("ix_positions_person_id_state_id_capacity", "person_id", "state_id", "capacity"),
        Index("ix_positions_office_id_start_on", "office_id", "start_on"),
        one_of("capacity", vocab.CAPACITY),
        one_of("tenure", vocab.TENURE),
        one_of("evidence", vocab.EVIDENCE),
        not_before("end_on", "start_on"),
        CheckConstraint(f"evidence <> '{vocab.EVIDENCE[1]}' OR end_on = start_on", name="attested_on_one_day"),
        CheckConstraint("state_id IS NOT NULL OR organization_id IS NOT NULL", name="has_state_or_organization"),
        comment="Offices held by persons, with dates, for 'what was X on the day' queries.",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), comment="The office holder.")
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), comment="The office held.")
    state_id: Mapped[int | None] = mapped_column(ForeignKey("states.id"), index=True, comment="State served.")
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id"), index=True, comment="Organization served, e.g. a party or ministry."
    )
    title: Mapped[str] = mapped_column(String(200), comment="Title as held, e.g. 'Acting President of Russia'.")
    capacity: Mapped[str] = mapped_column(String(40), comment="head_of_state, head_of_government, minister, ...")
    tenure: Mapped[str] = mapped_column(
        String(20),
        default="ordinary",
        server_default=text("'ordinary'"),
        comment=f"{vocab.listed(vocab.TENURE)}: an acting holder or a claimant is never a second ordinary holder.",
    )
    evidence: Mapped[str] = mapped_column(
        String(20),
        default="tenure",
        server_default=text("'tenure'"),
        comment=f"{vocab.listed(vocab.EVIDENCE)}: dates of taking and leaving office, or one day a report gives the title.",
    )
    start_on: Mapped[dt.date] = mapped_column(
        Date, comment="First day in office (the attested day, for an attestation)."
    )
    end_on: Mapped[dt.date | None] = mapped_column(
        Date, comment="Day the holding ended, which belongs to a successor; NULL while no end is recorded."
    )
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), comment="Reference for the office.")
    note: Mapped[str | None] = mapped_column(Text, comment="Free text, e.g. how the office was attained.")

    person: Mapped[Person] = relationship(back_populates="positions")
    office: Mapped[Office] = relationship()
    state: Mapped[State | None] = relationship()
    organization: Mapped[Organization | None] = relationship()
