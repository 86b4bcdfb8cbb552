"""Several guestlist processes on one database at once, on every configured database.

- ``guestlist db upgrade`` twice at once: one applies the migrations, the
  other waits for the migration lock and then finds nothing to do.
- ``guestlist seed`` several times at once on the same documents: the result
  equals one run; each process succeeds, or exits with one line; no traceback.

The waiting is shown, not timed: the test holds the lock itself, starts the
processes, waits until each has said it is waiting, then lets go.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from models.locks import PG_LOCK_KEY, WAIT_MESSAGE, mysql_lock_name
from models.migrate import head_revision

from .dbstate import reap, run_cli, spawn_cli, wait_until


@contextmanager
def holding_migration_lock(url: str) -> Iterator[None]:
    """Take the lock ``guestlist db upgrade`` takes, from outside, for the block."""
    dialect = make_url(url).get_backend_name()
    if dialect == "sqlite":
        conn = sqlite3.connect(make_url(url).database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if dialect == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_lock({PG_LOCK_KEY})")
            else:
                name = mysql_lock_name(make_url(url).database or "")
                assert conn.exec_driver_sql("SELECT GET_LOCK(%s, 10)", (name,)).scalar() == 1
            try:
                yield
            finally:
                if dialect == "postgresql":
                    conn.exec_driver_sql(f"SELECT pg_advisory_unlock({PG_LOCK_KEY})")
                else:
                    conn.exec_driver_sql("SELECT RELEASE_LOCK(%s)", (name,))
    finally:
        engine.dispose()


def test_two_upgrades_at_once_one_applies_the_other_finds_nothing(db_url: str, tmp_path: Path) -> None:
    logs = [tmp_path / f"upgrade-{i}.log" for i in range(2)]
    with holding_migration_lock(db_url):
        procs = [spawn_cli(db_url, "db", "upgrade", log=log) for log in logs]
        try:
            wait_until(
                lambda: all(WAIT_MESSAGE in log.read_text() for log in logs),
                what="both upgrades to report that they wait for the lock",
            )
            assert all(p.poll() is None for p in procs), "an upgrade ran although the lock was held"
        except BaseException:
            for p in procs:
                p.kill()
                reap(p)
            raise
    codes = [reap(p) for p in procs]
    outputs = [log.read_text() for log in logs]
    assert codes == [0, 0], outputs
    for out in outputs:
        assert "Traceback" not in out, out
    head = head_revision()
    applied = [o for o in outputs if "(applied " in o]
    idle = [o for o in outputs if "(nothing to do)" in o]
    assert len(applied) == 1 and len(idle) == 1, outputs
    assert f"is at {head}" in applied[0] and f"is at {head}" in idle[0]
    check = run_cli(db_url, "db", "check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_three_upgrades_started_together_apply_each_migration_once(db_url: str, tmp_path: Path) -> None:
    """Without a held lock: three upgrades started together still apply each migration once."""
    logs = [tmp_path / f"race-{i}.log" for i in range(3)]
    procs = [spawn_cli(db_url, "db", "upgrade", log=log) for log in logs]
    codes = [reap(p) for p in procs]
    outputs = [log.read_text() for log in logs]
    assert codes == [0, 0, 0], outputs
    assert sum("(applied " in o for o in outputs) == 1, outputs
    assert sum("(nothing to do)" in o for o in outputs) == 2, outputs
    assert run_cli(db_url, "db", "check").returncode == 0
