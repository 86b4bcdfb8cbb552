"""guestlist's tables, and the library that reads them.

    from guestlist.models import Event, Attendance, create_engine
    from guestlist.models import reports; reports.guest_list("beijing-victory-day-parade-2025")

Every name here loads on first use (PEP 562), so importing the package costs
nothing: the command line reads ``guestlist.models.settings`` without
SQLAlchemy. The first table name (or ``Base``) loads every table together
(``guestlist.models.tables``), so ``Base.metadata`` is always complete; the
reports and the migrations (``reports``, ``upgrade``) load when first named.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import reports, views
    from .db import create_engine, session_scope, sessionmaker_for
    from .db.migrate import upgrade
    from .errors import DatabaseError, GuestlistError, MigrationError, NotFoundError, SeedError
    from .tables import (
        VIEWS_METADATA,
        Attendance,
        AttendanceClaim,
        AttendanceCount,
        Base,
        BulkLoad,
        Event,
        EventNote,
        EventRelation,
        Office,
        Organization,
        Person,
        PersonIdentifier,
        PersonName,
        Position,
        Source,
        State,
        StateMembership,
    )

_TABLES = (
    "Attendance",
    "AttendanceClaim",
    "AttendanceCount",
    "Base",
    "BulkLoad",
    "Event",
    "EventNote",
    "EventRelation",
    "Office",
    "Organization",
    "Person",
    "PersonIdentifier",
    "PersonName",
    "Position",
    "Source",
    "State",
    "StateMembership",
    "VIEWS_METADATA",
)
_ERRORS = ("DatabaseError", "GuestlistError", "MigrationError", "NotFoundError", "SeedError")
# name -> (the module that defines it, the attribute; None: the module itself)
_HOMES: dict[str, tuple[str, str | None]] = {
    **{name: (".tables", name) for name in _TABLES},
    **{name: (".errors", name) for name in _ERRORS},
    **{name: (".db", name) for name in ("create_engine", "session_scope", "sessionmaker_for")},
    "upgrade": (".db.migrate", "upgrade"),
    "reports": (".reports", None),
    "views": (".views", None),
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _HOMES[name]
    found = import_module(module, __name__)
    value = found if attribute is None else getattr(found, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


__all__ = [
    "Attendance",
    "AttendanceClaim",
    "AttendanceCount",
    "Base",
    "BulkLoad",
    "DatabaseError",
    "Event",
    "EventNote",
    "EventRelation",
    "GuestlistError",
    "MigrationError",
    "NotFoundError",
    "Office",
    "Organization",
    "Person",
    "PersonIdentifier",
    "PersonName",
    "Position",
    "SeedError",
    "Source",
    "VIEWS_METADATA",
    "State",
    "StateMembership",
    "create_engine",
    "reports",
    "session_scope",
    "sessionmaker_for",
    "upgrade",
    "views",
]
