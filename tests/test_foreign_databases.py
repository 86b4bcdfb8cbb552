"""Databases that are not guestlist's, or no longer what their revision says, on every database.

Each case is refused in one line naming what was found, exit 1, and the
database exactly as it was (every table's rows, and the table list itself,
so an ``alembic_version`` created in a stranger's database shows); SQLite
files are compared byte for byte, and no journal or new file appears.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from guestlist.models.db.migrate import upgrade
from guestlist.models.errors import DatabaseError
from guestlist.seeds.cli import cli

from .support.cli import assert_clean_failure, run_cli
from .support.snapshots import snapshot

pytestmark = pytest.mark.dialects

WRITERS = [["setup"], ["db", "upgrade"], ["db", "downgrade", "base"], ["db", "downgrade", "-1"], ["seed"]]
CHECKERS = [["db", "check"]]
FUTURE = "fffffff00000"


def execute(url: str, *statements: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    engine.dispose()


def refused(url: str, commands: list[list[str]], *expected: str) -> int:
    """Every command fails in one line containing ``expected``; the database is unchanged. Returns the count."""
    before = snapshot(url)
    for args in commands:
        result = CliRunner().invoke(cli, ["--database-url", url, *args])
        assert result.exit_code == 1, (args, result.output)
        assert_clean_failure(result.output)
        for text in expected:
            assert text in result.output, (args, result.output)
        assert snapshot(url) == before, args
    # The same as a real process a user runs (no debug: what the user sees).
    proc = run_cli(url, *commands[0], GUESTLIST_DEBUG="")
    assert proc.returncode == 1, proc.stderr
    assert_clean_failure(proc.stderr)
    assert snapshot(url) == before
    return len(commands) + 1


def test_another_applications_tables_are_refused(db_url: str) -> None:
    execute(db_url, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)", "INSERT INTO invoices VALUES (1, 250)")
    assert refused(db_url, WRITERS + CHECKERS, "not guestlist's", "invoices", "no guestlist revision") >= 7
    with pytest.raises(DatabaseError, match="invoices"):
        upgrade(db_url)  # the library refuses too
    assert "alembic_version" not in snapshot(db_url)


def test_another_applications_alembic_history_is_refused(db_url: str) -> None:
    execute(
        db_url,
        "CREATE TABLE orders (id INTEGER PRIMARY KEY)",
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        "INSERT INTO alembic_version VALUES ('3f2a1b0c9d8e')",
    )
    refused(db_url, WRITERS + CHECKERS, "not guestlist's", "3f2a1b0c9d8e", "orders")


def test_a_revision_from_a_newer_guestlist_names_it(migrated_url: str) -> None:
    assert run_cli(migrated_url, "seed").returncode == 0
    execute(migrated_url, f"UPDATE alembic_version SET version_num = '{FUTURE}'")
    refused(migrated_url, WRITERS + CHECKERS, FUTURE, "a newer guestlist wrote it", "upgrade guestlist")
    current = CliRunner().invoke(cli, ["--database-url", migrated_url, "db", "current"])
    assert current.exit_code == 0 and FUTURE in current.output and "unknown to this guestlist" in current.output


def test_a_table_or_column_dropped_by_hand_is_found(migrated_url: str) -> None:
    execute(migrated_url, "DROP TABLE bulk_loads", "ALTER TABLE events DROP COLUMN source_quote")
    refused(
        migrated_url,
        [["db", "upgrade"], ["db", "check"], ["setup"]],
        "lacks",
        "table bulk_loads",
        "column events.source_quote",
        "changed outside guestlist",
    )


def test_a_missing_view_is_found(migrated_url: str) -> None:
    execute(migrated_url, "DROP VIEW event_summary")
    refused(migrated_url, [["db", "upgrade"], ["db", "check"]], "lacks view event_summary")


# --- SQLite files that are not a database ----------------------------------------


@pytest.fixture
def sqlite_dir(tmp_path: Path) -> Path:
    return tmp_path


def real_database(folder: Path) -> Path:
    path = folder / "real.db"
    assert run_cli(f"sqlite:///{path}", "setup").returncode == 0
    return path


def damaged_files(folder: Path) -> Iterator[tuple[str, Path, str]]:
    """(label, file, what the line must say)."""
    random_bytes = folder / "random.db"
    random_bytes.write_bytes(os.urandom(8192))
    yield "random bytes", random_bytes, "is not an SQLite database"
    text = folder / "notes.db"
    text.write_text("Dear diary,\nthis is not a database.\n", encoding="utf-8")
    yield "a text file", text, "is not an SQLite database"
    real = real_database(folder)
    truncated = folder / "truncated.db"
    truncated.write_bytes(real.read_bytes()[: real.stat().st_size // 3])
    yield "a truncated database", truncated, "is damaged or truncated"
    header_only = folder / "header.db"
    header_only.write_bytes(real.read_bytes()[:60])
    yield "a header cut short", header_only, "is not an SQLite database"
    one_byte = folder / "x.db"
    one_byte.write_bytes(b"x")
    yield "one byte", one_byte, "is not an SQLite database"


@pytest.mark.parametrize("dialect", ["sqlite"], indirect=True)
def test_files_that_are_not_a_database_are_never_touched(dialect: str, sqlite_dir: Path) -> None:
    commands = [*WRITERS, *CHECKERS, ["db", "current"], ["report", "events"], ["export", "csv", str(sqlite_dir / "out")]]
    tried = 0
    for label, path, expected in damaged_files(sqlite_dir):
        original = path.read_bytes()
        listing = sorted(p.name for p in sqlite_dir.iterdir())
        url = f"sqlite:///{path}"
        for args in commands:
            result = CliRunner().invoke(cli, ["--database-url", url, *args])
            assert result.exit_code == 1, (label, args, result.output)
            assert_clean_failure(result.output)
            assert expected in result.output and str(path) in result.output, (label, args, result.output)
            assert path.read_bytes() == original, (label, args)
            assert sorted(p.name for p in sqlite_dir.iterdir()) == listing, (label, args)
            tried += 1
        proc = run_cli(url, "setup", GUESTLIST_DEBUG="")
        assert proc.returncode == 1
        assert_clean_failure(proc.stderr)
        assert path.read_bytes() == original
    assert tried >= 5 * len(commands)


@pytest.mark.parametrize("dialect", ["sqlite"], indirect=True)
def test_commands_that_only_look_or_step_back_never_create_a_file(dialect: str, tmp_path: Path) -> None:
    path = tmp_path / "typo.db"
    url = f"sqlite:///{path}"
    for args in (["db", "current"], ["db", "downgrade", "base"], ["db", "downgrade", "-1"], ["db", "check"], ["report", "events"]):
        result = CliRunner().invoke(cli, ["--database-url", url, *args])
        assert result.exit_code == 1, (args, result.output)
        assert_clean_failure(result.output)
        assert f"no database at {path}" in result.output
        assert not path.exists(), args
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("dialect", ["sqlite"], indirect=True)
def test_an_empty_file_is_an_empty_database(dialect: str, tmp_path: Path) -> None:
    """``touch guestlist.db`` then ``setup``: SQLite's empty database, and guestlist's to fill."""
    path = tmp_path / "empty.db"
    path.touch()
    result = run_cli(f"sqlite:///{path}", "setup")
    assert result.returncode == 0, result.stderr
    shutil.copy(path, tmp_path / "copy.db")
    assert run_cli(f"sqlite:///{tmp_path / 'copy.db'}", "db", "check").returncode == 0
