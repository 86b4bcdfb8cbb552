"""What a newer release of the Office of the Historian's visits changed, visit by visit.

The office keys each visit by its ``id`` and corrects rows in place, so two releases are compared
id by id (:func:`compare`); the order of the rows plays no part. Every visit of either release is
one of: unchanged, added (an id only the newer release has), removed (an id it no longer has: the
importer deprecates what the visit said, it never deletes it), or changed, with one
:class:`Change` per thing that changed:

- ``corrected_name``: a visitor's name changed but it is the same person (a misspelling fixed,
  an accent added, words added or left out);
- ``reattributed``: the visit is now someone else's (the old visitor's claim is deprecated, the
  new visitor's added); a visitor added to or dropped from a row is this kind too, with the other
  side empty;
- ``renamed_id``: the country id changed to one that is the same state (``czech-republic`` to
  ``czechia``; any change of label with it is part of the renaming): it changes no fact;
- ``label``: the country's label changed under the same id: it changes no fact either, since the
  id and the day decide the state (:func:`~guestlist.seeds.importers.hsg.states.state_of`) and the
  label is not quoted;
- ``dates``: the start or end date; ``description``: the description's text;
- ``other``: anything else (a title as written, the creation or modification time, the visitor
  text's joining words, a country id changed to another state).

Text is compared with the XML's layout whitespace made single spaces, as the claims quote it: a
line broken elsewhere is no change.

**Same person or another.** The visitors of the two rows (:func:`~guestlist.seeds.importers.hsg.
visits.interpret`) are paired name by name: first names written alike, then names of one folded
key (:func:`guestlist.models.text.name_key` of the name without honorifics, as
:mod:`.persons` folds them), then the closest remaining pair whose score is at least
:data:`CORRECTION_SCORE` (= :data:`.persons.GREY_SCORE`, 80) or whose words are the other's with
words left out ("Mohd Najib Razak" and "Najib Razak"). The score is :mod:`.persons`'s: the higher
of ``rapidfuzz`` ``ratio`` of the two keys and ``token_sort_ratio`` of their words (0 to 100).
Such a pair is a corrected name: 80 is the score from which :mod:`.persons` takes one visitor
slot of one visit, renamed by a later release, for one person, so the importer and the
reconciliation agree ("Olaf Scholtz" and "Olaf Scholz": 95.7). A name left unpaired is a
re-attribution ("Mohd Najib Razak" and "Ismail Sabri Yaakob": 51.6). A name that folds to the
same key is the same person here even under another title (a king's row rewritten as a crown
prince's): the title's change is listed beside it as ``other``, and :mod:`.persons`, which knows
careers, decides who the visitors are.

**Reasons.** Each change carries the text the importer puts on a claim it deprecates for it:
``corrected in release v0.6.4`` (``removed in release v0.6.4`` for a removed visit, ``added in
release v0.6.4`` for an added one, for the listing).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from guestlist.models.text import name_key

from .persons import GREY_SCORE, bare_name, subsequence, words
from .states import HsgStateError, same_state, state_of
from .visits import Reading, Visit, Visitor, clean, interpret

UNCHANGED, ADDED, REMOVED = "unchanged", "added", "removed"
CORRECTED_NAME, REATTRIBUTED = "corrected_name", "reattributed"
RENAMED_ID, LABEL, DATES, DESCRIPTION, OTHER = "renamed_id", "label", "dates", "description", "other"
# Every kind, in the order a listing shows them; "unchanged" counts visits and is never listed.
KINDS = (ADDED, REMOVED, CORRECTED_NAME, REATTRIBUTED, RENAMED_ID, LABEL, DATES, DESCRIPTION, OTHER, UNCHANGED)
# Kinds after which the importer deprecates a claim of the older release.
DEPRECATING = frozenset({REMOVED, REATTRIBUTED})
# Kinds that change no fact the importer writes.
NO_FACT = frozenset({RENAMED_ID, LABEL})
# How a listing names each kind.
WORDING = {
    ADDED: "added",
    REMOVED: "removed",
    CORRECTED_NAME: "name corrected",
    REATTRIBUTED: "re-attributed",
    RENAMED_ID: "country id renamed",
    LABEL: "country label changed",
    DATES: "dates changed",
    DESCRIPTION: "description changed",
    OTHER: "changed",
}

# Fields whose values a listing shows as they are (they hold quotes of their own, or no text).
PLAIN_FIELDS = frozenset({"from", "dates", "created", "modified"})

CORRECTION_SCORE = GREY_SCORE  # from this score up, a name changed in one visitor slot is the same person

VERSION = re.compile(r"v?(\d+(?:\.\d+)+)")


@dataclass(frozen=True, order=True)
class Change:
    """One thing a newer release changed in one visit: its old and new value, and the reason to record.

    ``old_slot`` and ``new_slot`` are a visitor's place in each row's :attr:`Reading.visitors` for
    a name change (None for a side that has no visitor, and for other kinds).
    """

    visit_id: int
    kind: str
    field: str
    old: str
    new: str
    reason: str
    note: str = ""
    old_slot: int | None = None
    new_slot: int | None = None

    @property
    def deprecates(self) -> bool:
        """Whether the importer deprecates a claim of the older release (a visitor added to a row deprecates none)."""
        return self.kind in DEPRECATING and bool(self.old)

    @property
    def changes_facts(self) -> bool:
        """False for a renamed id or a label: the state, and so every fact, stays as it was."""
        return self.kind not in NO_FACT

    def line(self) -> str:
        """``visit 3087, re-attributed: 'Prime Minister Mohd Najib Razak' -> '...' (corrected in release v0.6.4)``."""
        if self.kind == ADDED:
            what = f"added: {self.new}"
        elif self.kind == REMOVED:
            what = f"removed: {self.old}"
        else:
            shown = (self.old, self.new) if self.field in PLAIN_FIELDS else (repr(self.old), repr(self.new))
            what = f"{WORDING[self.kind]} ({self.field}): {shown[0]} -> {shown[1]}"
        note = f"; {self.note}" if self.note else ""
        return f"visit {self.visit_id}, {what} ({self.reason}{note})"


@dataclass(frozen=True)
class Changes:
    """Every change between two releases, and the ids of the visits that did not change."""

    version: str  # the newer release, "v0.6.4"
    changes: tuple[Change, ...]
    unchanged: frozenset[int] = field(default_factory=frozenset)

    @property
    def changed(self) -> frozenset[int]:
        """The ids of visits in both releases with at least one change."""
        return frozenset(c.visit_id for c in self.changes if c.kind not in (ADDED, REMOVED))

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def of_visit(self, visit_id: int) -> list[Change]:
        return [c for c in self.changes if c.visit_id == visit_id]

    def counts(self) -> dict[str, int]:
        """Changes by kind, every kind present (``unchanged`` counts visits), in :data:`KINDS` order."""
        counted = Counter(c.kind for c in self.changes)
        return {k: len(self.unchanged) if k == UNCHANGED else counted[k] for k in KINDS}

    def summary(self) -> dict[str, int]:
        """Visits added, corrected (changed in place), deprecated (removed or re-attributed), unchanged."""
        return {
            "added": len(self.of_kind(ADDED)),
            "corrected": len(self.changed),
            "deprecated": len({c.visit_id for c in self.changes if c.deprecates}),
            "unchanged": len(self.unchanged),
        }

    def lines(self) -> list[str]:
        """One line per change, grouped by kind in :data:`KINDS` order, by visit id within a kind."""
        return [c.line() for c in self.changes]


def release_version(version: str) -> str:
    """``v0.6.4`` from ``0.6.4`` or ``v0.6.4``; a ValueError for anything else."""
    m = VERSION.fullmatch(version.strip())
    if m is None:
        raise ValueError(f"{version!r} is not a release version such as v0.6.4")
    return f"v{m.group(1)}"


def visit_of(item: Visit | Reading) -> Visit:
    return item.visit if isinstance(item, Reading) else item


def by_id(items: Iterable[Visit | Reading], which: str) -> dict[int, Visit]:
    out: dict[int, Visit] = {}
    for item in items:
        visit = visit_of(item)
        if visit.id in out:
            raise ValueError(f"the {which} release has visit {visit.id} twice")
        out[visit.id] = visit
    return out


def name_score(a: str, b: str) -> float:
    """How close two visitors' names are, 0 to 100, as :mod:`.persons` scores them."""
    ka, kb = name_key(bare_name(a)), name_key(bare_name(b))
    return max(fuzz.ratio(ka, kb), fuzz.token_sort_ratio(" ".join(words(a)), " ".join(words(b))))


