"""One person per human being behind the visitors of the Office of the Historian's releases.

A visitor is seen as a :class:`Sighting`: the name as written, the title, the capacity, the state
of the day (:func:`~guestlist.seeds.importers.hsg.states.state_of`) and the visit's date.
:func:`reconcile` decides who each sighting is, in four steps, each stated as a rule so that a
result can be explained:

1. **Folding.** The name's key is :func:`guestlist.models.text.name_key` of the name without a
   leading honorific that :mod:`.visits` left (it keeps one when it would leave a single word):
   case, accents and script go, so "Viktor Orbán" and "Viktor Orban" are one key. The person's
   *visitor key* is ``<name key>@<state code>`` ("olafscholz@DEU"): a name means one person only
   within one state.
2. **Careers.** The sightings of one visitor key are one person, except where the data says
   two: a monarch is never afterwards a crown prince (King Hussein, 1959-1998, and Crown Prince
   Hussein of Jordan, 2023, are two), two persons named in one row are two, and a name unseen for
   more than :data:`GAP_YEARS` may be a namesake (Konstantinos Karamanlis, 1978 and 2004), unless
   it carries a regnal number. Such a split is recorded as a possible duplicate, since only a
   rule separated them. One visitor slot of one visit whose name a later release corrected
   ("Olaf Scholtz" in v0.6.1, "Olaf Scholz" in v0.6.4) is one person when the names are close.
3. **Variants within a state.** Two careers of one state are one person when the names are a
   typo apart (``rapidfuzz`` ratio of the keys >= :data:`SAME_SCORE`: "Olaf Scholtz" and "Olaf
   Scholz") or one name's words are the other's with words left out ("Abdullah II" and "Abdullah
   II bin Al-Hussein"; "Najib Razak" and "Mohd Najib Razak"), *and* their careers lie within
   :data:`WINDOW_YEARS` of each other, *and* no row names both. A one-word name ("Castro",
   "Hussein") joins a longer one only when exactly one longer name of that state fits the window.
   Everything weaker is not merged but kept as a :class:`PossibleDuplicate` with its evidence:
   a score in the grey zone (>= :data:`GREY_SCORE`), a typo or shorter name outside the window
   ("Premier Castro", 1959, and "President Raul Castro", 2015), the same name in two states
   (a president of Czechoslovakia and then of the Czech Republic).
4. **The record.** A person becomes an existing person of the database (a :class:`People` from
   :func:`guestlist.models.names.stored_people`) when one of its names is one of theirs *and*
   that person held an office of the same state on a day of the visits or within
   :data:`GAP_YEARS` of them, or, for a person the record gives no office at all, attended an
   event for that state (:func:`stored_delegations`): name, state and date together. The same
   name without the state (or the date) is a possible duplicate, not a match. A near name (a
   score >= :data:`GREY_SCORE`, or one name's words within the other's: "Hailemariam Desalegn"
   and "Hailemariam Dessalegn", "Dato' Seri Anwar bin Ibrahim" and "Anwar Ibrahim") is that
   person when exactly one stored person held the visitor's capacity in that state on a visit's
   day: only one person held that seat. A near name held by someone in office in the state on
   the day, but in another capacity (or by more than one), is a possible duplicate.

**Settlement.** What the rules cannot decide a user settles in a seed document, which every
later import reads (:func:`read_settlement`)::

    hsg-persons:
      same:                       # these are one person
        - [olafscholtz@DEU, olafscholz@DEU]
        - [castro@CUB, fidel-castro]          # a visitor key and an existing person's slug
      different:                  # these are two, whatever the rules say
        - [abdullah@JOR, abdullahii@JOR]
        - [hussein@JOR/1964, hussein@JOR/2023]

A side is a visitor key, a visitor key with ``/YEAR`` (the career of that key seen that year,
where a key has two) or the slug of an existing person. ``same`` is applied before the rules
and ``different`` binds them: no rule (and no ``same`` pair) joins two sides a ``different``
pair keeps apart. The visitor keys are what a possible duplicate shows, so a user copies them
from the report.

**Output.** :class:`Reconciled`: each sighting's person (an existing slug, or a new slug made
from the display name, unique among both), the new persons with their names as written, the
matches to existing persons, the possible duplicates, and the counts. The result depends only on
the sightings, the stored people and the settlement, not on their order.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa
from anyascii import anyascii
from rapidfuzz import fuzz
from sqlalchemy.engine import Connection

from guestlist.models.errors import SeedError
from guestlist.models.names import Holding, People
from guestlist.models.persons import held_on
from guestlist.models.text import fold, name_key

from .states import state_of
from .visits import HONORIFICS, Reading

SCHEME = "hsg-visitor"  # the identifier scheme of a visitor key, "olafscholz@DEU"
SETTLEMENT = "hsg-persons"  # the section of a seed document holding a settlement

SAME_SCORE = 90.0  # a ratio of two keys from which a difference is a typo
GREY_SCORE = 80.0  # from here up to SAME_SCORE the names are too close to call
WINDOW_YEARS = 5  # careers farther apart than this are not joined by a name alone
GAP_YEARS = 20  # one name, unseen for longer than this: perhaps a namesake (Karamanlis, 1978 and 2004)

# Titles of a reigning monarch, and of an heir: a monarch does not become an heir again.
MONARCHS = frozenset({"King", "Queen", "Emperor", "Amir", "Emir", "Sultan", "Shah", "Grand Duke", "Grand Duchess"})
HEIRS = frozenset({"Crown Prince"})

HONORIFIC = re.compile(r"(?:" + "|".join(re.escape(h) for h in HONORIFICS) + r")\s+", re.IGNORECASE)
WORD = re.compile(r"[a-z0-9]+")
ROMAN = re.compile(r"[IVXL]+")
PATRONYMIC = frozenset({"bin", "ibn", "ben", "bint", "binti"})  # the words after it name the father


@dataclass(frozen=True, order=True)
class Sighting:
    """One visitor of one row of one release, as reconciliation reads it."""

    visit_id: int
    index: int  # the visitor's place in the row (0, or 1 for the second of two)
    day: dt.date
    state: str
    name: str  # as the row writes it, once the title is off
    title: str | None
    capacity: str

    @property
    def key(self) -> str:
        return f"{name_key(bare_name(self.name))}@{self.state}"


def bare_name(name: str) -> str:
    """``name`` without leading honorifics, unless that would leave one word ("Sheikh Hasina" stays)."""
    rest = " ".join(name.split()).strip(" -&,")
    while (m := HONORIFIC.match(rest)) and len(rest[m.end() :].split()) > 1:
        rest = rest[m.end() :]
    return rest


def regnal(name: str) -> bool:
    """Whether ``name`` carries a regnal number ("Carl XVI Gustaf", "Elizabeth II"): one person per state."""
    return any(ROMAN.fullmatch(w) for w in name.split())


@functools.cache  # a name is read once per pair of careers of its state
def words(name: str) -> tuple[str, ...]:
    return tuple(WORD.findall(anyascii(fold(bare_name(name))).lower()))


def sightings(readings: Iterable[Reading]) -> list[Sighting]:
    """Every visitor of ``readings`` with the state of the visit's day; an unknown id raises HsgStateError."""
    out = []
    for reading in readings:
        v = reading.visit
        state = state_of(v.from_id, v.from_label, v.start)
        for index, visitor in enumerate(reading.visitors):
            out.append(Sighting(v.id, index, v.start, state, visitor.name, visitor.title, visitor.capacity))
    return out


