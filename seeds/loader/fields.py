"""How one value of a seed record is checked, and the words of the errors about it.

:class:`Field` describes one field (the seed format's sections, in
``guestlist.seeds.loader.format``, are made of them); :func:`coerce` checks one value
against it. YAML records and the row-by-row checks of bulk CSV and JSON
Lines files both come here, so they give the same verdicts and the same
messages. A person or state given by name or office (``person: Kim
Jong-un``, ``person: {office: President of Indonesia}``, ``state: North
Korea``) is kept as a :class:`NameRef` until the run's transaction is open;
``guestlist.seeds.loader.resolve.resolve_names`` then turns each into the one slug or
code it names, or refuses it in one line (docs/names.md). A value shaped
like a slug (code) is a slug (code).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from guestlist.models.links import link_problem

# TEXT on MariaDB holds 65,535 bytes: 16,000 characters fit even at 4 bytes each.
TEXT_LIMIT = 16_000
INT_MIN, INT_MAX = -(2**31), 2**31 - 1

SLUG = re.compile(r"[^\s\x00-\x1f\x7f]+")
STATE_CODE = re.compile(r"[A-Z]{3}")
DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class FieldError(ValueError):
    """A value is wrong; ``field`` names it with its seed-format name."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class Field:
    """One field of a record.

    ``type`` is one of: text, slug, code, url (an http(s) link), date, int, bool, word, ref, records
    (a nested list of records of section ``nested``), mapping (text -> text, the records of
    section ``nested`` keyed by their first key field).
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
        return named_reference(spec, value)  # a person or state by name or office (docs/names.md)
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


# -- references by name or office (docs/names.md) ----------------------------------

NAMED = ("person", "state")  # reference kinds that may be given by name
MAX_NAME = 300
OFFICE_KEYS = ("office", "on", "state")


@dataclass(frozen=True)
class NameRef:
    """A person or state as a source names them; resolved inside the run's transaction."""

    kind: str
    text: str  # the name, or the office's title
    office: bool = False
    on: dt.date | None = None
    state: str | None = None  # for an office: the state it is of (a code or a name)

    def __str__(self) -> str:
        if not self.office:
            return self.text
        return (
            f"office {self.text}" + (f" on {self.on}" if self.on else "") + (f" of {self.state}" if self.state else "")
        )


def named_reference(spec: Field, value: Any) -> Any:
    """A slug or code as given, or the :class:`NameRef` a name or ``{office: ...}`` becomes."""
    if isinstance(value, dict) and spec.ref == "person":
        unknown = [k for k in value if k not in OFFICE_KEYS]
        if unknown or "office" not in value:
            raise FieldError(
                spec.name,
                f"a person given by office is {{office: TITLE, on: DATE}} (optional on, state), not {describe(value)}",
            )
        title = _name(spec, value["office"])
        on = coerce(Field(spec.name, "date"), value["on"]) if value.get("on") is not None else None
        state = _name(spec, value["state"]) if value.get("state") is not None else None
        return NameRef("person", title, office=True, on=on, state=state)
    if spec.ref == "person" and isinstance(value, str) and " on " in value.lower():
        from guestlist.models.names import office_on  # pycountry and rapidfuzz load only for a phrase

        try:
            phrase = office_on(value)
        except ValueError as exc:
            raise FieldError(spec.name, str(exc)) from None
        if phrase is not None:  # "Prime Minister of Japan on 2025-10-22"
            return NameRef("person", _name(spec, phrase[0]), office=True, on=phrase[1])
    shaped = STATE_CODE if spec.ref == "state" else SLUG
    if isinstance(value, str) and shaped.fullmatch(value):
        return coerce(spec, value, text=True)  # a slug or code: the usual checks
    return NameRef(spec.ref or "", _name(spec, value))


def _name(spec: Field, value: Any) -> str:
    if not isinstance(value, str):
        raise FieldError(spec.name, f"must be a slug, a name or {{office: TITLE}}, not {describe(value)}")
    text = value.strip()
    if not text or "\x00" in text:
        raise FieldError(spec.name, "must not be empty")
    if len(text) > MAX_NAME:
        raise FieldError(spec.name, f"is {len(text)} characters long; at most {MAX_NAME} fit")
    return text