def same_person(a: str, b: str) -> bool:
    """Whether a name changed in one visitor slot is a correction of the same person (see the docstring)."""
    wa, wb = words(a), words(b)
    return (
        name_key(bare_name(a)) == name_key(bare_name(b))
        or name_score(a, b) >= CORRECTION_SCORE
        or (bool(wa) and bool(wb) and (subsequence(wa, wb) or subsequence(wb, wa)))
    )


def as_written(visitor: Visitor) -> str:
    return clean(f"{visitor.written} {visitor.name}")


def pair_visitors(
    old: tuple[Visitor, ...], new: tuple[Visitor, ...]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[int], list[int]]:
    """Kept pairs (same name), corrected pairs, and the slots of each side left unpaired."""
    free_old, free_new = list(range(len(old))), list(range(len(new)))
    kept: list[tuple[int, int]] = []
    corrected: list[tuple[int, int]] = []

    def take(match: list[tuple[int, int]], into: list[tuple[int, int]]) -> None:
        for i, j in match:
            if i in free_old and j in free_new:
                into.append((i, j))
                free_old.remove(i)
                free_new.remove(j)

    take([(i, j) for i in free_old for j in free_new if clean(old[i].name) == clean(new[j].name)], kept)
    candidates = [
        (-name_score(old[i].name, new[j].name), i, j)
        for i in free_old
        for j in free_new
        if same_person(old[i].name, new[j].name)
    ]
    take([(i, j) for _, i, j in sorted(candidates)], corrected)
    return kept, corrected, free_old, free_new


