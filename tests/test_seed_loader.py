"""The seed loader on real databases: facts land, reloads are no-ops, history is kept."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from guestlist.models.db import create_engine
from guestlist.models.errors import DatabaseError, SeedError
from guestlist.seeds.cli import cli
from guestlist.seeds.loader import Document, bundled, load

from .support.documents import EXAMPLE, example, write
from .support.queries import rows, scalar
from .support.snapshots import snapshot

pytestmark = pytest.mark.dialects


@pytest.fixture(scope="module")
def loaded(db: str) -> str:
    """The module's database with the example document loaded once."""
    report = load(db, [EXAMPLE])
    assert (report.added, report.changed, report.unchanged) == (33, 0, 0)
    return db


def test_example_facts_land(loaded: str) -> None:
    assert scalar(loaded, "SELECT count(*) FROM states") == 5
    assert rows(loaded, "SELECT s.code, t.code FROM states s JOIN states t ON s.successor_id = t.id") == [("SUN", "RUS")]
    assert rows(
        loaded,
        "SELECT e.city, e.venue, h.code, p.slug, e.duration_minutes, e.troops_description, e.starts_on "
        "FROM events e JOIN states h ON e.host_state_id = h.id JOIN events p ON e.parent_id = p.id "
        "WHERE e.slug = 'beijing-parade-2025'",
    ) == [("Beijing", "Tiananmen Square", "CHN", "victory-day-parades", 70, "tens of thousands", "2025-09-03")]
    assert rows(
        loaded,
        "SELECT r.relation, t.slug, r.anniversary FROM event_links r JOIN events t ON r.related_event_id = t.id",
    ) == [("commemorates", "japan-surrender-1945", 80)]
    assert sorted(rows(loaded, "SELECT name, kind, lang FROM person_names")) == [
        ("Kim Jong-un", "transliteration", "en"), ("김정은", "native", "ko")
    ]
    assert rows(loaded, "SELECT scheme, identifier FROM person_identifiers") == [("wikidata", "Q56226")]
    claims = rows(
        loaded,
        "SELECT coalesce(p.slug, st.code), c.status, c.reported_on, s.slug FROM attendance a "
        "JOIN attendance_claims c ON c.attendance_id = a.id JOIN sources s ON c.source_id = s.id "
        "LEFT JOIN persons p ON a.person_id = p.id LEFT JOIN states st ON a.state_id = st.id ORDER BY 1",
    )
    assert claims == [
        ("SVK", "expected", "2025-08-28", "example-news-2025-08-28"),
        ("kim-jong-un", "confirmed", "2025-08-28", "example-news-2025-08-28"),
        ("xi-jinping", "confirmed", "2025-08-28", "example-news-2025-08-28"),
    ]
    assert rows(loaded, "SELECT count, quantifier FROM attendance_counts ORDER BY description") == [(None, "most"), (26, None)]
    # Defaults apply to new rows: date precision and the prospective flag.
    assert rows(loaded, "SELECT date_precision, is_prospective FROM events WHERE slug = 'japan-surrender-1945'") == [("day", False)]
    # A record's source is the file's unless it names one.
    assert rows(
        loaded, "SELECT p.slug, s.slug FROM persons p JOIN sources s ON p.source_id = s.id ORDER BY 1"
    ) == [("kim-jong-un", "example-news-2025-08-28"), ("robert-fico", "example-reference"), ("xi-jinping", "example-news-2025-08-28")]


def test_second_load_changes_nothing(loaded: str) -> None:
    before = snapshot(loaded)
    report = load(loaded, [EXAMPLE])
    assert (report.added, report.changed, report.unchanged) == (0, 0, 33)
    assert snapshot(loaded) == before


