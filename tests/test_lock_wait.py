"""A command behind another process's lock says it is waiting, and gives up in time, on every database.

- SQLite: a real ``sqlite3`` shell holds the write lock (``BEGIN IMMEDIATE``):
  SQLite cannot say who holds it, so the line says "another process" (never
  "another guestlist seed");
- PostgreSQL and MariaDB: a second connection holds guestlist's own seed or
  migration lock, and the waiting line names that connection;
- any other lock (a table another program locked) is bounded by the same
  ``--wait``, through each database's own timeout.

The waiting line is for a person: it shows on a terminal (a pty here) and
not in a pipe, where only the outcome is written. Each refusal is one line,
exit 1, with the database exactly as it was.
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from guestlist.models import settings
from guestlist.models.db.locks import Lock
from guestlist.seeds.cli import cli

from .support.cli import CLI, assert_clean_failure, cli_env, run_cli, wait_until
from .support.snapshots import snapshot

pytestmark = pytest.mark.dialects

WAIT = "1"


def sqlite_file(url: str) -> Path:
    return Path(make_url(url).database or "")


@contextmanager
def sqlite3_shell(path: Path, begin: str = "BEGIN IMMEDIATE") -> Iterator[subprocess.Popen[str]]:
    """The ``sqlite3`` command-line shell holding ``begin``'s lock on ``path`` until the block ends."""
    shell = shutil.which("sqlite3")
    assert shell, "the sqlite3 command-line shell is needed: apt-get install sqlite3 (as .ci/run does)"
    proc = subprocess.Popen([shell, str(path)], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stdin is not None
    proc.stdin.write(f"{begin};\n")
    proc.stdin.flush()

    def held() -> bool:
        probe = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()

    try:
        wait_until(held, timeout=60, what="the sqlite3 shell to take the lock")
        yield proc
    finally:
        proc.stdin.write("ROLLBACK;\n.quit\n")
        proc.stdin.close()
        proc.wait(timeout=60)


@contextmanager
def second_connection(url: str, *statements: str) -> Iterator[int]:
    """Another connection running ``statements`` and holding what they take; yields its server-side id."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    conn = engine.connect()
    try:
        backend = make_url(url).get_backend_name()
        ident = conn.exec_driver_sql("SELECT pg_backend_pid()" if backend == "postgresql" else "SELECT CONNECTION_ID()").scalar()
        for statement in statements:
            conn.exec_driver_sql(statement)
        yield int(ident)
    finally:
        conn.close()
        engine.dispose()


def holding_guestlist_lock(url: str, which: str) -> contextmanager:  # type: ignore[valid-type]
    """A second connection holding guestlist's seed or migration lock (SQLite: a sqlite3 shell's write lock)."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return sqlite3_shell(sqlite_file(url))
    database = make_url(url).database or ""
    if backend == "postgresql":
        key = (Lock.SEED if which == "seed" else Lock.MIGRATIONS).pg_key
        return second_connection(url, f"SELECT pg_advisory_lock({key})")
    name = (Lock.SEED if which == "seed" else Lock.MIGRATIONS).mysql_name(database)
    return second_connection(url, f"SELECT GET_LOCK('{name}', 10)")


