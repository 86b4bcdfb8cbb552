"""How a fact reads to a newsroom's reader: states by their common short name, dates in words, counts with their quantifier.

Data keeps ISO names, ISO dates and bare numbers (joins and sorting need
them); tables, charts and pages show these words instead. Short names come
from country_converter's ``name_short`` column, which covers every ISO 3166
code ("North Korea", "DR Congo", "Russia"); a code it does not know keeps
its stored name.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging

from .. import vocab

# What a status means to a reader: the record says they came, they were only
# announced, or they stayed away. Every picture and summary counts these apart.
ATTENDED = "attended"
ANNOUNCED = "announced"
ABSENT = "absent"

# English month names whatever the machine's locale (strftime's %B follows it).
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def outcome_of(status: str | None) -> str | None:
    """``attended``, ``announced`` (expected or confirmed: nobody saw them there yet) or ``absent``; None unrecorded."""
    if status == "attended":
        return ATTENDED
    if status in vocab.ANNOUNCED_STATUSES:
        return ANNOUNCED
    if status in vocab.ABSENT_STATUSES:
        return ABSENT
    return None


@functools.cache
def _short_names() -> dict[str, str]:
    import country_converter as coco  # type: ignore[import-untyped]

    logging.getLogger("country_converter").setLevel(logging.ERROR)  # it logs every code it does not know
    table = coco.CountryConverter().data
    return {str(iso3): str(short) for iso3, short in zip(table["ISO3"], table["name_short"]) if isinstance(iso3, str)}


def state_short_name(code: str | None, name: str | None = None) -> str | None:
    """The name a reader knows a state by ('North Korea'); ``name`` (the stored ISO name) where the code is unknown."""
    if code is None:
        return name
    return _short_names().get(code.upper(), name if name is not None else code)


def reader_date(day: dt.date | None, precision: str | None = "day") -> str:
    """A date as a reader writes it: '3 September 2025', 'September 2025' or '2025'; 'undated' for None."""
    if day is None:
        return "undated"
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def quantity(count: int | None, quantifier: str | None = None) -> str:
    """A count as the source said it: 'over 10,000', 'more than 30', '26', 'most' (empty when neither is known)."""
    number = f"{count:,}" if count is not None else ""
    return " ".join(part for part in (quantifier, number) if part)