@dataclass(frozen=True)
class Side:
    """One side of a settlement pair: a visitor key (with a year, to pick one career) or a person's slug."""

    key: str | None = None
    year: int | None = None
    slug: str | None = None

    def __str__(self) -> str:
        if self.slug:
            return self.slug
        return f"{self.key}/{self.year}" if self.year else str(self.key)


@dataclass
class Settlement:
    """Pairs a user declared one person (``same``) or two (``different``)."""

    same: list[tuple[Side, Side]] = field(default_factory=list)
    different: list[tuple[Side, Side]] = field(default_factory=list)


SIDE = re.compile(r"(?P<key>[a-z0-9]+@[A-Z0-9]{3})(?:/(?P<year>\d{4}))?")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def read_side(text: Any) -> Side:
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a visitor key (name@STATE) or a person's slug")
    if m := SIDE.fullmatch(text.strip()):
        return Side(key=m["key"], year=int(m["year"]) if m["year"] else None)
    if SLUG.fullmatch(text.strip()):
        return Side(slug=text.strip())
    raise ValueError(f"{text!r} is not a visitor key (name@STATE, e.g. 'olafscholz@DEU') or a person's slug")


def read_settlement(document: Mapping[str, Any], file: str) -> Settlement:
    """The settlement of a seed document's ``hsg-persons`` section (an empty one without it).

    A wrong entry is one :class:`SeedError` naming the file, the pair and the field.
    """
    section = document.get(SETTLEMENT)
    settlement = Settlement()
    if section is None:
        return settlement
    if not isinstance(section, Mapping):
        raise SeedError(file, SETTLEMENT, None, "must be a mapping with 'same' and/or 'different'")
    for name in section:
        if name not in ("same", "different"):
            raise SeedError(file, SETTLEMENT, str(name), "is not a field of a settlement (same, different)")
    for name, pairs in (("same", settlement.same), ("different", settlement.different)):
        given = section.get(name) or []
        if not isinstance(given, list):
            raise SeedError(file, SETTLEMENT, name, "must be a list of pairs")
        for n, pair in enumerate(given, 1):
            record = f"{SETTLEMENT} {name} pair {n}"
            if not isinstance(pair, list) or len(pair) != 2:
                raise SeedError(file, record, name, f"{pair!r} is not a pair [a, b]")
            try:
                a, b = read_side(pair[0]), read_side(pair[1])
            except ValueError as exc:
                raise SeedError(file, record, name, str(exc)) from None
            if a == b:
                raise SeedError(file, record, name, f"names {a} twice")
            pairs.append((a, b))
    return settlement


