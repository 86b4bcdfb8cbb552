"""People, the names they go by, and the offices they hold."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
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
    identifiers: Mapped[list[PersonIdentifier]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )
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
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), comment="The person so named."
    )
    name: Mapped[str] = mapped_column(String(300), comment="The other name.")
    kind: Mapped[str] = mapped_column(String(40), default="alternate", comment="alternate, transliteration, native, ...")
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


class Position(Base):
    """An office a person held for a state or organization over a period.

    ``start_on`` is required because it is part of the natural key: the same
    title held twice (Putin as president) is two rows.
    """

    __tablename__ = "positions"
    __table_args__ = table_args(
        UniqueConstraint("person_id", "title", "start_on"),
        # The reports' "office on the day" probes: one lookup per participant.
        Index("ix_positions_person_id_state_id_capacity", "person_id", "state_id", "capacity"),
        one_of("capacity", vocab.CAPACITY),
        not_before("end_on", "start_on"),
        CheckConstraint("state_id IS NOT NULL OR organization_id IS NOT NULL", name="has_state_or_organization"),
        comment="Offices held by persons, with dates, for 'what was X on the day' queries.",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), comment="The office holder."
    )
    state_id: Mapped[int | None] = mapped_column(ForeignKey("states.id"), index=True, comment="State served.")
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id"), index=True, comment="Organization served, e.g. a party or ministry."
    )
    title: Mapped[str] = mapped_column(String(200), comment="Title of the office, e.g. 'President of Russia'.")
    capacity: Mapped[str] = mapped_column(String(40), comment="head_of_state, head_of_government, minister, ...")
    start_on: Mapped[dt.date] = mapped_column(Date, comment="First day in office.")
    end_on: Mapped[dt.date | None] = mapped_column(Date, comment="Last day in office; NULL while in office.")
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), comment="Reference for the office.")
    note: Mapped[str | None] = mapped_column(Text, comment="Free text, e.g. how the office was attained.")

    person: Mapped[Person] = relationship(back_populates="positions")
    state: Mapped[State | None] = relationship()
    organization: Mapped[Organization | None] = relationship()
