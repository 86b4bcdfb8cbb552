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
- **Persons**: which person a visitor is, :func:`load` asks the reconciliation of
  :mod:`.persons` by default (the stored people and delegations of the database, and a user's
  settlement). A new person is written with its display name, its other names as written (kind
  ``alternate``) and its visitor key as an identifier (scheme ``hsg-visitor``, with ``/YEAR``
  where the key names more than one person), which later imports read back as a settlement
  pairing that key with the stored person: a re-import finds the same persons whatever the
  rules would say of a database that now holds them. A person matched to an existing one gets
  no record of its own; only the names the visits wrote for it that the database lacks (by
  folded key) are added, as other names, on a record carrying the stored name unchanged. A
  caller may still give ``persons=`` (a mapping from a reading to the slugs of its visitors);
  :func:`convert` without either makes one person of each folded (name, state) pair.
- **Occasions**: each multilateral occasion (:func:`.occasions.find_occasions`) is an event of
  its own, hosted by the United States, with a note that its list holds only the leaders the
  office counted as visits; each member visit is ``part_of`` it, and each member visit's
  visitors attend it too (the same capacity, quote and source), so its guest list reads like a
  parade's. The members are all of :attr:`.occasions.Occasion.visits`, the rows that say they
  attended and the rows that place their meeting at the occasion alike.
- **Offices seen**: a head of state or government's title on the visit's first day is evidence of
  the office held that day: an ``attested`` position (start and end that one day). The office is
  one the database holds for the state under that title, if exactly one does, else
  ``<title>-of-<state>``. A day on which the rows, or the rows and the stored holdings, give one
  office more holders than its seats is not recorded: two titles conflict and nothing here says
  which is right, so :attr:`Conversion.conflicts` lists them for a person to settle.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
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
from guestlist.models.names import People, stored_people
from guestlist.models.persons import Office, Person, Position, held_on
from guestlist.models.reports.display import state_short_name
from guestlist.models.states import State
from guestlist.models.text import fold, name_key
from guestlist.seeds import reference

from ...loader import LoadSummary
from ...loader import load as load_seeds
from ...loader.document import read_file
from ...loader.format import FORMAT, SECTIONS
from . import occasions as occasions_module
from . import persons as persons_module
from . import states
from .persons import PossibleDuplicate, Reconciled, Settlement
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
    names: dict[str, frozenset[str]] = field(default_factory=dict)  # person slug -> the keys of its names
    display: dict[str, str] = field(default_factory=dict)  # person slug -> its name

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
    duplicates: list[PossibleDuplicate] = field(default_factory=list)
    occasions: list[occasions_module.Occasion] = field(default_factory=list)

    SHOWN_DUPLICATES = 5

    @property
    def name(self) -> str:
        return f"<Office of the Historian visits v{self.release.version}>"

    def lines(self) -> list[str]:
        """What to print after the loader's counts."""
        out = [
            f"release: {self.release.label}",
            f"persons created: {self.persons_new}",
            f"persons matched to existing ones: {self.persons_stored}",
            f"possible duplicates: {len(self.duplicates)}",
        ]
        out.extend(f"  {d}" for d in self.duplicates[: self.SHOWN_DUPLICATES])
        if len(self.duplicates) > self.SHOWN_DUPLICATES:
            out.append(f"  ... and {len(self.duplicates) - self.SHOWN_DUPLICATES} more (--duplicates FILE writes all)")
        out.append(f"occasions: {len(self.occasions)}")
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
            "possible_duplicates": [str(d) for d in self.duplicates],
            "occasions": len(self.occasions),
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


def state_codes(readings: Sequence[Reading], notes: states.Interpretations | None = None) -> dict[int, str]:
    """Each visit's state of its day; an id that resolves to none is one SeedError naming the row."""
    codes: dict[int, str] = {}
    for reading in readings:
        visit = reading.visit
        try:
            codes[visit.id] = states.state_of(visit.from_id, visit.from_label, visit.start, notes)
        except states.HsgStateError as exc:
            raise SeedError(visit.file, f"visit {visit.id}", "from", str(exc)) from None
    return codes


