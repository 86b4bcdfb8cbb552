"""``guestlist import hsg-visits``: a release of the Office of the Historian's visits, loaded as seed records.

On SQLite, PostgreSQL and MariaDB: the real release v0.6.4 imported and imported again (nothing
written the second time), a structurally broken file refused in one line with nothing written, a
dry run. Without a database: what the conversion decides (the quote's limit, the persons' seam, an
office given two holders on one day).
"""

from __future__ import annotations

import csv
import json
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from guestlist.models.db import create_engine
from guestlist.seeds.importers.hsg.documents import (
    QUOTE_LIMIT,
    Holding,
    Stored,
    StoredOffice,
    convert,
    source_slug,
    state_names,
    state_phrase,
)
from guestlist.seeds.importers.hsg.release import Release, find_release
from guestlist.seeds.importers.hsg.visits import Visit, interpret
from guestlist.seeds.loader import STATES_DOCUMENT_NAME, load
from guestlist.seeds.reference import states_document
from tests.support.cli import assert_clean_failure, invoke
from tests.support.hsg import VISITS_V064, release_folder

ROWS_V064 = 3264  # visits of v0.6.4 (tests/test_hsg_visits.py measures them)
PERSONS_V064 = 3271  # visitors named in its rows: one participation each


def with_states(url: str) -> str:
    """The database with the ISO states ``guestlist setup`` loads (the importer brings the historic ones)."""
    load(url, [(STATES_DOCUMENT_NAME, states_document())])
    return url


def scalar(url: str, sql: str, **params: object) -> object:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar()
    finally:
        engine.dispose()


def count(url: str, table: str) -> int:
    return int(scalar(url, f"SELECT COUNT(*) FROM {table}"))  # type: ignore[arg-type]


def count_where(url: str, table: str, where: str) -> int:
    return int(scalar(url, f"SELECT COUNT(*) FROM {table} WHERE {where}"))  # type: ignore[arg-type]


@dataclass
class Imported:
    """v0.6.4 imported into a database holding the bundled record, then imported again."""

    url: str
    first: str  # the summary printed
    again: dict[str, Any]  # the second summary, as JSON
    duplicates: list[dict[str, str]]  # the --duplicates CSV of the first import
    seconds: tuple[float, float]


@pytest.fixture(scope="module")
def imported(seeded_url: str, tmp_path_factory: pytest.TempPathFactory) -> Imported:
    release = str(release_folder(VISITS_V064))
    csv_path = tmp_path_factory.mktemp("duplicates") / "duplicates.csv"
    started = time.perf_counter()
    first = invoke(seeded_url, "import", "hsg-visits", release, "--duplicates", str(csv_path))
    middle = time.perf_counter()
    assert first.exit_code == 0, first.output
    again = invoke(seeded_url, "import", "hsg-visits", release, "--format", "json")
    assert again.exit_code == 0, again.output
    ended = time.perf_counter()
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return Imported(seeded_url, first.output, json.loads(again.output), rows, (middle - started, ended - middle))


def test_release_imported_then_reimported_writes_nothing(imported: Imported) -> None:
    url, lines = imported.url, imported.first.splitlines()
    assert any(line.startswith("interpreted: ") and line.endswith(" values") for line in lines), imported.first
    assert any("read as" in line and line.rsplit(": ", 1)[1].isdigit() for line in lines)
    assert count_where(url, "events", "slug LIKE 'hsg-visit-%'") == ROWS_V064
    assert (
        scalar(
            url,
            "SELECT COUNT(*) FROM attendance a JOIN events e ON e.id = a.event_id WHERE e.slug LIKE 'hsg-visit-%'",
        )
        == PERSONS_V064
    )
    note = scalar(url, "SELECT note FROM sources WHERE slug = :s", s="hsg-visits-v0.6.4")
    assert "3eaf8e0" in str(note) and "public domain (CC0)" in str(note)
    # Visit 2077: 'President Carlos Mauricio Funes', El Salvador, 2010-03-08, 'Working visit.'
    assert scalar(url, "SELECT kind FROM events WHERE slug = 'hsg-visit-2077'") == "visit"
    quote = scalar(
        url,
        "SELECT c.source_quote FROM attendance_claims c JOIN attendance a ON a.id = c.attendance_id "
        "JOIN events e ON e.id = a.event_id WHERE e.slug = 'hsg-visit-2077'",
    )
    assert quote == "President Carlos Mauricio Funes \u2014 Working visit."
    held = scalar(
        url,
        "SELECT p.evidence FROM positions p JOIN offices o ON o.id = p.office_id "
        "WHERE o.slug = 'president-of-el-salvador' AND p.start_on = :d AND p.end_on = :d",
        d=date(2010, 3, 8),
    )
    assert held == "attested"

    summary = imported.again
    assert (summary["added"], summary["changed"]) == (0, 0), summary
    assert summary["unchanged"] > ROWS_V064
    assert summary["import"]["persons_new"] == 0
    print(f"v0.6.4 on the bundled record: import {imported.seconds[0]:.1f} s, re-import {imported.seconds[1]:.1f} s")


