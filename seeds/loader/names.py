"""References by name or office in seed documents, as read from the file.

``person: Kim Jong-un``, ``person: {office: President of Indonesia}`` and
``state: North Korea`` are kept as a :class:`NameRef` until the run's
transaction is open; ``seeds.loader.resolve.resolve_names`` then turns each
into the one slug or code it names, or refuses it in one line
(docs/names.md). A value shaped like a slug (code) is a slug (code), as before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .fields import SLUG, STATE_CODE, Field, FieldError, coerce, describe

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
        return f"office {self.text}" + (f" on {self.on}" if self.on else "") + (f" of {self.state}" if self.state else "")


def named_reference(spec: Field, value: Any) -> Any:
    """A slug or code as given, or the :class:`NameRef` a name or ``{office: ...}`` becomes."""
    if isinstance(value, dict) and spec.ref == "person":
        unknown = [k for k in value if k not in OFFICE_KEYS]
        if unknown or "office" not in value:
            raise FieldError(spec.name, f"a person given by office is {{office: TITLE, on: DATE}} (optional on, state), not {describe(value)}")
        title = _name(spec, value["office"])
        on = coerce(Field(spec.name, "date"), value["on"]) if value.get("on") is not None else None
        state = _name(spec, value["state"]) if value.get("state") is not None else None
        return NameRef("person", title, office=True, on=on, state=state)
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
