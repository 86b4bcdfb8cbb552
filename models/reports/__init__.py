"""Reports for notebooks and the ``guestlist report`` command.

Each function takes slugs or codes as a person would type them and returns
dataclasses whose field order is the column order of the CSV and JSON
output. The database is ``db=``: an Engine, a Connection or a URL (default:
``GUESTLIST_DATABASE_URL``, else ``guestlist.db``), opened read-only.

Every query is looked up by an indexed id (event, state, person) so reports
stay fast at a million participations; rows are ordered in Python so the
order is the same on every database, whatever its collation. The state and
person records are the exception: they are ordered in SQL, on keys that
compare the same everywhere, so they can be read a page at a time.

An unknown slug or code raises ``NotFoundError`` naming close matches.

Every report that shows a status takes ``as_of=``: the record as it was
known on that day (docs/ledger.md). Claims reported later do not exist
then, and a participation with no claim yet does not appear; the status is
read from the ``attendance_timeline`` view, the same SQL an analyst writes.

The modules, one concern each: ``rows`` (the row types and their column
order), ``lookup`` (finding what was typed, and the "did you mean"),
``status`` (the view columns, ``as_of``, the shared orders), ``guests``
(an event's guest list, counts, comparisons, blocs, and every event),
``records`` (a state's or person's record, paged), ``ledger`` (the claims
and their changes), ``charts`` (the pictures, with the ``charts`` extra)
and ``queries`` (the example SQL queries).
"""

from __future__ import annotations

from .guests import attendance_counts, bloc_breakdown, compare_events, comparison_summary, events, guest_list
from .ledger import changes, conflicts, expected_vs_actual, status_history
from .offices import Overlap, office_holders, overlaps
from .records import person_record, person_record_size, state_record, state_record_size
from .rows import (
    BLOC_OUTCOMES,
    AttendanceRow,
    BlocBreakdown,
    BlocMember,
    Change,
    ComparisonSummary,
    Conflict,
    Count,
    Difference,
    EventSummary,
    Expectation,
    OfficeHolder,
    columns,
    stored_columns,
)

__all__ = [
    "BLOC_OUTCOMES",
    "AttendanceRow",
    "BlocBreakdown",
    "BlocMember",
    "Change",
    "ComparisonSummary",
    "Conflict",
    "OfficeHolder",
    "Overlap",
    "Count",
    "Difference",
    "EventSummary",
    "Expectation",
    "attendance_counts",
    "bloc_breakdown",
    "changes",
    "columns",
    "compare_events",
    "comparison_summary",
    "conflicts",
    "events",
    "expected_vs_actual",
    "guest_list",
    "office_holders",
    "overlaps",
    "person_record",
    "person_record_size",
    "state_record",
    "state_record_size",
    "status_history",
    "stored_columns",
]
