"""guestlist's library: the ORM models, engine helpers, migrations and reports.

    from models import Event, Attendance, create_engine
    from models import reports; reports.guest_list("beijing-victory-day-parade-2025")
"""

from . import reports, views  # noqa: E402 - after the tables they read
from .attendance import Attendance, AttendanceClaim, AttendanceCount
from .base import Base
from .db import create_engine, session_scope, sessionmaker_for
from .errors import DatabaseError, GuestlistError, MigrationError, NotFoundError, SeedError
from .events import Event, EventNote, EventRelation
from .loads import BulkLoad
from .migrate import upgrade
from .organizations import Organization, StateMembership
from .persons import Person, PersonIdentifier, PersonName, Position
from .sources import Source
from .states import State
from .views import VIEWS_METADATA

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
