"""The multilateral occasions of a release: one summit, session or funeral seen from many visit rows.

The office writes one row per visiting leader, so a summit of forty leaders is forty rows whose
descriptions name it ("Attended the Nuclear Security Summit."). :func:`find_occasions` makes each
such occasion one :class:`Occasion` whose members are those rows, so that its guest list can be
read like a parade's. It works from the readings of :mod:`visits` alone; no database.

How a description is read as naming an occasion:

- A phrase names an occasion when a word of taking part leads to it ("Attended", "attending",
  "at", "during", "alongside", "addressed", "participated in", "led ... delegation to",
  "invited guest to") or it opens a sentence or clause by itself ("Working Visit; Quad Leaders'
  Summit."), and the phrase has a word of an occasion (summit, conference, General Assembly,
  special session, council, meeting, funeral, memorial, signing, dedication, ceremony,
  commemoration, anniversary, dinner, luncheon, brunch, forum, talks). The phrase runs to the
  first place ("in Chicago, IL", "at Sunnylands, CA"), companion ("with President Clinton") or
  end of clause.
- "after", "before", "following" and "en route to" an occasion, or "after attending" it, are not
  taking part during the visit: the row is about a visit beside the occasion, not at it ("Met with
  President Truman after a NATO meeting in Ottawa", "Informal visit after attending Conference of
  Nonaligned Nations in Belgrade", an occasion outside the United States).
- A narrative row that says its meeting with the president took place *at* the occasion ("Met
  with President Bush at the UN General Assembly in New York City.") is a member of that year's
  session. The description places the visitor at the session, in its city and on its days, and a
  guest list says who was there; that the row is about the meeting does not make the visitor less
  present (a leader who merely happened to be in town would not be written as "at the General
  Assembly"). Such members are kept in :attr:`Occasion.narrative`, and
  :attr:`Occasion.attending_states` counts only the rows that say they attended, so both readings
  can be reported (NATO Chicago 2012: 37 states attended, and Afghanistan and Pakistan "Met with
  President Obama at the NATO Summit Meeting", 39 in all). A row that names no occasion ("Met
  with President Reagan in New York City.", "Summit meeting with President Clinton at Hyde Park")
  is left alone even in the week of a session: nothing in it says the visitor took part, and
  guessing from the date would put private visitors on a guest list.

Wording variants are one occasion: a phrase's key folds case, apostrophes ("Leaders' Summit" and
"Leaders Summit"), the U.N./UN/United Nations forms, "Asia-Pacific Economic (and) Cooperation" to
APEC, "Americas Partnership for Economic Prosperity" to APEP, European Union to EU, "G-8" to G8,
articles, a trailing "meeting" or "session", and the "Leaders" of "Leaders Summit". APEP is not a
typo for APEC: the rows of "Attended the APEP Leaders' Summit." are of 3 November 2023, from
Barbados, Uruguay and other states of the Americas, the day after two rows naming the Americas
Partnership for Economic Prosperity Summit Meeting, and nine days before the APEC Leaders' Summit
in San Francisco, whose rows are from Japan, China, Australia... Rows of one key are one occasion
when their dates overlap or lie within :data:`GAP_DAYS` of each other (:data:`SESSION_GAP_DAYS`
for the General Assembly); so the yearly sessions and summits of one name stay apart (the
U.S.-Africa Leaders Summits of 2014 and 2022 are two occasions).

An occasion needs rows from two states at least: rows of one state naming the same meeting
("Attended meeting of the U.S.-Ukraine Binational Commission") are a bilateral visit, not a
multilateral occasion, and are counted as left alone.

Every occasion phrase read is counted as an :class:`~visits.Interpreted` value, read as the
occasion's slug or as left alone (one state), so an import summary shows both. A phrase of
words of a kind of meeting only ("Informal meeting", "State Dinner", "Summit meeting") names no
occasion and is not counted; nor is a description that names none.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from guestlist.models import vocab

from .states import state_of
from .visits import Interpretations, Interpreted, Reading, clean

GAP_DAYS = 3  # rows of one name this far apart or less are one occasion (arrivals and departures vary)
# A regular session of the UN General Assembly holds its general debate over weeks, so leaders of one
# session come days apart; sessions are a year apart, so a month keeps them apart all the same.
SESSION_GAP_DAYS = 30

NOTE = (
    "This guest list holds only the leaders the Office of the Historian counted as visits to the United "
    "States and whose visit descriptions name this occasion; other participants are not in it."
)

# Words of an occasion; a phrase without one is not read as naming an occasion.
HEADS = re.compile(
    r"\b(?:summit|conference|general assembly|special session|council|meeting|funeral|memorial|signing|"
    r"dedication|ceremony|ceremonies|commemoration|anniversary|dinner|luncheon|brunch|forum|talks)\b",
    re.IGNORECASE,
)
# Words that name no particular occasion: a phrase of these alone ("Informal meeting", "Working
# luncheon", "State Dinner", "Summit meeting") is a kind of meeting, not an occasion.
GENERIC = frozenset(
    "a an the summit summits meeting meetings session informal private bilateral working official offsite "
    "scheduled state conference conferences luncheon dinner forum talks ceremony ceremonies memorial service "
    "services funeral international pre-summit un us of joint congress".split()
)
# The words that lead to an occasion the visitor took part in; NARRATIVE ones only place a
# meeting the row is about at the occasion ("Met with President Bush at the UN General Assembly").
LEAD = (
    r"attended|attending|attend|participated\s+in|took\s+part\s+in|invited\s+guest\s+to|addressed|"
    r"led\s+(?:[\w-]+\s+){1,3}?delegation\s+to|delegation\s+to|alongside|during|at(?:\s+at)?"
)
NARRATIVE = ("at", "during", "alongside")
# Words before a lead that put the visit beside the occasion, not at it ("after attending").
BESIDE = re.compile(r"\b(?:after|before|following|en\s+route\s+to)\s+$", re.IGNORECASE)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December|Sept?|Oct|Nov|Dec"
# Where a phrase ends: a place, a companion, another clause, a date.
STOP = (
    r"(?=\s+(?:in|at|with|while|before|after|following|as|from|beginning|afterwards?|en\s+route)\s"
    r"|\s+and\s+(?=(?-i:[a-z]))|\s*[.;,:(]|\s+(?:on\s+)?(?:" + MONTHS + r")\b|\s*$)"
)
# A clause that opens with a name and no verb names an occasion only if it ends as one does.
BARE = re.compile(r"(?:summit|conference|ceremony)$", re.IGNORECASE)
PHRASE = re.compile(
    rf"(?:(?P<clause>^|[.;]\s+)(?:(?:also|afterwards|later|then)\s+)?(?:(?P<lead>{LEAD})\s+)?"
    rf"|\b(?P<inner>{LEAD})\s+)"
    rf"(?:(?:a|an|the)\s+)?(?P<phrase>(?:\"[^\"]*\"|[\w'\-& ])+?){STOP}",
    re.IGNORECASE,
)
# A place after the phrase: "in Chicago, IL", "at Sunnylands, CA", "in New York City".
PLACE = re.compile(r"\s+(?:in|at)\s+(?P<place>[A-Z][\w'\-]*(?:[ -][A-Z][\w'\-]*)*)(?:,\s*(?P<region>[A-Z][\w ]*))?")
# Places a description names that are not cities: a venue.
VENUES = {
    "Camp David",
    "Sunnylands",
    "Sea Island",
    "Mar-a-Lago",
    "Wye Plantation",
    "Point Loma",
    "Dorado Beach",
    "White House",
}
REGIONS = {"Africa", "Asia", "Europe", "America", "Central America", "the Americas", "Latin America"}
CITY_NAMES = {"New York": "New York City", "Washington": "Washington"}

# Abbreviations folded before reading, so their full stops do not end a sentence.
ABBREVIATIONS = (
    (re.compile(r"\bU\.\s?N\.?(?=\W|$)"), "UN"),
    (re.compile(r"\bU\.\s?S\.(?=\W|$)"), "US"),
    (re.compile(r"\bD\.\s?C\.(?=\W|$)"), "DC"),
    (re.compile(r"\bSt\.\s"), "St "),
    (re.compile(r"\bMd\.(?=\W|$)"), "MD"),
    (re.compile(r"[’‘]"), "'"),
    (re.compile(r"[“”]"), '"'),
    (re.compile(r"\b([A-Z])\.\s(?=[A-Z][a-z])"), r"\1 "),  # an initial: "Gerald R. Ford"
    (re.compile(r"\s*-\s+|\s+-\s*"), "-"),  # "U.S.- Nordic", "Israeli- Palestinian"
)
# Wording variants of one name, folded in the key (the key is lower case).
VARIANTS = (
    (re.compile(r"'s\b|'"), ""),
    (re.compile(r"\bamericas partnership for economic prosperity\b"), "apep"),
    (re.compile(r"\basia-pacific economic (?:and )?cooperation\b"), "apec"),
    (re.compile(r"\bunited nations\b"), "un"),
    (re.compile(r"\bunited states\b"), "us"),
    (re.compile(r"\beuropean union\b"), "eu"),
    (re.compile(r"\bmillenium\b"), "millennium"),
    (re.compile(r"\bg-(\d+)\b"), r"g\1"),
    (re.compile(r"^(?:a|an|the)\s+"), ""),
    (re.compile(r"^(?:meeting|session) of (?:the )?"), ""),
    (re.compile(r"\s+(?:meeting|meetings|session)$"), ""),
    (re.compile(r"\s+"), " "),
)


@dataclass(frozen=True)
class Mention:
    """An occasion a description names: the phrase, its key, the place given with it, and how it is named.

    ``narrative`` is true where the row is about a meeting and names the occasion as where it took
    place ("at", "during", "alongside") rather than saying the visitor attended it.
    """

    phrase: str
    key: str
    place: str | None
    narrative: bool = False


@dataclass(frozen=True)
class Occasion:
    """One multilateral occasion and the visit rows that attended it."""

    slug: str
    name: str
    kind: str
    start: date
    end: date
    city: str | None
    venue: str | None
    visits: tuple[int, ...]
    states: tuple[str, ...]
    narrative: tuple[int, ...] = ()  # member rows that name it only as where a meeting took place
    attending_states: tuple[str, ...] = ()  # states of the rows that say they attended it
    note: str = NOTE

    @property
    def size(self) -> int:
        """How many states the office counted at it (a state's two visitors count once)."""
        return len(self.states)


def folded(text: str) -> str:
    for pattern, replacement in ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return clean(text)


# A summit's name with or without its leaders ("APEP Leaders' Summit", "... Prosperity Summit Meeting").
LEADERS = re.compile(r"\bleaders\s+(?=summit\b)")


def wording(phrase: str) -> str:
    """A phrase with its wording variants folded: what a slug is made of."""
    key = folded(phrase).casefold().strip()
    for pattern, replacement in VARIANTS:
        key = pattern.sub(replacement, key).strip()
    return key


def key_of(phrase: str) -> str:
    """What rows of one occasion share: the folded wording, a summit's "leaders" left out."""
    return LEADERS.sub("", wording(phrase))


def mentions(description: str) -> list[Mention]:
    """The occasions a description names, in order, once each (by key)."""
    text = folded(description)
    found: dict[str, Mention] = {}
    for m in PHRASE.finditer(text):
        phrase = m.group("phrase").strip(" -&")
        lead = clean(m.group("lead") or m.group("inner") or "").casefold()
        if lead and BESIDE.search(text, 0, m.start("lead") if m.group("lead") else m.start("inner")):
            continue  # "after attending": the visit was beside the occasion, not at it
        if not HEADS.search(phrase) or (not lead and not BARE.search(phrase)) or generic(phrase):
            continue
        key = key_of(phrase)
        place = PLACE.match(text, m.end("phrase"))
        if key not in found:
            narrative = lead.split(" ")[0] in NARRATIVE
            found[key] = Mention(phrase, key, place.group("place") if place else None, narrative)
    return list(found.values())


def generic(phrase: str) -> bool:
    """Whether a phrase is only words of a kind of meeting, naming no particular occasion."""
    words = re.findall(r"[\w'-]+", phrase.casefold())
    return all(w in GENERIC for w in words) or words[0] in ("bilateral", "private")


def kind_of(key: str) -> str:
    if "summit" in key:
        return "summit"
    if re.search(r"funeral|memorial|commemorat|anniversary|dedication|ceremon", key):
        return "commemoration"
    return "other"


assert all(k in vocab.EVENT_KIND for k in ("summit", "commemoration", "other"))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def clusters(rows: Sequence[Reading], gap: int = GAP_DAYS) -> list[list[Reading]]:
    """Rows of one key, split where the next row starts more than ``gap`` days after all before it end."""
    ordered = sorted(rows, key=lambda r: (r.visit.start, r.visit.end, r.visit.id))
    groups: list[list[Reading]] = []
    last_end: date | None = None
    for row in ordered:
        if last_end is None or row.visit.start > last_end + timedelta(days=gap):
            groups.append([])
            last_end = row.visit.end
        groups[-1].append(row)
        last_end = max(last_end, row.visit.end)
    return groups


def most_common(values: Iterable[str | None]) -> str | None:
    """The most frequent value (ties: the first in sort order), None if none is given."""
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], v))


