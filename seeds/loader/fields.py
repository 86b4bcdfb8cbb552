"""What each section of a seed document may hold, as data, and how one value is checked.

The specs drive everything: validation of YAML records, the names in error
messages, the mapping to database columns, and (through :func:`coerce_record`)
the row-by-row checks of bulk CSV and JSON Lines files, which must give the
same verdicts and the same messages as YAML. Text limits come from the model
columns, so a 10 kB name is refused here, clearly, and never by the database.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from models import vocab
from models.attendance import Attendance, AttendanceClaim, AttendanceCount
from models.events import Event, EventNote, EventRelation
from models.links import link_problem
from models.organizations import Organization, StateMembership
from models.persons import Person, PersonIdentifier, PersonName, Position
from models.sources import Source
from models.states import State

FORMAT = "guestlist/1"
# TEXT on MariaDB holds 65,535 bytes: 16,000 characters fit even at 4 bytes each.
TEXT_LIMIT = 16_000
INT_MIN, INT_MAX = -(2**31), 2**31 - 1

SLUG = re.compile(r"[^\s\x00-\x1f\x7f]+")
STATE_CODE = re.compile(r"[A-Z]{3}")
DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

# Entity kinds a reference may name, with the table and natural-key column.
REF_KINDS: dict[str, tuple[sa.Table, str]] = {
    "source": (Source.__table__, "slug"),
    "state": (State.__table__, "code"),
    "organization": (Organization.__table__, "slug"),
    "person": (Person.__table__, "slug"),
    "event": (Event.__table__, "slug"),
}


class FieldError(ValueError):
    """A value is wrong; ``field`` names it with its seed-format name."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class Field:
    """One field of a record.

    ``type`` is one of: text, slug, code, url (an http(s) link), date, int, bool, word, ref, records
    (a nested list of records of section ``nested``), mapping (text -> text).
    ``weak`` values (defaults and the file's implicit source) are written when
    a row is created and never overwrite a stored value.
    """

    name: str
    type: str
    column: str | None = None
    required: bool = False
    vocab: tuple[str, ...] | None = None
    ref: str | None = None
    max_length: int | None = None
    minimum: int | None = None
    pattern: re.Pattern[str] | None = None
    pattern_hint: str = ""
    default: Any = None
    nested: str | None = None


@dataclass(frozen=True)
class Section:
    """A kind of record: a top-level section or a nested list, mapped to one table."""

    name: str
    table: sa.Table
    fields: dict[str, Field]
    key: tuple[str, ...]
    # source_id is implicit (the file's source) unless the record names one;
    # "weak" keeps the first stored value, "strong" rewrites it, "key" is part of the key.
    source: str | None = None

    def field(self, name: str) -> Field:
        return self.fields[name]


def _f(table: sa.Table, name: str, type_: str, column: str | None = None, **kw: Any) -> Field:
    column = column if column is not None else (name if name in table.c else None)
    if type_ in ("text", "slug", "code", "url") and column is not None and "max_length" not in kw:
        length = getattr(table.c[column].type, "length", None)
        kw["max_length"] = length or TEXT_LIMIT
    if type_ == "ref" and "max_length" not in kw:
        target, key = REF_KINDS[kw["ref"]]
        kw["max_length"] = target.c[key].type.length
    return Field(name, type_, column, **kw)


def _section(name: str, model: Any, key: tuple[str, ...], fields: list[Field], source: str | None = None) -> Section:
    table = model.__table__
    if source is not None:
        fields.append(_f(table, "source", "ref", "source_id", ref="source"))
    return Section(name, table, {f.name: f for f in fields}, key, source)


def _rank_fields(table: sa.Table) -> list[Field]:
    """rank and rank_reason of a status or count claim; seeds.loader.validate requires the reason where it must be."""
    return [_f(table, "rank", "word", vocab=vocab.RANK, default="normal"), _f(table, "rank_reason", "text")]


RANKED_SECTIONS = ("claims", "counts")


