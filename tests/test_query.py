"""``guestlist query`` on every database: the README's first query gives the README's rows, writes are
refused by the database itself with nothing changed, and every mistake is one line.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shlex
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from guestlist.seeds.cli import cli
from guestlist.seeds.cli.query import HEADER, field_names, row_type

from .support.cli import assert_clean_failure, invoke
from .support.snapshots import snapshot

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
FIRST = re.search(r"## A first query.*?```console\n\$ (?P<body>guestlist query .*?)```", README, re.S)
assert FIRST is not None, "README's first query is a `guestlist query` console block"


def command_and_output(body: str) -> tuple[list[str], str]:
    """A console block's command (a quoted argument may run over lines, as in a shell) and the lines it shows."""
    lines = body.splitlines(keepends=True)
    for end in range(1, len(lines) + 1):
        try:
            return shlex.split("".join(lines[:end])), "".join(lines[end:])
        except ValueError:
            continue
    raise AssertionError(f"no whole command in {body!r}")

# Writes in every disguise; on each database, each is refused (by read-only mode, or as SQL it does not know).
WRITES = [
    "INSERT INTO sources (slug, title, kind) VALUES ('test-query-write', 'x', 'other')",
    "UPDATE sources SET title = 'changed'",
    "DELETE FROM attendance_claims",
    "CREATE TABLE test_query_table (x INTEGER)",
    "CREATE TEMPORARY TABLE test_query_temp (x INTEGER)",
    "DROP TABLE sources",
    "DROP VIEW attendance_report",
    "WITH gone AS (DELETE FROM sources RETURNING slug) SELECT * FROM gone",
    "SELECT 1; DELETE FROM sources",
    "SELECT 1; COMMIT; BEGIN READ WRITE; DROP TABLE sources; COMMIT",
    "SELECT 1; COMMIT; DROP TABLE sources",
]


def table_names(url: str) -> set[str]:
    from sqlalchemy import inspect

    from guestlist.models.db import create_engine

    engine = create_engine(url)
    try:
        inspector = inspect(engine)
        return set(inspector.get_table_names()) | set(inspector.get_view_names())
    finally:
        engine.dispose()


def test_the_readme_first_query_gives_the_readme_rows(seeded_url: str) -> None:
    assert FIRST is not None
    argv, shown = command_and_output(FIRST.group("body"))
    result = invoke(seeded_url, *argv[1:])
    assert result.exit_code == 0, result.output
    assert result.output == shown
    assert result.output.splitlines()[0] == "state_code,person_name,capacity,status"


@pytest.mark.parametrize("sql", WRITES)
def test_a_write_is_refused_and_nothing_changes(seeded_url: str, sql: str, tmp_path: Path) -> None:
    before, tables = snapshot(seeded_url), table_names(seeded_url)
    result = invoke(seeded_url, "query", sql)
    assert result.exit_code == 1, result.output
    assert_clean_failure(result.output)
    assert snapshot(seeded_url) == before and table_names(seeded_url) == tables


def test_sqlite_attach_cannot_create_a_file(tmp_path: Path) -> None:
    from .support.databases import new_database

    with new_database("sqlite", tmp_path, "migrated") as url:
        target = tmp_path / "attached.db"
        result = invoke(url, "query", f"ATTACH DATABASE '{target}' AS other")
        assert result.exit_code == 1 and "not authorized" in result.output, result.output
        assert not target.exists()