def test_dry_run_reports_and_writes_nothing(loaded: str, tmp_path: Path) -> None:
    doc = example()
    doc["persons"][1]["birth_date"] = "1953-06-15"
    doc["persons"].append({"slug": "new-person", "name": "New Person"})
    path = write(tmp_path, "changed.yaml", doc)
    before = snapshot(loaded)
    dry = load(loaded, [path], dry_run=True)
    assert snapshot(loaded) == before
    assert dry.dry_run and (dry.added, dry.changed) == (1, 1)
    assert dry.documents[0].as_dict()["tables"]["persons"] == {"added": 1, "changed": 1, "unchanged": 2}
    listing = dry.render("table").splitlines()
    assert "  + persons new-person" in listing
    assert "  ~ persons xi-jinping: birth_date" in listing
    assert listing[-1] == "1 added, 1 changed, 32 unchanged (dry run: nothing written)"


def test_later_claim_adds_history_and_keeps_the_old_one(loaded: str, tmp_path: Path) -> None:
    later = {
        "format": "guestlist/1",
        "source": {"slug": "example-news-2025-09-03", "title": "Parade held", "kind": "news_article"},
        "attendance": [{
            "event": "beijing-parade-2025", "person": "kim-jong-un", "state": "PRK", "role": "guest",
            "capacity": "head_of_state",
            "claims": [{"status": "attended", "reported_on": dt.date(2025, 9, 3), "quote": "Kim stood beside Xi"}],
        }],
    }
    report = load(loaded, [("later news", later)])
    tables = report.documents[0].as_dict()["tables"]
    assert tables["attendance_claims"] == {"added": 1, "changed": 0, "unchanged": 0}
    assert tables["attendance"] == {"added": 0, "changed": 0, "unchanged": 1}
    history = rows(
        loaded,
        "SELECT c.status, c.reported_on FROM attendance_claims c JOIN attendance a ON c.attendance_id = a.id "
        "JOIN persons p ON a.person_id = p.id WHERE p.slug = 'kim-jong-un' ORDER BY c.reported_on",
    )
    assert history == [("confirmed", "2025-08-28"), ("attended", "2025-09-03")]
    assert load(loaded, [("later news", later)]).added == 0


def test_claims_of_one_day_keep_the_documents_order(db: str) -> None:
    """The current status is the claim recorded last, whichever optional fields each claim has."""
    day = "2031-03-01"
    claims = [
        {"status": "expected", "reported_on": day, "quote": "will come", "source": "sameday-a"},
        {"status": "confirmed", "reported_on": day, "quote": "confirmed", "source": "sameday-b", "note": "a note"},
        {"status": "attended", "reported_on": day, "quote": "came", "source": "sameday-c"},
    ]
    doc = {"format": "guestlist/1", "source": {"slug": "sameday-a", "title": "A", "kind": "other"},
           "sources": [{"slug": "sameday-b", "title": "B", "kind": "other"}, {"slug": "sameday-c", "title": "C", "kind": "other"}],
           "persons": [{"slug": "sameday-person", "name": "Same Day"}],
           "events": [{"slug": "sameday-event", "name": "Same day", "kind": "summit", "starts_on": day}],
           "attendance": [{"event": "sameday-event", "person": "sameday-person", "role": "guest", "capacity": "other",
                           "claims": claims}]}
    load(db, [("same day", doc)])
    assert rows(db, "SELECT status, source_slug FROM attendance_report WHERE event_slug = 'sameday-event'") == [
        ("attended", "sameday-c")
    ]
    history = rows(db, "SELECT status FROM attendance_history WHERE event_slug = 'sameday-event' ORDER BY claim_id")
    assert [status for (status,) in history] == ["expected", "confirmed", "attended"]


def test_same_entity_in_two_files_merges_fields(loaded: str, tmp_path: Path) -> None:
    """A field absent from a record leaves the stored value alone; the implicit source stays the first."""
    doc = {
        "format": "guestlist/1",
        "source": {"slug": "example-biography", "title": "A biography", "kind": "encyclopedia"},
        "persons": [{"slug": "xi-jinping", "name": "Xi Jinping", "birth_date": "1953-06-15"}],
    }
    report = load(loaded, [write(tmp_path, "bio.yaml", doc)])
    assert report.documents[0].as_dict()["tables"]["persons"] == {"added": 0, "changed": 1, "unchanged": 0}
    assert rows(
        loaded, "SELECT p.name, p.birth_date, s.slug FROM persons p JOIN sources s ON p.source_id = s.id WHERE p.slug = 'xi-jinping'"
    ) == [("Xi Jinping", "1953-06-15", "example-news-2025-08-28")]


