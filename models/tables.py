"""Every table of the schema, imported together, so ``Base.metadata`` always holds all of them.

A table module alone registers only itself (and what it refers to) on
``Base.metadata``; whatever walks the metadata (migrations, ``db check``,
``create_all``, the data dictionary) must see every table, so it reads
``Base`` from here, as ``guestlist.models`` does.
"""

from __future__ import annotations

from .attendance import Attendance, AttendanceClaim, AttendanceCount
from .base import Base
from .events import Event, EventNote, EventRelation
from .loads import BulkLoad
from .organizations import Organization, StateMembership
from .persons import Office, Person, PersonIdentifier, PersonName, Position
from .sources import Source
from .states import State
from .views import VIEWS_METADATA

__all__ = [
    "VIEWS_METADATA",
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
]
