"""CSV export: one file per reporting view and a Frictionless data dictionary, on three databases."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from guestlist.models.db import create_engine
from guestlist.models.views import ALL_VIEWS
from guestlist.seeds.exporters.csv import file_stem
from guestlist.seeds.exporters.spreadsheet import restored

from .support.cli import invoke

pytestmark = pytest.mark.dialects


@pytest.fixture(scope="module")
def seeded(ecosystem_url: str) -> str:
    """The bundled seeds and EDGES, one database per dialect for this module."""
    return ecosystem_url


@pytest.fixture(scope="module")
def exported(seeded: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("csv") / "export"
    result = invoke(seeded, "export", "csv", str(out))
    assert result.exit_code == 0, result.output
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def test_one_csv_per_view_and_a_datapackage(exported: Path) -> None:
    assert sorted(p.name for p in exported.iterdir()) == sorted(
        [f"{file_stem(view)}.csv" for view in ALL_VIEWS] + ["datapackage.json"]
    )
    assert "sources.csv" in {p.name for p in exported.iterdir()}  # the source_citations view
    package = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == [file_stem(view) for view in ALL_VIEWS]
    assert package["licenses"][0]["name"]
    for resource, view in zip(package["resources"], ALL_VIEWS, strict=True):
        assert resource["description"] == view.comment
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == [c.name for c in view.columns]
        assert all(f["description"] for f in fields), [f["name"] for f in fields if not f["description"]]
        with (exported / resource["path"]).open(encoding="utf-8", newline="") as handle:
            assert next(csv.reader(handle)) == [f["name"] for f in fields]
    types = {f["name"]: f["type"] for f in package["resources"][0]["schema"]["fields"]}
    assert (types["event_date"], types["attendance_id"], types["event_slug"]) == ("date", "integer", "string")


def test_frictionless_validates_every_file_against_its_schema(exported: Path) -> None:
    """Types, headers and encodings of every row, checked by the Frictionless reference tool."""
    from frictionless import validate

    report = validate(str(exported / "datapackage.json"))
    assert report.stats["tasks"] == len(ALL_VIEWS)
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:5]


def test_a_broken_file_fails_validation(exported: Path, tmp_path: Path) -> None:
    """The validation above can fail: a word in a date column is caught."""
    from frictionless import validate

    broken = tmp_path / "broken"
    broken.mkdir()
    for path in exported.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    target = broken / "attendance_report.csv"
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("event_date")] = "soon"
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    report = validate(str(broken / "datapackage.json"))
    assert [task.name for task in report.tasks if not task.valid] == ["attendance_report"]
    assert report.flatten(["fieldName", "type"]) == [["event_date", "type-error"]]


def test_every_row_of_every_view_is_written(exported: Path, seeded: str) -> None:
    engine = create_engine(seeded)
    try:
        with engine.connect() as conn:
            for view in ALL_VIEWS:
                expected = Counter(
                    tuple(_text(v) for v in row) for row in conn.execute(sa.select(*view.c))
                )
                with (exported / f"{file_stem(view)}.csv").open(encoding="utf-8", newline="") as handle:
                    # one leading apostrophe marks text a spreadsheet would run (guestlist.seeds.exporters.spreadsheet)
                    written = Counter(tuple(restored(c) for c in row) for row in list(csv.reader(handle))[1:])
                assert written == expected, view.name
                if view.name in ("attendance_report", "event_summary", "state_memberships", "source_citations"):
                    assert expected, f"{view.name} is empty: the test would prove nothing"
    finally:
        engine.dispose()


def test_attendance_report_rows_come_in_event_order(exported: Path) -> None:
    with (exported / "attendance_report.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    dated = [r["event_date"] for r in rows if r["event_date"]]
    assert dated == sorted(dated)


def test_export_of_a_missing_database_is_one_line(tmp_path: Path) -> None:
    result = invoke(f"sqlite:///{tmp_path / 'nothing.db'}", "export", "csv", str(tmp_path / "out"))
    assert result.exit_code == 1 and result.output.startswith("Error: no database at"), result.output
    assert not (tmp_path / "out").exists()
