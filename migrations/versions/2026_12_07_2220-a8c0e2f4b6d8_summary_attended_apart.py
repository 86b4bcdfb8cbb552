"""event_summary counts attended apart from announced

Revision ID: a8c0e2f4b6d8
Revises: f2b4d6e8a0c1
Create Date: 2026-12-07 22:20:00

event_summary's states_represented and heads_present count a participant
whose current status is expected or confirmed as present: a reader of the
summary could not tell who was seen there from who was only announced.
Their meaning is a contract (a7c3e9f2b4d1), so they stay; three columns
are added at the end, as the contract allows:

- states_attended: distinct states with a participant whose current status is attended;
- heads_attended: distinct heads of state or government who attended;
- states_announced_only: distinct states with an announced participant (expected or
  confirmed) and none who attended.

The view is dropped and created again (no view reads event_summary); the
SQL before this revision is a7c3e9f2b4d1's, read from that script as
b7d9f1a3c5e7 does, so both directions recreate exactly what was there.

Data: views hold no data; downgrade() restores the earlier view and keeps every row.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "a8c0e2f4b6d8"
down_revision: str | Sequence[str] | None = "f2b4d6e8a0c1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
keeps_data: bool = True  # downgrade() keeps every row (guestlist.models.db.migration_guard)

LAST_COLUMN = "    e.id AS event_id\n"
ADDED = """    e.id AS event_id,
    (SELECT COUNT(DISTINCT r.state_id) FROM attendance_report r
     WHERE r.event_id = e.id AND r.status = 'attended') AS states_attended,
    (SELECT COUNT(DISTINCT r.person_id) FROM attendance_report r
     WHERE r.event_id = e.id AND r.status = 'attended'
     AND r.capacity IN {heads}) AS heads_attended,
    (SELECT COUNT(DISTINCT r.state_id) FROM attendance_report r
     WHERE r.event_id = e.id AND r.status IN ('expected', 'confirmed')
     AND NOT EXISTS (
         SELECT 1 FROM attendance_report seen
         WHERE seen.event_id = e.id AND seen.state_id = r.state_id AND seen.status = 'attended'
     )) AS states_announced_only
"""


@cache
def _views_revision() -> ModuleType:
    """Revision a7c3e9f2b4d1's script: event_summary as it was created (b7d9f1a3c5e7 recreated it unchanged)."""
    (path,) = Path(__file__).parent.glob("*-a7c3e9f2b4d1_*.py")
    spec = importlib.util.spec_from_file_location("guestlist_views_a7c3e9f2b4d1", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _old_sql() -> str:
    return str(dict(_views_revision().VIEWS)["event_summary"])


def _new_sql() -> str:
    old = _old_sql()
    assert old.count(LAST_COLUMN) == 1, "event_summary's last column moved"
    return old.replace(LAST_COLUMN, ADDED.format(heads=_views_revision().HEADS))


def _replace(sql: str) -> None:
    op.execute("DROP VIEW event_summary")
    op.execute(f"CREATE VIEW event_summary AS {sql.strip()}")


def upgrade() -> None:
    _replace(_new_sql())


def downgrade() -> None:
    _replace(_old_sql())