def attendees(url: str, where: str, **params: object) -> set[str]:
    """Slugs of the persons attending the release's visits whose row (its quote, its state) fits ``where``."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT DISTINCT p.slug FROM attendance a JOIN persons p ON p.id = a.person_id"
                    " JOIN events e ON e.id = a.event_id JOIN states s ON s.id = a.state_id"
                    " JOIN attendance_claims c ON c.attendance_id = a.id"
                    f" WHERE e.slug LIKE 'hsg-visit-%' AND {where}"
                ),
                params,
            )
            return {slug for (slug,) in rows}
    finally:
        engine.dispose()


EXISTING = {
    "xi-jinping": ("CHN", "Xi Jinping"),
    "vladimir-putin": ("RUS", "Putin"),
    "narendra-modi": ("IND", "Modi"),
    "viktor-orban": ("HUN", "Orb"),
    "prabowo-subianto": ("IDN", "Prabowo"),
}


@pytest.mark.parametrize("slug", sorted(EXISTING))
def test_persons_of_the_record_are_matched_not_duplicated(imported: Imported, slug: str) -> None:
    state, written = EXISTING[slug]
    assert attendees(imported.url, "s.code = :state AND c.source_quote LIKE :q", state=state, q=f"%{written}%") == {
        slug
    }


def test_a_person_under_two_titles_is_one_and_namesakes_two(imported: Imported) -> None:
    assert attendees(imported.url, "s.code = 'DEU' AND c.source_quote LIKE '%Olaf Scholz%'") == {"olaf-scholz"}
    king = attendees(imported.url, "s.code = 'JOR' AND c.source_quote LIKE 'King Hussein %'")
    # 2023: "King Abdullah and Crown Prince Hussein", two persons, neither of them King Hussein.
    row = attendees(imported.url, "s.code = 'JOR' AND c.source_quote LIKE 'King Abdullah and Crown Prince Hussein%'")
    assert len(king) == 1 and len(row) == 2 and not king & row
    # A new person carries its visitor key, so that a later import finds it.
    prince = scalar(
        imported.url,
        "SELECT p.slug FROM person_identifiers i JOIN persons p ON p.id = i.person_id"
        " WHERE i.scheme = 'hsg-visitor' AND i.identifier = 'hussein@JOR/2023'",
    )
    assert prince in row


def test_the_summary_names_persons_and_possible_duplicates(imported: Imported) -> None:
    lines = imported.first.splitlines()
    created = next(int(line.split(": ")[1]) for line in lines if line.startswith("persons created: "))
    matched = next(int(line.split(": ")[1]) for line in lines if line.startswith("persons matched to existing ones: "))
    possible = next(int(line.split(": ")[1]) for line in lines if line.startswith("possible duplicates: "))
    assert created > 1000 and matched >= 5 and possible > 5
    assert possible == len(imported.duplicates)
    at = lines.index(f"possible duplicates: {possible}")
    assert all(line.startswith("  ") and "score" in line for line in lines[at + 1 : at + 6])
    assert {"a_key": "castro@CUB", "b_key": "raulcastro@CUB"}.items() <= next(
        d for d in imported.duplicates if d["a_key"] == "castro@CUB"
    ).items()
    # The titles the stand-in matching gave two slugs for one person (Rahmon, Elbegdorj, Hailemariam,
    # Zuma, el-Sisi, Anwar) no longer conflict. Left: two prime ministers of Bosnia on one day (the
    # Federation's and the state's, one office for the data), and a 2022 row naming Laos's president
    # of 2006-2016.
    at = lines.index("offices not recorded: conflicting titles: 2")
    assert lines[at + 1 : at + 3] == [
        "  prime-minister-of-bosnia-and-herzegovina on 1996-05-14: izudin-kapetanovic, hasan-muratovic (visits 1190, 1191)",
        "  president-of-laos on 2022-05-12: choummaly-sayasone, thongloun-sisoulith (visit 3086)",
    ]


def test_occasions_are_events_with_their_guest_lists(imported: Imported) -> None:
    url = imported.url
    states = scalar(
        url,
        "SELECT COUNT(DISTINCT a.state_id) FROM attendance a JOIN events e ON e.id = a.event_id WHERE e.slug = :e",
        e="nuclear-security-summit-2010",
    )
    assert states == 36
    assert (
        scalar(
            url,
            "SELECT COUNT(*) FROM event_relations r JOIN events e ON e.id = r.related_event_id"
            " WHERE e.slug = :e AND r.relation = 'part_of'",
            e="nuclear-security-summit-2010",
        )
        >= 36
    )
    note = scalar(
        url,
        "SELECT n.text FROM event_notes n JOIN events e ON e.id = n.event_id WHERE e.slug = :e",
        e="nuclear-security-summit-2010",
    )
    assert "only the leaders" in str(note)
    summits = count_where(url, "events", "slug IN ('us-africa-leaders-summit-2014', 'us-africa-leaders-summit-2022')")
    assert summits == 2
    guests = invoke(url, "report", "guest-list", "nuclear-security-summit-2010")
    assert guests.exit_code == 0, guests.output


def test_a_settlement_changes_the_outcome(imported: Imported, tmp_path: Path) -> None:
    # "Geidar Aliyev" (2001) is kept apart from "Heydar Aliyev" (1994-2003): too far for the rules.
    settle = tmp_path / "settle.yaml"
    settle.write_text("hsg-persons:\n  same:\n    - [geidaraliyev@AZE, heydar-aliyev]\n")
    release = str(release_folder(VISITS_V064))
    before = invoke(imported.url, "import", "hsg-visits", release, "--dry-run", "--format", "json")
    settled = invoke(
        imported.url, "import", "hsg-visits", release, "--dry-run", "--format", "json", "--settle", str(settle)
    )
    assert settled.exit_code == 0, settled.output
    old, new = json.loads(before.output), json.loads(settled.output)
    assert old["added"] == 0 and new["added"] > 0  # Heydar Aliyev's attendance of the 2001 visit
    assert old["import"]["persons_stored"] - new["import"]["persons_stored"] == 1
    assert not any("geidaraliyev@AZE" in d for d in new["import"]["possible_duplicates"])
    assert any("geidaraliyev@AZE" in d for d in old["import"]["possible_duplicates"])
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("hsg-persons:\n  same:\n    - [castro@CUB]\n")
    refused = invoke(imported.url, "import", "hsg-visits", release, "--settle", str(wrong))
    assert refused.exit_code == 1
    assert_clean_failure(refused.output)
    assert "wrong.yaml" in refused.output and "is not a pair" in refused.output


def one_file_release(tmp_path: Path, old: str = "", new: str = "", name: str = "visits-v9.9.9") -> Path:
    """A release of one file (v0.6.4's 1870s), with ``old`` replaced by ``new``, in a folder ``name``."""
    folder = tmp_path / name / "data"
    folder.mkdir(parents=True)
    shutil.copy(VISITS_V064 / "data" / "1870.xml", folder / "1870.xml")
    text = (folder / "1870.xml").read_text(encoding="utf-8")
    assert old in text
    (folder / "1870.xml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder.parent


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("<end-date>1874-12-23</end-date>", "<end-date>1874-12-01</end-date>", "end-date"),
        ('<from id="hawaii">', '<from id="hawai">', "from"),
    ],
    ids=["end-before-start", "unknown-country"],
)
def test_structural_error_is_one_line_and_writes_nothing(
    migrated_url: str, tmp_path: Path, old: str, new: str, field: str
) -> None:
    url = with_states(migrated_url)
    before = (count(url, "sources"), count(url, "states"))
    result = invoke(url, "import", "hsg-visits", str(one_file_release(tmp_path, old, new)))
    assert result.exit_code == 1, result.output
    assert_clean_failure(result.output)
    assert "1870.xml" in result.output and "visit 2138" in result.output and f"field '{field}'" in result.output
    assert (count(url, "events"), (count(url, "sources"), count(url, "states"))) == (0, before)