@dataclass
class Person:
    """A person the visits name: new (``existing`` False) or one of the database's."""

    slug: str
    name: str  # the display name: the form most written (the latest of equals)
    names: tuple[str, ...]  # every other form as written
    state: str
    first: dt.date
    last: dt.date
    keys: tuple[str, ...]  # visitor keys (scheme 'hsg-visitor')
    existing: bool = False
    matched: str = ""  # for an existing person: why


@dataclass(frozen=True)
class PossibleDuplicate:
    """Two persons kept apart that may be one, with the evidence a user needs to settle it."""

    a: str  # slug
    b: str
    a_key: str  # visitor key (or slug of a stored person)
    b_key: str
    a_names: tuple[str, ...]
    b_names: tuple[str, ...]
    a_state: str | None
    b_state: str | None
    a_years: str
    b_years: str
    score: float
    why: str

    def __str__(self) -> str:
        return (
            f"{self.a} ({' / '.join(self.a_names)}, {self.a_state}, {self.a_years}) and "
            f"{self.b} ({' / '.join(self.b_names)}, {self.b_state}, {self.b_years}): {self.why}, score {self.score:.0f}"
            f" [{self.a_key} {self.b_key}]"
        )


@dataclass
class Reconciled:
    person_of: dict[Sighting, str]
    persons: dict[str, Person]  # every person the sightings name, new and existing, by slug
    duplicates: list[PossibleDuplicate]

    @property
    def created(self) -> list[Person]:
        return [p for p in self.persons.values() if not p.existing]

    @property
    def matched(self) -> list[Person]:
        return [p for p in self.persons.values() if p.existing]

    def counts(self) -> dict[str, int]:
        return {
            "sightings": len(self.person_of),
            "persons": len(self.persons),
            "created": len(self.created),
            "matched": len(self.matched),
            "possible duplicates": len(self.duplicates),
        }


@dataclass
class Career:
    """The sightings of one visitor key that the rules hold to be one person."""

    key: str
    state: str
    sightings: list[Sighting]

    @property
    def first(self) -> dt.date:
        return self.sightings[0].day

    @property
    def last(self) -> dt.date:
        return self.sightings[-1].day

    @property
    def label(self) -> str:
        return self.key

    def names(self) -> list[str]:
        return sorted({s.name for s in self.sightings})


