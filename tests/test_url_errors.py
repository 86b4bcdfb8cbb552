"""Database URLs that cannot be used, and the guard for what nobody foresaw: one line each.

- a database guestlist does not run on (``oracle://``, ``mssql://``) or a
  driver that is not installed (``postgresql+pg8000://``): named, with what
  to install or use instead;
- driver options in the query that the driver refuses (``?charset=bogus``,
  ``?read_timeout=abc``): named, on the database they belong to, with the
  database left as it was;
- a bad ``GUESTLIST_DATABASE_URL`` is checked when a command uses it, so
  ``--help`` still works;
- an internal error (a bug) is one line with exit 70, and its traceback with
  ``--debug`` or ``GUESTLIST_DEBUG=1``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from guestlist.seeds.cli import cli, main
from guestlist.seeds.cli.guard import EXIT_BUG

from .support.cli import CLI, assert_clean_failure, cli_env, run_cli
from .support.snapshots import snapshot

UNSUPPORTED = ["oracle://scott@db.example/orcl", "mssql://sa@db.example/x", "mssql+pymssql://sa@db.example/x", "db2://u@h/x"]
COMMANDS = [["db", "current"], ["db", "upgrade"], ["setup"], ["seed"], ["report", "events"]]


@pytest.mark.parametrize("url", UNSUPPORTED)
def test_a_database_guestlist_does_not_run_on_is_named_in_one_line(url: str) -> None:
    backend = url.split(":")[0].split("+")[0]
    for args in COMMANDS:
        result = CliRunner().invoke(cli, ["--database-url", url, *args])
        assert result.exit_code == 1, (args, result.output)
        assert_clean_failure(result.output)
        assert f"does not run on '{backend}' databases" in result.output
        assert "SQLite" in result.output and "PostgreSQL" in result.output and "MariaDB" in result.output
    proc = run_cli(url, "db", "current", GUESTLIST_DEBUG="")
    assert proc.returncode == 1
    assert_clean_failure(proc.stderr)


def test_a_missing_driver_is_named_with_the_extra_to_install() -> None:
    if importlib.util.find_spec("pg8000") is not None:
        pytest.skip("pg8000 is installed here, so it is not missing")
    url = "postgresql+pg8000://postgres@127.0.0.1:5432/test"
    for args in COMMANDS:
        result = CliRunner().invoke(cli, ["--database-url", url, *args])
        assert result.exit_code == 1, (args, result.output)
        assert_clean_failure(result.output)
        assert "driver 'pg8000'" in result.output and "is not installed" in result.output
        assert "pip install 'guestlist[postgres]'" in result.output
    proc = run_cli(url, "setup", GUESTLIST_DEBUG="")
    assert proc.returncode == 1
    assert_clean_failure(proc.stderr)


# Per database: options in the query its driver refuses, and what the line must name.
BAD_OPTIONS = {
    "sqlite": [("timeout=abc", "timeout=abc"), ("bogus=1", "'bogus=1'")],
    "postgresql": [("connect_timeout=abc", "connect_timeout"), ("bogus=1", "bogus")],
    "mysql": [("charset=bogus", "charset=bogus"), ("read_timeout=abc", "read_timeout=abc"), ("bogus=1", "bogus")],
}


def with_query(url: str, query: str) -> str:
    parsed = make_url(url)
    key, value = query.split("=", 1)
    return parsed.update_query_dict({key: value}).render_as_string(hide_password=False)


def test_driver_options_the_driver_refuses_are_named_and_change_nothing(migrated_url: str) -> None:
    dialect = make_url(migrated_url).get_backend_name()
    before = snapshot(migrated_url)
    tried = 0
    for query, named in BAD_OPTIONS[dialect]:
        url = with_query(migrated_url, query)
        for args in COMMANDS:
            result = CliRunner().invoke(cli, ["--database-url", url, *args])
            assert result.exit_code == 1, (query, args, result.output)
            assert_clean_failure(result.output)
            assert named in result.output, (query, result.output)
            tried += 1
        proc = run_cli(url, "seed", GUESTLIST_DEBUG="")
        assert proc.returncode == 1, proc.stderr
        assert_clean_failure(proc.stderr)
    assert snapshot(migrated_url) == before
    assert tried >= 2 * len(COMMANDS)


@pytest.mark.parametrize("value", ["garbage", "oracle://scott@db.example/orcl", "postgresql://u:p@h:notaport/x"])
def test_a_bad_url_in_the_environment_does_not_break_help(value: str) -> None:
    env = {"GUESTLIST_DATABASE_URL": value}
    for args in (["--help"], ["db", "--help"], ["db", "current", "--help"], ["seed", "--help"], ["report", "events", "--help"]):
        result = CliRunner().invoke(cli, args, env=env)
        assert result.exit_code == 0, (args, result.output)
        assert "Usage:" in result.output
    used = CliRunner().invoke(cli, ["db", "current"], env=env)
    assert used.exit_code == 1
    assert_clean_failure(used.output)
    proc = subprocess.run([*CLI, "db", "current", "--help"], env=cli_env(value), capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and "Usage:" in proc.stdout, proc.stderr


# --- the guard ------------------------------------------------------------------

SECRET = "Guard-s3cret-pw"


@pytest.fixture
def a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real command made to fail the way a bug would: an exception nothing expects."""
    import guestlist.models.db.migrate

    def broken(_engine: object) -> tuple[str, ...]:
        raise KeyError(f"no such thing in postgresql://app:{SECRET}@db.example/x")

    monkeypatch.setattr(guestlist.models.db.migrate, "current_revisions", broken)