def test_a_write_after_a_session_change_is_still_refused(seeded_url: str) -> None:
    """A statement that changes the session's default (or fails to) leaves the next run read-only."""
    before = snapshot(seeded_url)
    for sql in ("SET SESSION TRANSACTION READ WRITE", "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
                "PRAGMA query_only = 0"):
        invoke(seeded_url, "query", sql)
        result = invoke(seeded_url, "query", "DELETE FROM sources")
        assert result.exit_code == 1, result.output
    assert snapshot(seeded_url) == before


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["SELEC state_code FROM states"], "the database refused the query: "),
        (["SELECT no_such_column FROM states"], "the database refused the query: "),
        (["SELECT * FROM no_such_table"], "the database refused the query: "),
        (["SELECT :event"], "the SQL uses :event: give it with -p event=VALUE"),
        (["-p", "evnt=x", "SELECT :event"], "parameter 'evnt' is not in the SQL (it uses :event)"),
        (["-p", "event", "SELECT :event"], "-p wants NAME=VALUE"),
        (["-p", "event=a", "-p", "event=b", "SELECT :event"], "parameter 'event' is given twice"),
        (["   "], "no SQL given"),
    ],
)
def test_mistakes_are_one_line(seeded_url: str, args: list[str], words: str) -> None:
    result = invoke(seeded_url, "query", *args)
    assert result.exit_code == 1, result.output
    assert_clean_failure(result.output)
    assert words in result.output, result.output


def test_parameters_bind_and_sql_comes_from_stdin_too(seeded_url: str) -> None:
    sql = "SELECT person_slug FROM attendance_report WHERE event_slug = :event AND state_code = :state ORDER BY person_slug"
    given = ["-p", "event=beijing-victory-day-parade-2025", "-p", "state=PRK", "--format", "json"]
    result = invoke(seeded_url, "query", *given, sql)
    assert result.exit_code == 0, result.output
    assert {"person_slug": "kim-jong-un"} in json.loads(result.output)
    piped = CliRunner().invoke(cli, ["--database-url", seeded_url, "query", *given, "-"], input=sql)
    assert piped.exit_code == 0 and piped.output == result.output
    injected = invoke(seeded_url, "query", "-p", "event=x' OR 1=1 --", "--format", "json",
                      "SELECT event_slug FROM attendance_report WHERE event_slug = :event")
    assert injected.exit_code == 0 and json.loads(injected.output) == []


def test_columns_that_are_no_identifiers_or_repeat_still_print(seeded_url: str) -> None:
    sql = "SELECT count(*), name, name FROM states WHERE code = :code GROUP BY name"
    result = invoke(seeded_url, "query", "-p", "code=CHN", "--format", "json", sql)
    assert result.exit_code == 0, result.output
    # JSON keys must differ: two columns called name keep the names they were given
    assert json.loads(result.output) == [{"count": 1, "name": "China", "name_2": "China"}]
    # CSV and the table print the names the database gives (SQLite and MariaDB: count(*); PostgreSQL: count)
    engine = sa.create_engine(seeded_url)
    try:
        with engine.connect() as conn:
            given = list(conn.execute(sa.text(sql), {"code": "CHN"}).keys())
    finally:
        engine.dispose()
    result = invoke(seeded_url, "query", "-p", "code=CHN", "--format", "csv", sql)
    assert result.exit_code == 0 and result.output.splitlines() == [",".join(given), "1,China,China"], result.output
    result = invoke(seeded_url, "query", "-p", "code=CHN", "--format", "table", sql)
    assert result.exit_code == 0 and result.output.splitlines()[0].split() == given, result.output
    # JSON too, where the names differ
    result = invoke(seeded_url, "query", "--format", "json", "SELECT count(*) FROM states WHERE code = 'CHN'")
    assert result.exit_code == 0 and json.loads(result.output) == [{given[0]: 1}], result.output


def test_row_fields_are_identifiers_keeping_the_sql_names() -> None:
    columns = ["count(*)", "name", "name", "1", "class", "", "name_2"]
    assert field_names(columns) == ["count", "name", "name_2", "c_1", "c_class", "column", "name_2_2"]
    shape = row_type(columns)
    assert [f.metadata[HEADER] for f in dataclasses.fields(shape)] == columns


def test_percent_signs_decimals_and_dates_come_out_plain(seeded_url: str) -> None:
    sql = ("SELECT MIN(event_date) AS first_day, AVG(1.5) AS average, COUNT(*) AS n FROM attendance_report"
           " WHERE event_slug LIKE 'beijing-victory-day-parade-20%' AND person_name LIKE :name")
    result = invoke(seeded_url, "query", "-p", "name=Kim%", "--format", "json", sql)
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert row["first_day"] == "2015-09-03" and row["average"] == 1.5 and row["n"] >= 2
