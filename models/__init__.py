"""guestlist's tables, and the library that reads them.

    from guestlist.models import Event, Attendance, create_engine
    from guestlist.models import reports; reports.guest_list("beijing-victory-day-parade-2025")

Importing this package builds the tables and nothing else: the reports,
search and migrations load when first named (``reports``, ``upgrade``), so a
program that only needs the tables pays for SQLAlchemy alone.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from . import views
from .attendance import Attendance, AttendanceClaim, AttendanceCount
from .base import Base
from .db import create_engine, session_scope, sessionmaker_for
from .errors import DatabaseError, GuestlistError, MigrationError, NotFoundError, SeedError
from .events import Event, EventNote, EventRelation
from .loads import BulkLoad
from .organizations import Organization, StateMembership
from .persons import Person, PersonIdentifier, PersonName, Position
from .sources import Source
from .states import State
from .views import VIEWS_METADATA

if TYPE_CHECKING:
    from . import reports
    from .db.migrate import upgrade

# Names whose modules cost more than the tables (pycountry, rapidfuzz, Alembic): loaded on first use.
_LAZY = {"reports": (".reports", None), "upgrade": (".db.migrate", "upgrade")}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _LAZY[name]
    found = import_module(module, __name__)
    return found if attribute is None else getattr(found, attribute)


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
