"""The seed format ``guestlist/1``, declared once: every section a document may hold.

Each :class:`Section` says what its records are: the model (and so the
table) they map to, their fields, their natural key, the entity kind they
define (what a reference names), the parent a nested section hangs from,
the field that names another record of the same section, the rules over
several fields, and whether a document's ``bulk:`` files may carry it.
Everything else reads it from here: validation and its messages, the
resolver, the writer, the bulk path and its SQL, the ledger, the seed export
and the Popolo importer. Adding a column to a section is one field here (and
its model and migration); text limits come from the model columns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from guestlist.models import vocab
from guestlist.models.attendance import Attendance, AttendanceClaim, AttendanceCount
from guestlist.models.events import Event, EventNote, EventRelation
from guestlist.models.organizations import Organization, StateMembership
from guestlist.models.persons import Office, Person, PersonIdentifier, PersonName, Position
from guestlist.models.sources import Source
from guestlist.models.states import State

from .fields import SLUG, STATE_CODE, TEXT_LIMIT, Field, FieldError, coerce, unknown_name

FORMAT = "guestlist/1"
# The key part of a participation that is its person, or else its state (an unnamed official).
PARTICIPANT = "participant"
PARTICIPANT_KEY = "participant_key"  # its column: the person's id, or minus the state's
RANK_FIELDS = ("rank", "rank_reason")
# A BCP 47 tag's shape: an ISO 639 language, then script, region or variant subtags ('en', 'zh-Hant', 'sr-Latn-BA').
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


@dataclass(frozen=True)
class Section:
    """A kind of record: a top-level section or a nested list, mapped to one table.

    ``source``: source_id is implicit (the file's source) unless the record
    names one; "weak" keeps the first stored value, "strong" rewrites it,
    "key" makes it part of the key.
    """

    name: str
    model: Any
    fields: dict[str, Field]
    key: tuple[str, ...]  # seed field names (PARTICIPANT: the person, or else the state)
    source: str | None = None
    kind: str | None = None  # the reference kind its records define, named by their first key field
    parent: tuple[str, str] | None = None  # a nested section: (parent section, column of the parent's id)
    self_ref: str | None = None  # a field naming another record of this section: written in a second pass
    tree: bool = False  # self_ref is a parent: no record may be its own, nor its own ancestor
    dates: tuple[str, str] | None = None  # (start, end), which must not run backwards
    one_of: tuple[tuple[str, str], str] | None = None  # two fields, one at least given; the message if neither
    noun: str = ""  # what one record is called in messages
    bulk: bool = False  # a document's bulk: files may carry it
    bulk_child: tuple[str, tuple[str, ...]] | None = None  # a bulk row also carries these fields of one child
    children_wait: bool = False  # children are written once every row of the run exists (bulk files included)

    @property
    def table(self) -> sa.Table:
        return self.model.__table__  # type: ignore[no-any-return]

    def field(self, name: str) -> Field:
        return self.fields[name]

    @property
    def children(self) -> tuple[str, ...]:
        """The nested sections, in field order."""
        return tuple(f.nested for f in self.fields.values() if f.nested)  # type: ignore[misc]

    @property
    def key_columns(self) -> tuple[str, ...]:
        """The natural key in database columns: the parent's id first, for a nested section."""
        own = (PARTICIPANT_KEY if name == PARTICIPANT else self.fields[name].column for name in self.key)
        return (*(self.parent[1:] if self.parent else ()), *own)  # type: ignore[misc]

    @property
    def key_fields(self) -> tuple[str, ...]:
        """The seed fields of the key; a participant counts as its person (a row without one is keyed by its state)."""
        return tuple(self.one_of[0][0] if name == PARTICIPANT and self.one_of else name for name in self.key)

    @property
    def shown_key(self) -> tuple[str, ...]:
        """The fields an error shows to name a record: the key's, a participant's person and state."""
        return tuple(
            part for name in self.key for part in (self.one_of[0] if name == PARTICIPANT and self.one_of else (name,))
        )

    @property
    def values_fields(self) -> tuple[str, ...]:
        """The flat fields outside the key: what rows about one record must repeat alike."""
        return tuple(name for name, f in self.fields.items() if not f.nested and name not in self.key_fields)

    @property
    def ranked(self) -> bool:
        return "rank" in self.fields

    @property
    def self_column(self) -> str | None:
        return self.fields[self.self_ref].column if self.self_ref else None


def _f(table: sa.Table, name: str, type_: str, column: str | None = None, **kw: Any) -> Field:
    column = column if column is not None else (name if name in table.c else None)
    if type_ in ("text", "slug", "code", "url") and column is not None and "max_length" not in kw:
        length = getattr(table.c[column].type, "length", None)
        kw["max_length"] = length or TEXT_LIMIT
    return Field(name, type_, column, **kw)


def _section(
    name: str, model: Any, key: tuple[str, ...], fields: list[Field], source: str | None = None, **kw: Any
) -> Section:
    table = model.__table__
    if source is not None:
        fields.append(_f(table, "source", "ref", "source_id", ref="source"))
    kw.setdefault("noun", name.rstrip("s").replace("_", " "))
    return Section(name, model, {f.name: f for f in fields}, key, source, **kw)


def _rank_fields(table: sa.Table) -> list[Field]:
    """rank and rank_reason of a status or count claim; guestlist.seeds.loader.validate requires the reason where it must be."""
    return [_f(table, "rank", "word", vocab=vocab.RANK, default="normal"), _f(table, "rank_reason", "text")]


def _build() -> dict[str, Section]:
    s, st, org, mem = Source.__table__, State.__table__, Organization.__table__, StateMembership.__table__
    per, nm, ident, pos = Person.__table__, PersonName.__table__, PersonIdentifier.__table__, Position.__table__
    off = Office.__table__
    ev, rel, note = Event.__table__, EventRelation.__table__, EventNote.__table__
    att, claim, cnt = Attendance.__table__, AttendanceClaim.__table__, AttendanceCount.__table__
    slug = {"pattern": SLUG, "pattern_hint": "one word without spaces"}
    sections = [
        _section(
            "sources",
            Source,
            ("slug",),
            [
                _f(s, "slug", "slug", required=True, **slug),
                _f(s, "title", "text", required=True),
                _f(s, "kind", "word", required=True, vocab=vocab.SOURCE_KIND),
                _f(s, "author", "text"),
                _f(s, "publisher", "text"),
                _f(s, "published_on", "date"),
                _f(s, "url", "url"),
                _f(s, "retrieved_on", "date"),
                _f(s, "note", "text"),
                _f(
                    s,
                    "language",
                    "text",
                    pattern=LANGUAGE_TAG,
                    pattern_hint="a BCP 47 language tag such as 'en', 'zh' or 'sr-Latn'",
                ),
            ],
            kind="source",
        ),
        _section(
            "states",
            State,
            ("code",),
            [
                _f(
                    st,
                    "code",
                    "code",
                    required=True,
                    pattern=STATE_CODE,
                    pattern_hint="three capital letters (ISO 3166-1 alpha-3)",
                ),
                _f(st, "alpha2", "text", pattern=re.compile(r"[A-Z]{2}"), pattern_hint="two capital letters"),
                _f(
                    st,
                    "numeric",
                    "text",
                    pattern=re.compile(r"\d{3}"),
                    pattern_hint='three digits in quotes, e.g. "008"',
                ),
                _f(st, "name", "text", required=True),
                _f(st, "official_name", "text"),
                _f(st, "valid_from", "date"),
                _f(st, "valid_until", "date"),
                _f(st, "successor", "ref", "successor_id", ref="state"),
            ],
            source="weak",
            kind="state",
            self_ref="successor",
            dates=("valid_from", "valid_until"),
        ),
        _section(
            "organizations",
            Organization,
            ("slug",),
            [
                _f(org, "slug", "slug", required=True, **slug),
                _f(org, "name", "text", required=True),
                _f(org, "abbreviation", "text"),
                _f(org, "kind", "word", required=True, vocab=vocab.ORGANIZATION_KIND),
                _f(org, "parent", "ref", "parent_id", ref="organization"),
                _f(org, "state", "ref", "state_id", ref="state"),
                _f(org, "founded_on", "date"),
                _f(org, "dissolved_on", "date"),
            ],
            source="weak",
            kind="organization",
            self_ref="parent",
            tree=True,
            dates=("founded_on", "dissolved_on"),
        ),
        _section(
            "memberships",
            StateMembership,
            ("state", "organization", "joined_on"),
            [
                _f(mem, "state", "ref", "state_id", required=True, ref="state"),
                _f(mem, "organization", "ref", "organization_id", required=True, ref="organization"),
                _f(mem, "joined_on", "date", required=True),
                _f(mem, "left_on", "date"),
            ],
            source="weak",
            dates=("joined_on", "left_on"),
        ),
        _section(
            "offices",
            Office,
            ("slug",),
            [
                _f(off, "slug", "slug", required=True, **slug),
                _f(off, "title", "text", required=True),
                _f(off, "state", "ref", "state_id", ref="state"),
                _f(off, "organization", "ref", "organization_id", ref="organization"),
                _f(off, "seats", "int", minimum=1, default=1),
                _f(off, "note", "text"),
            ],
            source="weak",
            kind="office",
            one_of=(("state", "organization"), "an office needs a state or an organization"),
        ),
        _section(
            "persons",
            Person,
            ("slug",),
            [
                _f(per, "slug", "slug", required=True, **slug),
                _f(per, "name", "text", required=True),
                _f(per, "sort_name", "text"),
                _f(per, "birth_date", "date"),
                Field("other_names", "records", nested="other_names"),
                Field("identifiers", "mapping", nested="identifiers"),
            ],
            source="weak",
            kind="person",
            bulk=True,
        ),
        _section(
            "other_names",
            PersonName,
            ("name",),
            [
                _f(nm, "name", "text", required=True),
                _f(nm, "kind", "word", vocab=vocab.NAME_KIND, default="alternate"),
                _f(nm, "lang", "text"),
                _f(nm, "note", "text"),
            ],
            parent=("persons", "person_id"),
        ),
        _section(
            "identifiers",
            PersonIdentifier,
            ("scheme",),
            [
                _f(ident, "scheme", "text", required=True),
                _f(ident, "identifier", "text", required=True),
            ],
            parent=("persons", "person_id"),
        ),
        _section(
            "positions",
            Position,
            ("person", "title", "start_on"),
            [
                _f(pos, "person", "ref", "person_id", required=True, ref="person"),
                _f(pos, "office", "ref", "office_id", required=True, ref="office"),
                _f(pos, "title", "text", required=True),
                _f(pos, "capacity", "word", required=True, vocab=vocab.CAPACITY),
                _f(pos, "state", "ref", "state_id", ref="state"),
                _f(pos, "organization", "ref", "organization_id", ref="organization"),
                _f(pos, "tenure", "word", vocab=vocab.TENURE, default="ordinary"),
                _f(pos, "evidence", "word", vocab=vocab.EVIDENCE, default="tenure"),
                _f(pos, "start_on", "date", required=True),
                _f(pos, "end_on", "date"),
                _f(pos, "note", "text"),
            ],
            source="weak",
            dates=("start_on", "end_on"),
            bulk=True,
            one_of=(("state", "organization"), "a position needs a state or an organization"),
        ),
        _section(
            "events",
            Event,
            ("slug",),
            [
                _f(ev, "slug", "slug", required=True, **slug),
                _f(ev, "name", "text", required=True),
                _f(ev, "kind", "word", required=True, vocab=vocab.EVENT_KIND),
                _f(ev, "starts_on", "date"),
                _f(ev, "ends_on", "date"),
                _f(ev, "date_precision", "word", vocab=vocab.DATE_PRECISION, default="day"),
                _f(ev, "city", "text"),
                _f(ev, "venue", "text"),
                _f(ev, "host", "ref", "host_state_id", ref="state"),
                _f(ev, "parent", "ref", "parent_id", ref="event"),
                _f(ev, "duration_minutes", "int", minimum=1),
                _f(ev, "troops", "int", minimum=0),
                _f(ev, "troops_description", "text"),
                _f(ev, "prospective", "bool", "is_prospective", default=False),
                _f(ev, "description", "text"),
                _f(ev, "quote", "text", "source_quote"),
                Field("relations", "records", nested="relations"),
                Field("notes", "records", nested="notes"),
            ],
            source="weak",
            kind="event",
            self_ref="parent",
            tree=True,
            dates=("starts_on", "ends_on"),
            bulk=True,
            # a relation may name an event of one of the run's bulk files
            children_wait=True,
        ),
        _section(
            "relations",
            EventRelation,
            ("relation", "event"),
            [
                _f(rel, "relation", "word", required=True, vocab=vocab.EVENT_RELATION),
                _f(rel, "event", "ref", "related_event_id", required=True, ref="event"),
                _f(rel, "anniversary", "int", minimum=1),
                _f(rel, "quote", "text", "source_quote"),
            ],
            source="strong",
            parent=("events", "event_id"),
        ),
        _section(
            "notes",
            EventNote,
            ("topic",),
            [
                _f(note, "topic", "text", required=True),
                _f(note, "text", "text", required=True),
                _f(note, "quote", "text", "source_quote"),
            ],
            source="strong",
            parent=("events", "event_id"),
        ),
        _section(
            "attendance",
            Attendance,
            ("event", PARTICIPANT),
            [
                _f(att, "event", "ref", "event_id", required=True, ref="event"),
                _f(att, "person", "ref", "person_id", ref="person"),
                _f(att, "state", "ref", "state_id", ref="state"),
                _f(att, "organization", "ref", "organization_id", ref="organization"),
                _f(att, "role", "word", required=True, vocab=vocab.ROLE),
                _f(att, "capacity", "word", required=True, vocab=vocab.CAPACITY),
                _f(att, "description", "text"),
                Field("claims", "records", nested="claims"),
            ],
            noun="participation",
            bulk=True,
            one_of=(("person", "state"), "a participation needs a person, or a state for an unnamed official"),
            # a bulk row is one claim, repeating its participation; it carries no rank
            bulk_child=("claims", ("status", "reported_on", "quote", "source", "note")),
        ),
        _section(
            "claims",
            AttendanceClaim,
            ("source", "reported_on"),
            [
                _f(claim, "status", "word", required=True, vocab=vocab.STATUS),
                _f(claim, "reported_on", "date", required=True),
                _f(claim, "quote", "text", "source_quote", required=True),
                _f(claim, "note", "text"),
                *_rank_fields(claim),
            ],
            source="key",
            parent=("attendance", "attendance_id"),
        ),
        _section(
            "counts",
            AttendanceCount,
            ("event", "source", "description"),
            [
                _f(cnt, "event", "ref", "event_id", required=True, ref="event"),
                _f(cnt, "status", "word", required=True, vocab=vocab.STATUS),
                _f(cnt, "capacity", "word", vocab=vocab.CAPACITY),
                _f(cnt, "count", "int", minimum=0),
                _f(cnt, "quantifier", "text"),
                _f(cnt, "description", "text", required=True),
                _f(cnt, "organization", "ref", "organization_id", ref="organization"),
                _f(cnt, "reported_on", "date", required=True),
                _f(cnt, "quote", "text", "source_quote", required=True),
                *_rank_fields(cnt),
            ],
            source="key",
            bulk=True,
        ),
    ]
    by_name = {section.name: section for section in sections}
    # A reference is as long as the key it names.
    key_length = {
        sec.kind: sec.table.c[sec.fields[sec.key[0]].column].type.length  # type: ignore[index]
        for sec in sections
        if sec.kind
    }
    for name, sec in by_name.items():
        fields = {
            n: (replace(f, max_length=key_length[f.ref]) if f.type == "ref" else f) for n, f in sec.fields.items()
        }
        by_name[name] = replace(sec, fields=fields)
    return by_name


SECTIONS: dict[str, Section] = _build()
# Top-level sections of a document, in the order they are written.
TOP_LEVEL = tuple(name for name, section in SECTIONS.items() if section.parent is None)
DOCUMENT_KEYS = ("format", "source", *TOP_LEVEL, "bulk")
# Entity kinds a reference may name: the section defining them, its table and natural-key column.
DEFINED_BY: dict[str, str] = {section.kind: name for name, section in SECTIONS.items() if section.kind}
REF_KINDS: dict[str, tuple[sa.Table, str]] = {
    kind: (SECTIONS[name].table, SECTIONS[name].key_columns[0]) for kind, name in DEFINED_BY.items()
}
# Sections that bulk: files may carry, in the order a run writes them (guestlist.models.vocab.BULK_TABLE is their CHECK).
BULK_TABLES = tuple(name for name in TOP_LEVEL if SECTIONS[name].bulk)


def bulk_fields(section: str) -> dict[str, Field]:
    """The flat fields a bulk file of ``section`` may have, as its columns: the
    section's own, and those of the one child a row carries (an attendance
    row is one claim)."""
    spec = SECTIONS[section]
    own = {name: f for name, f in spec.fields.items() if not f.nested}
    if spec.bulk_child:
        child, names = spec.bulk_child
        own.update({name: SECTIONS[child].fields[name] for name in names})
    return own


def coerce_record(section: str | Section, record: Mapping[str, Any], *, text: bool = False) -> dict[str, Any]:
    """Check one flat record of ``section``: unknown fields, required fields, every value.

    Returns the values by seed field name (absent fields stay absent). Raises
    FieldError for the first problem. Nested lists are returned unchecked;
    the validator walks them.
    """
    spec = SECTIONS[section] if isinstance(section, str) else section
    out: dict[str, Any] = {}
    for name, value in record.items():
        if name not in spec.fields:
            raise FieldError(name, unknown_name(name, spec.fields, f"field of {spec.name}"))
        out[name] = coerce(spec.fields[name], value, text=text)
    for name, f in spec.fields.items():
        if f.required and name not in record:
            raise FieldError(name, "is required")
    return out
