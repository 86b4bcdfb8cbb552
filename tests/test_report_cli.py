"""`guestlist report ...` end to end on every database: formats, shapes, errors."""

from __future__ import annotations

import csv
import io
import json
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from guestlist.models import reports
from guestlist.models.db.migrate import upgrade
from guestlist.seeds.cli import cli

# subcommand arguments -> the dataclass whose fields are its columns
REPORTS = [
    (["guest-list", "parade-2025"], reports.AttendanceRow, 6),
    (["guest-list", "parade-2025", "--history"], reports.AttendanceRow, 8),
    (["compare", "parade-2015", "parade-2025"], reports.Difference, 7),
    (["state", "PRK"], reports.AttendanceRow, 2),
    (["person", "kim-jong-un"], reports.AttendanceRow, 1),
    (["state", "PRK", "--limit", "1", "--offset", "1"], reports.AttendanceRow, 1),
    (["person", "vladimir-putin", "--offset", "1"], reports.AttendanceRow, 1),
    (["bloc", "parade-2025", "eu"], reports.BlocMember, 3),
    (["expected", "parade-2025"], reports.Expectation, 5),
    (["counts", "parade-2025"], reports.Count, 2),
    (["events"], reports.EventSummary, 5),
    (["office", "PRK"], reports.OfficeHolder, 1),
]


SUMMARIZED = ("bloc", "compare")  # reports whose JSON is an object: summary, totals, rows


def run(url: str, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--database-url", url, "report", *args])


@pytest.mark.parametrize(("args", "row_type", "count"), REPORTS, ids=lambda v: v[0] if isinstance(v, list) else None)
def test_json_is_a_list_of_objects_with_the_report_columns(small_url: str, args, row_type, count) -> None:  # type: ignore[no-untyped-def]
    result = run(small_url, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    if args[0] in SUMMARIZED:
        assert list(data) == ["summary", "totals", *(["counts"] if args[0] == "bloc" else []), "rows"]
        data = data["rows"]
    assert len(data) == count
    assert all(list(item) == reports.columns(row_type) for item in data)


@pytest.mark.parametrize(("args", "row_type", "count"), REPORTS, ids=lambda v: v[0] if isinstance(v, list) else None)
def test_csv_has_a_header_and_one_line_per_row(small_url: str, args, row_type, count) -> None:  # type: ignore[no-untyped-def]
    result = run(small_url, *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table[0] == reports.columns(row_type)
    assert len(table) == count + 1


def test_csv_is_the_default_in_a_pipe(small_url: str) -> None:
    result = run(small_url, "events")
    assert result.stdout.splitlines()[0] == ",".join(reports.columns(reports.EventSummary))


def test_compare_shows_the_capacity_change_in_json(small_url: str) -> None:
    result = run(small_url, "compare", "parade-2015", "parade-2025", "--format", "json")
    first = json.loads(result.stdout)["rows"][0]
    assert first == {
        "kind": "state",
        "change": "capacity_changed",
        "state_code": "PRK",
        "state_name": "North Korea",
        "state_short_name": "North Korea",
        "person_slug": None,
        "person_name": None,
        "a_status": "attended",
        "a_outcome": "attended",
        "a_capacity": "senior_official",
        "b_status": "attended",
        "b_outcome": "attended",
        "b_capacity": "head_of_state",
    }


def test_table_format_aligns_columns_and_bloc_adds_a_summary(small_url: str) -> None:
    result = run(small_url, "bloc", "parade-2025", "eu", "--format", "table")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["state_code", "state_name", "state_short_name", "outcome"]
    assert set(lines[1]) <= {"-", " "}
    assert any(line.startswith("SVK") and "announced" in line for line in lines)
    assert "eu at parade-2025 (2025-09-03): 0 of 3 members attended, 1 announced only, 1 absent, 1 unknown" in lines


def test_dates_print_as_iso_dates(small_url: str) -> None:
    data = json.loads(run(small_url, "person", "kim-jong-un", "--format", "json").stdout)
    assert data[0]["event_date"] == "2025-09-03" and data[0]["reported_on"] == "2025-09-03"


def test_limit_and_offset_print_one_page_of_the_record(small_url: str) -> None:
    for command, key in (("state", "PRK"), ("person", "vladimir-putin")):
        whole = json.loads(run(small_url, command, key, "--format", "json").stdout)
        assert len(whole) == 2
        pages = [json.loads(run(small_url, command, key, "--limit", "1", "--offset", str(i), "--format", "json").stdout) for i in range(3)]
        assert pages == [whole[:1], whole[1:], []]
        assert json.loads(run(small_url, command, key, "--limit", "0", "--format", "json").stdout) == []
    csv_page = run(small_url, "state", "PRK", "--offset", "1", "--format", "csv").stdout
    assert csv_page.splitlines()[1].startswith("parade-2025,")
    assert len(csv_page.splitlines()) == 2


def test_a_page_in_the_table_format_says_which_rows_of_how_many(small_url: str) -> None:
    result = run(small_url, "state", "PRK", "--limit", "1", "--offset", "1", "--format", "table")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[2].startswith("parade-2025") and lines[-1] == "rows 2 to 2 of 2"
    past = run(small_url, "person", "kim-jong-un", "--offset", "5", "--format", "table")
    assert past.exit_code == 0 and past.stdout == "no rows at offset 5 of 1\n"
    whole = run(small_url, "state", "PRK", "--format", "table")
    assert not whole.stdout.splitlines()[-1].startswith("rows ")  # no paging, no count


@pytest.mark.parametrize(
    ("option", "value"),
    [("--limit", "-1"), ("--offset", "-3"), ("--limit", "abc"), ("--offset", "1.5"), ("--limit", ""), ("--limit", "9" * 5000)],
)
def test_a_bad_limit_or_offset_is_one_line(small_url: str, option: str, value: str) -> None:
    for command, key in (("state", "PRK"), ("person", "kim-jong-un")):
        result = run(small_url, command, key, option, value)
        assert result.exit_code == 1, result.output
        assert result.stdout == ""
        assert result.stderr.startswith(f"Error: {option} wants a whole number of rows, 0 or more, not '")
        assert result.stderr.count("\n") == 1 and len(result.stderr) < 150


INJECTION = "x' OR 1=1 --"


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["guest-list", INJECTION], "event"),
        (["compare", INJECTION, "parade-2025"], "event"),
        (["state", INJECTION], "state"),
        (["person", INJECTION], "person"),
        (["bloc", "parade-2025", INJECTION], "organization"),
        (["expected", INJECTION], "event"),
    ],
)
def test_sql_in_an_argument_gets_not_found_and_nothing_else(small_url: str, args: list[str], what: str) -> None:
    result = run(small_url, *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {what} not found: \"{INJECTION}\"")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    if what == "person":  # a person not found points to search, the SQL quoted for a shell
        assert result.stderr.endswith(f"try guestlist search {shlex.quote(INJECTION)})\n")
    else:
        assert result.stderr == f"Error: {what} not found: \"{INJECTION}\"\n"


