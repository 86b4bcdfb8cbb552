"""Backup round trip: ``guestlist export seeds DIR``, then ``guestlist seed DIR`` into an empty database.

The source database holds the bundled seeds, a generated dataset big enough
for the CSV bulk path, and a document of strange text (SQL, RTL, combining
characters, empty strings). After the round trip every table holds exactly
the same rows, compared with surrogate ids replaced by what they point at
(ids depend on load order, facts do not). Seeding the backup into the
original changes nothing, and exporting the restored copy gives the same
files byte for byte.
"""

from __future__ import annotations

import csv
import filecmp
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from guestlist.seeds.cli import cli

from .support.cli import generate
from .support.databases import DIALECT_PARAMS, new_database
from .support.hostile import strange_document
from .support.snapshots import canonical, data_snapshot, snapshot

SYNTHETIC = ["--persons", "1200", "--events", "240", "--participations", "2400", "--seed", "11"]


def invoke(url: str, *args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["--database-url", url, *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def synthetic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("synthetic"), SYNTHETIC)


@pytest.fixture(scope="module", params=DIALECT_PARAMS)
def original(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, synthetic_dir: Path) -> Iterator[str]:
    """Bundled seeds + generated data + strange text, on one database per dialect."""
    work = tmp_path_factory.mktemp(f"original-{request.param}")
    strange = work / "strange.yaml"
    strange.write_text(yaml.safe_dump(strange_document(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    with new_database(request.param, work, "seeded") as url:
        invoke(url, "seed", str(synthetic_dir), str(strange))
        yield url


@pytest.fixture(scope="module")
def backup(original: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("backup") / "seeds"
    result = invoke(original, "export", "seeds", str(out))
    assert result.output.startswith(f"wrote {out}: ")
    return out


@pytest.fixture(scope="module")
def restored(original: str, backup: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    dialect = original.split(":", 1)[0].split("+", 1)[0]
    with new_database(dialect, tmp_path_factory.mktemp("restored")) as url:
        invoke(url, "seed", str(backup))
        yield url


def test_backup_uses_yaml_and_csv_bulk_files(backup: Path) -> None:
    yamls = sorted(backup.glob("*.yaml"))
    csvs = sorted(backup.glob("*.csv"))
    assert len(yamls) >= 40 and {p.name.split(".")[1] for p in csvs} >= {"attendance", "persons", "positions"}
    first = yaml.safe_load(yamls[0].read_text(encoding="utf-8"))
    assert first["format"] == "guestlist/1" and first["source"]["slug"] == "pycountry-iso-3166"
    assert len(first["states"]) >= 249
    # Offices go to YAML (no bulk table), each holding names its office, and every tenure and evidence comes back.
    documents = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in yamls]
    offices = {o["slug"] for d in documents for o in d.get("offices", [])}
    held = [p for d in documents for p in d.get("positions", [])]
    for path in (p for p in csvs if p.name.split(".")[1] == "positions"):
        with path.open(newline="", encoding="utf-8") as handle:
            held += list(csv.DictReader(handle))
    assert held and all(p["office"] in offices for p in held)
    assert {p.get("tenure") or "ordinary" for p in held} == {"ordinary", "acting", "disputed", "in_exile"}
    assert {p.get("evidence") or "tenure" for p in held} == {"tenure", "attested"}


def test_restore_reproduces_every_table_exactly(original: str, restored: str) -> None:
    before, after = canonical(original), canonical(restored)
    assert sorted(before) == sorted(after)
    compared = 0
    for table in before:
        assert before[table] == after[table], f"{table}: {len(before[table] - after[table])} rows differ"
        compared += sum(before[table].values())
    assert compared > 8_000
    print(f"\nrows compared after the round trip: {compared} in {len(before)} tables")


def test_strange_text_survives_verbatim(restored: str) -> None:
    rows = snapshot(restored, ["persons", "event_notes", "organizations", "attendance"])
    stored = {value for table in rows.values() for row in table for value in row if isinstance(value, str)}
    strange = strange_document()
    assert strange["persons"][0]["name"] in stored
    assert strange["events"][0]["notes"][0]["text"] in stored
    assert "" in stored  # an empty abbreviation and description, not NULL
    assert strange["attendance"][1]["description"] in stored


def test_seeding_the_backup_into_the_original_changes_nothing(original: str, backup: Path) -> None:
    before = data_snapshot(original)
    result = invoke(original, "seed", str(backup))
    assert result.output.strip().splitlines()[-1].startswith("0 added, 0 changed, ")
    assert data_snapshot(original) == before


def test_exporting_the_restored_copy_gives_the_same_files(restored: str, backup: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    invoke(restored, "export", "seeds", str(again))
    names = sorted(p.name for p in backup.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(backup, again, names, shallow=False)
    assert not mismatch and not errors, mismatch[:5]


@pytest.mark.parametrize("dialect", ["sqlite"], indirect=True)
def test_export_refuses_a_folder_in_use_or_a_database_without_schema(migrated_url: str, db_url: str, tmp_path: Path) -> None:
    used = tmp_path / "used"
    used.mkdir()
    (used / "old.yaml").write_text("format: guestlist/1\n")
    for url, target, expected in (
        (migrated_url, used, "not empty"),
        (migrated_url, tmp_path / "new", "no sources"),
        (f"sqlite:///{tmp_path / 'missing.db'}", tmp_path / "new2", "no database"),
    ):
        result = CliRunner().invoke(cli, ["--database-url", url, "export", "seeds", str(target)])
        assert result.exit_code == 1, result.output
        assert result.output.startswith("Error: ") and expected in result.output, result.output
        assert "Traceback" not in result.output
    assert sorted(p.name for p in used.iterdir()) == ["old.yaml"]
    on_a_file = CliRunner().invoke(cli, ["--database-url", migrated_url, "export", "seeds", str(used / "old.yaml")])
    assert on_a_file.exit_code == 2 and "is a file" in on_a_file.output  # click's own usage error


def test_small_parts_and_bulk_files_restore_the_same(original: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents split in many YAML parts and sections sent to CSV early still restore exactly."""
    from sqlalchemy.engine import make_url

    from guestlist.seeds.exporters import seeds as exporter

    monkeypatch.setattr(exporter, "YAML_MAX_VALUES", 400)
    out = tmp_path / "parts"
    summary = exporter.export(original, out, bulk_min=20)
    assert any(".part" in p.name for p in out.iterdir()) and summary.files > summary.documents
    with new_database(make_url(original).get_backend_name(), tmp_path) as url:
        invoke(url, "seed", str(out))
        assert canonical(url) == canonical(original)


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.characters(exclude_categories=("Cs",)), max_size=200))
def test_exported_yaml_reads_back_exactly(text: str) -> None:
    """Any text the database can hold comes back from the exported YAML unchanged (NEL included)."""
    from guestlist.seeds.exporters.seeds import dump
    from guestlist.seeds.loader.document import parse

    document = {"format": "guestlist/1", "source": {"slug": "s", "title": text, "note": None}}
    assert parse(dump(document).encode("utf-8"), "backup.yaml")["source"] == document["source"]
