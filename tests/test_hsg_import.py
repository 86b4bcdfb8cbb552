"""``guestlist import hsg-visits``: a release of the Office of the Historian's visits, loaded as seed records.

On SQLite, PostgreSQL and MariaDB: the real release v0.6.4 imported and imported again (nothing
written the second time), a structurally broken file refused in one line with nothing written, a
dry run. Without a database: what the conversion decides (the quote's limit, the persons' seam, an
office given two holders on one day).
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

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


def test_release_imported_then_reimported_writes_nothing(migrated_url: str) -> None:
    url = with_states(migrated_url)
    release = str(release_folder(VISITS_V064))
    first = invoke(url, "import", "hsg-visits", release)
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    assert any(line.startswith("interpreted: ") and line.endswith(" values") for line in lines), first.output
    assert "offices not recorded: conflicting titles: 1" in lines, first.output
    # Two prime ministers on one day: the Bosnian Federation's and Bosnia-Herzegovina's, one office for the data.
    assert (
        "  prime-minister-of-bosnia-and-herzegovina on 1996-05-14: izudin-kapetanovic, hasan-muratovic (visits 1190, 1191)"
        in lines
    )
    assert any("read as" in line and line.rsplit(": ", 1)[1].isdigit() for line in lines)

    assert count(url, "events") == ROWS_V064
    assert count(url, "attendance") == PERSONS_V064
    assert count(url, "attendance_claims") == PERSONS_V064
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
    assert (
        scalar(
            url,
            "SELECT COUNT(*) FROM positions p JOIN offices o ON o.id = p.office_id "
            "WHERE o.slug = 'prime-minister-of-bosnia-and-herzegovina' AND p.start_on = :d",
            d=date(1996, 5, 14),
        )
        == 0
    )

    again = invoke(url, "import", "hsg-visits", release, "--format", "json")
    assert again.exit_code == 0, again.output
    summary = json.loads(again.output)
    assert (summary["added"], summary["changed"]) == (0, 0), again.output
    assert summary["unchanged"] > ROWS_V064
    assert summary["import"]["persons_new"] == 0


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
