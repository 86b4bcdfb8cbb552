"""Finding what a person typed: an event, a state, a person or an organization.

The reports take slugs and codes as a person would type them. Each lookup
returns the row's id (the reports then query by indexed id) with the
names to show; an unknown one raises ``NotFoundError`` in one line naming
up to three close matches ("did you mean ...?").
"""

from __future__ import annotations

import datetime as dt
import difflib
import shlex
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from ..errors import AmbiguousError, NotFoundError
from ..events import Event
from ..names import ambiguous, pycountry_codes, stored_people
from ..organizations import Organization
from ..persons import Person
from ..states import State

# How close (rapidfuzz WRatio, 0-100) a recorded name must be to be suggested for a person not found.
NEAR_NAME = 75
FoundRow = Row[*tuple[Any, ...]]  # a looked-up state, person or organization: id, slug or code, name


def not_found(what: str, given: str, candidates: dict[str, str]) -> NotFoundError:
    """A one-line error naming up to three close matches.

    ``candidates`` maps each string worth matching against (a slug, a code, a
    name) to the value the user should type instead.
    """
    lowered = {key.lower(): value for key, value in candidates.items()}
    wanted = given.strip().lower()
    close = difflib.get_close_matches(wanted, list(lowered), n=6, cutoff=0.6)
    if len(wanted) >= 3:  # 'kim' should find kim-jong-un, which difflib ranks too low
        close += sorted(key for key in lowered if wanted in key)
    hints = list(dict.fromkeys(lowered[c] for c in close))[:3]
    message = f"{what} not found: {given!r}"
    if hints:
        message += "; did you mean " + ", ".join(hints) + "?"
    return NotFoundError(message)


@dataclass(frozen=True)
class FoundEvent:
    """A looked-up event: its id for the queries, its slug, name and first day for the rows."""

    id: int
    slug: str
    name: str
    starts_on: dt.date | None


def find_event(conn: Connection, slug: str) -> FoundEvent:
    """An event by its slug, exactly as stored."""
    t = Event.__table__
    row = conn.execute(sa.select(t.c.id, t.c.slug, t.c.name, t.c.starts_on).where(t.c.slug == slug)).first()
    if row is None:
        slugs = conn.execute(sa.select(t.c.slug)).scalars()
        raise not_found("event", slug, {s: s for s in slugs})
    return FoundEvent(*row)


def find_state(conn: Connection, code: str) -> FoundRow:
    """A state by alpha-3 code, alpha-2 code or name, in any letter case.

    Names are the stored ones (ISO's "Korea, Democratic People's Republic
    of"), then the everyday ones pycountry knows ("North Korea") when they
    name exactly one state.
    """
    t = State.__table__
    wanted = code.strip()
    cols = (t.c.id, t.c.code, t.c.name)
    for condition in (
        t.c.code == wanted.upper(),
        t.c.alpha2 == wanted.upper(),
        sa.func.lower(t.c.name) == wanted.lower(),
        sa.func.lower(t.c.official_name) == wanted.lower(),
    ):
        row = conn.execute(sa.select(*cols).where(condition).order_by(t.c.id)).first()
        if row is not None:
            return row
    fuzzy = pycountry_codes(wanted)
    if len(fuzzy) == 1:
        row = conn.execute(sa.select(*cols).where(t.c.code == fuzzy[0])).first()
        if row is not None:
            return row
    candidates: dict[str, str] = {}
    for c, name in conn.execute(sa.select(t.c.code, t.c.name)):
        candidates[c] = c
        candidates[name] = f"{c} ({name})"
    error = not_found("state", code, candidates)
    if "did you mean" not in str(error) and fuzzy:
        known = {c: n for c, n in conn.execute(sa.select(t.c.code, t.c.name).where(t.c.code.in_(fuzzy[:3])))}
        hints = [f"{c} ({known[c]})" for c in fuzzy[:3] if c in known]
        if hints:
            error = NotFoundError(f"{error}; did you mean " + ", ".join(hints) + "?")
    raise error


def find_person(conn: Connection, given: str) -> FoundRow:
    """A person by slug or by any recorded name, in any script, as a seed document names them.

    Names fold as ``guestlist.models.names`` folds them for the seed loader
    and ``guestlist find person`` ("KIM JONG-UN", "김정은" and "Kim Jong Un"
    are one name), so every command resolves a person alike. A name two
    persons share raises ``AmbiguousError`` listing them (not a
    ``NotFoundError``: a caller trying a state next must not); a miss names
    the closest recorded names and the full-text search to try.
    """
    t = Person.__table__
    cols = (t.c.id, t.c.slug, t.c.name)
    row = conn.execute(sa.select(*cols).where(t.c.slug == given)).first()
    if row is not None:
        return row
    people = stored_people(conn)
    found = people.by_name(given)
    if len(found) > 1:
        raise AmbiguousError(ambiguous("name", given, found))
    if found:
        return conn.execute(sa.select(*cols).where(t.c.slug == found[0].slug)).one()
    close = people.nearest(given, cutoff=NEAR_NAME)
    search = f"guestlist search {shlex.quote(given)}"
    message = f"person not found: {given!r} (no slug or recorded name; try {search})"
    if close:
        message += "; did you mean " + ", ".join(f"{slug} ({people.display[slug]})" for slug, _ in close) + "?"
    raise NotFoundError(message)


def find_organization(conn: Connection, slug: str) -> FoundRow:
    """An organization by slug, or by abbreviation in any letter case ('EU')."""
    t = Organization.__table__
    cols = (t.c.id, t.c.slug, t.c.name)
    row = conn.execute(sa.select(*cols).where(t.c.slug == slug)).first()
    if row is None:
        row = conn.execute(
            sa.select(*cols).where(sa.func.lower(t.c.abbreviation) == slug.lower()).order_by(t.c.id)
        ).first()
    if row is None:
        candidates: dict[str, str] = {}
        for s, name, abbreviation in conn.execute(sa.select(t.c.slug, t.c.name, t.c.abbreviation)):
            candidates[s] = candidates[name] = s
            if abbreviation:
                candidates[abbreviation] = s
        raise not_found("organization", slug, candidates)
    return row
