"""A release of the Office of the Historian's visits, converted to one ``guestlist/1`` seed document.

What the rows say becomes records the seed loader writes, so the import has the loader's one write
path: all or nothing, upserts by natural key (importing a release again writes nothing), dry run,
the seed lock. :func:`convert` makes the document; :func:`load` reads a release, converts it and
loads it.

- **Source**: one per release (``hsg-visits-v0.6.4``), naming the release and its data commit.
- **Events**: one per visit (``hsg-visit-<id>``), hosted by the United States, its kind read from
  the description (:func:`guestlist.seeds.importers.hsg.visits.interpret`).
- **Attendance**: one per visitor, a guest in the capacity the title gives, from the state of the
  visit's day (:func:`guestlist.seeds.importers.hsg.states.state_of`), claimed attended with the row
  as the quote: the visitor and the description as the office wrote them, joined by
  :data:`QUOTE_JOIN`, with the XML's layout whitespace (line breaks and indentation inside an
  element) made single spaces. A quote longer than the claims' column is cut at a word and ends
  with an ellipsis; each cut is counted as an interpretation.
- **Persons**: which person a visitor is, is the caller's to say (``persons=``: a mapping from a
  reading to the slugs of its visitors). Without it each folded (name, state) pair is one person
  whose slug is made from the name. A slug the database already holds gets no person record: the
  visitor is that person.
- **Offices seen**: a head of state or government's title on the visit's first day is evidence of
  the office held that day: an ``attested`` position (start and end that one day). The office is
  one the database holds for the state under that title, if exactly one does, else
  ``<title>-of-<state>``. A day on which the rows, or the rows and the stored holdings, give one
  office more holders than its seats is not recorded: two titles conflict and nothing here says
  which is right, so :attr:`Conversion.conflicts` lists them for a person to settle.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from anyascii import anyascii
from sqlalchemy.engine import Connection

from guestlist.models.db import Database, connect
from guestlist.models.db.migrate import require_head
from guestlist.models.errors import SeedError
from guestlist.models.persons import Office, Person, Position, held_on
from guestlist.models.reports.display import state_short_name
from guestlist.models.states import State
from guestlist.models.text import fold, name_key
from guestlist.seeds import reference

from ...loader import LoadSummary
from ...loader import load as load_seeds
from ...loader.format import FORMAT, SECTIONS
from . import states
from .release import Release, find_release
from .visits import HEAD_OF_GOVERNMENT, HEAD_OF_STATE, Interpretations, Interpreted, Reading, interpret, read_visits

PUBLISHER = "Office of the Historian, U.S. Department of State"
URL = "https://history.state.gov/departmenthistory/visits"
HOST = "USA"
QUOTE_JOIN = " \u2014 "  # between the visitor and the description in a claim's quote
QUOTE_LIMIT: int = SECTIONS["claims"].fields["quote"].max_length  # type: ignore[assignment]
ELLIPSIS = "\u2026"
OFFICE_CAPACITIES = (HEAD_OF_STATE, HEAD_OF_GOVERNMENT)
# The historic and non-ISO states the visits resolve to, loaded with every release (unchanged after the first).
HISTORIC_STATES_NAME = "<states of the Office of the Historian's visits>"

PersonMap = Mapping[Reading, Sequence[str]]


def source_slug(release: Release) -> str:
    return f"hsg-visits-v{release.version}"


def event_slug(visit_id: int) -> str:
    return f"hsg-visit-{visit_id}"


def slug_of(text: str) -> str:
    """ASCII words joined by hyphens: 'Nayib Bukele' -> 'nayib-bukele', 'Ólafur' -> 'olafur'."""
    return re.sub(r"[^a-z0-9]+", "-", anyascii(fold(text)).lower()).strip("-")


def layout(text: str) -> str:
    """An element's text without the XML's layout: every run of whitespace one space."""
    return " ".join(text.split())


# -- what the database already holds ------------------------------------------


@dataclass(frozen=True)
class Holding:
    person: str
    start_on: date
    end_on: date | None
    tenure: str


@dataclass(frozen=True)
class StoredOffice:
    slug: str
    title: str
    state: str | None
    seats: int


@dataclass
class Stored:
    """What the conversion must respect in the database: its persons, offices and their holdings."""

    persons: frozenset[str] = frozenset()
    offices: dict[str, StoredOffice] = field(default_factory=dict)
    holdings: dict[str, list[Holding]] = field(default_factory=dict)  # by office slug

    @classmethod
    def read(cls, conn: Connection) -> Stored:
        persons = frozenset(conn.scalars(sa.select(Person.slug)))
        office_rows = conn.execute(
            sa.select(Office.slug, Office.title, State.code, Office.seats).outerjoin(State, State.id == Office.state_id)
        )
        offices = {slug: StoredOffice(slug, title, code, seats or 1) for slug, title, code, seats in office_rows}
        holdings: dict[str, list[Holding]] = defaultdict(list)
        rows = conn.execute(
            sa.select(Office.slug, Person.slug, Position.start_on, Position.end_on, Position.tenure)
            .join(Office, Office.id == Position.office_id)
            .join(Person, Person.id == Position.person_id)
        )
        for office, person, start, end, tenure in rows:
            holdings[office].append(Holding(person, start, end, tenure or "ordinary"))
        return cls(persons, offices, dict(holdings))


# -- the conversion -----------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """An office given more holders on one day than its seats: no position is recorded for that day."""

    office: str
    day: date
    holders: tuple[str, ...]  # the persons named that day, the rows' and the stored ones
    visits: tuple[int, ...]

    def __str__(self) -> str:
        visits = ", ".join(str(v) for v in self.visits)
        return f"{self.office} on {self.day}: {', '.join(self.holders)} (visit{'s' if len(self.visits) > 1 else ''} {visits})"


@dataclass
class Conversion:
    """A release's seed document, and what the conversion decided along the way."""

    release: Release
    document: dict[str, Any]
    interpretations: Interpretations
    conflicts: list[Conflict]
    persons_new: int
    persons_stored: int

    @property
    def name(self) -> str:
        return f"<Office of the Historian visits v{self.release.version}>"

    def lines(self) -> list[str]:
        """What to print after the loader's counts."""
        out = [
            f"release: {self.release.label}",
            f"persons: {self.persons_new} new, {self.persons_stored} already stored",
        ]
        out.append(f"offices not recorded: conflicting titles: {len(self.conflicts)}")
        out.extend(f"  {c}" for c in self.conflicts)
        out.extend(self.interpretations.lines())
        out.append(f"interpreted: {sum(self.interpretations.values())} values")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "release": self.release.version,
            "data_commit": self.release.data_commit,
            "persons_new": self.persons_new,
            "persons_stored": self.persons_stored,
            "offices_not_recorded_conflicting_titles": [str(c) for c in self.conflicts],
            "interpretations": self.interpretations.lines(),
            "interpreted": sum(self.interpretations.values()),
        }


