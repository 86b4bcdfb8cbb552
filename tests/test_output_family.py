"""The output options every row-printing command shares, on the bundled record, on every database.

Formats (table, CSV, JSON, JSON Lines, XLSX) with the same columns; ``-o
FILE`` holding what standard output gets; ``--columns``; ``--excel``;
``--with-sources`` against the sources table; the guest list's filters; a
table fitted to a narrow ``COLUMNS``; and the bloc and compare summaries,
which count attended, announced-only and absent apart (the 2015 record,
whose still-expected claims must never read as attendance).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from wcwidth import wcswidth

from guestlist.models import reports
from guestlist.models.db import create_engine
from guestlist.models.reports import display
from guestlist.models.reports.citations import CITATION_FIELDS
from guestlist.models.sources import Source
from guestlist.seeds.cli import cli

P2015, P2025 = "beijing-victory-day-parade-2015", "beijing-victory-day-parade-2025"
GUESTS = ["report", "guest-list", P2025]


@pytest.fixture(scope="module")
def url(seeded_url: str) -> str:
    return seeded_url


def run(url: str, *args: str, columns: int | None = None) -> Result:
    env = {"COLUMNS": str(columns)} if columns is not None else {"COLUMNS": ""}
    return CliRunner().invoke(cli, ["--database-url", url, *args], env=env)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def one_line_error(result: Result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def read_xlsx(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def test_every_format_has_the_same_columns_and_rows(url: str) -> None:
    names = reports.columns(reports.AttendanceRow)
    rows = json.loads(ok(run(url, *GUESTS, "--format", "json")).stdout)
    assert rows and all(list(r) == names for r in rows)
    table = list(csv.reader(io.StringIO(ok(run(url, *GUESTS, "--format", "csv")).stdout)))
    assert table[0] == names and len(table) == len(rows) + 1
    lines = ok(run(url, *GUESTS, "--format", "jsonl")).stdout.splitlines()
    assert [json.loads(line) for line in lines] == rows  # one object a line, nothing else
    book = read_xlsx(ok(run(url, *GUESTS, "--format", "xlsx")).stdout_bytes)
    assert book[0] == names and len(book) == len(rows) + 1
    assert [str(v) for v in book[1][:2]] == [rows[0]["event_slug"], rows[0]["event_name"]]
    text = ok(run(url, *GUESTS, "--format", "table")).stdout.splitlines()
    heading = [line for line in text if ": " in line and not line.startswith(("-", " "))][:3]
    assert heading == [f"event_slug: {P2025}", f"event_name: {rows[0]['event_name']}", "event_date: 2025-09-03"]
    header = text[3].split()
    assert header == [n for n in names if n not in ("event_slug", "event_name", "event_date")]  # the rest, in order


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl", "xlsx"])
def test_o_file_holds_what_standard_output_gets(url: str, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    target.write_text("an older file\n")
    shown = ok(run(url, *GUESTS, "--format", fmt)).stdout_bytes
    written = ok(run(url, *GUESTS, "--format", fmt, "-o", str(target)))
    assert written.stdout == ""
    if fmt == "xlsx":  # a workbook records when it was made: compare the cells
        assert read_xlsx(target.read_bytes()) == read_xlsx(shown)
    else:
        assert target.read_bytes() == shown
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temporary file left


def test_columns_choose_and_order(url: str) -> None:
    got = list(csv.reader(io.StringIO(ok(run(url, *GUESTS, "--format", "csv", "--columns", "status,state_code")).stdout)))
    assert got[0] == ["status", "state_code"]
    full = json.loads(ok(run(url, *GUESTS, "--format", "json")).stdout)
    assert got[1:] == [[r["status"], r["state_code"] or ""] for r in full]


@pytest.mark.parametrize("command", [GUESTS, ["search", "parade"], ["report", "bloc", P2025, "eu"]], ids=["guest-list", "search", "bloc"])
def test_an_unknown_column_is_one_line_with_close_matches(url: str, command: list[str]) -> None:
    one_line_error(run(url, *command, "--columns", "stat"), "column not found: 'stat'", "did you mean", "stat")


def test_excel_csv_has_a_byte_order_mark_and_crlf(url: str, tmp_path: Path) -> None:
    data = ok(run(url, *GUESTS, "--excel")).stdout_bytes
    assert data.startswith(b"\xef\xbb\xbfevent_slug,")
    assert data.count(b"\r\n") == data.count(b"\n") > 1
    assert "Péter Szijjártó".encode() in data
    target = tmp_path / "guests.csv"
    ok(run(url, *GUESTS, "--excel", "-o", str(target)))
    assert target.read_bytes() == data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == reports.columns(reports.AttendanceRow)
    one_line_error(run(url, *GUESTS, "--excel", "--format", "json"), "--excel writes CSV")


def test_xlsx_reads_back_with_openpyxl(url: str, tmp_path: Path) -> None:
    target = tmp_path / "guests.xlsx"
    ok(run(url, *GUESTS, "--format", "xlsx", "-o", str(target)))
    book = read_xlsx(target.read_bytes())
    rows = json.loads(ok(run(url, *GUESTS, "--format", "json")).stdout)
    assert [r[book[0].index("person_name")] or None for r in book[1:]] == [r["person_name"] for r in rows]
    assert "Péter Szijjártó" in {r[book[0].index("person_name")] for r in book[1:]}


def test_xlsx_without_xlsxwriter_is_one_line_naming_the_extra(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "xlsxwriter", None)  # import xlsxwriter now raises ImportError
    one_line_error(run(url, *GUESTS, "--format", "xlsx"), "guestlist[xlsx]")


def test_with_sources_adds_each_sources_citation(url: str) -> None:
    rows = json.loads(ok(run(url, *GUESTS, "--format", "json", "--with-sources")).stdout)
    names = list(rows[0])
    at = names.index("source_slug")
    assert names[at + 1 : at + 1 + len(CITATION_FIELDS)] == [f"source_{f}" for f in CITATION_FIELDS]
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            t = Source.__table__
            stored = {r.slug: r for r in conn.execute(sa.select(t))}
    finally:
        engine.dispose()
    cited = [r for r in rows if r["source_slug"]]
    assert cited
    for row in cited:
        source = stored[row["source_slug"]]
        for f in CITATION_FIELDS:
            value = getattr(source, f)
            assert row[f"source_{f}"] == (value.isoformat() if hasattr(value, "isoformat") else value)
    changes = json.loads(ok(run(url, "report", "changes", P2025, "--format", "json", "--with-sources")).stdout)
    assert all(c["to_source_title"] == stored[c["to_source_slug"]].title for c in changes)
    picked = json.loads(ok(run(url, *GUESTS, "--format", "json", "--columns", "source_slug,source_url")).stdout)
    assert [list(p) for p in picked[:1]] == [["source_slug", "source_url"]]  # a citation column without --with-sources


def test_status_capacity_and_state_filter_the_guest_list(url: str) -> None:
    whole = json.loads(ok(run(url, *GUESTS, "--format", "json")).stdout)
    attended = json.loads(ok(run(url, *GUESTS, "--format", "json", "--status", "attended")).stdout)
    assert attended == [r for r in whole if r["status"] == "attended"]
    announced = json.loads(ok(run(url, *GUESTS, "--format", "json", "--status", "announced")).stdout)
    assert announced == [r for r in whole if r["status"] in ("expected", "confirmed")] and announced
    both = json.loads(ok(run(url, *GUESTS, "--format", "json", "--status", "attended,announced", "--capacity", "head_of_state")).stdout)
    assert both == [r for r in whole if r["status"] in ("attended", "expected", "confirmed") and r["capacity"] == "head_of_state"]
    north = json.loads(ok(run(url, *GUESTS, "--format", "json", "--state", "North Korea", "--state", "cu")).stdout)
    assert {r["state_code"] for r in north} == {"PRK", "CUB"}
    one_line_error(run(url, *GUESTS, "--status", "atended"), "unknown status 'atended'", "announced", "not_attending")
    one_line_error(run(url, *GUESTS, "--capacity", "king"), "unknown capacity 'king'", "head_of_state")
    one_line_error(run(url, *GUESTS, "--state", "Atlantis"), "state not found")


def test_a_table_fits_a_narrow_terminal(url: str) -> None:
    for width in (60, 100):
        lines = ok(run(url, *GUESTS, "--format", "table", columns=width)).stdout.splitlines()
        assert max(wcswidth(line) for line in lines) <= width
        assert any("…" in line for line in lines)
    wide = ok(run(url, *GUESTS, "--format", "table")).stdout.splitlines()  # a pipe, no COLUMNS: full width
    assert max(len(line) for line in wide) > 100 and not any("…" in line for line in wide)
    csv_text = ok(run(url, *GUESTS, "--format", "csv", columns=60)).stdout
    assert "…" not in csv_text and csv_text.splitlines()[0].startswith("event_slug,event_name,event_date")


def test_states_by_short_name_beside_the_iso_name_and_counts_with_their_quantifier(url: str) -> None:
    rows = json.loads(ok(run(url, *GUESTS, "--format", "json", "--state", "PRK")).stdout)
    assert {(r["state_name"], r["state_short_name"]) for r in rows} == {("Korea, Democratic People's Republic of", "North Korea")}
    counts = json.loads(ok(run(url, "report", "counts", P2025, "--format", "json")).stdout)
    assert all(c["says"] == display.quantity(c["count"], c["quantifier"]) for c in counts)
    assert "over 10,000" in {c["says"] for c in counts}


def test_bloc_counts_attended_announced_and_absent_apart_in_2015(url: str) -> None:
    """2015: an EU member only ever expected is announced, never attended; the JSON holds the summary the table prints."""
    got = json.loads(ok(run(url, "report", "bloc", P2015, "eu", "--format", "json")).stdout)
    members = got["rows"]
    for m in members:
        assert m["outcome"] == (display.outcome_of(m["status"]) or "unknown")
    totals = {o: sum(m["outcome"] == o for m in members) for o in reports.BLOC_OUTCOMES}
    assert got["totals"] == {"members": len(members), **totals}
    assert totals["announced"] >= 1, "the 2015 record has EU members only ever expected"
    line = (f"eu at {P2015} (2015-09-03): {totals['attended']} of {len(members)} members attended, "
            f"{totals['announced']} announced only, {totals['absent']} absent, {totals['unknown']} unknown")
    assert got["summary"][0] == line
    table = ok(run(url, "report", "bloc", P2015, "eu", "--format", "table")).stdout.splitlines()
    assert table[-len(got["summary"]):] == got["summary"]
    still = {e.state_code for e in reports.expected_vs_actual(P2015, db=url) if e.outcome == "still_expected"}
    assert {m["state_code"] for m in members if m["outcome"] == "announced"} <= still
    assert all("present" not in s for s in got["summary"])


def test_bloc_before_the_event_says_announced(url: str) -> None:
    result = ok(run(url, "report", "bloc", P2025, "eu", "--as-of", "2025-08-29", "--format", "json"))
    got = json.loads(result.stdout)
    assert got["totals"]["attended"] == 0
    assert "as known on 2025-08-29" in got["summary"][0] and "members announced" in got["summary"][0]
    assert "attended" not in got["summary"][0] and "present" not in got["summary"][0]


def test_compare_summary_counts_announced_only_apart(url: str) -> None:
    got = json.loads(ok(run(url, "report", "compare", P2015, P2025, "--format", "json")).stdout)
    rows = got["rows"]
    still = {e.state_code for e in reports.expected_vs_actual(P2015, db=url) if e.outcome == "still_expected" and e.person_slug is None}
    gone = [r for r in rows if r["kind"] == "state" and r["change"] == "only_in_a"]
    assert got["totals"]["state"]["gone"] == len(gone)
    gone_announced = [r for r in gone if r["a_outcome"] == "announced"]
    assert got["totals"]["state"]["gone_announced_only"] == len(gone_announced) >= 1
    assert {r["state_code"] for r in gone if r["state_code"] in still} <= {r["state_code"] for r in gone_announced}
    for r in rows:
        assert r["a_outcome"] == display.outcome_of(r["a_status"]) and r["b_outcome"] == display.outcome_of(r["b_status"])
    table = ok(run(url, "report", "compare", P2015, P2025, "--format", "table")).stdout.splitlines()
    assert table[-2:] == got["summary"]
    assert f"{got['totals']['state']['gone_announced_only']} announced only" in got["summary"][0]
    lines = ok(run(url, "report", "compare", P2015, P2025, "--format", "jsonl")).stdout.splitlines()
    assert [json.loads(line) for line in lines] == rows  # JSON Lines: the rows only


def test_search_and_find_take_the_family(url: str, tmp_path: Path) -> None:
    hits = ok(run(url, "search", "parade", "--format", "jsonl", "--columns", "kind,event")).stdout.splitlines()
    assert hits and all(list(json.loads(h)) == ["kind", "event"] for h in hits)
    target = tmp_path / "kim.csv"
    ok(run(url, "find", "person", "김정은", "--format", "csv", "-o", str(target)))
    assert target.read_text().splitlines()[1].startswith("kim-jong-un,")


def test_state_and_person_records_filter_before_the_page(url: str) -> None:
    whole = json.loads(ok(run(url, "report", "state", "PRK", "--format", "json")).stdout)
    attended = [r for r in whole if r["status"] == "attended"]
    got = json.loads(ok(run(url, "report", "state", "PRK", "--status", "attended", "--format", "json")).stdout)
    assert got == attended and len(attended) < len(whole)
    page = ok(run(url, "report", "state", "PRK", "--status", "attended", "--limit", "2", "--offset", "1", "--format", "table"))
    assert page.stdout.splitlines()[-1] == f"rows 2 to 3 of {len(attended)}"
    heads = json.loads(ok(run(url, "report", "person", "kim-jong-un", "--capacity", "head_of_state", "--state", "PRK", "--format", "json")).stdout)
    assert heads and {(r["capacity"], r["state_code"]) for r in heads} == {("head_of_state", "PRK")}
    one_line_error(run(url, "report", "person", "kim-jong-un", "--status", "present"), "unknown status 'present'")