def _build() -> dict[str, Section]:
    s, st, org, mem = Source.__table__, State.__table__, Organization.__table__, StateMembership.__table__
    per, nm, ident, pos = Person.__table__, PersonName.__table__, PersonIdentifier.__table__, Position.__table__
    ev, rel, note = Event.__table__, EventRelation.__table__, EventNote.__table__
    att, claim, cnt = Attendance.__table__, AttendanceClaim.__table__, AttendanceCount.__table__
    slug = {"pattern": SLUG, "pattern_hint": "one word without spaces"}
    sections = [
        _section("sources", Source, ("slug",), [
            _f(s, "slug", "slug", required=True, **slug),
            _f(s, "title", "text", required=True),
            _f(s, "kind", "word", required=True, vocab=vocab.SOURCE_KIND),
            _f(s, "author", "text"), _f(s, "publisher", "text"),
            _f(s, "published_on", "date"), _f(s, "url", "url"), _f(s, "retrieved_on", "date"),
            _f(s, "note", "text"),
        ]),
        _section("states", State, ("code",), [
            _f(st, "code", "code", required=True, pattern=STATE_CODE, pattern_hint="three capital letters (ISO 3166-1 alpha-3)"),
            _f(st, "alpha2", "text", pattern=re.compile(r"[A-Z]{2}"), pattern_hint="two capital letters"),
            _f(st, "numeric", "text", pattern=re.compile(r"\d{3}"), pattern_hint='three digits in quotes, e.g. "008"'),
            _f(st, "name", "text", required=True), _f(st, "official_name", "text"),
            _f(st, "valid_from", "date"), _f(st, "valid_until", "date"),
            _f(st, "successor", "ref", "successor_id", ref="state"),
        ], source="weak"),
        _section("organizations", Organization, ("slug",), [
            _f(org, "slug", "slug", required=True, **slug),
            _f(org, "name", "text", required=True), _f(org, "abbreviation", "text"),
            _f(org, "kind", "word", required=True, vocab=vocab.ORGANIZATION_KIND),
            _f(org, "parent", "ref", "parent_id", ref="organization"),
            _f(org, "state", "ref", "state_id", ref="state"),
            _f(org, "founded_on", "date"), _f(org, "dissolved_on", "date"),
        ], source="weak"),
        _section("memberships", StateMembership, ("state", "organization", "joined_on"), [
            _f(mem, "state", "ref", "state_id", required=True, ref="state"),
            _f(mem, "organization", "ref", "organization_id", required=True, ref="organization"),
            _f(mem, "joined_on", "date", required=True), _f(mem, "left_on", "date"),
        ], source="weak"),
        _section("persons", Person, ("slug",), [
            _f(per, "slug", "slug", required=True, **slug),
            _f(per, "name", "text", required=True), _f(per, "sort_name", "text"),
            _f(per, "birth_date", "date"),
            Field("other_names", "records", nested="other_names"),
            Field("identifiers", "mapping"),
        ], source="weak"),
        _section("other_names", PersonName, ("name",), [
            _f(nm, "name", "text", required=True),
            _f(nm, "kind", "word", vocab=vocab.NAME_KIND, default="alternate"),
            _f(nm, "lang", "text"), _f(nm, "note", "text"),
        ]),
        _section("identifiers", PersonIdentifier, ("scheme",), [
            _f(ident, "scheme", "text", required=True), _f(ident, "identifier", "text", required=True),
        ]),
        _section("positions", Position, ("person", "title", "start_on"), [
            _f(pos, "person", "ref", "person_id", required=True, ref="person"),
            _f(pos, "title", "text", required=True),
            _f(pos, "capacity", "word", required=True, vocab=vocab.CAPACITY),
            _f(pos, "state", "ref", "state_id", ref="state"),
            _f(pos, "organization", "ref", "organization_id", ref="organization"),
            _f(pos, "start_on", "date", required=True), _f(pos, "end_on", "date"),
            _f(pos, "note", "text"),
        ], source="weak"),
        _section("events", Event, ("slug",), [
            _f(ev, "slug", "slug", required=True, **slug),
            _f(ev, "name", "text", required=True),
            _f(ev, "kind", "word", required=True, vocab=vocab.EVENT_KIND),
            _f(ev, "starts_on", "date"), _f(ev, "ends_on", "date"),
            _f(ev, "date_precision", "word", vocab=vocab.DATE_PRECISION, default="day"),
            _f(ev, "city", "text"), _f(ev, "venue", "text"),
            _f(ev, "host", "ref", "host_state_id", ref="state"),
            _f(ev, "parent", "ref", "parent_id", ref="event"),
            _f(ev, "duration_minutes", "int", minimum=1), _f(ev, "troops", "int", minimum=0),
            _f(ev, "troops_description", "text"),
            _f(ev, "prospective", "bool", "is_prospective", default=False),
            _f(ev, "description", "text"), _f(ev, "quote", "text", "source_quote"),
            Field("relations", "records", nested="relations"),
            Field("notes", "records", nested="notes"),
        ], source="weak"),
        _section("relations", EventRelation, ("relation", "event"), [
            _f(rel, "relation", "word", required=True, vocab=vocab.EVENT_RELATION),
            _f(rel, "event", "ref", "related_event_id", required=True, ref="event"),
            _f(rel, "anniversary", "int", minimum=1), _f(rel, "quote", "text", "source_quote"),
        ], source="strong"),
        _section("notes", EventNote, ("topic",), [
            _f(note, "topic", "text", required=True), _f(note, "text", "text", required=True),
            _f(note, "quote", "text", "source_quote"),
        ], source="strong"),
        _section("attendance", Attendance, ("event", "participant"), [
            _f(att, "event", "ref", "event_id", required=True, ref="event"),
            _f(att, "person", "ref", "person_id", ref="person"),
            _f(att, "state", "ref", "state_id", ref="state"),
            _f(att, "organization", "ref", "organization_id", ref="organization"),
            _f(att, "role", "word", required=True, vocab=vocab.ROLE),
            _f(att, "capacity", "word", required=True, vocab=vocab.CAPACITY),
            _f(att, "description", "text"),
            Field("claims", "records", nested="claims"),
        ]),
        _section("claims", AttendanceClaim, ("source", "reported_on"), [
            _f(claim, "status", "word", required=True, vocab=vocab.STATUS),
            _f(claim, "reported_on", "date", required=True),
            _f(claim, "quote", "text", "source_quote", required=True),
            _f(claim, "note", "text"),
            *_rank_fields(claim),
        ], source="key"),
        _section("counts", AttendanceCount, ("event", "source", "description"), [
            _f(cnt, "event", "ref", "event_id", required=True, ref="event"),
            _f(cnt, "status", "word", required=True, vocab=vocab.STATUS),
            _f(cnt, "capacity", "word", vocab=vocab.CAPACITY),
            _f(cnt, "count", "int", minimum=0), _f(cnt, "quantifier", "text"),
            _f(cnt, "description", "text", required=True),
            _f(cnt, "organization", "ref", "organization_id", ref="organization"),
            _f(cnt, "reported_on", "date", required=True),
            _f(cnt, "quote", "text", "source_quote", required=True),
            *_rank_fields(cnt),
        ], source="key"),
    ]
    return {section.name: section for section in sections}


