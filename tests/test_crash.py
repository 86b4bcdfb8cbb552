"""Crash safety: ``guestlist seed`` killed with SIGKILL mid-load leaves the database as it was.

A generated dataset (tens of thousands of rows, CSV bulk files) is loaded
into a database that already holds the bundled seeds, and the process is
killed at points it is seen to reach, never after a guessed delay:

- while it reads ``persons.csv``, ``attendance.csv`` and ``counts.csv``
  (the open file shows in /proc/PID/fd), inside the load's one transaction;
- on servers, while the set-based upsert of the claims runs (the statement
  shows in the server's process list);
- on SQLite, once the database file starts to grow: the commit itself.

After each kill the database is compared table by table with its state
before (ids included) and checked with the database's own integrity check.
A kill that lands during the commit may find it complete; then the database
must equal a clean load exactly, never anything in between. Finally the
seed is run again, completes, and the result equals an uninterrupted load.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .support.cli import generate, reap, run_cli, running_cli
from .support.databases import new_database
from .support.processes import has_open, server_running
from .support.snapshots import canonical, diff, integrity_problems, row_count, snapshot

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches /proc/PID/fd")]

SIZES = ["--persons", "8000", "--events", "800", "--participations", "16000", "--seed", "5"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("generated"), SIZES)


@pytest.fixture
def seeded(dialect: str, tmp_path: Path) -> Iterator[str]:
    """A database at head with the bundled seeds: the state every kill must leave alone."""
    with new_database(dialect, tmp_path, "seeded") as url:
        yield url


# --- seeing where the process is ---------------------------------------------


def file_grows(url: str) -> Callable[[int], bool]:
    path = Path(make_url(url).database or "")
    size = path.stat().st_size
    return lambda _pid: path.stat().st_size > size


def kill_when(url: str, generated: Path, seen: Callable[[int], bool], log: Path) -> int:
    """Start a seed, SIGKILL it the moment ``seen(pid)`` holds; the process's exit code."""
    try:
        with running_cli(url, "seed", str(generated), log=log) as proc:
            while proc.poll() is None:
                if seen(proc.pid):
                    os.kill(proc.pid, signal.SIGKILL)
                    break
                time.sleep(0.002)
            code = reap(proc)
    finally:
        if hasattr(seen, "close"):
            seen.close()
    assert code == -signal.SIGKILL, f"the seed ended ({code}) before the kill point:\n{log.read_text()[-2000:]}"
    return code


def settle(url: str) -> None:
    """Wait until the server has noticed the dead client and rolled its transaction back."""
    if make_url(url).get_backend_name() != "postgresql":
        return
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        deadline = time.monotonic() + 120
        while conn.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).scalar():
            assert time.monotonic() < deadline, "the killed seed's session never ended"
            time.sleep(0.05)
    engine.dispose()


def test_sigkill_mid_load_leaves_the_database_as_it_was(seeded: str, generated: Path, tmp_path: Path) -> None:
    dialect = make_url(seeded).get_backend_name()
    before = snapshot(seeded)
    assert integrity_problems(seeded) == []

    (tmp_path / "reference").mkdir()
    with new_database(dialect, tmp_path / "reference", "empty") as reference:
        assert run_cli(reference, "setup").returncode == 0
        clean = run_cli(reference, "seed", str(generated))
        assert clean.returncode == 0, clean.stderr
        complete = canonical(reference)

    # (point, a factory of its check), made when used: a server check holds a session open.
    points: list[tuple[str, Callable[[], Callable[[int], bool]]]] = [
        ("reading persons.csv", lambda: lambda pid: has_open(pid, "persons.csv")),
        ("reading attendance.csv", lambda: lambda pid: has_open(pid, "attendance.csv")),
        ("reading counts.csv", lambda: lambda pid: has_open(pid, "counts.csv")),
    ]
    if dialect == "sqlite":
        points.append(("writing pages to the file (the commit, or a cache spill)", lambda: file_grows(seeded)))
    else:
        points.append(("upserting the claims", lambda: server_running(seeded, "%INSERT INTO attendance_claims%")))

    survived = []
    for number, (point, make_check) in enumerate(points):
        kill_when(seeded, generated, make_check(), tmp_path / f"kill-{number}.log")
        settle(seeded)
        assert integrity_problems(seeded) == [], point
        after = snapshot(seeded)
        if after != before:
            # Only a kill during the commit may find the load complete: all of it, exactly.
            assert point.startswith("writing pages"), f"killed while {point}:\n{diff(before, after)}"
            assert canonical(seeded) == complete, f"killed while {point}: a partial load"
            survived.append(f"{point}: the commit had completed")
            break
        survived.append(point)
    print(f"\n{dialect}: {len(survived)} kills survived: {'; '.join(survived)} ({row_count(before)} rows unchanged)")

    rerun = run_cli(seeded, "seed", str(generated))
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr
    assert canonical(seeded) == complete
    assert integrity_problems(seeded) == []