def test_references_across_documents_of_one_run(db: str) -> None:
    """An earlier file may name what a later file of the same run defines, and what is stored."""
    source = {"slug": "cross-src", "title": "Cross", "kind": "other"}
    first = {"format": "guestlist/1", "source": source,
             "attendance": [{"event": "cross-event", "person": "cross-person", "role": "guest", "capacity": "other",
                             "claims": [{"status": "expected", "reported_on": "2030-01-01", "quote": "q"}]}]}
    second = {"format": "guestlist/1", "source": {**source, "slug": "cross-src-2"},
              "persons": [{"slug": "cross-person", "name": "Cross Person"}],
              "events": [{"slug": "cross-event", "name": "Cross event", "kind": "summit", "parent": "cross-series"},
                         {"slug": "cross-series", "name": "Cross series", "kind": "series"}]}
    report = load(db, [("first", first), ("second", second)])
    assert [d.added for d in report.documents] == [3, 4]
    assert scalar(db, "SELECT count(*) FROM events e JOIN events p ON e.parent_id = p.id WHERE p.slug = 'cross-series'") == 1


def test_sql_text_is_stored_verbatim(db: str) -> None:
    hostile = "Robert'); DROP TABLE persons; -- \" ` \\ %s :name ?"
    doc = {"format": "guestlist/1", "source": {"slug": "sql-src", "title": hostile, "kind": "other"},
           "persons": [{"slug": "bobby-tables", "name": hostile, "sort_name": "‏שלום e\u0301"}]}
    load(db, [("hostile", doc)])
    assert rows(db, "SELECT name, sort_name FROM persons WHERE slug = 'bobby-tables'") == [(hostile, "‏שלום e\u0301")]
    assert scalar(db, "SELECT title FROM sources WHERE slug = 'sql-src'") == hostile


