"""The visits of a release, read, checked and interpreted.

Reading is strict: the release's schema (``schema/visits.rnc``, RELAX NG compact syntax, and
``schema/visits.sch``, Schematron in XSLT 3) cannot be run by lxml, which knows RELAX NG only in
its XML syntax and Schematron only in XSLT 1, so :func:`read_visits` makes the same checks itself:
the elements of a visit, in the schema's order, an integer id, dates and date-times (but an empty
last modification time, which the office's releases themselves have), a country id
that is an XML name, a start that is not after the end, visits in the order of their start dates,
and no id used twice in the release. Any failure is one :class:`SeedError` line naming the file (and
line), the visit and the field; nothing is returned.

Interpreting is lenient: a visitor's title and a description's kind are free text, so
:func:`interpret` reads what it can and records everything it had to interpret (a typo folded, a
title it does not know, a description whose kind it cannot tell) so that :class:`Interpretations`
can count it by value for the import's summary.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from lxml import etree

from guestlist.models import vocab
from guestlist.models.errors import SeedError

HEAD_OF_STATE, HEAD_OF_GOVERNMENT, OTHER = "head_of_state", "head_of_government", "other"

# Every office title the visitor strings begin with, as the office spells it, and the capacity a
# visitor holding it came in. A title someone has not yet taken up (President-elect) or that is not
# the state's head (a crown prince, a party's general secretary, a governor general, who stands for
# the monarch) is "other"; so is Chairman, which names a head of state in some rows and a head of
# government in others (the state's offices, not the word, decide).
TITLES = {
    "President": HEAD_OF_STATE,
    "Acting President": HEAD_OF_STATE,
    "Interim President": HEAD_OF_STATE,
    "Provisional President": HEAD_OF_STATE,
    "Chairman of the Presidency": HEAD_OF_STATE,
    "Chief of State": HEAD_OF_STATE,
    "Head of State": HEAD_OF_STATE,
    "King": HEAD_OF_STATE,
    "Queen": HEAD_OF_STATE,
    "Emperor": HEAD_OF_STATE,
    "Amir": HEAD_OF_STATE,
    "Emir": HEAD_OF_STATE,
    "Sultan": HEAD_OF_STATE,
    "Shah": HEAD_OF_STATE,
    "Grand Duke": HEAD_OF_STATE,
    "Grand Duchess": HEAD_OF_STATE,
    "Prince": HEAD_OF_STATE,
    "Regent": HEAD_OF_STATE,
    "Pope": HEAD_OF_STATE,
    "Prime Minister": HEAD_OF_GOVERNMENT,
    "Acting Prime Minister": HEAD_OF_GOVERNMENT,
    "Interim Prime Minister": HEAD_OF_GOVERNMENT,
    "President of the Council of Ministers": HEAD_OF_GOVERNMENT,
    "Premier": HEAD_OF_GOVERNMENT,
    "Chancellor": HEAD_OF_GOVERNMENT,
    "Federal Chancellor": HEAD_OF_GOVERNMENT,
    "Taoiseach": HEAD_OF_GOVERNMENT,
    "President-elect": OTHER,
    "President-designate": OTHER,
    "Chancellor-elect": OTHER,
    "Crown Prince": OTHER,
    "Vice Premier": OTHER,
    "Chairman": OTHER,
    "General Secretary": OTHER,
    "First Secretary": OTHER,
    "Junta Member": OTHER,
    "Governor General": OTHER,
    "General": OTHER,
    "Brigadier General": OTHER,
    "Lieutenant General": OTHER,
}

# Misspelt titles in the data, and the title each stands for.
TITLE_TYPOS = {
    "Prime Minster": "Prime Minister",
    "Prime Ministere": "Prime Minister",
}

# Words of courtesy or rank written between a title and a name ("Amir Sheikh Tamim", "President
# Dr. Hilda C. Heine", "Regent Prince Abdul Ilah"): not part of the name, not an office, unless
# only one word would be left (read_person).
HONORIFICS = ("Sheikh", "Sheik", "Dr.", "Archbishop", "Dom", "Haji", "Prince")

# The kinds of visit a description names, and the event kind (vocab.EVENT_KIND) each is. The
# vocabulary has no word for an official working, working or private visit: they are visits.
VISIT_KINDS = {
    "state visit": "state_visit",
    "official visit": "official_visit",
    "official working visit": "visit",
    "working visit": "visit",
    "private visit": "visit",
}
NO_KIND = "visit"  # a description that names none of them

# Misspelt words in the kinds' names, and the word each stands for.
KIND_TYPOS = {"offical": "official"}

assert all(kind in vocab.EVENT_KIND for kind in (*VISIT_KINDS.values(), NO_KIND))
assert all(capacity in vocab.CAPACITY for capacity in TITLES.values())


def form_pattern(form: str) -> str:
    """A title's words with any spacing between them, and a hyphen with or without spaces ("President- elect")."""
    words = (re.escape(w) for w in form.split())
    return r"\s*-\s*".join(r"\s+".join(words).split(r"\-"))