def place_of(place: str | None) -> tuple[str | None, str | None]:
    """(city, venue) of a place as a description writes it; a region ("in Africa") is neither."""
    if place is None or place in REGIONS:
        return None, None
    if place in VENUES or re.search(r"\b(?:University|Museum|Library|Hall|Center|House)\b", place):
        return None, place
    return CITY_NAMES.get(place, place), None


def state_of_row(reading: Reading) -> str:
    visit = reading.visit
    return state_of(visit.from_id, visit.from_label, visit.start)


def english(phrase: str) -> str:
    """A phrase as a name: capitalised, with the U.S. written as the office writes it."""
    phrase = re.sub(r"\bUS\b", "U.S.", phrase)
    return phrase[:1].upper() + phrase[1:]


def find_occasions(readings: Iterable[Reading], interpretations: Interpretations | None = None) -> list[Occasion]:
    """The multilateral occasions the readings' descriptions name, in the order of their start.

    ``interpretations`` (if given) counts each phrase read: ``occasion 'Nuclear Security Summit'
    read as nuclear-security-summit-2010``, or ``... read as left alone (one state)``.
    """
    by_key: dict[str, list[tuple[Reading, Mention]]] = defaultdict(list)
    for reading in readings:
        for mention in mentions(reading.visit.description):
            by_key[mention.key].append((reading, mention))
    drafts: list[tuple[str, list[tuple[Reading, Mention]], list[str]]] = []
    for key, rows in by_key.items():
        mention_of = {r.visit.id: m for r, m in rows}
        gap = SESSION_GAP_DAYS if key == "un general assembly" else GAP_DAYS
        for group in clusters([r for r, _ in rows], gap):
            members = [(r, mention_of[r.visit.id]) for r in group]
            states = sorted({state_of_row(r) for r in group})
            if len(states) < 2:
                if interpretations is not None:
                    for _, m in members:
                        interpretations[Interpreted("occasion", m.phrase, "left alone (one state)")] += 1
                continue
            drafts.append((key, members, states))
    drafts.sort(key=lambda d: (min(r.visit.start for r, _ in d[1]), d[0]))
    occasions: list[Occasion] = []
    taken: set[str] = set()
    for key, members, states in drafts:
        start = min(r.visit.start for r, _ in members)
        end = max(r.visit.end for r, _ in members)
        phrase = most_common(m.phrase for _, m in members) or key
        base = f"{slugify(wording(phrase))}-{start.year}"
        slug = next(s for s in (base, f"{base}-{start:%m}", f"{base}-{start:%m-%d}") if s not in taken)
        taken.add(slug)
        city, venue = place_of(most_common(m.place for _, m in members))
        occasions.append(
            Occasion(
                slug=slug,
                name=f"{english(phrase)}, {start.year}",
                kind=kind_of(key),
                start=start,
                end=end,
                city=city,
                venue=venue,
                visits=tuple(sorted(r.visit.id for r, _ in members)),
                states=tuple(states),
                narrative=tuple(sorted(r.visit.id for r, m in members if m.narrative)),
                attending_states=tuple(sorted({state_of_row(r) for r, m in members if not m.narrative})),
            )
        )
        if interpretations is not None:
            for _, m in members:
                interpretations[Interpreted("occasion", m.phrase, slug)] += 1
    return occasions
