"""Several guestlist processes on one database at once, on every configured database.

- ``guestlist db upgrade`` twice at once: one applies the migrations, the
  other waits for the migration lock and then finds nothing to do.
- ``guestlist seed`` several times at once on the same documents: the result
  equals one run; each process succeeds, or exits with one line; no traceback.

The waiting is shown, not timed: the test holds the lock itself, starts the
processes, waits until the database (or /proc) shows each waiting, then lets
go. (What a person at a terminal is told meanwhile is tests/test_lock_wait.py's.)
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from guestlist.models.db.migrate import head_revision

from .support.cli import assert_clean_failure, generate, reap, run_cli, spawn_cli, wait_until
from .support.databases import new_database
from .support.locks import holding_migration_lock, holding_seed_lock
from .support.snapshots import canonical, snapshot


def run_while_held(
    lock: contextlib.AbstractContextManager[None],
    command: list[str],
    logs: list[Path],
    blocked: Callable[[list[subprocess.Popen[bytes]]], bool],
    what: str,
    meanwhile: Callable[[], bool] = lambda: True,
) -> list[int]:
    """Start one process per log while ``lock`` is held; let go once ``blocked`` shows they all wait."""
    url, *args = command
    with lock:
        procs = [spawn_cli(url, *args, log=log) for log in logs]
        try:
            wait_until(lambda: blocked(procs), what=what)
            assert all(p.poll() is None for p in procs), "a process went on although the lock was held"
            assert meanwhile()
        except BaseException:
            for p in procs:
                p.kill()
                reap(p)
            raise
    return [reap(p) for p in procs]


def test_two_upgrades_at_once_one_applies_the_other_finds_nothing(db_url: str, tmp_path: Path) -> None:
    logs = [tmp_path / f"upgrade-{i}.log" for i in range(2)]
    codes = run_while_held(
        holding_migration_lock(db_url),
        [db_url, "db", "upgrade"],
        logs,
        lambda procs: waiting_seeds(db_url, procs) == 2,
        "both upgrades to wait for the migration lock",
    )
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


# --- guestlist seed ------------------------------------------------------------

SEED_SIZES = ["--persons", "600", "--events", "120", "--participations", "1200", "--seed", "3"]


def test_an_sqlite_upgrade_holds_the_write_lock_from_base_to_head(tmp_path: Path) -> None:
    """On SQLite the migration lock is the write transaction: one BEGIN and one COMMIT for the whole run.

    A commit between two revisions would let another upgrade take the lock
    half way and apply a revision this run has already applied.
    """
    from guestlist.models.db import create_engine
    from guestlist.models.db.migrate import upgrade

    engine = create_engine(f"sqlite:///{tmp_path / 'g.db'}")
    seen = {"begin": 0, "commit": 0}
    sa.event.listen(engine, "begin", lambda _conn: seen.__setitem__("begin", seen["begin"] + 1))
    sa.event.listen(engine, "commit", lambda _conn: seen.__setitem__("commit", seen["commit"] + 1))
    try:
        upgrade(connection=engine)
        during = dict(seen)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
    finally:
        engine.dispose()
    assert during == {"begin": 1, "commit": 1}


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """A generated dataset (CSV bulk files) and a document of strange text."""
    import yaml

    from .support.hostile import strange_document

    out = tmp_path_factory.mktemp("concurrent-docs")
    generate(out / "generated", SEED_SIZES)
    strange = out / "strange.yaml"
    strange.write_text(yaml.safe_dump(strange_document(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return [str(out / "generated"), str(strange)]


@pytest.fixture
def set_up(db_url: str) -> str:
    result = run_cli(db_url, "setup")
    assert result.returncode == 0, result.stderr
    return db_url


def single_run(dialect: str, workdir: Path, documents: list[str]) -> dict:  # type: ignore[type-arg]
    """What one uninterrupted seed of the documents leaves behind."""
    workdir.mkdir()
    with new_database(dialect, workdir, "empty") as url:
        assert run_cli(url, "setup").returncode == 0
        assert run_cli(url, "seed", *documents).returncode == 0
        return canonical(url)


def check_outcomes(logs: list[Path], codes: list[int]) -> list[str]:
    """Each run succeeded, or failed with one clean line; none showed a traceback."""
    outputs = [log.read_text() for log in logs]
    for code, out in zip(codes, outputs):
        assert "Traceback" not in out, out
        if code != 0:
            assert_clean_failure(out)
    return outputs


def test_three_seeds_at_once_end_equal_to_one(set_up: str, documents: list[str], tmp_path: Path) -> None:
    dialect = make_url(set_up).get_backend_name()
    logs = [tmp_path / f"seed-{i}.log" for i in range(3)]
    procs = [spawn_cli(set_up, "seed", *documents, log=log) for log in logs]
    codes = [reap(p) for p in procs]
    outputs = check_outcomes(logs, codes)
    assert codes.count(0) >= 1, outputs
    assert sum(" 0 added, 0 changed" not in " " + o.strip().splitlines()[-1] for o, c in zip(outputs, codes) if c == 0) == 1
    assert canonical(set_up) == single_run(dialect, tmp_path / "single", documents)
    print(f"\n{dialect}: 3 concurrent seeds, exit codes {codes}")


def waiting_seeds(url: str, procs: list[subprocess.Popen[bytes]]) -> int:
    """How many of ``procs`` are blocked on guestlist's lock (seed or migration), as the database (or /proc) shows it."""
    dialect = make_url(url).get_backend_name()
    if dialect == "sqlite":  # connected means parsed and at BEGIN IMMEDIATE, which the test holds
        path = str(Path(make_url(url).database or "").resolve())
        return sum(_has_open(p.pid, path) for p in procs if p.poll() is None)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if dialect == "postgresql":
            query = (
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        else:
            query = "SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE() AND info LIKE 'SELECT GET_LOCK%%'"
        waiting = int(conn.exec_driver_sql(query).scalar() or 0)
    engine.dispose()
    return waiting


def _has_open(pid: int, path: str) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == path for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SQLite waiting is seen in /proc")
def test_a_seed_waits_for_another_then_finds_nothing_to_do(set_up: str, documents: list[str], tmp_path: Path) -> None:
    before = snapshot(set_up)
    logs = [tmp_path / f"wait-{i}.log" for i in range(2)]
    codes = run_while_held(
        holding_seed_lock(set_up),
        [set_up, "seed", *documents],
        logs,
        lambda procs: waiting_seeds(set_up, procs) == 2,
        "both seeds to wait for the seed lock",
        meanwhile=lambda: snapshot(set_up) == before,
    )
    outputs = check_outcomes(logs, codes)
    assert codes == [0, 0], outputs
    last_lines = sorted(o.strip().splitlines()[-1] for o in outputs)
    assert last_lines[0].startswith("0 added, 0 changed, ") and not last_lines[1].startswith("0 added"), last_lines