SECTIONS: dict[str, Section] = _build()
# Top-level sections of a document, in the order they are written.
TOP_LEVEL = ("sources", "states", "organizations", "memberships", "persons", "positions", "events", "attendance", "counts")
DOCUMENT_KEYS = ("format", "source", *TOP_LEVEL, "bulk")
# Pairs of dates that must not run backwards: (start, end).
DATE_ORDER = {
    "states": ("valid_from", "valid_until"),
    "organizations": ("founded_on", "dissolved_on"),
    "memberships": ("joined_on", "left_on"),
    "positions": ("start_on", "end_on"),
    "events": ("starts_on", "ends_on"),
}


def coerce(spec: Field, value: Any, *, text: bool = False) -> Any:
    """The checked Python value of one field, or FieldError.

    ``text=True`` reads values as a CSV cell gives them: '' is null, numbers,
    dates and true/false are parsed from their text.
    """
    if text and isinstance(value, str) and spec.type not in ("records", "mapping"):
        value = _from_text(spec, value)
    if value is None:
        if spec.required:
            raise FieldError(spec.name, "is required and cannot be null")
        return None
    kind = spec.type
    if kind == "ref" and not text and spec.ref in ("person", "state"):
        from .names import named_reference  # a person or state by name or office (docs/names.md)

        return named_reference(spec, value)
    if kind in ("text", "slug", "code", "ref", "word"):
        return _text(spec, value)
    if kind == "url":
        value = _text(spec, value)
        problem = link_problem(value)
        if problem:
            raise FieldError(spec.name, problem)
        return value
    if kind == "date":
        return _date(spec, value)
    if kind == "int":
        return _int(spec, value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise FieldError(spec.name, f"must be true or false, not {describe(value)}")
        return value
    if kind == "records":
        if not isinstance(value, list):
            raise FieldError(spec.name, f"must be a list of records, not {describe(value)}")
        return value
    if kind == "mapping":
        if not isinstance(value, dict):
            raise FieldError(spec.name, f"must be a mapping such as {{wikidata: Q56226}}, not {describe(value)}")
        return value
    raise AssertionError(kind)  # pragma: no cover


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


def unknown_name(name: Any, known: Any, what: str) -> str:
    close = difflib.get_close_matches(str(name), list(known), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown {what} '{printable(str(name))}'{hint}"


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false ({value!r})".lower()
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"text ({_short(value)!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, dt.date):
        return f"a date ({value})"
    return type(value).__name__


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def printable(text: str, limit: int = 60) -> str:
    """Text as an error message may show it: one line, control characters escaped, shortened."""
    if not text.isprintable():
        text = text.encode("unicode_escape", "backslashreplace").decode("ascii")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _from_text(spec: Field, value: str) -> Any:
    if value == "":
        return None
    if spec.type == "int":
        try:
            return int(value)
        except ValueError:
            raise FieldError(spec.name, f"must be a whole number, not {describe(value)}") from None
    if spec.type == "bool":
        lowered = value.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        raise FieldError(spec.name, f"must be true or false, not {describe(value)}")
    return value


def _text(spec: Field, value: Any) -> str:
    if not isinstance(value, str):
        raise FieldError(spec.name, f"must be text, not {describe(value)}")
    if "\x00" in value:
        raise FieldError(spec.name, "contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise FieldError(spec.name, "is not valid Unicode (lone surrogate)") from None
    if spec.max_length is not None and len(value) > spec.max_length:
        raise FieldError(spec.name, f"is {len(value)} characters long; at most {spec.max_length} fit")
    if spec.type in ("slug", "ref", "code", "word") and not SLUG.fullmatch(value):
        raise FieldError(spec.name, f"must be one word without spaces, not {describe(value)}")
    if spec.required and spec.type == "text" and value != value.strip():
        raise FieldError(spec.name, "must not start or end with spaces")
    if spec.required and not value:
        raise FieldError(spec.name, "must not be empty")
    if spec.pattern is not None and not spec.pattern.fullmatch(value):
        raise FieldError(spec.name, f"must be {spec.pattern_hint}, not {describe(value)}")
    if spec.vocab is not None and value not in spec.vocab:
        close = difflib.get_close_matches(value, spec.vocab, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise FieldError(spec.name, f"'{_short(value)}' is not a known word; {hint}use one of: {', '.join(spec.vocab)}")
    if spec.type == "ref" and spec.ref == "state" and not STATE_CODE.fullmatch(value):
        raise FieldError(spec.name, f"must be a state code of three capital letters, not {describe(value)}")
    return value


def _date(spec: Field, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise FieldError(spec.name, f"must be a date (YYYY-MM-DD), not a date and time ({value})")
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise FieldError(spec.name, f"must be a date (YYYY-MM-DD), not {describe(value)}")
    match = DATE.fullmatch(value.strip())
    if not match:
        raise FieldError(spec.name, f"must be a date (YYYY-MM-DD), not {describe(value)}")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise FieldError(spec.name, f"{value.strip()} is not a real date ({exc})") from None


def _int(spec: Field, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(spec.name, f"must be a whole number, not {describe(value)}")
    if not INT_MIN <= value <= INT_MAX:
        raise FieldError(spec.name, f"{value} is out of range")
    if spec.minimum is not None and value < spec.minimum:
        raise FieldError(spec.name, f"must be at least {spec.minimum}, not {value}")
    return value
