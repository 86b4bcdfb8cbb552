"""reporting views

Revision ID: a7c3e9f2b4d1
Revises: 46012445bdb9
Create Date: 2026-11-29 06:00:00

The public SQL interface (README, "The SQL interface"): attendance_report,
attendance_history, participation_counts, event_summary,
state_memberships and event_relations (over the tables memberships and
event_links). Names and columns are a contract: a later
revision may add columns, never rename or drop one.

Written as plain SQL that means the same on SQLite, PostgreSQL and MariaDB:
no string concatenation, no boolean columns, no date functions; dates are
the tables' own DATE columns. The current status of a participation is its
latest claim by (reported_on, id), found with NOT EXISTS so the
(attendance_id, reported_on, id) index serves it.

The SQL is copied here, not imported from ``models``: a revision must keep
creating the views it created when it was written.

Note for later revisions: SQLite's batch table rebuild (drop table, rename
the copy) fails while a view names the table, so such a revision must drop
the views first and recreate them after.

Data: views hold no data; downgrade() drops them and keeps every row.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "a7c3e9f2b4d1"
down_revision: str | Sequence[str] | None = "46012445bdb9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
keeps_data: bool = True  # downgrade() keeps every row (guestlist.models.db.migration_guard)

# The columns both attendance views share, in contract order, then extras.
_PARTICIPATION_COLUMNS = """
    e.slug AS event_slug,
    e.name AS event_name,
    e.kind AS event_kind,
    e.starts_on AS event_date,
    e.date_precision AS event_date_precision,
    e.city AS event_city,
    h.code AS host_state_code,
    p.slug AS person_slug,
    p.name AS person_name,
    s.code AS state_code,
    s.name AS state_name,
    a.role AS role,
    a.capacity AS capacity,
    c.status AS status,
    c.reported_on AS reported_on,
    src.slug AS source_slug,
    c.source_quote AS source_quote,
    a.description AS description,
    o.slug AS organization_slug,
    c.note AS claim_note,
    a.id AS attendance_id,
    c.id AS claim_id,
    a.event_id AS event_id,
    a.person_id AS person_id,
    a.state_id AS state_id"""

_PARTICIPATION_JOINS = """
    LEFT JOIN states h ON h.id = e.host_state_id
    LEFT JOIN persons p ON p.id = a.person_id
    LEFT JOIN states s ON s.id = a.state_id
    LEFT JOIN organizations o ON o.id = a.organization_id
    LEFT JOIN sources src ON src.id = c.source_id"""

PRESENT = "('expected', 'confirmed', 'attended')"
ABSENT = "('declined', 'boycotted', 'not_attending')"
HEADS = "('head_of_state', 'head_of_government')"

VIEWS: list[tuple[str, str]] = [
    (
        "attendance_report",
        f"""
SELECT {_PARTICIPATION_COLUMNS}
FROM attendance a
JOIN events e ON e.id = a.event_id
LEFT JOIN attendance_claims c
    ON c.attendance_id = a.id
    AND NOT EXISTS (
        SELECT 1 FROM attendance_claims later
        WHERE later.attendance_id = c.attendance_id
        AND (later.reported_on > c.reported_on
             OR (later.reported_on = c.reported_on AND later.id > c.id))
    ){_PARTICIPATION_JOINS}
""",
    ),
    (
        "attendance_history",
        f"""
SELECT {_PARTICIPATION_COLUMNS}
FROM attendance_claims c
JOIN attendance a ON a.id = c.attendance_id
JOIN events e ON e.id = a.event_id{_PARTICIPATION_JOINS}
ORDER BY c.reported_on, c.id
""",
    ),
    (
        "participation_counts",
        """
SELECT
    e.slug AS event_slug,
    n.status AS status,
    n.capacity AS capacity,
    n.count AS count,
    n.description AS description,
    n.reported_on AS reported_on,
    src.slug AS source_slug,
    n.source_quote AS source_quote,
    n.quantifier AS quantifier,
    o.slug AS organization_slug,
    n.id AS count_id,
    n.event_id AS event_id
FROM attendance_counts n
JOIN events e ON e.id = n.event_id
JOIN sources src ON src.id = n.source_id
LEFT JOIN organizations o ON o.id = n.organization_id
""",
    ),
    (
        "event_summary",
        f"""
SELECT
    e.slug AS event_slug,
    e.name AS event_name,
    e.kind AS event_kind,
    e.starts_on AS event_date,
    h.code AS host_state_code,
    (SELECT COUNT(DISTINCT a.person_id) FROM attendance a
     WHERE a.event_id = e.id) AS named_participants,
    (SELECT COUNT(DISTINCT r.state_id) FROM attendance_report r
     WHERE r.event_id = e.id AND r.status IN {PRESENT}) AS states_represented,
    (SELECT COUNT(DISTINCT r.person_id) FROM attendance_report r
     WHERE r.event_id = e.id AND r.status IN {PRESENT}
     AND r.capacity IN {HEADS}) AS heads_present,
    (SELECT COUNT(DISTINCT r.state_id) FROM attendance_report r
     WHERE r.event_id = e.id AND r.status IN {ABSENT}) AS states_absent,
    e.date_precision AS event_date_precision,
    e.ends_on AS event_end_date,
    e.city AS event_city,
    e.venue AS event_venue,
    parent.slug AS parent_event_slug,
    e.id AS event_id
FROM events e
LEFT JOIN states h ON h.id = e.host_state_id
LEFT JOIN events parent ON parent.id = e.parent_id
""",
    ),
    (
        "state_memberships",
        """
SELECT
    s.code AS state_code,
    s.name AS state_name,
    o.slug AS organization_slug,
    o.name AS organization_name,
    m.joined_on AS joined_on,
    m.left_on AS left_on,
    o.abbreviation AS organization_abbreviation,
    o.kind AS organization_kind,
    m.state_id AS state_id,
    m.organization_id AS organization_id
FROM memberships m
JOIN states s ON s.id = m.state_id
JOIN organizations o ON o.id = m.organization_id
""",
    ),
    (
        "event_relations",
        """
SELECT
    e.slug AS event_slug,
    r.relation AS relation,
    rel.slug AS related_event_slug,
    r.anniversary AS anniversary,
    e.name AS event_name,
    rel.name AS related_event_name,
    rel.starts_on AS related_event_date,
    src.slug AS source_slug,
    r.source_quote AS source_quote,
    r.event_id AS event_id,
    r.related_event_id AS related_event_id
FROM event_links r
JOIN events e ON e.id = r.event_id
JOIN events rel ON rel.id = r.related_event_id
LEFT JOIN sources src ON src.id = r.source_id
""",
    ),
]


def upgrade() -> None:
    for name, select in VIEWS:
        op.execute(f"CREATE VIEW {name} AS {select.strip()}")


def downgrade() -> None:
    for name, _ in reversed(VIEWS):
        op.execute(f"DROP VIEW {name}")
