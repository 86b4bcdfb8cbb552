"""The synthetic generator: exact sizes, byte-identical output per seed, consistent references."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

import pycountry
import pytest
import yaml
from click.testing import CliRunner

from guestlist.seeds.synthetic import Sizes, generate, main

SIZES = Sizes(persons=120, events=25, participations=400, seed=3)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    generate(SIZES, folder)
    return folder


def test_same_seed_same_bytes_other_seed_other_bytes(out: Path, tmp_path: Path) -> None:
    generate(SIZES, tmp_path / "again")
    generate(Sizes(120, 25, 400, seed=4), tmp_path / "other")
    assert _digest(tmp_path / "again") == _digest(out)
    assert _digest(tmp_path / "other") != _digest(out)


def test_sizes_are_exact(out: Path) -> None:
    assert len(_rows(out / "persons.csv")) == 120
    assert len(_rows(out / "positions.csv")) == 120
    assert len(_rows(out / "events.csv")) == 25
    claims = _rows(out / "attendance.csv")
    assert len({(r["event"], r["person"] or r["state"]) for r in claims}) == 400
    assert len(claims) > 400  # status histories: several claims per participation


def test_references_resolve_within_the_output(out: Path) -> None:
    states = {c.alpha_3 for c in pycountry.countries}
    persons = {r["slug"] for r in _rows(out / "persons.csv")}
    events = _rows(out / "events.csv")
    slugs = {e["slug"] for e in events}
    series = {e["slug"] for e in events if e["kind"] == "series"}
    assert series and all(e["parent"] in series for e in events if e["kind"] != "series")
    assert {e["host"] for e in events} <= states
    assert {p["state"] for p in _rows(out / "positions.csv")} <= states
    documents = {p.name: yaml.safe_load(p.read_text()) for p in out.glob("*.yaml")}
    sources = {s["slug"] for d in documents.values() for s in [d["source"], *d.get("sources", [])]}
    for row in _rows(out / "attendance.csv"):
        assert row["event"] in slugs - series
        assert (row["person"] in persons) if row["person"] else row["state"] in states
        assert row["source"] in sources
    offices = {o["slug"]: o for d in documents.values() for o in d.get("offices", [])}
    positions = _rows(out / "positions.csv")
    assert all(p["office"] in offices and offices[p["office"]]["state"] == p["state"] for p in positions)
    assert sum(o["seats"] for o in offices.values()) == len(positions)
    assert {p["tenure"] for p in positions} == {"ordinary", "acting"}
    attested = [p for p in positions if p["evidence"] == "attested"]
    assert attested and all(p["end_on"] == p["start_on"] for p in attested)
    named = [b["file"] for d in documents.values() for b in d.get("bulk", [])]
    assert sorted(named) == sorted(p.name for p in out.glob("*.csv"))


def test_command_line_is_the_documented_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--persons", "10", "--events", "4", "--participations", "20",
                                       "--out", str(tmp_path / "a"), "--seed", "9"])
    assert result.exit_code == 0, result.output
    run = subprocess.run([sys.executable, "-m", "guestlist.seeds.synthetic", "--persons", "10", "--events", "4",
                          "--participations", "20", "--out", str(tmp_path / "b"), "--seed", "9"],
                         capture_output=True, text=True, check=True)
    assert "attendance.csv" in run.stderr
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_impossible_sizes_are_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--persons", "2", "--events", "2", "--participations", "100",
                                       "--out", str(tmp_path)])
    assert result.exit_code == 2 and "raise --persons or --events" in result.output
