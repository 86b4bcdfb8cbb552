"""Sovereign states, current and historic."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, not_before, table_args


class State(Base):
    """A state by ISO 3166 code.

    Current states carry their ISO 3166-1 codes; historic ones (the USSR) keep
    their ISO 3166-1 alpha-3 code from before withdrawal, a validity period and
    a successor, so events before 1991 still point at the state of the day.
    """

    __tablename__ = "states"
    __table_args__ = table_args(
        not_before("valid_until", "valid_from"),
        comment="States by ISO 3166-1 alpha-3 code, including historic ones (ISO 3166-3).",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(3), unique=True, comment="ISO 3166-1 alpha-3 code; the natural key.")
    alpha2: Mapped[str | None] = mapped_column(String(2), comment="ISO 3166-1 alpha-2 code.")
    numeric: Mapped[str | None] = mapped_column(String(3), comment="ISO 3166-1 numeric code, zero-padded.")
    name: Mapped[str] = mapped_column(String(200), comment="Short English name.")
    official_name: Mapped[str | None] = mapped_column(String(300), comment="Official English name.")
    valid_from: Mapped[dt.date | None] = mapped_column(Date, comment="First day the state existed, where known.")
    valid_until: Mapped[dt.date | None] = mapped_column(
        Date, comment="Last day the state existed; NULL while it exists."
    )
    successor_id: Mapped[int | None] = mapped_column(
        ForeignKey("states.id"), comment="The state that continued this one (Russia for the USSR)."
    )
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), comment="Reference the row came from.")

    successor: Mapped[State | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"State({self.code!r})"
