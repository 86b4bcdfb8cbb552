"""People and states named the way sources name them: by a recorded name, an office on a day, a country name.

A name matches after folding case, accents and script (``anyascii``: 김정은
-> GimJeongEun, Лукашенко -> Lukashenko) and dropping everything but
letters and digits, so "Kim Jong-un", "KIM JONG UN" and "Kim Jong Un" are
one key, and 김정은 matches the other name recorded as 김정은. Nothing is
guessed: a reference resolves only when exactly one person (state) has it;
otherwise the caller gets the candidates, or the closest names by
``rapidfuzz``, to put in a one-line refusal. The seed loader
(``guestlist.seeds.loader.resolve``) and ``guestlist find`` both use this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import pycountry
import sqlalchemy as sa
from rapidfuzz import fuzz, process
from sqlalchemy.engine import Connection

from .persons import held_on
from .states import State
from .text import name_key


@dataclass
class Candidate:
    """A person a reference may mean: their slug and name, why they match, and their offices on the day."""

    slug: str
    name: str
    matched: str  # e.g. "other name 'Kim Jong-un'", "President of Russia on 2025-09-03"
    offices: list[str] = field(default_factory=list)

    def shown(self) -> str:
        held = f"; {', '.join(self.offices)}" if self.offices else ""
        return f"{self.slug} ({self.name}{held})"


@dataclass
class People:
    """Every person's names and offices, from the database and the run's own documents.

    ``names``: key -> {slug: the name as recorded}; ``positions``: (slug,
    title, capacity, state code, start, end).
    """

    display: dict[str, str] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    positions: list[tuple[str, str, str, str | None, dt.date, dt.date | None]] = field(default_factory=list)

    def add_name(self, slug: str, name: str | None, display: bool = False) -> None:
        if not name:
            return
        if display or slug not in self.display:
            self.display[slug] = name
        key = name_key(name)
        if key:
            self.names.setdefault(key, {}).setdefault(slug, name)

    def offices_on(self, slug: str, day: dt.date | None) -> list[str]:
        """Titles ``slug`` held on ``day``; every title ever held when no day is given."""
        return sorted(
            {t for s, t, _, _, start, end in self.positions if s == slug and (day is None or held_on(start, end, day))}
        )

    def by_name(self, text: str, day: dt.date | None = None) -> list[Candidate]:
        found = self.names.get(name_key(text), {})
        return [
            Candidate(slug, self.display.get(slug, slug), f"name {recorded!r}", self.offices_on(slug, day))
            for slug, recorded in sorted(found.items())
        ]

    def by_office(self, title: str, day: dt.date, state: str | None = None) -> list[Candidate]:
        """Holders on ``day`` of the office titled ``title`` (folded), or of capacity ``title`` for ``state``."""
        key = name_key(title)
        holders: dict[str, str] = {}
        for slug, t, capacity, code, start, end in self.positions:
            if not held_on(start, end, day) or (state is not None and code != state):
                continue
            if name_key(t) == key or (state is not None and capacity == title):
                holders.setdefault(slug, t)
        return [
            Candidate(slug, self.display.get(slug, slug), f"{t} on {day.isoformat()}", self.offices_on(slug, day))
            for slug, t in sorted(holders.items())
        ]

    def nearest(self, text: str, limit: int = 3, cutoff: float = 50) -> list[tuple[str, str]]:
        """(slug, recorded name) of the persons whose names are nearest to ``text`` (rapidfuzz score >= ``cutoff``), best first."""
        choices = {key: next(iter(slugs.items())) for key, slugs in self.names.items()}
        best = process.extract(name_key(text), list(choices), scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=cutoff)
        shown: dict[str, str] = {}
        for key, _, _ in best:
            slug, recorded = choices[key]
            shown.setdefault(slug, recorded)
        return list(shown.items())[:limit]

    def closest(self, text: str, limit: int = 3) -> list[str]:
        """The recorded names nearest to ``text``, for a refusal's hint: "'Vladimir Putin' (vladimir-putin)"."""
        return [f"{recorded!r} ({slug})" for slug, recorded in self.nearest(text, limit)]


def stored_people(conn: Connection) -> People:
    """Names and offices of every stored person: three SELECTs."""
    people = People()
    for slug, name, sort_name in conn.execute(sa.text("SELECT slug, name, sort_name FROM persons")):
        people.add_name(slug, name, display=True)
        people.add_name(slug, sort_name)
    for slug, name in conn.execute(
        sa.text("SELECT p.slug, n.name FROM person_names n JOIN persons p ON p.id = n.person_id")
    ):
        people.add_name(slug, name)
    people.positions.extend(
        (slug, title, capacity, code, cast(dt.date, _date(start)), _date(end))  # start_on is NOT NULL
        for slug, title, capacity, code, start, end in conn.execute(
            sa.text(
                "SELECT p.slug, o.title, o.capacity, s.code, o.start_on, o.end_on FROM positions o"
                " JOIN persons p ON p.id = o.person_id LEFT JOIN states s ON s.id = o.state_id"
            )
        )
    )
    return people


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def ambiguous(what: str, given: str, candidates: Iterable[Candidate]) -> str:
    return (
        f"{what} {given!r} matches more than one person: " + "; ".join(c.shown() for c in candidates) + ": use a slug"
    )


