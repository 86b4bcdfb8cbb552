"""SIGINT and SIGTERM during real seeds: rolled back, one line, exit 130 / 143, nothing left behind.

A generated dataset of 100,000 participations (about 186,000 claim rows in
CSV bulk files) is seeded into a database holding the bundled seeds, and
the process is signalled at a point it is seen to reach, never after a
guessed delay:

- while it reads ``attendance.csv`` inside the load's transaction (on
  SQLite, once the rollback journal exists: a plain kill would leave it hot);
- on servers, while the server runs the set-based upsert of the claims
  (cancelled there, not left running after the client is gone);
- on servers, while it waits for the seed lock or the migration lock that
  another session holds (``guestlist seed``, ``guestlist db upgrade``).

After each: exit status 128 + the signal, exactly one line on standard
error (``interrupted: nothing was written``) and nothing on standard output,
every table equal to its state before (a full dump, ids included), no
journal beside the SQLite file and a read-only report working at once, no
transaction left open on the server by the run's sessions, and the seed
lock free, so a second seed starts at once.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from guestlist.seeds.cli.interrupts import NOTHING_WRITTEN

from .support.cli import generate, reap, run_cli, running_cli, wait_until
from .support.databases import DIALECT_PARAMS, SERVER_PARAMS, new_database
from .support.locks import holding_migration_lock, holding_seed_lock
from .support.processes import has_open, server_running
from .support.snapshots import snapshot

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches /proc/PID/fd")]

SIZES = ["--persons", "20000", "--events", "2000", "--participations", "100000", "--seed", "7"]
SIGNALS = [pytest.param(signal.SIGINT, id="SIGINT"), pytest.param(signal.SIGTERM, id="SIGTERM")]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = generate(tmp_path_factory.mktemp("generated"), SIZES)
    assert sum(1 for _ in (out / "attendance.csv").open()) > 100_000
    return out


@pytest.fixture(params=DIALECT_PARAMS)
def any_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with new_database(request.param, tmp_path, "seeded") as url:
        yield url


@pytest.fixture(params=SERVER_PARAMS)
def server_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with new_database(request.param, tmp_path, "seeded") as url:
        yield url


# --- what the server still holds ---------------------------------------------


def sessions(url: str) -> set[int]:
    """Ids of the other sessions now connected to this database (the seed's, while it runs)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        else:
            query = "SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()"
        found = {int(r[0]) for r in conn.exec_driver_sql(query)}
    engine.dispose()
    return found


def open_transactions(url: str, ids: set[int]) -> list[tuple]:  # type: ignore[type-arg]
    """Transactions the sessions ``ids`` still hold open (or that the server is still rolling back)."""
    if not ids:
        return []
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    listed = ", ".join(str(i) for i in ids)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            query = f"SELECT pid, state, xact_start FROM pg_stat_activity WHERE pid IN ({listed}) AND xact_start IS NOT NULL"
        else:
            query = f"SELECT trx_mysql_thread_id, trx_state FROM information_schema.innodb_trx WHERE trx_mysql_thread_id IN ({listed})"
        found = [tuple(r) for r in conn.exec_driver_sql(query)]
    engine.dispose()
    return found


def seed_lock_is_free(url: str) -> bool:
    """What a second seed would do first: take the seed lock, without waiting."""
    from guestlist.models.db.locks import Lock

    dialect = make_url(url).get_backend_name()
    if dialect == "sqlite":
        conn = sqlite3.connect(make_url(url).database or "", isolation_level=None, timeout=0)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            conn.close()
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        if dialect == "postgresql":
            free = bool(conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({Lock.SEED.pg_key})").scalar())
            conn.exec_driver_sql(f"SELECT pg_advisory_unlock({Lock.SEED.pg_key})")
        else:
            name = Lock.SEED.mysql_name(make_url(url).database or "")
            free = conn.exec_driver_sql("SELECT GET_LOCK(%s, 0)", (name,)).scalar() == 1
            conn.exec_driver_sql("SELECT RELEASE_LOCK(%s)", (name,))
    engine.dispose()
    return free


# --- signalling a run ----------------------------------------------------------


def signal_when(url: str, args: list[str], seen: Callable[[int], bool], signum: int, log: Path) -> tuple[int, str, set[int]]:
    """Start the CLI, send ``signum`` the moment ``seen(pid)`` holds; (exit code, output, its server sessions)."""
    ids: set[int] = set()
    try:
        with running_cli(url, *args, log=log) as proc:
            wait_until(lambda: proc.poll() is not None or seen(proc.pid), timeout=300, what=f"the run to reach the point ({args})")
            assert proc.poll() is None, f"the run ended ({proc.returncode}) before the point:\n{log.read_text()[-2000:]}"
            if make_url(url).get_backend_name() != "sqlite":
                ids = sessions(url)
            os.kill(proc.pid, signum)
            code = reap(proc)
    finally:
        if hasattr(seen, "close"):
            seen.close()
    return code, log.read_text(), ids


def assert_clean_interruption(url: str, signum: int, code: int, output: str, ids: set[int], before: dict) -> None:  # type: ignore[type-arg]
    assert code == 128 + signum, output
    lines = [line for line in output.strip().splitlines() if not line.startswith("waiting for ")]  # a lock wait is said on a terminal
    assert lines == [NOTHING_WRITTEN], output  # stdout and stderr together: one line
    assert snapshot(url) == before
    dialect = make_url(url).get_backend_name()
    if dialect == "sqlite":
        database = Path(make_url(url).database or "")
        assert not Path(f"{database}-journal").exists(), "a hot journal was left behind"
        report = run_cli(url, "report", "events", "--format", "csv")
        assert report.returncode == 0 and report.stdout.startswith("event_slug,"), report.stderr
    else:
        assert ids, "the run's sessions were seen"
        assert open_transactions(url, ids) == []
    assert seed_lock_is_free(url), "a second seed would have to wait"


def journal_exists(url: str) -> Callable[[int], bool]:
    journal = Path(f"{make_url(url).database}-journal")
    return lambda pid: has_open(pid, "attendance.csv") and journal.exists()


@pytest.mark.parametrize("signum", SIGNALS)
def test_a_signal_while_reading_bulk_rows_rolls_back(any_database: str, generated: Path, signum: int, tmp_path: Path) -> None:
    url = any_database
    before = snapshot(url)
    if make_url(url).get_backend_name() == "sqlite":
        seen = journal_exists(url)
    else:
        seen = lambda pid: has_open(pid, "attendance.csv")  # noqa: E731
    code, output, ids = signal_when(url, ["seed", str(generated)], seen, signum, tmp_path / "seed.log")
    assert_clean_interruption(url, signum, code, output, ids, before)


@pytest.mark.parametrize("signum", SIGNALS)
def test_a_signal_during_the_servers_upsert_cancels_it(server_database: str, generated: Path, signum: int, tmp_path: Path) -> None:
    """The statement is stopped on the server, not left running there after the client is gone."""
    url = server_database
    before = snapshot(url)
    seen = server_running(url, "%INSERT INTO attendance_claims%")
    code, output, ids = signal_when(url, ["seed", str(generated)], seen, signum, tmp_path / "seed.log")
    assert_clean_interruption(url, signum, code, output, ids, before)


@pytest.mark.parametrize("signum", SIGNALS)
@pytest.mark.parametrize("command", ["seed", "db upgrade"])
def test_a_signal_while_waiting_for_a_lock(server_database: str, generated: Path, signum: int, command: str, tmp_path: Path) -> None:
    """Blocked in pg_advisory_lock / GET_LOCK behind another session: the wait is cancelled at once.

    (SQLite waits for its write lock inside the library, where no signal
    reaches it; the interruption is handled when that wait returns.)
    """
    url = server_database
    before = snapshot(url)
    args = ["seed", str(generated)] if command == "seed" else ["db", "upgrade"]
    lock = holding_seed_lock(url) if command == "seed" else holding_migration_lock(url)
    pattern = "%advisory%lock%" if make_url(url).get_backend_name() == "postgresql" else "%GET_LOCK%"
    with lock:
        seen = server_running(url, pattern)
        code, output, ids = signal_when(url, args, seen, signum, tmp_path / "wait.log")
    assert_clean_interruption(url, signum, code, output, ids, before)
