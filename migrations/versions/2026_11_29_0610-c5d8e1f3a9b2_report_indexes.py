"""report indexes

Revision ID: c5d8e1f3a9b2
Revises: a7c3e9f2b4d1
Create Date: 2026-11-29 06:10:00

The reports name each participant's office on the day of the event with
correlated subqueries on positions by (person, state, capacity). With only
the single-column index on state_id and the (person_id, title, start_on)
key, SQLite picked the state_id index for them and read every position of
the state (about 400 per state at 100,000 persons) for every participant:
34 ms for one event's guest list, 0.8 s for a state's record. This index
answers each subquery with one probe on every database.

Data: an index only; downgrade() drops it and keeps every row.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "c5d8e1f3a9b2"
down_revision: str | Sequence[str] | None = "a7c3e9f2b4d1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
keeps_data: bool = True  # downgrade() keeps every row (guestlist.models.db.migration_guard)


def upgrade() -> None:
    op.create_index(
        "ix_positions_person_id_state_id_capacity", "positions", ["person_id", "state_id", "capacity"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_positions_person_id_state_id_capacity", table_name="positions")