def state_names() -> dict[str, str]:
    """Every state code a visit can resolve to, with the name the reference documents give it."""
    names = {s["code"]: s["name"] for s in reference.states_document()["states"]}
    names.update({s["code"]: s["name"] for s in states.states_document()["states"]})
    return names


# First words of a state's name that take "the" after "President of": the Republic of Hawaii.
ARTICLE_WORDS = ("Kingdom", "Republic", "Federal", "Federated", "United", "Union", "German", "Democratic", "Socialist")

PLURALS = ("Maldives", "Netherlands", "Philippines", "Bahamas", "Gambia", "Comoros", "Seychelles")


def state_phrase(code: str, names: Mapping[str, str]) -> str:
    """How an office's title names a state: the short name a reader knows, with "the" where English puts one.

    'Mexico', 'the USSR', 'the Republic of Hawaii', 'the Federated States of Micronesia' (an
    inverted ISO name, "Micronesia, Federated States of", turned round).
    """
    name = names.get(code, code)
    short = state_short_name(code, name) or name
    if "," in short:  # an abbreviated or inverted form
        head, _, tail = name.partition(", ")
        short = f"{tail} {head}" if tail.endswith(" of") else name
    first = short.split()[0]
    last = short.split()[-1]
    if short.isupper() or first in ARTICLE_WORDS or last in ("Republic", "Islands", "Emirates") or short in PLURALS:
        return f"the {short}"
    return short


