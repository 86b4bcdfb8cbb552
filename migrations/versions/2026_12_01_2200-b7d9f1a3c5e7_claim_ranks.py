"""claim ranks: ranked status and count claims, the timeline and conflicts views

Revision ID: b7d9f1a3c5e7
Revises: f6a8b0c2d4e6
Create Date: 2026-12-01 22:00:00

Claims become a ledger (docs/ledger.md). Status claims and count claims get
``rank`` (preferred, normal or deprecated, after Wikidata's statement ranks;
every existing row ``normal``) and ``rank_reason`` (required for preferred
and deprecated), each guarded by a named CHECK on every database.

The current status becomes the latest non-deprecated claim by reported_on;
on one day a preferred claim beats a normal one, then the higher id. The
views that read claims are recreated with that rule and gain ``rank`` and
``rank_reason`` at the end (the contract of a7c3e9f2b4d1: columns are
added, never renamed or dropped): attendance_report, attendance_history,
participation_counts, and event_summary, which reads attendance_report.
Two views are new: attendance_timeline (each non-deprecated claim with the
days it was current, valid_from and valid_until) and claim_conflicts
(present against absent claims of two sources that must agree).

SQLite adds each column with its CHECK in one ALTER TABLE ADD COLUMN (no
rebuild of a million claims) and drops it with ALTER TABLE DROP COLUMN;
the servers add the column, then the named constraint.

The earlier views' SQL is read from revision a7c3e9f2b4d1's own script,
which never changes, so both directions create exactly what it created.

Data: keeps every row. downgrade() drops the two columns, so it first
refuses while any claim or count is ranked other than normal (the old
schema could not say so): export the seeds, or rank them normal, first.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

from guestlist.models.errors import MigrationError  # the CLI's one-line error (an exception type, not the ORM)

revision: str = "b7d9f1a3c5e7"
down_revision: str | Sequence[str] | None = "f6a8b0c2d4e6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
keeps_data: bool = True  # downgrade() keeps every row (guestlist.models.db.migration_guard)

RANKS = ("preferred", "normal", "deprecated")  # copied, not imported: see a7c3e9f2b4d1
NEEDING_REASON = ("preferred", "deprecated")
RANKED_TABLES = ("attendance_claims", "attendance_counts")
RANK_COMMENT = (
    "preferred, normal or deprecated: a deprecated claim is never current; on one day a preferred one beats a normal one."
)
REASON_COMMENT = "Why the editor ranked the claim preferred or deprecated (required then)."
CLAIMS_COMMENT = ("Status history of each participation; the latest claim is the current status.",
                  "Status history of each participation; the latest non-deprecated claim is the current status.")
# Views that read the ranked tables, dependents first (the order to drop them in).
CHANGED = ("event_summary", "participation_counts", "attendance_history", "attendance_report")
NEW = ("claim_conflicts", "attendance_timeline")


@cache
def _views_revision() -> ModuleType:
    """Revision a7c3e9f2b4d1's script: the views as first created, and their shared SQL."""
    (path,) = Path(__file__).parent.glob("*-a7c3e9f2b4d1_*.py")
    spec = importlib.util.spec_from_file_location("guestlist_views_a7c3e9f2b4d1", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _words(words: Sequence[str]) -> str:
    return "(" + ", ".join(f"'{w}'" for w in words) + ")"


def _checks(table: str) -> dict[str, tuple[str, str]]:
    """Column -> (constraint name, condition), named as guestlist.models.base's convention names them."""
    return {
        "rank": (f"ck_{table}_rank", f"rank IN {_words(RANKS)}"),
        "rank_reason": (f"ck_{table}_rank_reason_given", f"rank NOT IN {_words(NEEDING_REASON)} OR rank_reason IS NOT NULL"),
    }


def _beats(x: str, y: str) -> str:
    """SQL: claim ``x``, of the same participation and day as ``y``, wins over ``y``."""
    return f"(({x}.rank = 'preferred' AND {y}.rank = 'normal') OR ({x}.rank = {y}.rank AND {x}.id > {y}.id))"


def _replaced(sql: str, old: str, new: str) -> str:
    """``sql`` with its one ``old`` part replaced: the earlier view with the rank columns added."""
    assert sql.count(old) == 1, old
    return sql.replace(old, new)


def _new_views() -> list[tuple[str, str]]:
    old = _views_revision()
    old_sql = dict(old.VIEWS)
    columns = old._PARTICIPATION_COLUMNS + """,
    c.rank AS rank,
    c.rank_reason AS rank_reason"""
    joins = old._PARTICIPATION_JOINS
    present, absent = old.PRESENT, old.ABSENT
    return [
        (
            "attendance_report",
            f"""
SELECT {columns}
FROM attendance a
JOIN events e ON e.id = a.event_id
LEFT JOIN attendance_claims c
    ON c.attendance_id = a.id
    AND c.rank <> 'deprecated'
    AND NOT EXISTS (
        SELECT 1 FROM attendance_claims later
        WHERE later.attendance_id = c.attendance_id
        AND later.rank <> 'deprecated'
        AND (later.reported_on > c.reported_on
             OR (later.reported_on = c.reported_on AND {_beats("later", "c")}))
    ){joins}
""",
        ),
        ("attendance_history", _replaced(old_sql["attendance_history"], old._PARTICIPATION_COLUMNS, columns)),
        (
            "participation_counts",
            _replaced(
                old_sql["participation_counts"],
                "n.event_id AS event_id\n",
                "n.event_id AS event_id,\n    n.rank AS rank,\n    n.rank_reason AS rank_reason\n",
            ),
        ),
        ("event_summary", old_sql["event_summary"]),
        (
            "attendance_timeline",
            f"""
SELECT {columns},
    c.reported_on AS valid_from,
    CASE WHEN EXISTS (
        SELECT 1 FROM attendance_claims same
        WHERE same.attendance_id = c.attendance_id
        AND same.reported_on = c.reported_on
        AND same.rank <> 'deprecated'
        AND {_beats("same", "c")}
    ) THEN c.reported_on
    ELSE (
        SELECT MIN(later.reported_on) FROM attendance_claims later
        WHERE later.attendance_id = c.attendance_id
        AND later.rank <> 'deprecated'
        AND later.reported_on > c.reported_on
    ) END AS valid_until
FROM attendance_claims c
JOIN attendance a ON a.id = c.attendance_id
JOIN events e ON e.id = a.event_id{joins}
WHERE c.rank <> 'deprecated'
""",
        ),
        (
            "claim_conflicts",
            f"""
SELECT
    e.slug AS event_slug,
    e.name AS event_name,
    e.starts_on AS event_date,
    p.slug AS person_slug,
    p.name AS person_name,
    s.code AS state_code,
    s.name AS state_name,
    a.capacity AS capacity,
    y.status AS present_status,
    y.reported_on AS present_reported_on,
    ysrc.slug AS present_source_slug,
    y.source_quote AS present_source_quote,
    n.status AS absent_status,
    n.reported_on AS absent_reported_on,
    nsrc.slug AS absent_source_slug,
    n.source_quote AS absent_source_quote,
    a.id AS attendance_id,
    y.id AS present_claim_id,
    n.id AS absent_claim_id,
    a.event_id AS event_id,
    a.person_id AS person_id,
    a.state_id AS state_id
FROM attendance_claims y
JOIN attendance_claims n ON n.attendance_id = y.attendance_id AND n.source_id <> y.source_id
JOIN attendance a ON a.id = y.attendance_id
JOIN events e ON e.id = a.event_id
LEFT JOIN persons p ON p.id = a.person_id
LEFT JOIN states s ON s.id = a.state_id
JOIN sources ysrc ON ysrc.id = y.source_id
JOIN sources nsrc ON nsrc.id = n.source_id
WHERE y.status IN {present} AND n.status IN {absent}
AND y.rank <> 'deprecated' AND n.rank <> 'deprecated'
AND (y.reported_on = n.reported_on
     OR (y.reported_on >= e.starts_on AND n.reported_on >= e.starts_on))
""",
        ),
    ]


def _drop_views(names: Sequence[str]) -> None:
    for name in names:
        op.execute(f"DROP VIEW {name}")


def upgrade() -> None:
    _drop_views(CHANGED)
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in RANKED_TABLES:
        checks = _checks(table)
        if sqlite:
            for column, ddl in (("rank", "VARCHAR(20) DEFAULT 'normal' NOT NULL"), ("rank_reason", "VARCHAR(500)")):
                name, condition = checks[column]
                op.execute(f"ALTER TABLE {table} ADD COLUMN {column} {ddl} CONSTRAINT {name} CHECK ({condition})")
            continue
        op.add_column(table, sa.Column("rank", sa.String(20), server_default=sa.text("'normal'"), nullable=False, comment=RANK_COMMENT))
        op.add_column(table, sa.Column("rank_reason", sa.String(500), nullable=True, comment=REASON_COMMENT))
        for name, condition in checks.values():
            op.create_check_constraint(op.f(name), table, condition)
    if not sqlite:
        old, new = CLAIMS_COMMENT
        op.create_table_comment("attendance_claims", new, existing_comment=old)
    for name, select in _new_views():
        op.execute(f"CREATE VIEW {name} AS {select.strip()}")


def downgrade() -> None:
    bind = op.get_bind()
    for table in RANKED_TABLES:
        ranked = bind.execute(sa.text(f"SELECT COUNT(*) FROM {table} WHERE rank <> 'normal'")).scalar()
        if ranked:
            raise MigrationError(
                f"cannot downgrade below {revision}: {ranked:,} rows of {table} are ranked preferred or deprecated, "
                "which the older schema cannot hold; back them up with 'guestlist export seeds DIR' "
                "or rank them normal first"
            )
    _drop_views((*NEW, *CHANGED))
    sqlite = bind.dialect.name == "sqlite"
    for table in RANKED_TABLES:
        for column in ("rank_reason", "rank"):  # rank_reason's CHECK names rank: it goes first
            if not sqlite:
                op.drop_constraint(op.f(_checks(table)[column][0]), table, type_="check")
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    if not sqlite:
        old, new = CLAIMS_COMMENT
        op.create_table_comment("attendance_claims", old, existing_comment=new)
    old = dict(_views_revision().VIEWS)
    for name in reversed(CHANGED):
        op.execute(f"CREATE VIEW {name} AS {old[name].strip()}")
