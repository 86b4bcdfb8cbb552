"""The loader's ledger: an unchanged bulk file is not read again, and never skipped when it would matter.

Every test runs on every database, each on a fresh one, and compares what
a skipping run leaves with what reading every file in full leaves.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from guestlist.models.errors import SeedError
from guestlist.seeds.cli import cli
from guestlist.seeds.loader import load

from .support.bulk_set import DOCUMENT, edit, write_set
from .support.queries import rows, scalar
from .support.snapshots import data_snapshot, snapshot

pytestmark = pytest.mark.dialects

BULK_FILES = ["persons.csv", "events.csv", "attendance.csv", "counts.csv"]
ROWS = {"persons": 2, "events": 3, "attendance": 4 + 5, "counts": 1}  # attendance: participations + claims


@pytest.fixture
def url(migrated_url: str) -> str:
    return migrated_url


def ledger(url: str) -> list[tuple[str, str, int]]:
    return rows(url, "SELECT bulk_table, file_name, row_count FROM bulk_loads ORDER BY id")


def skipped(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [Path(name).name for doc in report.documents for name in doc.skipped]


def test_first_load_records_each_file_and_reseed_reads_none(url: str, tmp_path: Path) -> None:
    folder = write_set(tmp_path / "docs")
    first = load(url, [folder])
    assert skipped(first) == []
    assert [(t, Path(f).name, n) for t, f, n in ledger(url)] == [
        ("persons", "persons.csv", 2), ("events", "events.csv", 3), ("attendance", "attendance.csv", 9), ("counts", "counts.csv", 1)
    ]
    before, facts = snapshot(url), data_snapshot(url)
    again = load(url, [folder])
    assert skipped(again) == BULK_FILES
    assert (again.added, again.changed) == (0, 0)
    assert snapshot(url) == before  # not a row written, the ledger's included
    recheck = load(url, [folder], recheck=True)
    assert skipped(recheck) == []
    # Reading every file in full finds the same: nothing to write, as many rows unchanged.
    assert (recheck.added, recheck.changed, recheck.unchanged) == (0, 0, again.unchanged)
    assert recheck.tables() == again.tables()
    assert data_snapshot(url) == facts


def test_a_changed_file_is_read_and_the_others_skipped(url: str, tmp_path: Path) -> None:
    load(url, [write_set(tmp_path / "docs")])
    folder = write_set(tmp_path / "docs", edit("persons.csv", "kim,Kim Jong Un,", "kim,Kim Jong-un,"))
    report = load(url, [folder])
    assert skipped(report) == ["events.csv", "attendance.csv", "counts.csv"]
    assert (report.added, report.changed) == (0, 1)
    assert scalar(url, "SELECT name FROM persons WHERE slug = 'kim'") == "Kim Jong-un"
    assert len(ledger(url)) == 4  # the new bytes replace nothing: both versions are remembered by digest
    assert scalar(url, "SELECT COUNT(*) FROM bulk_loads WHERE bulk_table = 'persons'") == 1


def test_a_yaml_change_to_a_bulk_table_makes_its_files_count_again(url: str, tmp_path: Path) -> None:
    """Loading A after B changed A's rows must restore A's values: the ledger must not skip A."""
    folder = write_set(tmp_path / "docs")
    load(url, [folder])
    other = tmp_path / "other.yaml"
    other.write_text(
        "format: guestlist/1\nsource: {slug: renamer, title: Renamer, kind: news_article}\n"
        "persons:\n  - {slug: kim, name: Kim the Renamed, sort_name: 'Kim, Jong Un'}\n",
        encoding="utf-8",
    )
    assert load(url, [other]).changed == 1
    assert scalar(url, "SELECT COUNT(*) FROM bulk_loads WHERE bulk_table = 'persons'") == 0
    assert scalar(url, "SELECT COUNT(*) FROM bulk_loads") == 3  # the other tables' files still hold
    report = load(url, [folder])
    assert skipped(report) == ["events.csv", "attendance.csv", "counts.csv"]
    assert report.changed == 1
    assert scalar(url, "SELECT name FROM persons WHERE slug = 'kim'") == "Kim Jong Un"


def test_a_bulk_file_that_changes_rows_drops_the_other_files_of_its_table(url: str, tmp_path: Path) -> None:
    first = write_set(tmp_path / "first")
    load(url, [first])
    second = tmp_path / "second"
    second.mkdir()
    (second / "doc.yaml").write_text(
        "format: guestlist/1\nsource: {slug: bulk-wire, title: Bulk wire, kind: news_article}\n"
        "bulk:\n  - {table: persons, file: more.csv}\n", encoding="utf-8")
    # Only adds a person: the first persons file still holds.
    (second / "more.csv").write_text("slug,name,sort_name,birth_date\nri,Ri Sol Ju,,\n", encoding="utf-8")
    load(url, [second])
    assert sorted(Path(f).name for t, f, _ in ledger(url) if t == "persons") == ["more.csv", "persons.csv"]
    # Changes Xi's birth date: the first file would now write again.
    (second / "more.csv").write_text("slug,name,sort_name,birth_date\nri,Ri Sol Ju,,\nxi,Xi Jinping,\"Xi, Jinping\",1953-06-16\n",
                                     encoding="utf-8")
    assert load(url, [second]).changed == 1
    assert [Path(f).name for t, f, _ in ledger(url) if t == "persons"] == ["more.csv"]
    again = load(url, [first])
    assert "persons.csv" not in skipped(again) and again.changed == 1
    assert str(scalar(url, "SELECT birth_date FROM persons WHERE slug = 'xi'")) == "1953-06-15"


def test_the_same_bytes_for_another_source_or_schema_revision_are_read(url: str, tmp_path: Path) -> None:
    load(url, [write_set(tmp_path / "docs")])
    elsewhere = write_set(tmp_path / "elsewhere")
    (elsewhere / "doc.yaml").write_text(DOCUMENT.replace("slug: bulk-wire, title: Bulk wire", "slug: bulk-copy, title: Copy"),
                                        encoding="utf-8")
    copy = load(url, [elsewhere])
    assert "persons.csv" not in skipped(copy)  # rows default to this document's source: not the same load
    from sqlalchemy import text

    from guestlist.models.db import create_engine

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE bulk_loads SET schema_revision = 'older'"))
    finally:
        engine.dispose()
    assert skipped(load(url, [tmp_path / "docs"])) == []


def test_a_failed_or_dry_run_records_nothing(url: str, tmp_path: Path) -> None:
    folder = write_set(tmp_path / "docs")
    dry = load(url, [folder], dry_run=True)
    assert dry.added > 0 and ledger(url) == []
    broken = write_set(tmp_path / "broken", edit("counts.csv", "parade-2025,expected", "parade-2026,expected"))
    before = snapshot(url)
    with pytest.raises(SeedError, match="unknown event 'parade-2026'"):
        load(url, [broken])  # the persons, events and attendance files were applied before counts failed
    assert snapshot(url) == before and ledger(url) == []


def test_cli_says_which_files_it_did_not_read(url: str, tmp_path: Path) -> None:
    folder = str(write_set(tmp_path / "docs"))
    runner = CliRunner()
    first = runner.invoke(cli, ["--database-url", url, "seed", folder])
    assert first.exit_code == 0, first.output
    assert "not read" not in first.output
    again = runner.invoke(cli, ["--database-url", url, "seed", folder])
    assert again.exit_code == 0, again.output
    assert f"{len(BULK_FILES)} bulk files not read: unchanged since loaded in full" in again.output
    assert again.output.strip().splitlines()[-1] == f"0 added, 0 changed, {sum(ROWS.values()) + 2 + 3} unchanged"
    full = runner.invoke(cli, ["--database-url", url, "seed", "--recheck", folder])
    assert full.exit_code == 0, full.output
    assert "not read" not in full.output
    assert full.output.strip().splitlines()[-1] == again.output.strip().splitlines()[-1]
    as_json = runner.invoke(cli, ["--database-url", url, "seed", "--format", "json", folder])
    assert '"skipped_files"' in as_json.output and "attendance.csv" in as_json.output


def test_files_keep_their_own_rows(url: str, tmp_path: Path) -> None:
    """What a skipped file stands for is what reading it found: the counts come from the ledger."""
    load(url, [write_set(tmp_path / "docs")])
    report = load(url, [tmp_path / "docs"])
    tables = report.tables()
    assert tables["persons"]["unchanged"] == ROWS["persons"]
    assert tables["events"]["unchanged"] == ROWS["events"]
    assert tables["attendance"]["unchanged"] == ROWS["attendance"]
    assert tables["attendance_counts"]["unchanged"] == ROWS["counts"]