def default_persons(readings: Iterable[Reading], codes: Mapping[int, str]) -> dict[Reading, tuple[str, ...]]:
    """One person per folded (name, state) pair, its slug the name's (then the state's code, then a number).

    Stands in until the visitors are reconciled with the record; ``codes`` is each visit's state.
    """
    by_key: dict[tuple[str, str], str] = {}
    taken: set[str] = set()
    out: dict[Reading, tuple[str, ...]] = {}
    for reading in readings:
        code = codes[reading.visit.id]
        slugs = []
        for visitor in reading.visitors:
            key = (name_key(visitor.name), code)
            if key not in by_key:
                base = slug_of(visitor.name) or "visitor"
                slug = base if base not in taken else f"{base}-{code.lower()}"
                n = 2
                while slug in taken:
                    slug, n = f"{base}-{code.lower()}-{n}", n + 1
                by_key[key] = slug
                taken.add(slug)
            slugs.append(by_key[key])
        out[reading] = tuple(slugs)
    return out


def quote_of(reading: Reading, noted: list[Interpreted]) -> str:
    """The row's visitor and description as written, within the claims' quote limit."""
    visit = reading.visit
    text = QUOTE_JOIN.join(part for part in (layout(visit.visitor), layout(visit.description)) if part)
    if len(text) <= QUOTE_LIMIT:
        return text
    cut = text[: QUOTE_LIMIT - len(ELLIPSIS)]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    noted.append(
        Interpreted(
            f"quote longer than {QUOTE_LIMIT} characters", f"visit {visit.id}", "cut at a word, ending with \u2026"
        )
    )
    return cut.rstrip() + ELLIPSIS


def convert(
    release: Release,
    readings: Sequence[Reading],
    *,
    persons: PersonMap | None = None,
    stored: Stored | None = None,
) -> Conversion:
    """The seed document of ``readings`` (a release's visits, interpreted).

    ``persons`` gives, for each reading, the person slug of each of its visitors, in order (the
    reconciliation's answer); without it :func:`default_persons` decides. ``stored`` is what the
    target database holds (:meth:`Stored.read`); without it, nothing.
    """
    stored = stored or Stored()
    source = source_slug(release)
    counts = Interpretations.of(readings)
    state_notes = states.Interpretations()
    codes: dict[int, str] = {}
    for reading in readings:
        visit = reading.visit
        try:
            codes[visit.id] = states.state_of(visit.from_id, visit.from_label, visit.start, state_notes)
        except states.HsgStateError as exc:
            raise SeedError(visit.file, f"visit {visit.id}", "from", str(exc)) from None
    for (id_, label, code), n in state_notes.counts.items():
        counts[Interpreted("country", f"{id_} / {label}", code)] += n
    mapping = persons if persons is not None else default_persons(readings, codes)
    names = state_names()

    person_records: dict[str, dict[str, Any]] = {}
    persons_stored: set[str] = set()
    events: list[dict[str, Any]] = []
    attendance: list[dict[str, Any]] = []
    # (office slug, day) -> person slug -> (position record, visit id)
    attested: dict[tuple[str, date], dict[str, tuple[dict[str, Any], int]]] = defaultdict(dict)
    offices: dict[str, dict[str, Any]] = {}
    office_seats: dict[str, int] = {}

    for reading in readings:
        visit = reading.visit
        code = codes[visit.id]
        slugs = list(mapping.get(reading, ()))
        if len(slugs) != len(reading.visitors):
            raise ValueError(
                f"persons gives {len(slugs)} slugs for the {len(reading.visitors)} visitors of visit {visit.id}"
            )
        noted: list[Interpreted] = []
        quote = quote_of(reading, noted)
        counts.update(noted)
        event = event_slug(visit.id)
        events.append(
            {
                "slug": event,
                "name": f"Visit of {layout(visit.visitor)} to the United States",
                "kind": reading.event_kind,
                "starts_on": visit.start,
                "ends_on": visit.end,
                "host": HOST,
                "description": layout(visit.description) or None,
            }
        )
        seen: set[str] = set()
        for visitor, slug in zip(reading.visitors, slugs):
            if slug in stored.persons:
                persons_stored.add(slug)
            elif slug not in person_records:
                person_records[slug] = {"slug": slug, "name": visitor.name}
            if slug in seen:  # one person named twice in a row: one participation
                continue
            seen.add(slug)
            attendance.append(
                {
                    "event": event,
                    "person": slug,
                    "state": code,
                    "role": "guest",
                    "capacity": visitor.capacity,
                    "claims": [
                        {
                            "status": "attended",
                            "reported_on": visit.created.date(),
                            "quote": quote,
                            "source": source,
                        }
                    ],
                }
            )
            if visitor.capacity in OFFICE_CAPACITIES and visitor.title:
                title = f"{visitor.title} of {state_phrase(code, names)}"
                office = _office(stored, visitor.title, code) or slug_of(title)
                if office in stored.offices:
                    office_seats[office] = stored.offices[office].seats
                elif office not in offices:
                    offices[office] = {"slug": office, "title": title, "state": code}
                    office_seats[office] = 1
                attested[(office, visit.start)].setdefault(
                    slug,
                    (
                        {
                            "person": slug,
                            "office": office,
                            "title": title,
                            "capacity": visitor.capacity,
                            "state": code,
                            "evidence": "attested",
                            "start_on": visit.start,
                            "end_on": visit.start,
                            "note": f"The title as the Office of the Historian wrote it for visit {visit.id}.",
                        },
                        visit.id,
                    ),
                )

    positions: list[dict[str, Any]] = []
    conflicts: list[Conflict] = []
    for (office, day), holders in attested.items():
        others = [
            h.person
            for h in stored.holdings.get(office, [])
            if h.tenure == "ordinary" and h.person not in holders and held_on(h.start_on, h.end_on, day)
        ]
        if len(holders) + len(set(others)) > office_seats[office]:
            conflicts.append(
                Conflict(office, day, (*holders, *sorted(set(others))), tuple(sorted({v for _, v in holders.values()})))
            )
            continue
        positions.extend(record for record, _ in holders.values())
    used = {p["office"] for p in positions}
    document: dict[str, Any] = {
        "format": FORMAT,
        "source": source_record(release),
        "offices": [o for slug, o in offices.items() if slug in used],
        "persons": list(person_records.values()),
        "positions": positions,
        "events": events,
        "attendance": attendance,
    }
    return Conversion(release, document, counts, conflicts, len(person_records), len(persons_stored))