def test_progress_is_reported(db: str) -> None:
    calls: list[tuple[int, int]] = []
    load(db, [EXAMPLE], dry_run=True, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (33, 33)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_in_memory_documents_with_a_name(db: str) -> None:
    doc = {"name": "my notes", "format": "guestlist/1", "source": {"slug": "notes-src", "title": "Notes", "kind": "other"},
           "events": [{"slug": "notes-event", "name": "Notes event", "kind": "other", "starts_on": dt.date(2031, 5, 1)}]}
    plain = {k: v for k, v in doc.items() if k != "name"}
    report = load(db, [doc, Document("as a Document", plain)])
    assert [d.name for d in report.documents] == ["my notes", "as a Document"]
    assert [d.added for d in report.documents] == [2, 0]


def test_concurrent_loads_serialise(db: str) -> None:
    """Two loads of the same new documents at once end as one load would."""
    doc = {"format": "guestlist/1", "source": {"slug": "race-src", "title": "Race", "kind": "other"},
           "persons": [{"slug": f"race-{i}", "name": f"Racer {i}"} for i in range(50)]}
    results: list[object] = []

    def run() -> None:
        try:
            results.append(load(db, [("race", doc)]).added)
        except Exception as exc:
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [0, 51]
    assert scalar(db, "SELECT count(*) FROM persons WHERE slug LIKE 'race-%'") == 50


def test_a_load_on_the_caller_s_connection_goes_with_the_caller_s_rollback(db: str) -> None:
    """In a transaction of the caller's the load is part of it: rolled back with it, the database is as it was."""
    doc = {"format": "guestlist/1", "source": {"slug": "caller-src", "title": "Caller", "kind": "other"},
           "persons": [{"slug": f"caller-{i}", "name": f"Caller {i}"} for i in range(3)]}
    before = snapshot(db)
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            transaction = conn.begin()
            assert load(conn, [("caller", doc)]).added == 4
            assert conn.execute(sa.text("SELECT count(*) FROM persons WHERE slug LIKE 'caller-%'")).scalar() == 3
            transaction.rollback()
    finally:
        engine.dispose()
    assert snapshot(db) == before


def test_a_failed_load_in_the_caller_s_transaction_leaves_the_caller_s_own_work(db: str) -> None:
    """The load is all or nothing inside the caller's transaction, which goes on and commits what the caller wrote."""
    good = {"format": "guestlist/1", "source": {"slug": "own-src", "title": "Own", "kind": "other"},
            "persons": [{"slug": "own-person", "name": "Own Person"}]}
    bad = {"format": "guestlist/1", "source": {"slug": "bad-src", "title": "Bad", "kind": "other"},
           "persons": [{"slug": "bad-person", "name": "Bad Person"}],
           "events": [{"slug": "bad-event", "name": "Bad", "kind": "other", "parent": "no-such-event"}]}
    engine = create_engine(db)
    try:
        with engine.connect() as conn, conn.begin():
            assert load(conn, [("own", good)]).added == 2
            with pytest.raises(SeedError, match="no-such-event"):
                load(conn, [("bad", bad)])
    finally:
        engine.dispose()
    assert scalar(db, "SELECT count(*) FROM persons WHERE slug IN ('own-person', 'bad-person')") == 1
    assert scalar(db, "SELECT count(*) FROM sources WHERE slug = 'bad-src'") == 0


def test_database_not_at_head_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="guestlist db upgrade"):
        load(f"sqlite:///{tmp_path / 'empty.db'}", [EXAMPLE])


def test_bundled_order() -> None:
    items = bundled()
    files = [item for item in items if isinstance(item, Path)]
    assert files == sorted(files, key=lambda p: p.name)
    assert all(p.suffix in (".yaml", ".yml") and p.parent.name == "data" for p in files)
    try:
        import guestlist.seeds.reference  # noqa: F401
    except ModuleNotFoundError:
        pytest.skip("guestlist.seeds.reference (the states document) is not there yet")
    assert isinstance(items[0], Document) and "states" in items[0].data