def test_unknown_slug_is_one_line_with_suggestions(small_url: str) -> None:
    result = run(small_url, "guest-list", "parade-2052")
    assert result.exit_code == 1
    assert result.stderr == "Error: event not found: 'parade-2052'; did you mean parade-2025, parade-2015?\n"


def test_missing_database_file_is_one_line(tmp_path: Path) -> None:
    result = run(f"sqlite:///{tmp_path / 'none.db'}", "events")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: no database at {tmp_path / 'none.db'}: run 'guestlist setup' first"
    assert not (tmp_path / "none.db").exists()


def test_database_without_views_is_one_line(db_url: str) -> None:
    upgrade(db_url, "46012445bdb9")  # the tables, not yet the views
    result = run(db_url, "events")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "not at head" in result.stderr and "run 'guestlist db upgrade'" in result.stderr


def test_setup_then_compare_the_parades_shows_the_articles_story(db_url: str) -> None:
    """Then and now from the terminal: `guestlist setup && guestlist report compare <2015> <2025>`."""
    setup = CliRunner().invoke(cli, ["--database-url", db_url, "setup"])
    assert setup.exit_code == 0, setup.output
    result = run(db_url, "compare", "beijing-victory-day-parade-2015", "beijing-victory-day-parade-2025", "--format", "table")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    prk = next(line.split() for line in lines if line.split()[:3] == ["state", "capacity_changed", "PRK"])
    assert prk[-6:] == ["attended", "attended", "senior_official", "attended", "attended", "head_of_state"]
    for person in ("milos-zeman", "tomislav-nikolic"):
        line = next(line for line in lines if person in line)
        assert line.split()[:2] == ["person", "only_in_a"]
        assert "head_of_state" in line
    assert not [line for line in lines if "alexander-lukashenko" in line]  # at both parades