def _office(stored: Stored, title: str, code: str) -> str | None:
    """The one stored office of the state titled '<title> of ...', if exactly one is."""
    found = [o.slug for o in stored.offices.values() if o.state == code and o.title.startswith(f"{title} of ")]
    return found[0] if len(found) == 1 else None


def source_record(release: Release) -> dict[str, Any]:
    commit = release.data_commit or "unknown"
    return {
        "slug": source_slug(release),
        "title": f"Visits by Foreign Leaders to the United States, release v{release.version}",
        "kind": "reference_dataset",
        "publisher": PUBLISHER,
        "published_on": release.published,
        "url": URL,
        "note": (
            f"HistoryAtState/visits release v{release.version}, data commit {commit}; "
            "a work of the U.S. government, public domain (CC0)."
        ),
    }


def read(path: Path | str, version: str | None = None) -> tuple[Release, list[Reading]]:
    """The release at ``path`` and its visits, read, checked and interpreted (one SeedError otherwise)."""
    release = find_release(Path(path), version)
    return release, [interpret(v) for v in read_visits(release.files)]


def load(
    db: Database,
    path: Path | str,
    *,
    version: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    persons: Callable[[Connection, Sequence[Reading]], PersonMap] | None = None,
) -> tuple[LoadSummary, Conversion]:
    """Import the release at ``path`` into ``db`` (a URL, an engine or a connection), all or nothing.

    ``persons(conn, readings)`` is the reconciliation: it may read the database before the load.
    """
    release, readings = read(path, version)
    with connect(db) as conn:
        began = not conn.in_transaction()
        try:
            require_head(conn)
            stored = Stored.read(conn)
            mapping = persons(conn, readings) if persons is not None else None
        finally:
            if began and conn.in_transaction():
                conn.rollback()  # a caller's connection is left as it came
    conversion = convert(release, readings, persons=mapping, stored=stored)
    items = [(HISTORIC_STATES_NAME, states.states_document()), (conversion.name, conversion.document)]
    summary = load_seeds(db, items, dry_run=dry_run, progress=progress)
    return summary, conversion