def test_dry_run_writes_nothing(migrated_url: str, tmp_path: Path) -> None:
    url = with_states(migrated_url)
    release = one_file_release(tmp_path, name="visits-v0.6.4")
    dry = invoke(url, "import", "hsg-visits", str(release), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "(dry run: nothing written)" in dry.output
    assert count(url, "events") == 0
    done = invoke(url, "import", "hsg-visits", str(release))
    assert done.exit_code == 0, done.output
    assert count(url, "events") == 2


# -- the conversion, without a database -----------------------------------------


def release() -> Release:
    return Release("9.9.9", None, (), None, None, False)


def visit(id_: int, visitor: str, description: str = "Working visit.", day: date = date(2010, 3, 8)) -> Visit:
    created = datetime(2012, 4, 2, 10, 53, tzinfo=UTC)
    return Visit(id_, day, day, visitor, "el-salvador", "El Salvador", description, created, None, "2010.xml")


def test_a_quote_over_the_limit_is_cut_at_a_word_and_counted() -> None:
    long = interpret(visit(1, "President Carlos Mauricio Funes", "Working visit. " + "Met with many. " * 60))
    short = interpret(visit(2, "President Carlos Mauricio Funes", "Working\n            visit."))
    conversion = convert(release(), [long, short])
    quotes = [a["claims"][0]["quote"] for a in conversion.document["attendance"]]
    assert len(quotes[0]) <= QUOTE_LIMIT and quotes[0].endswith("many.\u2026")
    assert quotes[1] == "President Carlos Mauricio Funes \u2014 Working visit."  # the XML's layout is not text
    assert any(line.startswith(f"quote longer than {QUOTE_LIMIT} characters 'visit 1'") for line in conversion.lines())


def test_persons_given_by_the_caller_and_stored_ones_get_no_record() -> None:
    readings = [interpret(visit(1, "President Carlos Mauricio Funes")), interpret(visit(2, "President Mauricio Funes"))]
    mapping = {readings[0]: ("mauricio-funes",), readings[1]: ("mauricio-funes",)}
    stored = Stored(persons=frozenset({"mauricio-funes"}))
    conversion = convert(release(), readings, persons=mapping, stored=stored)
    assert conversion.document["persons"] == []
    assert {a["person"] for a in conversion.document["attendance"]} == {"mauricio-funes"}
    assert (conversion.persons_new, conversion.persons_stored) == (0, 1)
    default = convert(release(), readings)
    assert [p["slug"] for p in default.document["persons"]] == ["carlos-mauricio-funes", "mauricio-funes"]


def test_two_holders_of_one_office_on_a_day_are_reported_not_recorded() -> None:
    rows = [interpret(visit(1, "President Carlos Mauricio Funes")), interpret(visit(2, "President Nayib Bukele"))]
    conversion = convert(release(), rows)
    assert conversion.document["positions"] == [] and conversion.document["offices"] == []
    assert [str(c) for c in conversion.conflicts] == [
        "president-of-el-salvador on 2010-03-08: carlos-mauricio-funes, nayib-bukele (visits 1, 2)"
    ]
    # A stored holder of that day conflicts too; a stored office of the state under the title is reused.
    office = StoredOffice(
        "president-of-the-republic-of-el-salvador", "President of the Republic of El Salvador", "SLV", 1
    )
    stored = Stored(
        offices={office.slug: office},
        holdings={office.slug: [Holding("someone-else", date(2009, 6, 1), date(2014, 6, 1), "ordinary")]},
    )
    assert [c.office for c in convert(release(), rows[:1], stored=stored).conflicts] == [office.slug]
    stored.holdings.clear()
    positions = convert(release(), rows[:1], stored=stored).document["positions"]
    assert [(p["office"], p["evidence"], p["start_on"], p["end_on"]) for p in positions] == [
        (office.slug, "attested", date(2010, 3, 8), date(2010, 3, 8))
    ]


def test_an_office_names_its_state_as_a_reader_would() -> None:
    names = state_names()
    assert state_phrase("SLV", names) == "El Salvador"
    assert state_phrase("SUN", names) == "the USSR"
    assert state_phrase("XHK", names) == "the Kingdom of Hawaii"
    assert state_phrase("FSM", names) == "the Federated States of Micronesia"


def test_the_source_names_the_release() -> None:
    found = find_release(release_folder(VISITS_V064))
    assert source_slug(found) == "hsg-visits-v0.6.4"
    document = convert(found, []).document
    assert "v0.6.4" in document["source"]["title"]
    assert document["source"]["publisher"] == "Office of the Historian, U.S. Department of State"
