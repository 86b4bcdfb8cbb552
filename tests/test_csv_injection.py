"""CSV safe to open in a spreadsheet: formula-like text gets a leading apostrophe, on every database.

A seed document (loaded through the loader, as anyone's document would be)
puts text a spreadsheet would run as a formula in names, a source slug and
title, a quote, a note and a description: ``=HYPERLINK(...)``, ``+``, ``-``,
``@``, a tab and a carriage return in front. ``export csv`` and ``report
--format csv`` must write every such cell with one leading apostrophe
(and text already starting with one with one more), leave numbers and
dates alone, say so in the data dictionary, and write the stored text
unchanged with ``--raw``. Every run exits 0 and leaves the database as it was.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guestlist.seeds.exporters.spreadsheet import FORMULA_STARTS, inert, restored
from guestlist.seeds.loader import load

from .support.cli import CLI, cli_env, run_cli
from .support.databases import DIALECT_PARAMS, new_database
from .support.snapshots import snapshot

EVENT = "beijing-victory-day-parade-2025"
HOSTILE: dict[str, Any] = {
    "format": "guestlist/1",
    "source": {"slug": "=cmd|calc!A0", "title": "+formula in a title", "kind": "news_article", "url": "https://example.org/x"},
    "persons": [
        {"slug": "formula-link", "name": '=HYPERLINK("http://x","y")'},
        {"slug": "formula-plus", "name": "+1 more"},
        {"slug": "formula-minus", "name": "-2+3"},
        {"slug": "formula-at", "name": "@SUM(A1:A2)"},
        {"slug": "formula-quoted", "name": "'already quoted"},
    ],
    "attendance": [
        {
            "event": EVENT, "person": slug, "state": "PRK", "role": "guest", "capacity": "other",
            "description": "\r=3+3",
            "claims": [{"status": "expected", "reported_on": "2025-08-28", "quote": "=1+1", "note": "\t=2+2"}],
        }
        for slug in ("formula-link", "formula-plus", "formula-minus", "formula-at", "formula-quoted")
    ],
}
STORED = {'=HYPERLINK("http://x","y")', "+1 more", "-2+3", "@SUM(A1:A2)", "'already quoted", "=cmd|calc!A0", "=1+1", "\t=2+2", "\r=3+3"}


@pytest.fixture(scope="module", params=DIALECT_PARAMS)
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with new_database(request.param, tmp_path_factory.mktemp(request.param), "seeded") as url:
        load(url, [("formulas", HOSTILE)])
        yield url


def run_bytes(url: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """The CLI's output as bytes: text mode would turn a carriage return in a cell into a line break."""
    return subprocess.run([*CLI, *args], env=cli_env(url), capture_output=True, timeout=300, check=False)


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def dangerous(rows: list[list[str]]) -> list[str]:
    return [c for row in rows for c in row if c.startswith(FORMULA_STARTS)]


def test_the_rule() -> None:
    assert inert("=1+1") == "'=1+1" and inert("'x") == "''x" and inert("plain") == "plain"
    assert inert(-3) == -3 and inert(None) is None, "numbers are typed values, never formulas"
    for text in STORED:
        assert restored(inert(text)) == text


def test_export_csv_neutralises_every_formula_and_says_so(seeded: str, tmp_path: Path) -> None:
    before = snapshot(seeded)
    result = run_cli(seeded, "export", "csv", str(tmp_path / "safe"))
    assert result.returncode == 0, result.stderr
    package = json.loads((tmp_path / "safe" / "datapackage.json").read_text(encoding="utf-8"))
    assert "apostrophe" in package["description"] and "--raw" in package["description"]
    seen: set[str] = set()
    for resource in package["resources"]:
        rows = cells((tmp_path / "safe" / resource["path"]).read_bytes().decode("utf-8"))
        assert dangerous(rows) == [], resource["name"]
        typed = [i for i, f in enumerate(resource["schema"]["fields"]) if f["type"] in ("integer", "number", "date", "boolean")]
        for row in rows[1:]:
            assert not any(row[i].startswith("'") for i in typed), "numbers and dates are never changed"
        seen |= {restored(c) for row in rows for c in row} & STORED
    assert seen == STORED, "every hostile value was exported (and comes back with one apostrophe removed)"

    raw = run_cli(seeded, "export", "csv", "--raw", str(tmp_path / "raw"))
    assert raw.returncode == 0, raw.stderr
    rows = cells((tmp_path / "raw" / "attendance_report.csv").read_bytes().decode("utf-8"))
    assert {c for row in rows for c in row} >= STORED - {"\t=2+2"}  # the note is in attendance_history only
    assert "--raw" in json.loads((tmp_path / "raw" / "datapackage.json").read_text(encoding="utf-8"))["description"]
    assert snapshot(seeded) == before


@pytest.mark.parametrize("history", [False, True], ids=["current", "history"])
def test_report_csv_neutralises_every_formula(seeded: str, history: bool) -> None:
    before = snapshot(seeded)
    command = ["report", "guest-list", EVENT, "--format", "csv", *(["--history"] if history else [])]
    safe = run_bytes(seeded, *command)
    assert safe.returncode == 0 and safe.stderr == b"", safe.stderr
    rows = cells(safe.stdout.decode())
    assert dangerous(rows) == []
    assert "'=HYPERLINK(\"http://x\",\"y\")" in {c for row in rows for c in row}
    assert "''already quoted" in {c for row in rows for c in row}
    assert "'\r=3+3" in {c for row in rows for c in row}, "a carriage return is quoted, so it cannot start a row"
    raw = run_bytes(seeded, *command, "--raw")
    assert raw.returncode == 0, raw.stderr
    assert {c for row in cells(raw.stdout.decode()) for c in row} >= {'=HYPERLINK("http://x","y")', "=cmd|calc!A0", "\r=3+3", "'already quoted"}
    # JSON and the table are not spreadsheets: text as stored.
    as_json = json.loads(run_cli(seeded, "report", "guest-list", EVENT, "--format", "json").stdout)
    assert {r["person_name"] for r in as_json} >= {'=HYPERLINK("http://x","y")', "-2+3"}
    assert snapshot(seeded) == before


def test_popolo_keeps_text_as_data(seeded: str) -> None:
    result = run_cli(seeded, "export", "popolo", "-")
    assert result.returncode == 0, result.stderr
    names = {p["name"] for p in json.loads(result.stdout)["persons"]}
    assert names >= {'=HYPERLINK("http://x","y")', "'already quoted", "@SUM(A1:A2)"}
