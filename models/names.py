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
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

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


class Holding(NamedTuple):
    """One position as resolution reads it: who, the title as held, and the office it is a holding of."""

    slug: str  # the person's
    title: str  # as held: 'Acting President of Myanmar'
    capacity: str
    state: str | None  # code
    start: dt.date
    end: dt.date | None  # the successor's first day (``held_on``)
    office_slug: str | None = None
    office_title: str | None = None
    tenure: str = "ordinary"

    def shown(self) -> str:
        said = self.tenure == "ordinary" or self.tenure.replace("_", " ") in self.title.lower()
        return self.title if said else f"{self.title} ({self.tenure.replace('_', ' ')})"


@dataclass
class People:
    """Every person's names and offices, from the database and the run's own documents.

    ``names``: key -> {slug: the name as recorded}; ``positions``: every
    :class:`Holding`.
    """

    display: dict[str, str] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    positions: list[Holding] = field(default_factory=list)

    def add_name(self, slug: str, name: str | None, display: bool = False) -> None:
        if not name:
            return
        if display or slug not in self.display:
            self.display[slug] = name
        key = name_key(name)
        if key:
            self.names.setdefault(key, {}).setdefault(slug, name)

    def offices_on(self, slug: str, day: dt.date | None) -> list[str]:
        """Titles ``slug`` held on ``day`` (an acting or disputed tenure said so); every title ever held when no day is given."""
        return sorted(
            {h.shown() for h in self.positions if h.slug == slug and (day is None or held_on(h.start, h.end, day))}
        )

    def by_name(self, text: str, day: dt.date | None = None) -> list[Candidate]:
        found = self.names.get(name_key(text), {})
        return [
            Candidate(slug, self.display.get(slug, slug), f"name {recorded!r}", self.offices_on(slug, day))
            for slug, recorded in sorted(found.items())
        ]

    def by_office(self, title: str, day: dt.date, state: str | None = None) -> list[Candidate]:
        """Holders on ``day`` of the office ``title`` names, or of capacity ``title`` for ``state``.

        ``title`` (folded) is the office's title or slug, or the title as
        held, so "President of Myanmar" finds the acting president too; the
        day counts by ``held_on`` (an attestation on its day only). A person
        holding it twice that day is one candidate.
        """
        key = name_key(title)
        holders: dict[str, Holding] = {}
        for h in self.positions:
            if not held_on(h.start, h.end, day) or (state is not None and h.state != state):
                continue
            named = {name_key(t) for t in (h.title, h.office_title, h.office_slug) if t}
            if key in named or h.office_slug == title.strip() or (state is not None and h.capacity == title):
                holders.setdefault(h.slug, h)
        return [
            Candidate(
                slug, self.display.get(slug, slug), f"{h.shown()} on {day.isoformat()}", self.offices_on(slug, day)
            )
            for slug, h in sorted(holders.items())
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
        Holding(slug, title, capacity, code, cast(dt.date, _date(start)), _date(end), office, office_title, tenure)
        for slug, title, capacity, code, start, end, office, office_title, tenure in conn.execute(
            sa.text(
                "SELECT p.slug, o.title, o.capacity, s.code, o.start_on, o.end_on, f.slug, f.title, o.tenure"
                " FROM positions o JOIN persons p ON p.id = o.person_id LEFT JOIN states s ON s.id = o.state_id"
                " LEFT JOIN offices f ON f.id = o.office_id"
            )
        )
    )
    return people


OFFICE_ON = re.compile(r"(?P<title>\S.*?)\s+on\s+(?P<day>\d{4}-\d{1,2}-\d{1,2})\s*", re.IGNORECASE)


def office_on(text: str) -> tuple[str, dt.date] | None:
    """("Prime Minister of Japan", 2025-10-22) for "Prime Minister of Japan on 2025-10-22"; None for a name.

    A source writes an office and its day as one phrase, and a name never
    ends in " on " and a date, so the phrase is read as an office on that
    day. ValueError (the one-line reason) for a day that is no date.
    """
    found = OFFICE_ON.fullmatch(text.strip())
    if found is None:
        return None
    try:
        day = dt.date.fromisoformat(found["day"])
    except ValueError:
        raise ValueError(f"{found['day']!r} in {text.strip()!r} is not a date (YYYY-MM-DD)") from None
    return found["title"].strip(), day


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
