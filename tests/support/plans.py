"""Query plans of the reports: capture the SQL a report runs, ask the database how it runs it.

Shared by ``tests/test_query_plans.py`` and the benchmark. A report is run
once with a listener on the engine; every statement it sent is then
explained (``EXPLAIN QUERY PLAN`` on SQLite, ``EXPLAIN`` on PostgreSQL) with
the same parameters. A full scan of the participation or claim tables is a
plan line that reads every row of them: ``SCAN <table or alias>`` on
SQLite (``SEARCH`` is an index lookup), ``Seq Scan on`` on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from guestlist.models import reports

WATCHED = ("attendance", "attendance_claims")
_ALIAS = re.compile(
    r"\b(?:FROM|JOIN)\s+(attendance(?:_claims)?)\b(?:\s+(?:AS\s+)?(?!(?:ON|WHERE|JOIN|LEFT|INNER|CROSS|GROUP|ORDER|USING)\b)(\w+))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Arguments:
    """Report arguments picked from the data: typical, not the extremes."""

    event: str
    other: str  # another event of the same series
    state: str
    organization: str
    bloc_event: str
    as_of: dt.date  # a day amid the event's claims, for the record as of a date


PAGE = 100  # rows in a page of a record, as a UI would show them


def report_calls(args: Arguments) -> dict[str, Callable[[Any], Any]]:
    """The reports measured and checked, by name. A state's record is read a page at a
    time (how a UI shows it) and also whole (what a pipe gets by default)."""
    return {
        "guest_list": lambda db: reports.guest_list(args.event, db=db),
        "compare_events": lambda db: reports.compare_events(args.other, args.event, db=db),
        f"state_record (first page of {PAGE})": lambda db: reports.state_record(args.state, limit=PAGE, db=db),
        "state_record (whole record)": lambda db: reports.state_record(args.state, db=db),
        "bloc_breakdown": lambda db: reports.bloc_breakdown(args.bloc_event, args.organization, db=db),
        "guest_list --as-of": lambda db: reports.guest_list(args.event, as_of=args.as_of, db=db),
        "changes": lambda db: reports.changes(args.event, db=db),
    }


def pick_arguments(conn: Connection) -> Arguments:
    """A middle event with a sibling in its series, a state of median activity, a bloc."""
    def one(sql: str) -> Any:
        return conn.execute(sa.text(sql)).scalar()

    occasions = one("SELECT COUNT(*) FROM events WHERE parent_id IS NOT NULL")
    event_id = one(f"SELECT id FROM events WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1 OFFSET {occasions // 2}")
    event_slug = one(f"SELECT slug FROM events WHERE id = {event_id}")
    other = one(f"SELECT slug FROM events WHERE parent_id = (SELECT parent_id FROM events WHERE id = {event_id}) "
                f"AND id <> {event_id} ORDER BY id LIMIT 1")
    states = conn.execute(sa.text(
        "SELECT s.code FROM states s JOIN attendance a ON a.state_id = s.id GROUP BY s.code ORDER BY COUNT(*), s.code"
    )).scalars().all()
    organization = one("SELECT o.slug FROM organizations o JOIN memberships m ON m.organization_id = o.id "
                       "GROUP BY o.slug ORDER BY o.slug LIMIT 1")
    days = conn.execute(sa.text(
        f"SELECT c.reported_on FROM attendance_claims c JOIN attendance a ON a.id = c.attendance_id WHERE a.event_id = {event_id}"
    )).scalars().all()
    day = sorted(d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in days)[len(days) // 2]
    return Arguments(event_slug, other, states[len(states) // 2], organization, event_slug, day)


def capture(engine: Engine, run: Callable[[Engine], Any]) -> list[tuple[str, Any]]:
    """The statements (with parameters) ``run`` sends through ``engine``."""
    sent: list[tuple[str, Any]] = []

    def listen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", listen)
    try:
        run(engine)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return sent


def explain(conn: Connection, statement: str, parameters: Any) -> list[str]:
    if conn.dialect.name == "sqlite":
        return [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
    return [row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, parameters)]


def view_sql(conn: Connection) -> str:
    """The views' own SQL, whose aliases appear in the plans of queries over them."""
    if conn.dialect.name == "sqlite":
        return "\n".join(conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'view'").scalars())
    return ""


def full_scans(dialect: str, plan: list[str], sql: str) -> list[str]:
    """Plan lines that read all of the participation or claim table."""
    if dialect == "sqlite":
        names = set(WATCHED) | {alias for _table, alias in _ALIAS.findall(sql) if alias}
        return [line for line in plan if (m := re.match(r"SCAN (\w+)", line.strip())) and m.group(1) in names]
    return [line for line in plan if re.search(r"Seq Scan on (attendance|attendance_claims)\b", line)]


@dataclass
class ReportPlan:
    report: str
    statements: list[str]
    plans: list[list[str]]
    scans: list[str]


def report_plans(engine: Engine, args: Arguments, *, index_only: bool = False) -> list[ReportPlan]:
    """Each report's statements and plans.

    ``index_only`` tells PostgreSQL's planner to avoid sequential scans
    wherever an index can serve: on small test data it rightly prefers to
    read a few pages whole, so this asks whether an index *could* serve.
    """
    out = []
    with engine.connect() as conn:
        if index_only and conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")
        views = view_sql(conn)
        for name, call in report_calls(args).items():
            sent = capture(engine, call)
            plans, scans = [], []
            sent = [(s, p) for s, p in sent if s.lstrip().upper().startswith(("SELECT", "WITH"))]
            for statement, parameters in sent:
                plan = explain(conn, statement, parameters)
                plans.append(plan)
                scans += full_scans(conn.dialect.name, plan, statement + "\n" + views)
            out.append(ReportPlan(name, [s for s, _ in sent], plans, scans))
    return out
