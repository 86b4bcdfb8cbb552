"""No report reads the whole participation or claim table: checked from the query plans."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from guestlist.models.db import create_engine
from guestlist.seeds.loader import bundled, load
from guestlist.seeds.synthetic import Sizes, generate

from .support.databases import dialect_params, new_database
from .support.plans import PAGE, WATCHED, pick_arguments, report_plans

pytestmark = pytest.mark.dialects


@pytest.fixture(scope="module", params=dialect_params("sqlite", "postgresql"))
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    folder = tmp_path_factory.mktemp("plans-data")
    generate(Sizes(persons=400, events=60, participations=2000, seed=5), folder)
    with new_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        load(url, [*bundled()[:1], folder])
        engine = create_engine(url)
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        yield engine
        engine.dispose()


def test_no_report_scans_participations_or_claims(seeded: Engine) -> None:
    with seeded.connect() as conn:
        args = pick_arguments(conn)
    plans = report_plans(seeded, args, index_only=True)
    assert [p.report for p in plans] == [
        "guest_list",
        "compare_events",
        f"state_record (first page of {PAGE})",
        "state_record (whole record)",
        "bloc_breakdown",
        "guest_list --as-of",
        "changes",
    ]
    for plan in plans:
        assert plan.statements, f"{plan.report} ran no query"
        touched = [s for s in plan.statements if any(t in s for t in WATCHED) or "attendance_report" in s]
        assert touched, f"{plan.report} never read attendance"
        assert plan.scans == [], f"{plan.report} scans in full: {plan.scans}"


def test_the_detector_sees_a_full_scan(seeded: Engine) -> None:
    """The check above can fail: an unindexed filter on attendance is reported."""
    from .support.plans import explain, full_scans

    sql = "SELECT COUNT(*) FROM attendance a WHERE a.description = 'x'"
    with seeded.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")
        plan = explain(conn, sql, ())
        assert full_scans(conn.dialect.name, plan, sql), plan