def state_or_none(id_: str, label: str, day: date) -> str | None:
    try:
        return state_of(id_, label, day)
    except HsgStateError:
        return None


def same_state_of(old: Visit, new: Visit) -> str | None:
    """The state both ids stand for on the newer row's first day, None when they differ (or are unknown)."""
    a = state_or_none(old.from_id, old.from_label, new.start)
    b = state_or_none(new.from_id, new.from_label, new.start)
    if a is not None and a == b:
        return a
    try:
        if same_state(old.from_id, new.from_id):
            return b or a or "the same state"
    except KeyError:
        pass
    return None


def origin(visit: Visit) -> str:
    return f"{visit.from_id} {clean(visit.from_label)!r}"


def visit_changes(old: Visit, new: Visit, reason: str) -> list[Change]:
    """What changed between two rows of one visit id (nothing for rows alike but for layout)."""
    out: list[Change] = []

    def add(kind: str, field_: str, a: object, b: object, note: str = "", slots: tuple[int | None, ...] = ()) -> None:
        old_slot, new_slot = (*slots, None, None)[:2]
        out.append(Change(new.id, kind, field_, str(a), str(b), reason, note, old_slot, new_slot))

    if clean(old.visitor) != clean(new.visitor):
        was, now = interpret(old).visitors, interpret(new).visitors
        kept, corrected, gone, came = pair_visitors(was, now)
        for i, j in corrected:
            score = name_score(was[i].name, now[j].name)
            note = f"the same person, score {score:.0f}"
            add(CORRECTED_NAME, "visitor", as_written(was[i]), as_written(now[j]), note, (i, j))
        for n in range(max(len(gone), len(came))):
            i = gone[n] if n < len(gone) else None
            j = came[n] if n < len(came) else None
            a = as_written(was[i]) if i is not None else ""
            b = as_written(now[j]) if j is not None else ""
            note = (
                f"another person, score {name_score(was[i].name, now[j].name):.0f}"
                if i is not None and j is not None
                else ""
            )
            add(REATTRIBUTED, "visitor", a, b, note, (i, j))
        for i, j in [*kept, *corrected]:
            if clean(was[i].written) != clean(now[j].written):
                add(OTHER, "title", clean(was[i].written), clean(now[j].written), "", (i, j))
        if not any(c.field == "visitor" or c.field == "title" for c in out):
            add(OTHER, "visitor", clean(old.visitor), clean(new.visitor), "the same persons")
    if old.from_id != new.from_id:
        state = same_state_of(old, new)
        if state is not None:
            add(RENAMED_ID, "from", origin(old), origin(new), f"the same state, {state}")
        else:
            a = state_or_none(old.from_id, old.from_label, old.start)
            b = state_or_none(new.from_id, new.from_label, new.start)
            add(OTHER, "from", origin(old), origin(new), f"another state, {a or 'unknown'} -> {b or 'unknown'}")
    elif clean(old.from_label) != clean(new.from_label):
        add(LABEL, "label", clean(old.from_label), clean(new.from_label), f"the same id, {new.from_id}")
    if (old.start, old.end) != (new.start, new.end):
        add(DATES, "dates", f"{old.start} to {old.end}", f"{new.start} to {new.end}")
    if clean(old.description) != clean(new.description):
        add(DESCRIPTION, "description", clean(old.description), clean(new.description))
    if old.created != new.created:
        add(OTHER, "created", old.created.isoformat(), new.created.isoformat())
    if old.modified != new.modified:
        add(
            OTHER,
            "modified",
            old.modified.isoformat() if old.modified else "",
            new.modified.isoformat() if new.modified else "",
        )
    return out


def summary_of(visit: Visit) -> str:
    return f"{visit.start} {clean(visit.visitor)} ({visit.from_id})"


def compare(older: Iterable[Visit | Reading], newer: Iterable[Visit | Reading], version: str) -> Changes:
    """Every change from the ``older`` release's visits to the ``newer`` one's (release ``version``).

    Visits are matched by id, so the order of either side does not matter; an id given twice on one
    side is a ValueError (:func:`~guestlist.seeds.importers.hsg.visits.read_visits` refuses such a
    release anyway).
    """
    tag = release_version(version)
    corrected, removed, added = f"corrected in release {tag}", f"removed in release {tag}", f"added in release {tag}"
    was, now = by_id(older, "older"), by_id(newer, "newer")
    changes: list[Change] = []
    unchanged: set[int] = set()
    for id_ in sorted(was.keys() | now.keys()):
        if id_ not in now:
            changes.append(Change(id_, REMOVED, "visit", summary_of(was[id_]), "", removed))
        elif id_ not in was:
            changes.append(Change(id_, ADDED, "visit", "", summary_of(now[id_]), added))
        elif found := visit_changes(was[id_], now[id_], corrected):
            changes.extend(found)
        else:
            unchanged.add(id_)
    order = {k: n for n, k in enumerate(KINDS)}
    changes.sort(key=lambda c: (order[c.kind], c.visit_id, c.field, c.old_slot or 0, c.new_slot or 0))
    return Changes(tag, tuple(changes), frozenset(unchanged))