TITLE_FORMS = {**{t: t for t in TITLES}, **TITLE_TYPOS}
# Longest first, so "Prime Minister" is not read as a "Prime" and "Crown Prince" not as a "Crown".
TITLE = re.compile(
    r"(?i:(?P<title>"
    + "|".join(form_pattern(f) for f in sorted(TITLE_FORMS, key=len, reverse=True))
    + r"))(?P<gap>\s+|$|(?=[-&A-Z]))"
)
HONORIFIC = re.compile(r"[-&\s]*(?:" + "|".join(re.escape(h) for h in HONORIFICS) + r")(?:\s+|$)")
# Two persons are joined by "and", "&" or a comma; a comma before Jr., Sr. or 3rd is part of one name.
JOIN = re.compile(r"(\s+and\s+|\s*&\s*|,(?!\s*(?:Jr|Sr|\d+(?:st|nd|rd|th))\b)\s*)")


def kind_word(word: str) -> str:
    spellings = [word, *(typo for typo, meant in KIND_TYPOS.items() if meant == word)]
    return "(?:" + "|".join(spellings) + ")"


KIND = re.compile(
    r"\b(?P<kind>"
    + "|".join(r"\s+".join(kind_word(w) for w in k.split()) for k in sorted(VISIT_KINDS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Visit:
    """One visit row as the office wrote it (text verbatim: a claim quotes it)."""

    id: int
    start: date
    end: date
    visitor: str
    from_id: str
    from_label: str
    description: str
    created: datetime
    modified: datetime | None  # left empty in hundreds of rows of every release (see read_visit)
    file: str


@dataclass(frozen=True)
class Visitor:
    """One person a row names: the title as written, the title it is read as, the name, the capacity."""

    written: str
    title: str | None
    name: str
    capacity: str


@dataclass(frozen=True)
class Interpreted:
    """A value read by interpretation: ``what`` it is, the ``value`` as written, and how it was ``read``."""

    what: str
    value: str
    read: str

    def __str__(self) -> str:
        return f"{self.what} {self.value!r} read as {self.read}"


@dataclass(frozen=True)
class Reading:
    """What a visit row says once interpreted: its visitors, its kind, and what had to be interpreted."""

    visit: Visit
    visitors: tuple[Visitor, ...]
    kind: str
    event_kind: str
    interpreted: tuple[Interpreted, ...]


class Interpretations(Counter[Interpreted]):
    """Every interpreted value of some readings, counted by value."""

    @classmethod
    def of(cls, readings: Iterable[Reading]) -> Interpretations:
        counts = cls()
        for reading in readings:
            counts.update(reading.interpreted)
        return counts

    def lines(self) -> list[str]:
        """``title 'Prime Minster' read as Prime Minister: 2``, the most frequent first."""
        return [
            f"{item}: {count}" for item, count in sorted(self.items(), key=lambda ic: (-ic[1], ic[0].what, ic[0].value))
        ]


def clean(text: str) -> str:
    return " ".join(text.split())


def read_person(text: str, noted: list[Interpreted]) -> Visitor:
    text = clean(text)
    m = TITLE.match(text)
    if m is None:
        noted.append(Interpreted("visitor without a title", text, f"capacity {OTHER}"))
        rest, written, title = text, "", None
    else:
        written = m.group("title")
        key = re.sub(r"\s*-\s*", "-", clean(written)).casefold()
        form = next(f for f in TITLE_FORMS if f.casefold() == key)
        title = TITLE_FORMS[form]
        if form in TITLE_TYPOS or written.casefold() != title.casefold():
            noted.append(Interpreted("title", written, title))
        if not m.group("gap") and text[m.end() :][:1].isalpha():
            noted.append(Interpreted("title", text, f"{title} (a space missing)"))
        rest = text[m.end() :]
    # An honorific that would leave one word is part of how the person is known: "Sheikh Hasina".
    while (h := HONORIFIC.match(rest)) and len(rest[h.end() :].split()) > 1:
        rest = rest[h.end() :]
    return Visitor(written, title, rest.strip(" -&"), TITLES[title] if title else OTHER)


def read_visitors(text: str, noted: list[Interpreted]) -> tuple[Visitor, ...]:
    """The one or two persons a visitor string names.

    A part that is a title alone gives its title to the next part: "Premier and Prince Sihanouk" is
    one person, a premier whose courtesy title is prince.
    """
    text = clean(text)
    pieces = JOIN.split(text)
    persons: list[Visitor] = []
    pending = ""  # a title alone, and the words joining it to the next part
    for part, joint in zip(pieces[::2], [*pieces[1::2], ""]):
        if pending:
            person = read_person(part, [])
            lead = read_person(pending.strip(" ,&"), [])
            written = pending + part[: len(part) - len(person.name)].strip()
            noted.append(Interpreted("visitor", text, f"one person, {lead.title}"))
            persons.append(Visitor(written.strip(), lead.title, person.name, lead.capacity))
            pending = ""
            continue
        person = read_person(part, noted)
        if person.name or not person.title:
            persons.append(person)
        else:
            pending = part + joint
    if pending:
        persons.append(read_person(pending, noted))
    return tuple(persons)


def read_kind(description: str, noted: list[Interpreted]) -> str:
    text = clean(description)
    m = KIND.search(text)
    if m is None:
        noted.append(Interpreted("description", text, NO_KIND))
        return NO_KIND
    written = clean(m.group("kind")).casefold()
    kind = " ".join(KIND_TYPOS.get(w, w) for w in written.split())
    if kind != written:
        noted.append(Interpreted("kind", m.group("kind"), kind))
    return kind


def interpret(visit: Visit) -> Reading:
    noted: list[Interpreted] = []
    visitors = read_visitors(visit.visitor, noted)
    kind = read_kind(visit.description, noted)
    return Reading(visit, visitors, kind, VISIT_KINDS.get(kind, NO_KIND), tuple(noted))


# The elements of a visit, in the schema's order.
FIELDS = (
    "id",
    "start-date",
    "end-date",
    "visitor",
    "from",
    "description",
    "created-by",
    "created-datetime",
    "last-modified-by",
    "last-modified-datetime",
)
NCNAME = re.compile(r"[^\W\d][\w.-]*")
DATE = re.compile(r"-?\d{4,}-\d{2}-\d{2}")


def parse_file(path: Path) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)
    try:
        return etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise SeedError(str(path), None, None, f"is not well-formed XML: {exc.msg}", line=line) from None
    except OSError as exc:
        raise SeedError(str(path), None, None, f"cannot be read: {exc}") from None


def read_file(path: Path) -> list[Visit]:
    """The visits of one file, checked as the schema checks them (except ids across files: :func:`read_visits`)."""
    root = parse_file(path)
    file = str(path)
    if root.tag != "visits":
        raise SeedError(file, None, None, f"the root element is <{root.tag}>, not <visits>", line=root.sourceline)
    visits: list[Visit] = []
    for node in root:
        if node.tag != "visit":
            raise SeedError(file, None, None, f"<{node.tag}> where a <visit> was expected", line=node.sourceline)
        visit = read_visit(node, file)
        if visits and visit.start < visits[-1].start:
            raise SeedError(
                file,
                f"visit {visit.id}",
                "start-date",
                f"{visit.start} is before the start of the visit above it (visit {visits[-1].id}, {visits[-1].start}): visits are in the order of their start",
                line=node.sourceline,
            )
        visits.append(visit)
    if not visits:
        raise SeedError(file, None, None, "holds no <visit>", line=root.sourceline)
    return visits


def read_visit(node: etree._Element, file: str) -> Visit:
    children = [c for c in node if isinstance(c.tag, str)]
    by_tag = {c.tag: c for c in children}
    id_node = by_tag.get("id")
    id_text = clean(id_node.text or "") if id_node is not None else ""
    record = f"visit {id_text}" if id_text else f"the visit at line {node.sourceline}"

    def fail(field: str | None, message: str, at: etree._Element | None = None) -> SeedError:
        return SeedError(file, record, field, message, line=(at if at is not None else node).sourceline)

    for tag in by_tag:
        if tag not in FIELDS:
            raise fail(tag, "is not a field of a visit", by_tag[tag])
    for tag in FIELDS:
        if tag not in by_tag:
            raise fail(tag, "is missing")
    if [c.tag for c in children] != list(FIELDS):
        raise fail(None, "fields are not in the schema's order, once each: " + ", ".join(FIELDS))
    if not re.fullmatch(r"[+-]?\d+", id_text):
        raise fail("id", f"{id_text!r} is not an integer", id_node)

    def text(tag: str) -> str:
        return "".join(by_tag[tag].itertext())

    def day(tag: str) -> date:
        value = text(tag).strip()
        try:
            if DATE.fullmatch(value):
                return date.fromisoformat(value)
        except ValueError:
            pass
        raise fail(tag, f"{value!r} is not a date (YYYY-MM-DD)", by_tag[tag])

    def moment(tag: str) -> datetime:
        value = text(tag).strip()
        try:
            if "T" in value:
                return datetime.fromisoformat(value)
        except ValueError:
            pass
        raise fail(tag, f"{value!r} is not a date and time", by_tag[tag])

    start, end = day("start-date"), day("end-date")
    if end < start:
        raise fail("end-date", f"{end} is before the start, {start}", by_tag["end-date"])
    origin = by_tag["from"]
    from_id = (origin.get("id") or "").strip()
    if not NCNAME.fullmatch(from_id):
        raise fail("from", f"the country id {from_id!r} is missing or not an XML name", origin)
    for tag in ("created-by", "last-modified-by"):
        if not NCNAME.fullmatch(text(tag).strip()):
            raise fail(tag, f"{text(tag)!r} is not an XML name", by_tag[tag])
    for c in by_tag["description"]:
        if c.tag != "em":
            raise fail("description", f"<{c.tag}> in a description (only <em> may be)", c)
    visitor = text("visitor")
    if not visitor.strip():
        raise fail("visitor", "is empty", by_tag["visitor"])
    return Visit(
        id=int(id_text),
        start=start,
        end=end,
        visitor=visitor,
        from_id=from_id,
        from_label=text("from"),
        description=text("description"),
        created=moment("created-datetime"),
        # The schema asks for a date-time, but the office's tool leaves it empty on rows it added
        # (277 in v0.6.4): refusing them would refuse every release, and nothing depends on it.
        modified=moment("last-modified-datetime") if text("last-modified-datetime").strip() else None,
        file=file,
    )


def read_visits(files: Sequence[Path]) -> list[Visit]:
    """Every visit of a release's files, in file order; an id used twice in the release is refused."""
    visits: list[Visit] = []
    seen: dict[int, Visit] = {}
    for path in files:
        for visit in read_file(Path(path)):
            if (first := seen.get(visit.id)) is not None:
                raise SeedError(
                    visit.file,
                    f"visit {visit.id}",
                    "id",
                    f"is also the id of the visit of {first.start} in {first.file}",
                )
            seen[visit.id] = visit
            visits.append(visit)
    return visits
