"""Each command opens the database once: the invocation's one engine, built on first use and disposed at the end.

The URL is resolved and checked once, and every step of a command (the
schema upgrade, the load, the summary of ``setup``; the readiness check and
the rows of a report) goes through the same engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
from click.testing import CliRunner
from sqlalchemy import event
from sqlalchemy.engine import Engine

from guestlist.seeds.cli import cli

COMMANDS = [
    ["report", "events", "--format", "csv"],
    ["report", "guest-list", "beijing-victory-day-parade-2025", "--format", "json"],
    ["search", "parade", "--format", "csv"],
    ["seed"],
    ["db", "upgrade"],
    ["db", "current"],
    ["db", "check"],
    ["db", "reindex-search"],
    ["export", "popolo", "-"],
    ["datasette-metadata"],
]


class Engines:
    """Engines created and disposed while the test runs (every engine is made by ``sqlalchemy.create_engine``)."""

    def __init__(self) -> None:
        self.made: list[Engine] = []
        self.disposed: list[Engine] = []

    def clear(self) -> None:
        self.made.clear()
        self.disposed.clear()


@pytest.fixture
def engines(monkeypatch: pytest.MonkeyPatch) -> Iterator[Engines]:
    seen = Engines()
    real = sqlalchemy.create_engine

    def counting(*args: object, **kwargs: object) -> Engine:
        engine = real(*args, **kwargs)  # type: ignore[call-overload]
        seen.made.append(engine)
        return engine

    def disposed(engine: Engine) -> None:
        seen.disposed.append(engine)

    monkeypatch.setattr(sqlalchemy, "create_engine", counting)
    event.listen(Engine, "engine_disposed", disposed)
    try:
        yield seen
    finally:
        event.remove(Engine, "engine_disposed", disposed)


@pytest.fixture(scope="module")
def set_up(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('one-engine') / 'g.db'}"
    result = CliRunner().invoke(cli, ["--database-url", url, "setup"])
    assert result.exit_code == 0, result.output
    return url


def test_setup_builds_one_engine_and_disposes_it(engines: Engines, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--database-url", f"sqlite:///{tmp_path / 'new.db'}", "setup"])
    assert result.exit_code == 0, result.output
    assert len(engines.made) == 1
    assert engines.disposed == engines.made


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_a_command_builds_one_engine_and_disposes_it(set_up: str, engines: Engines, command: list[str]) -> None:
    result = CliRunner().invoke(cli, ["--database-url", set_up, *command])
    assert result.exit_code == 0, result.output
    assert len(engines.made) == 1, command
    assert engines.disposed == engines.made


def test_a_refused_command_disposes_its_engine(engines: Engines, tmp_path: Path) -> None:
    (tmp_path / "other.db").write_bytes(b"")
    other = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'other.db'}")
    with other.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE someone_elses (id INTEGER)")
    other.dispose()
    engines.clear()
    result = CliRunner().invoke(cli, ["--database-url", f"sqlite:///{tmp_path / 'other.db'}", "report", "events"])
    assert result.exit_code == 1 and "not guestlist's" in result.output, result.output
    assert len(engines.made) == 1
    assert engines.disposed == engines.made


def test_help_and_a_command_without_a_database_build_no_engine(engines: Engines) -> None:
    for args in (["--help"], ["db", "history"], ["report", "events", "--help"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
    assert engines.made == []
