"""record indexes

Revision ID: e5f7a9b1c3d5
Revises: c5d8e1f3a9b2
Create Date: 2026-11-29 07:51:00

A state's or a person's record is read in event order. With single-column
indexes on attendance.state_id and attendance.person_id, every one of a
state's participations (about 4,000 at a million participations) was a
random read of the attendance table just to learn its event: 12 ms on
SQLite before any join. Leading with the same column and adding event_id
makes "this state's participations, by event" an index-only range, so a
page of the record joins the rest for its own rows only. The composite
indexes also serve every lookup the single-column ones served (and
MariaDB's foreign keys on state_id and person_id), so those are dropped
after the new ones exist.

Data: indexes only; downgrade() restores the single-column indexes and
keeps every row.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "e5f7a9b1c3d5"
down_revision: str | Sequence[str] | None = "c5d8e1f3a9b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
keeps_data: bool = True  # downgrade() keeps every row (guestlist.models.db.migration_guard)

# (column, old single-column index, new composite index)
_INDEXES = (
    ("state_id", "ix_attendance_state_id", "ix_attendance_state_id_event_id"),
    ("person_id", "ix_attendance_person_id", "ix_attendance_person_id_event_id"),
)


def upgrade() -> None:
    for column, old, new in _INDEXES:
        op.create_index(new, "attendance", [column, "event_id"], unique=False)
        op.drop_index(old, table_name="attendance")


def downgrade() -> None:
    for column, old, new in _INDEXES:
        op.create_index(old, "attendance", [column], unique=False)
        op.drop_index(new, table_name="attendance")
