"""Organizations states belong to or act through: blocs, alliances, ministries."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import vocab
from .base import Base, not_before, one_of, table_args
from .states import State


class Organization(Base):
    """The EU, NATO, a foreign ministry; ``state`` is set for national bodies."""

    __tablename__ = "organizations"
    __table_args__ = table_args(
        one_of("kind", vocab.ORGANIZATION_KIND),
        not_before("dissolved_on", "founded_on"),
        comment="Blocs, alliances and national bodies such as foreign ministries.",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True, comment="Natural key, e.g. 'eu', 'chn-mfa'.")
    name: Mapped[str] = mapped_column(String(300), comment="English name.")
    abbreviation: Mapped[str | None] = mapped_column(String(40), comment="Common abbreviation, e.g. 'EU'.")
    kind: Mapped[str] = mapped_column(String(40), comment="intergovernmental, military_alliance, ministry, ...")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id"), comment="Enclosing organization, e.g. a government for its ministry."
    )
    state_id: Mapped[int | None] = mapped_column(
        ForeignKey("states.id"), comment="The state a national body belongs to."
    )
    founded_on: Mapped[dt.date | None] = mapped_column(Date, comment="Founding date, where known.")
    dissolved_on: Mapped[dt.date | None] = mapped_column(Date, comment="Dissolution date; NULL while it exists.")
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), comment="Reference the row came from.")

    parent: Mapped[Organization | None] = relationship(remote_side=[id])
    state: Mapped[State | None] = relationship()


class StateMembership(Base):
    """A state's membership of an organization over a period.

    A state may leave and rejoin, so the natural key includes ``joined_on``.
    """

    __tablename__ = "memberships"
    __table_args__ = table_args(
        UniqueConstraint("state_id", "organization_id", "joined_on"),
        not_before("left_on", "joined_on"),
        comment="Which states belonged to which organizations, and when.",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_id: Mapped[int] = mapped_column(ForeignKey("states.id"), index=True, comment="Member state.")
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id"), index=True, comment="The organization joined."
    )
    joined_on: Mapped[dt.date] = mapped_column(Date, comment="Date membership began.")
    left_on: Mapped[dt.date | None] = mapped_column(Date, comment="Last day of membership; NULL while a member.")
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), comment="Reference for the dates.")

    state: Mapped[State] = relationship()
    organization: Mapped[Organization] = relationship()