def test_cli_loads_a_folder_in_name_order(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    base = {"format": "guestlist/1", "source": {"slug": "folder-src", "title": "Folder", "kind": "other"}}
    write(folder, "b.yaml", {**base, "events": [{"slug": "folder-event", "name": "E", "kind": "summit", "parent": "folder-series"}]})
    write(folder, "a.yml", {**base, "events": [{"slug": "folder-series", "name": "S", "kind": "series"}]})
    write(folder, "notes.txt", "not a seed document")
    runner = CliRunner()
    result = runner.invoke(cli, ["--database-url", db, "seed", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    import json

    summary = json.loads(result.output)
    assert [d["name"] for d in summary["documents"]] == [str(folder / "a.yml"), str(folder / "b.yaml")]
    assert (summary["added"], summary["changed"]) == (3, 0)
    again = runner.invoke(cli, ["--database-url", db, "seed", str(folder)])
    assert again.exit_code == 0 and "0 added, 0 changed" in again.output
    dry = runner.invoke(cli, ["--database-url", db, "seed", "--dry-run", str(folder / "b.yaml")])
    assert dry.exit_code == 0 and "dry run" in dry.output


def test_readme_example_loads(migrated_url: str, tmp_path: Path) -> None:
    """The seed-format page's complete example is a valid document, and reloading it is a no-op."""
    readme = (Path(__file__).parent.parent / "docs" / "seed-format.md").read_text(encoding="utf-8")
    section = readme.split("<!-- seeds:start -->")[1].split("<!-- seeds:end -->")[0]
    text = section.split("```yaml\n")[1].split("```")[0]
    states = {"format": "guestlist/1", "source": {"slug": "readme-states", "title": "States", "kind": "other"},
              "states": [{"code": c, "name": c} for c in ("CHN", "PRK", "RUS", "SVK")]}
    path = write(tmp_path, "readme.yaml", text)
    first = load(migrated_url, [("states", states), path])
    assert first.documents[1].added == 17
    again = load(migrated_url, [("states", states), path])
    assert (again.added, again.changed) == (0, 0)


def _run_cli(args: list[str], terminal: bool) -> str:
    """Run ``python -m guestlist ARGS`` with stdout and stderr on a pseudo-terminal or on pipes."""
    import os
    import subprocess
    import sys

    if not terminal:
        done = subprocess.run([sys.executable, "-m", "guestlist", *args], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout + done.stderr
    main, secondary = os.openpty()
    process = subprocess.Popen([sys.executable, "-m", "guestlist", *args], stdout=secondary, stderr=secondary)
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(main)
    assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    doc = {"format": "guestlist/1", "source": {"slug": "many", "title": "Many", "kind": "other"},
           "persons": [{"slug": f"many-{i}", "name": f"Many {i}"} for i in range(2_500)]}
    path = write(tmp_path, "many.yaml", doc)
    url = f"sqlite:///{tmp_path / 'p.db'}"
    from guestlist.models.db.migrate import upgrade

    upgrade(url)
    on_terminal = _run_cli(["--database-url", url, "seed", "--dry-run", str(path)], terminal=True)
    assert "seeding" in on_terminal and "100%" in on_terminal
    piped = _run_cli(["--database-url", url, "seed", "--dry-run", str(path)], terminal=False)
    assert "seeding" not in piped and "2501 added" in piped


def test_null_nested_lists_mean_no_entries(db: str) -> None:
    """Found by the property test: `other_names:` with nothing after it is YAML null."""
    doc = {"format": "guestlist/1", "source": {"slug": "null-lists", "title": "N", "kind": "other"},
           "persons": [{"slug": "null-lists-person", "name": "N", "other_names": None, "identifiers": None}],
           "events": [{"slug": "null-lists-event", "name": "E", "kind": "other", "relations": None, "notes": None}],
           "attendance": [{"event": "null-lists-event", "person": "null-lists-person", "role": "guest",
                           "capacity": "other", "claims": None}]}
    assert load(db, [("nulls", doc)]).added == 4


def test_claims_of_one_day_keep_the_order_they_are_written_in(db: str) -> None:
    """Ties of reported_on go to the later claim in the document, whatever fields each claim has."""
    source = {"slug": "tie-src-a", "title": "A", "kind": "other"}
    doc = {"format": "guestlist/1", "source": source,
           "sources": [{"slug": "tie-src-b", "title": "B", "kind": "other"},
                       {"slug": "tie-src-c", "title": "C", "kind": "other"}],
           "persons": [{"slug": "tie-person", "name": "Tie Person"}],
           "events": [{"slug": "tie-event", "name": "Tie event", "kind": "summit", "starts_on": "2032-01-01"}],
           "attendance": [{"event": "tie-event", "person": "tie-person", "role": "guest", "capacity": "other", "claims": [
               {"status": "confirmed", "reported_on": "2032-01-01", "quote": "a"},
               {"status": "expected", "reported_on": "2032-01-01", "quote": "b", "source": "tie-src-b", "note": "n"},
               {"status": "attended", "reported_on": "2032-01-01", "quote": "c", "source": "tie-src-c"},
           ]}]}
    load(db, [("ties", doc)])
    assert rows(
        db,
        "SELECT source_slug, status FROM attendance_history WHERE event_slug = 'tie-event' ORDER BY reported_on, claim_id",
    ) == [("tie-src-a", "confirmed"), ("tie-src-b", "expected"), ("tie-src-c", "attended")]
    assert rows(db, "SELECT status FROM attendance_report WHERE event_slug = 'tie-event'") == [("attended",)]