def careers_of(seen: Sequence[Sighting]) -> list[Career]:
    """The careers of every visitor key, in a stable order (first day, key)."""
    by_key: dict[str, list[Sighting]] = defaultdict(list)
    for s in seen:
        by_key[s.key].append(s)
    out: list[Career] = []
    for key, group in by_key.items():
        group.sort()
        group.sort(key=lambda s: s.day)
        parts: list[list[Sighting]] = [[]]
        for s in group:
            current = parts[-1]
            was_monarch = any(x.title in MONARCHS for x in current)
            same_row = any(x.visit_id == s.visit_id and x.index != s.index for x in current)
            long_gap = bool(current) and (s.day - current[-1].day).days / 365.25 > GAP_YEARS and not regnal(s.name)
            if current and ((was_monarch and s.title in HEIRS) or same_row or long_gap):
                parts.append([])
            parts[-1].append(s)
        out.extend(Career(key, group[0].state, part) for part in parts)
    out.sort(key=lambda c: (c.first, c.key))
    return out


def years(first: dt.date, last: dt.date) -> str:
    return str(first.year) if first.year == last.year else f"{first.year}-{last.year}"


def gap_years(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> float:
    """Years between two spans (0 when they overlap)."""
    if a[1] < b[0]:
        return (b[0] - a[1]).days / 365.25
    if b[1] < a[0]:
        return (a[0] - b[1]).days / 365.25
    return 0.0


def subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether ``short``'s words are ``long``'s in order with words left out (and not all of them).

    A one-word name is a person's given name or family name, so it must be the first or the last
    word, and not the father's name of a patronymic ("Hussein" is not "Abdullah II bin Al-Hussein").
    """
    if not short or len(short) >= len(long):
        return False
    if len(short) == 1:
        own = long[: next((n for n, w in enumerate(long) if w in PATRONYMIC), len(long))]
        return short[0] in (own[0], own[-1]) if own else False
    it = iter(long)
    return all(w in it for w in short)


class Groups:
    """Union-find over careers, refusing any union a ``different`` pair forbids."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.apart: set[tuple[int, int]] = set()

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def members(self, i: int) -> list[int]:
        root = self.find(i)
        return [j for j in range(len(self.parent)) if self.find(j) == root]

    def may_join(self, i: int, j: int) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return True
        ma, mb = set(self.members(a)), set(self.members(b))
        return not any((x in ma and y in mb) or (x in mb and y in ma) for x, y in self.apart)

    def join(self, i: int, j: int) -> bool:
        if not self.may_join(i, j):
            return False
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)
        return True