def test_an_internal_error_is_one_line_saying_it_is_a_bug(a_bug: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GUESTLIST_DEBUG", raising=False)
    (tmp_path / "g.db").touch()
    url = f"sqlite:///{tmp_path / 'g.db'}"
    with pytest.raises(SystemExit) as exit_info:
        main(["--database-url", url, "db", "current"])
    assert exit_info.value.code == EXIT_BUG
    err = capsys.readouterr().err
    assert_clean_failure(err)
    assert "internal error, a bug in guestlist" in err and "KeyError" in err and "--debug" in err
    assert SECRET not in err


def test_debug_shows_the_traceback(a_bug: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "g.db").touch()
    url = f"sqlite:///{tmp_path / 'g.db'}"
    monkeypatch.delenv("GUESTLIST_DEBUG", raising=False)
    with pytest.raises(KeyError):
        main(["--debug", "--database-url", url, "db", "current"])
    monkeypatch.setenv("GUESTLIST_DEBUG", "1")
    with pytest.raises(KeyError):
        main(["--database-url", url, "db", "current"])
    monkeypatch.delenv("GUESTLIST_DEBUG")
    with pytest.raises(SystemExit) as exit_info:  # --debug of one run does not outlive it
        main(["--database-url", url, "db", "current"])
    assert exit_info.value.code == EXIT_BUG


def test_the_guard_in_a_real_process(tmp_path: Path) -> None:
    """The installed entry point: one line and 70 without debug, Python's traceback with it."""
    script = (
        "import sys, guestlist.models.db.migrate as m\n"
        "def broken(engine): raise RuntimeError('unexpected')\n"
        "m.current_revisions = broken\n"
        "from guestlist.seeds.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    (tmp_path / "p.db").touch()
    url = f"sqlite:///{tmp_path / 'p.db'}"
    args = [sys.executable, "-c", script, "db", "current"]
    quiet = subprocess.run(args, env=cli_env(url, GUESTLIST_DEBUG=""), capture_output=True, text=True, check=False)
    assert quiet.returncode == EXIT_BUG, quiet.stderr
    assert_clean_failure(quiet.stderr)
    assert "RuntimeError: unexpected" in quiet.stderr
    loud = subprocess.run(args, env=cli_env(url), capture_output=True, text=True, check=False)
    assert loud.returncode == 1 and "Traceback" in loud.stderr and "RuntimeError: unexpected" in loud.stderr
