"""Bulk files (CSV, JSON Lines) on every database: rows land, re-seeding writes nothing,
and a bad row gives one line naming file:line, record and field with the database unchanged."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from guestlist.models.db.migrate import check, upgrade
from guestlist.models.errors import SeedError
from guestlist.seeds.cli import cli
from guestlist.seeds.loader import bulk_sql, bundled, load
from guestlist.seeds.synthetic import Sizes, generate

from .support.bulk_set import DOCUMENT, FILES, POSITION_ROWS, edit, write_positions, write_set
from .support.databases import DIALECT_PARAMS, new_database
from .support.queries import rows, scalar
from .support.snapshots import data_snapshot, snapshot

pytestmark = pytest.mark.dialects

@pytest.fixture(scope="module")
def base(db: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    folder = write_set(tmp_path_factory.mktemp("bulk-base"))
    report = load(db, [folder])
    # persons, events, participations, claims, count; sources and states of the YAML part
    assert (report.added, report.changed) == (2 + 3 + 4 + 5 + 1 + 2 + 3, 0)
    return db, folder


def test_every_row_lands(base: tuple[str, Path]) -> None:
    url, _ = base
    assert scalar(url, "SELECT COUNT(*) FROM persons") == 2
    assert rows(url, "SELECT e.slug, p.slug FROM events e LEFT JOIN events p ON p.id = e.parent_id ORDER BY e.slug") == [
        ("parade-2015", "parades"), ("parade-2025", "parades"), ("parades", None)]
    assert rows(url, "SELECT date_precision, duration_minutes FROM events WHERE slug = 'parade-2015'") == [("day", None)]
    assert scalar(url, "SELECT COUNT(*) FROM attendance") == 4
    history = rows(url, """
        SELECT c.status, c.reported_on, s.slug, c.source_quote FROM attendance_claims c
        JOIN attendance a ON a.id = c.attendance_id JOIN persons p ON p.id = a.person_id
        JOIN sources s ON s.id = c.source_id WHERE p.slug = 'kim' ORDER BY c.reported_on""")
    assert history == [("expected", "2025-08-20", "bulk-wire", "Kim is expected"),
                       ("confirmed", "2025-08-28", "bulk-other", "Kim confirmed")]
    unnamed = rows(url, """
        SELECT e.slug, s.code, a.capacity FROM attendance a JOIN events e ON e.id = a.event_id
        JOIN states s ON s.id = a.state_id WHERE a.person_id IS NULL ORDER BY e.slug""")
    assert unnamed == [("parade-2015", "PRK", "senior_official"), ("parade-2025", "FRA", "envoy")]
    assert rows(url, "SELECT count, description FROM attendance_counts") == [(26, "other heads of state")]


def test_reseeding_writes_nothing(base: tuple[str, Path]) -> None:
    url, folder = base
    before = snapshot(url)
    report = load(url, [folder])
    assert (report.added, report.changed) == (0, 0)
    assert report.unchanged == 2 + 3 + 4 + 5 + 1 + 2 + 3
    assert snapshot(url) == before


def test_json_lines_read_like_csv(base: tuple[str, Path], tmp_path: Path) -> None:
    url, folder = base
    with (folder / "attendance.csv").open(newline="", encoding="utf-8") as handle:
        records = [{k: (v or None) for k, v in row.items()} for row in csv.DictReader(handle)]
    (tmp_path / "attendance.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    text = DOCUMENT.split("bulk:")[0] + "bulk:\n  - {table: attendance, file: attendance.jsonl}\n"
    (tmp_path / "doc.yaml").write_text(text, encoding="utf-8")
    before = data_snapshot(url)
    report = load(url, [tmp_path])
    assert (report.added, report.changed) == (0, 0)
    assert report.documents[0].skipped == []  # other bytes: read in full, not skipped
    assert data_snapshot(url) == before


# id -> (file changes, file, line, field, words in the message)
CASES = {
    "unknown-person": (edit("attendance.csv", "parade-2025,kim,PRK,guest,head_of_state,confirmed",
                            "parade-2025,kimm,PRK,guest,head_of_state,confirmed"),
                       "attendance.csv", 3, "person", "unknown person 'kimm'"),
    "unknown-state": (edit("attendance.csv", ",,FRA,", ",,FRX,"), "attendance.csv", 4, "state", "unknown state code 'FRX'"),
    "unknown-source": (edit("attendance.csv", "Kim confirmed,bulk-other", "Kim confirmed,nowhere"),
                       "attendance.csv", 3, "source", "unknown source 'nowhere'"),
    "impossible-date": (edit("attendance.csv", "2015-09-03,a senior", "2015-02-30,a senior"),
                        "attendance.csv", 6, "reported_on", "not a real date"),
    "wrong-word": (edit("attendance.csv", "envoy,expected", "envoy,expectd"), "attendance.csv", 4, "status", "not a known word"),
    "wrong-type": (edit("counts.csv", ",26,", ",twenty-six,"), "counts.csv", 2, "count", "whole number"),
    "cell-count": (edit("attendance.csv", "Xi hosted,", "Xi hosted,,"), "attendance.csv", 5, None, "has 10 cells"),
    "no-participant": (edit("attendance.csv", "parade-2015,,PRK,", "parade-2015,,,"),
                       "attendance.csv", 6, "person", "needs a person, or a state"),
    "run-disagrees": (edit("attendance.csv", "head_of_state,confirmed", "minister,confirmed"),
                      "attendance.csv", 3, "capacity", "differs from line 2"),
    "run-repeats-claim": (edit("attendance.csv", "confirmed,2025-08-28,Kim confirmed,bulk-other",
                               "confirmed,2025-08-20,Kim confirmed,"),
                          "attendance.csv", 3, "reported_on", "duplicate claim"),
    "later-run-disagrees": ({"attendance.csv": FILES["attendance.csv"]
                             + "parade-2025,kim,PRK,guest,minister,attended,2025-09-03,Kim attended,\n"},
                            "attendance.csv", 7, None, "differs from line 2"),
    "later-run-repeats-claim": ({"attendance.csv": FILES["attendance.csv"]
                                 + "parade-2025,kim,PRK,guest,head_of_state,attended,2025-08-20,again,\n"},
                                "attendance.csv", 7, None, "duplicate claim"),
    "unknown-column": (edit("attendance.csv", "status,reported_on", "stauts,reported_on"),
                       "attendance.csv", 1, "stauts", "did you mean 'status'"),
    "missing-column": ({"counts.csv": "event,status,count,description,reported_on\n"
                                      "parade-2025,expected,26,other heads of state,2025-08-28\n"},
                       "counts.csv", 1, "quote", "is required"),
    "duplicate-key": (edit("persons.csv", "xi,Xi Jinping", "kim,Xi Jinping"), "persons.csv", 3, None,
                      "duplicate person: already given at line 2"),
    "unknown-parent": (edit("events.csv", "CHN,parades,70", "CHN,parads,70"), "events.csv", 2, "parent", "unknown event 'parads'"),
    "parent-cycle": (edit("events.csv", "year,,CHN,,", "year,,CHN,parade-2025,"), "events.csv", 2, "parent", "cycle"),
    "date-order": ({"events.csv": FILES["events.csv"].replace("starts_on,", "starts_on,ends_on,").replace(
        "2025-09-03,", "2025-09-03,2025-09-02,").replace("2015-09-03,", "2015-09-03,,").replace("series,,", "series,,,")},
        "events.csv", 2, "ends_on", "is before starts_on"),
    "broken-csv": (edit("persons.csv", '"Kim, Jong Un"', '"Kim, Jong Un'), "persons.csv", None, None, "not valid CSV"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_row_is_one_line_and_changes_nothing(base: tuple[str, Path], tmp_path: Path, case: str) -> None:
    url, _ = base
    changes, name, line, field, words = CASES[case]
    folder = write_set(tmp_path / case, changes)
    before = snapshot(url)
    with pytest.raises(SeedError) as caught:
        load(url, [folder])
    message = str(caught.value)
    assert "\n" not in message
    assert words in message
    assert caught.value.file.endswith(name)
    if line is not None:
        assert caught.value.line == line and f"{name}:{line}:" in message
    if field is not None:
        assert caught.value.field == field and f"field '{field}'" in message
    assert snapshot(url) == before


def test_bad_json_line(base: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = base
    (tmp_path / "doc.yaml").write_text(DOCUMENT.split("bulk:")[0] + "bulk:\n  - {table: persons, file: p.jsonl}\n")
    (tmp_path / "p.jsonl").write_text('{"slug": "ri", "name": "Ri"}\n{"slug": "pak", "name": 5}\n{"slug": \n')
    before = snapshot(url)
    with pytest.raises(SeedError, match=r"p\.jsonl:2: persons row 'pak': field 'name': must be text"):
        load(url, [tmp_path])
    (tmp_path / "p.jsonl").write_text('{"slug": "ri", "name": "Ri"}\n{"slug": \n')
    with pytest.raises(SeedError, match=r"p\.jsonl:2: .*not valid JSON"):
        load(url, [tmp_path])
    assert snapshot(url) == before


def test_changes_add_claims_and_keep_history(base: tuple[str, Path], tmp_path: Path) -> None:
    """Runs after the tests that compare with the base data: it changes the module's database."""
    url, _ = base
    later = "parade-2025,kim,PRK,guest,head_of_state,attended,2025-09-03,Kim attended,\n"
    changes = edit("attendance.csv", "France sends an envoy,", "France sends its envoy,")
    changes["attendance.csv"] = changes["attendance.csv"].replace(
        "Kim confirmed,bulk-other\n", "Kim confirmed,bulk-other\n" + later)
    report = load(url, [write_set(tmp_path / "later", changes)])
    assert (report.added, report.changed) == (1, 1)
    statuses = rows(url, """
        SELECT c.status FROM attendance_claims c JOIN attendance a ON a.id = c.attendance_id
        JOIN persons p ON p.id = a.person_id WHERE p.slug = 'kim' ORDER BY c.reported_on""")
    assert statuses == [("expected",), ("confirmed",), ("attended",)]
    assert scalar(url, "SELECT COUNT(*) FROM attendance_claims WHERE source_quote = 'France sends its envoy'") == 1


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    generate(Sizes(persons=300, events=40, participations=1500, seed=7), folder)
    return folder


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("dialect_name", DIALECT_PARAMS)
def test_generated_documents_load_exactly(
    dialect_name: str, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small enough to take the rebuild-the-indexes path of a large load into empty tables.
    monkeypatch.setattr(bulk_sql, "REBUILD_INDEXES_FROM", 100)
    with new_database(dialect_name, tmp_path) as url:
        load(url, bundled()[:1])  # the reference states the generator draws on
        first = load(url, [generated])
        claims = _csv_rows(generated / "attendance.csv")
        participations = {(r["event"], r["person"] or r["state"]) for r in claims}
        assert scalar(url, "SELECT COUNT(*) FROM persons") == 300
        assert scalar(url, "SELECT COUNT(*) FROM positions") == 300
        assert scalar(url, "SELECT COUNT(*) FROM events") == 40
        assert scalar(url, "SELECT COUNT(*) FROM events WHERE parent_id IS NOT NULL") == 38
        assert scalar(url, "SELECT COUNT(*) FROM attendance") == len(participations) == 1500
        assert scalar(url, "SELECT COUNT(*) FROM attendance_claims") == len(claims)
        assert scalar(url, "SELECT COUNT(*) FROM attendance_counts") == len(_csv_rows(generated / "counts.csv"))
        assert first.changed == 0 and first.added >= 300 + 300 + 40 + 1500 + len(claims)
        before = snapshot(url)
        again = load(url, [generated])
        assert (again.added, again.changed) == (0, 0)
        assert again.unchanged == first.added
        assert snapshot(url) == before
        check(url)  # every index is back: models and migrations still agree


def test_cli_error_is_one_line(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "bad", edit("attendance.csv", "envoy,expected", "envoy,expectd"))
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    result = CliRunner().invoke(cli, ["--database-url", url, "seed", str(folder)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "attendance.csv:4:" in lines[0], result.output
    assert "Traceback" not in result.output
    assert scalar(url, "SELECT COUNT(*) FROM persons") == 0


def test_no_progress_bar_off_a_terminal(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "ok")
    url = f"sqlite:///{tmp_path / 'quiet.db'}"
    upgrade(url)
    result = CliRunner().invoke(cli, ["--database-url", url, "seed", str(folder)])
    assert result.exit_code == 0, result.output
    assert "attendance.csv" not in result.output and "%" not in result.output
    shutil.rmtree(folder)


def test_empty_json_text_is_null_everywhere(base: tuple[str, Path], tmp_path: Path) -> None:
    """As an empty CSV cell: the same stored NULL on every database (COPY would read "" as NULL)."""
    url, _ = base
    (tmp_path / "doc.yaml").write_text(DOCUMENT.split("bulk:")[0] + "bulk:\n  - {table: persons, file: p.jsonl}\n")
    (tmp_path / "p.jsonl").write_text('{"slug": "ri-su", "name": "Ri Su", "sort_name": ""}\n')
    load(url, [tmp_path])
    assert rows(url, "SELECT sort_name FROM persons WHERE slug = 'ri-su'") == [(None,)]


@pytest.mark.parametrize("jsonl", [False, True], ids=["csv", "jsonl"])
def test_positions_name_their_office(base: tuple[str, Path], tmp_path: Path, jsonl: bool) -> None:
    """Holdings load from a bulk file by office slug; an attested row's empty end_on is its one day."""
    url, _ = base
    folder = write_positions(tmp_path / "positions", jsonl=jsonl)
    load(url, [folder])
    held = rows(url, """
        SELECT p.slug, o.slug, o.seats, x.title, x.tenure, x.evidence, x.start_on, x.end_on
        FROM positions x JOIN persons p ON p.id = x.person_id JOIN offices o ON o.id = x.office_id
        ORDER BY x.start_on""")
    assert held == [
        ("kim", "supreme-leader-prk", 1, "Supreme Leader of North Korea", "ordinary", "tenure", "2011-12-17", None),
        ("xi", "president-chn", 1, "Acting President of China", "acting", "tenure", "2013-01-01", "2013-03-14"),
        ("xi", "president-chn", 1, "President of China", "ordinary", "attested", "2025-09-03", "2025-09-03"),
    ]
    before = snapshot(url)
    again = load(url, [folder])
    assert (again.added, again.changed) == (0, 0)
    assert snapshot(url) == before


# id -> (rows, line, field, words in the message)
POSITION_CASES = {
    "unknown-office": ((POSITION_ROWS[0][:1] + ("supreme-leader-prc",) + POSITION_ROWS[0][2:],), 2, "office",
                       "unknown office 'supreme-leader-prc'"),
    "attested-over-days": ((POSITION_ROWS[1][:8] + ("2025-09-10",),), 2, "end_on", "must be start_on (2025-09-03)"),
    "two-holders": ((POSITION_ROWS[0], ("xi",) + POSITION_ROWS[0][1:7] + ("2012-01-01", "")), None, None,
                    "supreme-leader-prk"),
}


@pytest.mark.parametrize("case", POSITION_CASES, ids=list(POSITION_CASES))
def test_bad_position_row_is_one_line(base: tuple[str, Path], tmp_path: Path, case: str) -> None:
    url, _ = base
    position_rows, line, field, words = POSITION_CASES[case]
    folder = write_positions(tmp_path / case, position_rows)
    before = snapshot(url)
    with pytest.raises(SeedError) as caught:
        load(url, [folder])
    message = str(caught.value)
    assert "\n" not in message and words in message, message
    if line is not None:
        assert caught.value.line == line and f"positions.csv:{line}:" in message
    if field is not None:
        assert caught.value.field == field and f"field '{field}'" in message
    assert snapshot(url) == before


def test_attested_row_without_an_end_on_column_is_refused(base: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = base
    folder = write_positions(tmp_path / "no-end", (POSITION_ROWS[1],))
    path = folder / "positions.csv"
    path.write_text("".join(line.rsplit(",", 1)[0] + "\n" for line in path.read_text().splitlines()))
    before = snapshot(url)
    with pytest.raises(SeedError) as caught:
        load(url, [folder])
    assert "add an end_on column" in str(caught.value) and caught.value.line == 2
    assert "\n" not in str(caught.value) and "CHECK" not in str(caught.value).upper()
    assert snapshot(url) == before