def slug_of(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", anyascii(fold(name)).lower()).strip("-")[:100] or "person"


def reconcile(
    seen: Iterable[Sighting],
    people: People | None = None,
    settlement: Settlement | None = None,
    delegations: Mapping[str, set[str]] | None = None,
) -> Reconciled:
    """Who every sighting is: see the module's docstring for the rules.

    ``people`` and ``delegations`` (:func:`stored_delegations`) describe the database; without
    them every person is new.
    """
    people = people or People()
    delegations = delegations or {}
    settlement = settlement or Settlement()
    careers = careers_of(sorted(set(seen)))
    groups = Groups(len(careers))
    duplicates: list[tuple[int, int, float, str]] = []  # careers kept apart
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(careers):
        by_key[c.key].append(i)

    def careers_named(side: Side) -> list[int]:
        found = by_key.get(side.key or "", [])
        return [i for i in found if side.year is None or careers[i].first.year <= side.year <= careers[i].last.year]

    forced: dict[int, str] = {}  # career -> existing slug a settlement gave it
    refused: set[tuple[int, str]] = set()  # career, existing slug a settlement keeps apart
    for a, b in settlement.different:
        if a.slug or b.slug:
            slug, other = (a.slug, b) if a.slug else (b.slug, a)
            refused.update((i, str(slug)) for i in careers_named(other))
        else:
            groups.apart.update((i, j) for i in careers_named(a) for j in careers_named(b))
    for a, b in settlement.same:
        if a.slug and b.slug:
            continue  # two existing persons: a matter for the record's own documents
        if a.slug or b.slug:
            slug, other = (a.slug, b) if a.slug else (b.slug, a)
            for i in careers_named(other):
                if (i, slug) not in refused:
                    forced[i] = str(slug)
            continue
        for i in careers_named(a):
            for j in careers_named(b):
                groups.join(i, j)

    for idxs in by_key.values():  # careers the rules split (a settlement may join them)
        for i, j in zip(idxs, idxs[1:]):
            duplicates.append(
                (
                    i,
                    j,
                    100.0,
                    f"the same name, but a monarch before an heir, two in one row, or unseen for over {GAP_YEARS} years",
                )
            )
            groups.apart.add((i, j))

    # Variants within a state.
    by_state: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(careers):
        by_state[c.state].append(i)
    for state_careers in by_state.values():
        shorter: dict[int, list[int]] = defaultdict(list)
        for x, i in enumerate(state_careers):
            for j in state_careers[x + 1 :]:
                ci, cj = careers[i], careers[j]
                if ci.key == cj.key:
                    continue
                wi, wj = words(ci.sightings[0].name), words(cj.sightings[0].name)
                ki, kj = ci.key.split("@")[0], cj.key.split("@")[0]
                score = max(fuzz.ratio(ki, kj), fuzz.token_sort_ratio(" ".join(wi), " ".join(wj)))
                near = gap_years((ci.first, ci.last), (cj.first, cj.last)) <= WINDOW_YEARS
                slots_i = {(s.visit_id, s.index) for s in ci.sightings}
                slots_j = {(s.visit_id, s.index) for s in cj.sightings}
                rows_j = {v for v, _ in slots_j}
                one_row = any((v, n) not in slots_j for v, n in slots_i if v in rows_j)
                if slots_i & slots_j and score >= GREY_SCORE and not one_row:  # a release corrected the name
                    if groups.join(i, j):
                        continue
                if subsequence(wi, wj) or subsequence(wj, wi):
                    short, long = (i, j) if len(wi) < len(wj) else (j, i)
                    if near and not one_row:
                        shorter[short].append(long)
                    else:
                        duplicates.append((i, j, score, "one name is the other's with words left out, careers apart"))
                elif score >= SAME_SCORE and near and not one_row:
                    if not groups.join(i, j):
                        duplicates.append((i, j, score, "a typo apart, but settled as different"))
                elif score >= GREY_SCORE:
                    why = "a typo apart, careers apart" if score >= SAME_SCORE else "names close, not close enough"
                    duplicates.append((i, j, score, why))
        for short, longs in sorted(shorter.items()):
            single = len(words(careers[short].sightings[0].name)) == 1
            if single and len({groups.find(x) for x in longs}) > 1:
                for x in longs:
                    duplicates.append((short, x, 100.0, "a one-word name that fits more than one longer name"))
                continue
            for x in longs:
                if not groups.join(short, x):
                    duplicates.append((short, x, 100.0, "one name within the other, but settled as different"))

    # The same name in two states.
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(careers):
        by_name[c.key.split("@")[0]].append(i)
    for idxs in by_name.values():
        states = sorted({careers[i].state for i in idxs})
        if len(states) > 1:
            firsts = {st: next(i for i in idxs if careers[i].state == st) for st in states}
            for a_state, b_state in zip(states, states[1:]):
                duplicates.append((firsts[a_state], firsts[b_state], 100.0, "the same name in two states"))

    # One person per group.
    roots: dict[int, list[int]] = defaultdict(list)
    for i in range(len(careers)):
        roots[groups.find(i)].append(i)
    persons: dict[str, Person] = {}
    person_of: dict[Sighting, str] = {}
    slug_of_career: dict[int, str] = {}
    stored_dups: list[PossibleDuplicate] = []
    taken = set(people.display)
    held_by: dict[tuple[str, str | None], list[Holding]] = defaultdict(list)
    for h in people.positions:
        held_by[h.slug, h.state].append(h)
    for root in sorted(roots, key=lambda r: (careers[r].first, careers[r].key)):
        members = roots[root]
        seen_here = sorted((s for i in members for s in careers[i].sightings), key=lambda s: (s.day, s))
        written = Counter(s.name for s in seen_here)
        latest = {s.name: s.day for s in seen_here}
        display = max(written, key=lambda n: (written[n], latest[n], n))
        state = Counter(s.state for s in seen_here).most_common(1)[0][0]
        keys = tuple(sorted({careers[i].key for i in members}))
        first, last = seen_here[0].day, seen_here[-1].day
        forced_slugs = {forced[i] for i in members if i in forced}
        refused_slugs = {slug for i, slug in refused if i in members}
        near_misses: list[PossibleDuplicate] = []
        slug, why = match_existing(
            held_by, delegations, people, seen_here, state, forced_slugs, refused_slugs, near_misses
        )
        if slug:
            person = persons.get(slug)
            if person is None:
                persons[slug] = Person(
                    slug, people.display.get(slug, slug), (), state, first, last, keys, existing=True, matched=why
                )
            else:
                person.keys = tuple(sorted({*person.keys, *keys}))
                person.first, person.last = min(person.first, first), max(person.last, last)
            persons[slug].names = tuple(sorted({*persons[slug].names, *written}))
        else:
            slug = slug_of(display)
            if slug in taken:
                slug = f"{slug}-{state.lower()}"
            base, n = slug, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            persons[slug] = Person(slug, display, tuple(sorted(set(written) - {display})), state, first, last, keys)
        taken.add(slug)
        stored_dups.extend(replace(d, a=slug) for d in near_misses)
        for i in members:
            slug_of_career[i] = slug
        for s in seen_here:
            person_of[s] = slug

    out: list[PossibleDuplicate] = []
    done: set[tuple[str, str]] = set()
    for i, j, score, why in duplicates:
        first_slug, second_slug = slug_of_career[i], slug_of_career[j]
        if first_slug == second_slug or (first_slug, second_slug) in done:
            continue
        done.add((first_slug, second_slug))
        ci, cj = careers[i], careers[j]
        out.append(
            PossibleDuplicate(
                first_slug,
                second_slug,
                ci.key if len(by_key[ci.key]) == 1 else f"{ci.key}/{ci.first.year}",
                cj.key if len(by_key[cj.key]) == 1 else f"{cj.key}/{cj.first.year}",
                tuple(ci.names()),
                tuple(cj.names()),
                ci.state,
                cj.state,
                years(ci.first, ci.last),
                years(cj.first, cj.last),
                round(score, 1),
                why,
            )
        )
    for d in stored_dups:
        if (d.a, d.b) not in done and d.a != d.b:
            done.add((d.a, d.b))
            out.append(d)
    out.sort(key=lambda d: (d.a_state or "", d.a, d.b))
    return Reconciled(person_of, dict(sorted(persons.items())), out)


def match_existing(
    held_by: Mapping[tuple[str, str | None], list[Holding]],
    delegations: Mapping[str, set[str]],
    people: People,
    seen: list[Sighting],
    state: str,
    forced: set[str],
    refused: set[str],
    dups: list[PossibleDuplicate],
) -> tuple[str | None, str]:
    """The stored person these sightings are (slug, why), or (None, ''); near misses go to ``dups``."""
    if len(forced) == 1:
        return next(iter(forced)), "settled as the same person"
    names = sorted({s.name for s in seen})
    keys = {name_key(bare_name(n)) for n in names}
    days = sorted({s.day for s in seen})
    span = (days[0], days[-1])
    label = keys_label(seen)
    candidates = sorted({slug for k in keys for slug in people.names.get(k, {})} - refused)
    fits: list[tuple[str, str]] = []
    for slug in candidates:
        held = held_by.get((slug, state), [])
        on_day = [h for h in held if any(held_on(h.start, h.end, d) for d in days)]
        near = [h for h in held if gap_years((h.start, h.end or h.start), span) <= GAP_YEARS]
        anywhere = [h for slug_state, hs in held_by.items() if slug_state[0] == slug for h in hs]
        if on_day:
            fits.append((slug, f"name, and {on_day[0].title} on a visit's day"))
        elif near:
            fits.append((slug, f"name, and {near[0].title} within {GAP_YEARS} years of the visits"))
        elif not anywhere and state in delegations.get(slug, ()):
            fits.append((slug, f"name, and attended an event for {state} (no office recorded)"))
        else:
            other = sorted({h.state or "-" for h in anywhere})
            dups.append(
                stored_duplicate(
                    slug,
                    people,
                    seen,
                    state,
                    label,
                    100.0,
                    f"the same name, but no office of {state} near the visits (offices of {', '.join(other) or 'no state'})",
                )
            )
    if len(fits) == 1:
        return fits[0]
    for slug, _ in fits:
        dups.append(
            stored_duplicate(
                slug, people, seen, state, label, 100.0, "the same name and state: more than one stored person fits"
            )
        )
    if fits:
        return None, ""
    # Near names held by someone in office in the state on a visit's day. Holding the very capacity
    # the visitor came in on that day decides between near names: only one person held it.
    in_state = sorted({slug for slug, st in held_by if st == state} - refused - set(candidates))
    mine_words = {words(n) for n in names}
    near: list[tuple[str, float, Holding, bool]] = []
    for slug in in_state:
        held = [h for h in held_by[slug, state] if any(held_on(h.start, h.end, d) for d in days)]
        if not held:
            continue
        theirs = [k for k, slugs in people.names.items() if slug in slugs]
        score = max((fuzz.ratio(k, mine) for k in theirs for mine in keys), default=0.0)
        their_words = {words(recorded[slug]) for recorded in people.names.values() if slug in recorded}
        within = any(
            len(a) > 1 and len(b) > 1 and (subsequence(a, b) or subsequence(b, a))
            for a in mine_words
            for b in their_words
        )
        if score < GREY_SCORE and not within:
            continue
        same_seat = any(
            h.capacity == s.capacity and h.tenure == "ordinary" and held_on(h.start, h.end, s.day)
            for h in held
            for s in seen
        )
        near.append((slug, score, held[0], same_seat))
    seated = [n for n in near if n[3]]
    if len(seated) == 1:
        slug, score, holding, _ = seated[0]
        return slug, f"a name close to theirs (score {score:.0f}), and {holding.title} on a visit's day"
    for slug, score, holding, _ in near:
        dups.append(
            stored_duplicate(
                slug, people, seen, state, label, score, f"names close, and {holding.title} on a visit's day"
            )
        )
    return None, ""


def stored_delegations(conn: Connection) -> dict[str, set[str]]:
    """The states each stored person attended an event for (a person the record gives no office)."""
    out: dict[str, set[str]] = defaultdict(set)
    rows = conn.execute(
        sa.text(
            "SELECT p.slug, s.code FROM attendance a JOIN persons p ON p.id = a.person_id"
            " JOIN states s ON s.id = a.state_id"
        )
    )
    for slug, code in rows:
        out[slug].add(code)
    return dict(out)


def keys_label(seen: list[Sighting]) -> str:
    return " ".join(sorted({s.key for s in seen}))


def stored_duplicate(
    slug: str, people: People, seen: list[Sighting], state: str, label: str, score: float, why: str
) -> PossibleDuplicate:
    """A pair of a visitor (its slug filled in as its first key until the person has one) and a stored person."""
    names = tuple(sorted({s.name for s in seen}))
    held = sorted({(h.start, h.end or h.start) for h in people.positions if h.slug == slug})
    stored_years = years(held[0][0], max(e for _, e in held)) if held else "-"
    states = sorted({h.state for h in people.positions if h.slug == slug and h.state})
    return PossibleDuplicate(
        label.split()[0],
        slug,
        label.split()[0],
        slug,
        names,
        (people.display.get(slug, slug),),
        state,
        ", ".join(states) or None,
        years(seen[0].day, seen[-1].day),
        stored_years,
        round(score, 1),
        why,
    )