def convert(
    release: Release,
    readings: Sequence[Reading],
    *,
    persons: PersonMap | None = None,
    stored: Stored | None = None,
    reconciled: Reconciled | None = None,
) -> Conversion:
    """The seed document of ``readings`` (a release's visits, interpreted).

    ``persons`` gives, for each reading, the person slug of each of its visitors, in order (the
    reconciliation's answer); without it :func:`default_persons` decides. ``reconciled`` (the
    reconciliation's result, whose sightings are these readings') gives the persons, their names
    and identifiers and the possible duplicates. ``stored`` is what the target database holds
    (:meth:`Stored.read`); without it, nothing.
    """
    stored = stored or Stored()
    source = source_slug(release)
    counts = Interpretations.of(readings)
    state_notes = states.Interpretations()
    codes = state_codes(readings, state_notes)
    for (id_, label, code), n in state_notes.counts.items():
        counts[Interpreted("country", f"{id_} / {label}", code)] += n
    if persons is not None:
        mapping: PersonMap = persons
    elif reconciled is not None:
        mapping = mapping_of(readings, reconciled)
    else:
        mapping = default_persons(readings, codes)
    names = state_names()
    found = occasions_module.find_occasions(readings, counts)
    occasion_of: dict[int, list[str]] = defaultdict(list)
    for occasion in found:
        for visit_id in occasion.visits:
            occasion_of[visit_id].append(occasion.slug)
    occasion_attendance: dict[tuple[str, str], dict[str, Any]] = {}

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
        record: dict[str, Any] = {
            "slug": event,
            "name": f"Visit of {layout(visit.visitor)} to the United States",
            "kind": reading.event_kind,
            "starts_on": visit.start,
            "ends_on": visit.end,
            "host": HOST,
            "description": layout(visit.description) or None,
        }
        if visit.id in occasion_of:
            record["relations"] = [{"relation": "part_of", "event": slug} for slug in occasion_of[visit.id]]
        events.append(record)
        seen: set[str] = set()
        for visitor, slug in zip(reading.visitors, slugs):
            if reconciled is not None and slug in reconciled.persons:
                person_records.setdefault(slug, {})
                if reconciled.persons[slug].existing:
                    persons_stored.add(slug)
            elif slug in stored.persons:
                persons_stored.add(slug)
            elif slug not in person_records:
                person_records[slug] = {"slug": slug, "name": visitor.name}
            if slug in seen:  # one person named twice in a row: one participation
                continue
            seen.add(slug)
            participation = {
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
            attendance.append({"event": event, **participation})
            for occasion_slug in occasion_of.get(visit.id, ()):  # the first row naming the person is kept
                occasion_attendance.setdefault((occasion_slug, slug), {"event": occasion_slug, **participation})
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
    if reconciled is not None:
        records = person_documents(reconciled, stored, [slug for slug in person_records])
        persons_new = sum(1 for slug in person_records if not reconciled.persons[slug].existing)
        duplicates = list(reconciled.duplicates)
    else:
        records = list(person_records.values())
        persons_new = len(person_records)
        duplicates = []
    document: dict[str, Any] = {
        "format": FORMAT,
        "source": source_record(release),
        "offices": [o for slug, o in offices.items() if slug in used],
        "persons": records,
        "positions": positions,
        "events": [*(occasion_event(o) for o in found), *events],
        "attendance": [*attendance, *occasion_attendance.values()],
    }
    return Conversion(release, document, counts, conflicts, persons_new, len(persons_stored), duplicates, found)


OCCASION_NOTE_TOPIC = "guest list"


def occasion_event(occasion: occasions_module.Occasion) -> dict[str, Any]:
    """The event of a multilateral occasion; its guest list is its member visits' visitors."""
    return {
        "slug": occasion.slug,
        "name": occasion.name,
        "kind": occasion.kind,
        "starts_on": occasion.start,
        "ends_on": occasion.end,
        "city": occasion.city,
        "venue": occasion.venue,
        "host": HOST,
        "notes": [{"topic": OCCASION_NOTE_TOPIC, "text": occasion.note}],
    }


def mapping_of(readings: Sequence[Reading], reconciled: Reconciled) -> dict[Reading, tuple[str, ...]]:
    """Each reading's visitors' persons, as the reconciliation of the same readings decided."""
    by_slot = {(s.visit_id, s.index): slug for s, slug in reconciled.person_of.items()}
    try:
        return {r: tuple(by_slot[(r.visit.id, n)] for n in range(len(r.visitors))) for r in readings}
    except KeyError as exc:
        raise ValueError(f"the reconciliation leaves out visitor {exc.args[0]} (visit, place)") from None


def identifier_of(person: persons_module.Person, reconciled: Reconciled, shared: Mapping[str, int]) -> str:
    """The visitor key a later import finds ``person`` by: the key of its display name where it has it.

    A key more than one person carries gets the first year the person was seen under it.
    """
    own = f"{name_key(persons_module.bare_name(person.name))}@{person.state}"
    key = own if own in person.keys else person.keys[0]
    if shared[key] > 1:
        first = min(s.day for s, slug in reconciled.person_of.items() if slug == person.slug and s.key == key)
        return f"{key}/{first.year}"
    return key


def person_documents(reconciled: Reconciled, stored: Stored, slugs: Iterable[str]) -> list[dict[str, Any]]:
    """The person records of the persons ``slugs`` (in that order): a new one whole, an existing one's new names only."""
    shared: Counter[str] = Counter(k for p in reconciled.persons.values() for k in p.keys)
    out: list[dict[str, Any]] = []
    for slug in slugs:
        person = reconciled.persons[slug]
        if not person.existing:
            record: dict[str, Any] = {"slug": slug, "name": person.name}
            if person.names:
                record["other_names"] = [{"name": n, "kind": "alternate"} for n in person.names]
            record["identifiers"] = {persons_module.SCHEME: identifier_of(person, reconciled, shared)}
            out.append(record)
            continue
        known = set(stored.names.get(slug, frozenset()))
        extra = []
        for name in person.names:
            key = name_key(name)
            if key and key not in known:
                known.add(key)
                extra.append({"name": name, "kind": "alternate"})
        if extra:
            out.append({"slug": slug, "name": stored.display.get(slug, person.name), "other_names": extra})
    return out


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


def stored_identifiers(conn: Connection) -> list[tuple[str, str]]:
    """(person slug, visitor key) of every stored person an import of the visits created."""
    rows = conn.execute(
        sa.text(
            "SELECT p.slug, i.identifier FROM person_identifiers i JOIN persons p ON p.id = i.person_id"
            " WHERE i.scheme = :scheme"
        ),
        {"scheme": persons_module.SCHEME},
    )
    return sorted((slug, identifier) for slug, identifier in rows)


def reconcile_stored(
    conn: Connection, readings: Sequence[Reading], settlement: Settlement | None = None
) -> tuple[Reconciled, People]:
    """The reconciliation of ``readings`` with the database's people, and what a previous import settled.

    The visitor keys stored as identifiers are settled as the persons that carry them, unless the
    user's ``settlement`` pairs the key with another person (its ``different`` pairs bind too).
    """
    people = stored_people(conn)
    given = settlement or Settlement()
    same = []
    for slug, identifier in stored_identifiers(conn):
        try:
            same.append((persons_module.read_side(identifier), persons_module.Side(slug=slug)))
        except ValueError:
            continue  # an identifier of this scheme written by hand, not a visitor key: not ours to read
    # The user's pairs come last: where they name another person for a stored key, they win.
    full = Settlement(same=[*same, *given.same], different=list(given.different))
    seen = persons_module.sightings(readings)
    return persons_module.reconcile(seen, people, full, persons_module.stored_delegations(conn)), people


def read_settlement_file(path: Path | str) -> Settlement:
    """The ``hsg-persons`` section of the YAML document at ``path`` (one SeedError if it is wrong)."""
    document = read_file(Path(path))
    return persons_module.read_settlement(document.data, document.name)


DUPLICATE_COLUMNS = (
    "a", "a_key", "a_names", "a_state", "a_years",
    "b", "b_key", "b_names", "b_state", "b_years",
    "score", "why",
)  # fmt: skip


def write_duplicates(path: Path | str, duplicates: Iterable[PossibleDuplicate]) -> None:
    """Every possible duplicate as a CSV row: the two persons, their keys (to copy into a settlement) and evidence."""
    from guestlist.seeds.exporters.output import write_text
    from guestlist.seeds.exporters.spreadsheet import inert

    handle = io.StringIO()
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(DUPLICATE_COLUMNS)
    for d in duplicates:
        row = {**vars(d), "a_names": " / ".join(d.a_names), "b_names": " / ".join(d.b_names)}
        writer.writerow([inert(row[c]) for c in DUPLICATE_COLUMNS])
    write_text(path, handle.getvalue())


def load(
    db: Database,
    path: Path | str,
    *,
    version: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    persons: Callable[[Connection, Sequence[Reading]], PersonMap] | None = None,
    settlement: Settlement | None = None,
) -> tuple[LoadSummary, Conversion]:
    """Import the release at ``path`` into ``db`` (a URL, an engine or a connection), all or nothing.

    ``persons(conn, readings)`` is the reconciliation: it may read the database before the load.
    Without it, :func:`reconcile_stored` decides, with ``settlement`` (see
    :func:`.persons.read_settlement`).
    """
    release, readings = read(path, version)
    reconciled: Reconciled | None = None
    with connect(db) as conn:
        began = not conn.in_transaction()
        try:
            require_head(conn)
            stored = Stored.read(conn)
            if persons is not None:
                mapping = persons(conn, readings)
            else:
                mapping = None
                state_codes(readings)  # an unknown id is one line naming its row, before anything else
                reconciled, people = reconcile_stored(conn, readings, settlement)
                stored.display = dict(people.display)
                keys: dict[str, set[str]] = defaultdict(set)
                for key, slugs in people.names.items():
                    for slug in slugs:
                        keys[slug].add(key)
                stored.names = {slug: frozenset(k) for slug, k in keys.items()}
        finally:
            if began and conn.in_transaction():
                conn.rollback()  # a caller's connection is left as it came
    conversion = convert(release, readings, persons=mapping, stored=stored, reconciled=reconciled)
    items = [(HISTORIC_STATES_NAME, states.states_document()), (conversion.name, conversion.document)]
    summary = load_seeds(db, items, dry_run=dry_run, progress=progress)
    return summary, conversion