def on_terminal(url: str, *args: str, timeout: float = 300) -> tuple[int, str]:
    """Run the CLI with stdout and stderr on a pseudo-terminal; (exit code, everything it wrote)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([*CLI, *args], env=cli_env(url, GUESTLIST_DEBUG=""), stdout=slave, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(master)
    code = proc.wait(timeout=60)
    return code, b"".join(chunks).decode(errors="replace").replace("\r\n", "\n")


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.fixture
def set_up(db_url: str) -> str:
    result = run_cli(db_url, "setup")
    assert result.returncode == 0, result.stderr
    return db_url


def expected_holder(url: str, ident: int | None) -> str:
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return "held by another process (SQLite cannot tell which)"
    if backend == "postgresql":
        return f"held by another guestlist run (PostgreSQL backend {ident},"
    return f"held by another guestlist run (MariaDB connection {ident},"


@pytest.mark.parametrize(("which", "command"), [("seed", ["seed"]), ("migration", ["db", "upgrade"]), ("migration", ["setup"])])
def test_behind_a_held_lock_a_command_says_so_and_gives_up(set_up: str, which: str, command: list[str]) -> None:
    before = snapshot(set_up)
    path = sqlite_file(set_up) if set_up.startswith("sqlite") else None
    original = path.read_bytes() if path else b""
    with holding_guestlist_lock(set_up, which) as holder:
        ident = holder if isinstance(holder, int) else None
        holder_text = expected_holder(set_up, ident)
        # In a pipe or a log: only the outcome, one line.
        piped = run_cli(set_up, "--wait", WAIT, *command, GUESTLIST_DEBUG="")
        assert piped.returncode == 1, piped.stdout + piped.stderr
        assert_clean_failure(piped.stderr)
        assert f"gave up after {WAIT} s waiting for" in piped.stderr and holder_text in piped.stderr, piped.stderr
        assert "nothing was written" in piped.stderr
        assert "guestlist seed" not in piped.stderr
        # On a terminal: first that it waits, then the same outcome.
        code, shown = on_terminal(set_up, "--wait", WAIT, *command)
        assert code == 1, shown
        out = lines(shown)
        assert out[0].startswith("waiting for") and holder_text in out[0], shown
        assert out[-1].startswith("Error: gave up after") and holder_text in out[-1], shown
        assert "Traceback" not in shown
    assert snapshot(set_up) == before
    if path:
        assert path.read_bytes() == original


def test_a_command_that_waits_goes_on_when_the_lock_is_let_go(set_up: str, tmp_path: Path) -> None:
    """Waiting is not failing: released in time, the seed runs and succeeds."""
    log = tmp_path / "seed.log"
    with holding_guestlist_lock(set_up, "seed"):
        master, slave = pty.openpty()
        proc = subprocess.Popen([*CLI, "--wait", "120", "seed"], env=cli_env(set_up), stdout=slave, stderr=slave)
        os.close(slave)
        seen = b""

        def said_waiting() -> bool:
            nonlocal seen
            if select.select([master], [], [], 0.1)[0]:
                seen += os.read(master, 65536)
            return b"waiting for" in seen

        try:
            wait_until(said_waiting, timeout=120, what="the seed to say it waits")
        except BaseException:
            proc.kill()
            raise
    # Drain the terminal so the child never blocks writing to it.
    while proc.poll() is None:
        if select.select([master], [], [], 0.2)[0]:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
    os.close(master)
    log.write_bytes(seen)
    assert proc.wait(timeout=300) == 0, seen.decode(errors="replace")
    assert "0 added, 0 changed" in seen.decode(errors="replace")


@contextmanager
def another_program_locks_a_table(url: str) -> Iterator[None]:
    """A lock that is not guestlist's: a table locked by another program's transaction."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        with sqlite3_shell(sqlite_file(url), "BEGIN EXCLUSIVE"):
            yield
        return
    statements = (
        ["BEGIN", "LOCK TABLE persons IN ACCESS EXCLUSIVE MODE"] if backend == "postgresql" else ["LOCK TABLES persons WRITE"]
    )
    with second_connection(url, *statements):
        yield


@pytest.mark.parametrize("command", [["seed"], ["report", "events"]])
def test_any_other_lock_is_bounded_by_the_same_wait(set_up: str, command: list[str]) -> None:
    before = snapshot(set_up)
    with another_program_locks_a_table(set_up):
        started = time.monotonic()
        result = run_cli(set_up, "--wait", WAIT, *command, GUESTLIST_DEBUG="")
        took = time.monotonic() - started
        assert result.returncode == 1, result.stdout + result.stderr
        assert_clean_failure(result.stderr)
        assert f"gave up after {WAIT} s waiting for" in result.stderr and "another process" in result.stderr, result.stderr
        assert took < settings.WAIT.default, took  # the wait given, not the default (nor forever)
    assert snapshot(set_up) == before


def test_the_wait_is_documented_in_help() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert "--wait SECONDS" in result.output and "GUESTLIST_WAIT" in result.output
    assert f"Default: {settings.WAIT.default:g}" in " ".join(result.output.split())
    bad = CliRunner().invoke(cli, ["--wait", "-3", "db", "current"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