def office_refused(title: str, day: dt.date, state: str | None, holders: list[Candidate]) -> str:
    """Why an office reference does not name exactly one person (two holders, or none)."""
    if holders:
        shown = "; ".join(h.shown() for h in holders)
        return f"office {title!r} on {day} was held by more than one person: {shown}: use a slug"
    return (
        f"nobody held the office {title!r} on {day}"
        + (f" for {state}" if state else "")
        + ": give the person's slug or name"
    )


def unmatched(what: str, given: str, people: People) -> str:
    close = people.closest(given)
    hint = "; closest names: " + ", ".join(close) if close else ""
    return f"{what} {given!r} matches no recorded name of any person{hint}"


# -- states -------------------------------------------------------------------------------


@dataclass
class States:
    """Every stored state by code, alpha-2, numeric and names (folded), for ``state:`` references."""

    codes: dict[str, str] = field(default_factory=dict)  # code -> name
    keys: dict[str, set[str]] = field(default_factory=dict)  # alpha-2 / numeric / folded name -> codes

    def add(self, key: str | None, code: str) -> None:
        if key:
            self.keys.setdefault(key, set()).add(code)

    def find(self, text: str) -> tuple[list[str], str]:
        """(codes, how): the states ``text`` names, and by which rule."""
        given = text.strip()
        if given in self.codes:
            return [given], "alpha-3 code"
        for key, how in (
            (f"a2:{given}", "alpha-2 code"),
            (f"n:{given.zfill(3)}", "numeric code"),
            (f"name:{name_key(given)}", "name"),
        ):
            if key in self.keys:
                return sorted(self.keys[key]), how
        codes = list(dict.fromkeys(pycountry_codes(given)))
        known = [c for c in codes if c in self.codes]
        return known, "everyday name (pycountry)"

    def closest(self, text: str, limit: int = 3) -> list[str]:
        names = {f"{name} ({code})": name_key(name) for code, name in self.codes.items()}
        best = process.extract(name_key(text), names, scorer=fuzz.WRatio, limit=limit, score_cutoff=50)
        return [shown for _, _, shown in best]


def stored_states(conn: Connection) -> States:
    states = States()
    t = State.__table__  # through Core: 'numeric' is a reserved word on MariaDB
    for code, alpha2, numeric, name, official in conn.execute(
        sa.select(t.c.code, t.c.alpha2, t.c.numeric, t.c.name, t.c.official_name)
    ):
        states.codes[code] = name
        states.add(f"a2:{alpha2}" if alpha2 else None, code)
        states.add(f"n:{numeric}" if numeric else None, code)
        for n in (name, official):
            states.add(f"name:{name_key(n)}" if n else None, code)
        country = pycountry.countries.get(alpha_3=code)
        common = getattr(country, "common_name", None) if country else None
        states.add(f"name:{name_key(common)}" if common else None, code)
    return states


def pycountry_codes(name: str) -> list[str]:
    """Alpha-3 codes pycountry's fuzzy search finds for an everyday name ('Russia'), best first.

    One per match, so a code can come twice (a country and one of its
    subdivisions): the caller decides whether that is one answer.
    """
    if len(name) < 3:
        return []
    try:
        return [c.alpha_3 for c in pycountry.countries.search_fuzzy(name)]
    except LookupError:
        return []


def resolve_state(states: States, text: str) -> str:
    """The one code ``text`` names, or ValueError with the one-line reason."""
    if text.strip().upper() != text.strip() and (
        text.strip().upper() in states.codes or f"a2:{text.strip().upper()}" in states.keys
    ):
        raise ValueError(
            f"must be a state code of three capital letters (or two), not {text!r}: did you mean {text.strip().upper()}?"
        )
    codes, how = states.find(text)
    if len(codes) == 1:
        return codes[0]
    if codes:
        shown = ", ".join(f"{c} ({states.codes[c]})" for c in codes)
        raise ValueError(f"state {text!r} names more than one state by {how}: {shown}: use the alpha-3 code")
    close = states.closest(text)
    hint = "; closest: " + ", ".join(close) if close else ""
    raise ValueError(f"state {text!r} is no state's code or name{hint}")


# -- for guestlist find -------------------------------------------------------------------


def find_person(conn: Connection, text: str, on: dt.date | None = None) -> list[Candidate]:
    """Who ``text`` would name in a seed document: a slug, or every person with that name."""
    people = stored_people(conn)
    if text in people.display:
        return [Candidate(text, people.display[text], "slug", people.offices_on(text, on))]
    return people.by_name(text, on)


def find_office(conn: Connection, title: str, on: dt.date, state: str | None = None) -> list[Candidate]:
    return stored_people(conn).by_office(title, on, state)
