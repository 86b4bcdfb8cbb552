"""The loader keeps PostgreSQL's planner statistics true for tables a run fills.

Without them, a table filled inside the run's one transaction is planned as
if it were (nearly) empty: every batch of keys looked up read the whole
growing table, and a large import grew quadratically. The benchmark
(tests/benchmarks/popolo_import.py) measures the time; this checks the
mechanism: the statistics inside the transaction, on every database.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from guestlist.seeds.loader.writer import ANALYZE_MIN_ROWS, WriteContext

ROWS = ANALYZE_MIN_ROWS + 1_000


def _fill(conn: sa.Connection) -> list[str]:
    conn.exec_driver_sql("INSERT INTO sources (slug, title, kind) VALUES ('stats-test', 'Statistics test', 'other')")
    source_id = conn.exec_driver_sql("SELECT id FROM sources WHERE slug = 'stats-test'").scalar()
    slugs = [f"stats-person-{i:06d}" for i in range(ROWS)]
    conn.execute(sa.text("INSERT INTO persons (slug, name, source_id) VALUES (:slug, :name, :source)"),
                 [{"slug": s, "name": "A Person", "source": source_id} for s in slugs])
    return slugs


def _reltuples(conn: sa.Connection) -> float:
    return float(conn.exec_driver_sql("SELECT reltuples FROM pg_class WHERE relname = 'persons'").scalar())


def test_a_table_filled_in_the_run_gets_true_statistics(engine: Engine) -> None:
    """Inside the transaction, before any commit: what the planner sees for the rest of the run."""
    with engine.connect() as conn, conn.begin():
        _fill(conn)
        ctx = WriteContext(conn, None, {}, lambda _n: None, None)  # type: ignore[arg-type]
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            assert _reltuples(conn) <= 0  # never analyzed: planned from guesses
        ctx.grew("persons", ROWS)
        if postgres:
            assert _reltuples(conn) >= ROWS * 0.9
            assert ctx._analyzed == {"persons": ROWS}
        else:  # SQLite and MariaDB plan these lookups by their unique indexes without statistics
            assert ctx._analyzed == {}
        conn.rollback()


def test_below_the_threshold_nothing_is_analyzed(engine: Engine) -> None:
    with engine.connect() as conn, conn.begin():
        ctx = WriteContext(conn, None, {}, lambda _n: None, None)  # type: ignore[arg-type]
        ctx.grew("persons", ANALYZE_MIN_ROWS - 1)
        assert ctx._analyzed == {}
        ctx.grew("persons", 1)
        assert ctx._analyzed == ({"persons": ANALYZE_MIN_ROWS} if conn.dialect.name == "postgresql" else {})
        conn.rollback()
