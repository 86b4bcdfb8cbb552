"""One holder at a time, on every database: the loader's refusal and ``guestlist db check``.

An office has ``seats`` holders at once (1 unless its record says more);
its ordinary holders of a day may not outnumber them, nor its acting
holders, nor its holders in exile; disputed claimants are not counted. A
holding counts from its start_on up to, not on, its end_on (a handover
day belongs to the successor); an attestation counts on its one day.
Each refusal is one line naming both records, and writes nothing.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from guestlist.models.db import create_engine
from guestlist.models.errors import SeedError
from guestlist.seeds.cli import cli
from guestlist.seeds.loader import load

from .support.snapshots import snapshot

SOURCE = {"slug": "office-test", "title": "Offices under test", "kind": "other"}
STATES = [
    {"code": "KOR", "name": "Korea, Republic of"},
    {"code": "BIH", "name": "Bosnia and Herzegovina"},
    {"code": "SMR", "name": "San Marino"},
]
OFFICES = [
    {"slug": "president-of-south-korea", "title": "President of South Korea", "state": "KOR"},
    {"slug": "member-of-the-presidency", "title": "Member of the Presidency", "state": "BIH", "seats": 3},
    {"slug": "captain-regent", "title": "Captain Regent of San Marino", "state": "SMR", "seats": 2},
]


def holding(person: str, office: str, start: str, end: str | None = None, **more: Any) -> dict[str, Any]:
    title = next(o["title"] for o in OFFICES if o["slug"] == office)
    state = next(o["state"] for o in OFFICES if o["slug"] == office)
    record = {
        "person": person,
        "office": office,
        "title": more.pop("title", title),
        "capacity": "head_of_state",
        "state": state,
        "start_on": start,
        **more,
    }
    if end is not None:
        record["end_on"] = end
    return record


def document(*positions: dict[str, Any], offices: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    people = sorted({p["person"] for p in positions})
    return {
        "format": "guestlist/1",
        "source": SOURCE,
        "states": STATES,
        "offices": copy.deepcopy(offices if offices is not None else OFFICES),
        "persons": [{"slug": p, "name": p.replace("-", " ").title()} for p in people],
        "positions": list(positions),
    }


def refused(url: str, doc: dict[str, Any], name: str = "offices.yaml") -> str:
    """The one-line refusal of ``doc``, checking that the database is left exactly as it was."""
    before = snapshot(url)
    with pytest.raises(SeedError) as caught:
        load(url, [(name, doc)])
    assert snapshot(url) == before
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_two_ordinary_holders_of_one_seat_are_refused_naming_both_records(migrated_url: str) -> None:
    doc = document(
        holding("park-geun-hye", "president-of-south-korea", "2013-02-25", "2017-03-10"),
        holding("moon-jae-in", "president-of-south-korea", "2017-03-01"),
    )
    message = refused(migrated_url, doc)
    assert message.startswith("offices.yaml: positions #2")
    assert "field 'office'" in message
    assert "'president-of-south-korea' 2 holders on 2017-03-01" in message
    assert "1 holder at once" in message
    assert "this holding (2017-03-01 to no end recorded)" in message
    assert "park-geun-hye (President of South Korea, 2013-02-25 to 2017-03-10) at offices.yaml" in message
    assert "positions #1" in message


def test_a_handover_day_belongs_to_the_successor(migrated_url: str) -> None:
    doc = document(
        holding("park-geun-hye", "president-of-south-korea", "2013-02-25", "2017-03-10"),
        holding("moon-jae-in", "president-of-south-korea", "2017-03-10"),
    )
    load(migrated_url, [("offices.yaml", doc)])
    check = CliRunner().invoke(cli, ["--database-url", migrated_url, "db", "check"])
    assert check.exit_code == 0, check.output
    assert "no office has more holders at once than seats" in check.output


def test_an_overlap_with_a_stored_holding_is_refused_and_names_it_as_stored(migrated_url: str) -> None:
    load(migrated_url, [("first.yaml", document(holding("lee-jae-myung", "president-of-south-korea", "2025-06-04")))])
    message = refused(
        migrated_url, document(holding("yoon-suk-yeol", "president-of-south-korea", "2022-05-10")), "second.yaml"
    )
    assert message.startswith("second.yaml: positions #1")
    assert "lee-jae-myung (President of South Korea, from 2025-06-04, no end recorded), already stored" in message


def test_an_acting_holder_serves_beside_the_ordinary_one_but_not_beside_another_acting_one(migrated_url: str) -> None:
    park = holding("park-geun-hye", "president-of-south-korea", "2013-02-25", "2017-03-10")
    hwang = holding(
        "hwang-kyo-ahn",
        "president-of-south-korea",
        "2016-12-09",
        "2017-05-10",
        title="Acting President of South Korea",
        tenure="acting",
    )
    load(migrated_url, [("acting.yaml", document(park, hwang))])
    second = holding(
        "someone-else",
        "president-of-south-korea",
        "2017-01-01",
        "2017-02-01",
        title="Acting President of South Korea",
        tenure="acting",
    )
    message = refused(migrated_url, document(park, hwang, second))
    assert "2 acting holders on 2017-01-01" in message and "1 acting holder at once" in message
    assert "hwang-kyo-ahn" in message and "park-geun-hye" not in message


def test_disputed_claimants_are_rivals_not_counted(migrated_url: str) -> None:
    first = holding("claimant-one", "president-of-south-korea", "2030-01-01", tenure="disputed")
    second = holding("claimant-two", "president-of-south-korea", "2030-01-01", tenure="disputed")
    load(migrated_url, [("disputed.yaml", document(first, second))])
    engine = create_engine(migrated_url)
    try:
        with engine.connect() as conn:
            tenures = conn.execute(sa.text("SELECT person_slug, tenure FROM office_holders ORDER BY person_slug")).all()
    finally:
        engine.dispose()
    assert [tuple(t) for t in tenures] == [("claimant-one", "disputed"), ("claimant-two", "disputed")]


def test_holders_in_exile_are_counted_apart(migrated_url: str) -> None:
    home = holding("at-home", "president-of-south-korea", "2030-01-01")
    exile = holding("in-exile", "president-of-south-korea", "2030-01-01", tenure="in_exile")
    load(migrated_url, [("exile.yaml", document(home, exile))])
    rival = holding("also-in-exile", "president-of-south-korea", "2031-01-01", tenure="in_exile")
    assert "2 in_exile holders on 2031-01-01" in refused(migrated_url, document(home, exile, rival))


def test_an_office_of_three_seats_takes_three_holders_and_refuses_a_fourth(migrated_url: str) -> None:
    members = [holding(p, "member-of-the-presidency", "2014-11-17") for p in ("izetbegovic", "covic", "ivanic")]
    load(migrated_url, [("presidency.yaml", document(*members))])
    fourth = holding("a-fourth", "member-of-the-presidency", "2016-01-01", "2016-02-01")
    message = refused(migrated_url, document(*members, fourth))
    assert "4 holders on 2016-01-01" in message and "3 holders at once" in message
    for member in ("izetbegovic", "covic", "ivanic"):
        assert member in message


def test_two_captains_regent_but_not_three(migrated_url: str) -> None:
    pair = [holding(p, "captain-regent", "2025-04-01", "2025-10-01") for p in ("regent-one", "regent-two")]
    load(migrated_url, [("regents.yaml", document(*pair))])
    third = holding("regent-three", "captain-regent", "2025-09-30", "2025-10-01")
    assert "3 holders on 2025-09-30" in refused(migrated_url, document(*pair, third))


def test_lowering_the_seats_below_the_stored_holders_is_refused_on_the_seats(migrated_url: str) -> None:
    pair = [holding(p, "captain-regent", "2025-04-01", "2025-10-01") for p in ("regent-one", "regent-two")]
    load(migrated_url, [("regents.yaml", document(*pair))])
    fewer = [dict(o, seats=1) if o["slug"] == "captain-regent" else o for o in OFFICES]
    message = refused(migrated_url, document(offices=fewer), "seats.yaml")
    assert message.startswith("seats.yaml: offices #3")
    assert "field 'seats'" in message and "2 hold it on 2025-04-01" in message


def test_the_same_person_twice_is_one_holder(migrated_url: str) -> None:
    """A re-election recorded as two adjoining (or overlapping) holdings of one person is not two holders."""
    first = holding("re-elected", "president-of-south-korea", "2020-01-01", "2024-01-02")
    again = holding("re-elected", "president-of-south-korea", "2024-01-01")
    load(migrated_url, [("twice.yaml", document(first, again))])


def test_an_attestation_is_one_day(migrated_url: str) -> None:
    park = holding("park-geun-hye", "president-of-south-korea", "2013-02-25", "2017-03-10")
    # seen on the handover day itself: the successor's day, so no overlap with Park
    seen = holding("moon-jae-in", "president-of-south-korea", "2017-03-10", evidence="attested")
    load(migrated_url, [("seen.yaml", document(park, seen))])
    engine = create_engine(migrated_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.text("SELECT evidence, start_on, end_on FROM office_holders WHERE person_slug = 'moon-jae-in'")
            ).one()
    finally:
        engine.dispose()
    assert row[0] == "attested" and str(row[1]) == str(row[2]) == "2017-03-10"
    inside = holding("someone-seen", "president-of-south-korea", "2016-01-01", evidence="attested")
    assert "(attested on 2016-01-01)" in refused(migrated_url, document(park, seen, inside))
    stretched = holding("stretched", "president-of-south-korea", "2018-01-01", "2018-02-01", evidence="attested")
    message = refused(migrated_url, document(stretched))
    assert "field 'end_on'" in message and "held on one day" in message


def test_db_check_reports_a_stored_overlap(migrated_url: str) -> None:
    load(migrated_url, [("one.yaml", document(holding("lee-jae-myung", "president-of-south-korea", "2025-06-04")))])
    engine = create_engine(migrated_url)
    try:
        with engine.begin() as conn:  # written past the loader, as plain SQL would
            conn.execute(sa.text("INSERT INTO persons (slug, name) VALUES ('intruder', 'Intruder')"))
            conn.execute(
                sa.text(
                    "INSERT INTO positions (person_id, office_id, state_id, title, capacity, start_on)"
                    " SELECT (SELECT id FROM persons WHERE slug = 'intruder'), office_id, state_id, title, capacity, start_on"
                    " FROM positions"
                )
            )
    finally:
        engine.dispose()
    check = CliRunner().invoke(cli, ["--database-url", migrated_url, "db", "check"])
    assert check.exit_code == 1
    lines = check.output.strip().splitlines()
    assert lines[0].startswith(
        "overlap: office 'president-of-south-korea' (President of South Korea) has 1 holder at once"
    )
    assert "intruder" in lines[0] and "lee-jae-myung" in lines[0]
    assert lines[-1].startswith("Error: ") and "1 office has more holders at once than seats" in lines[-1]


def test_the_bundled_record_has_no_overlap(seeded_url: str) -> None:
    check = CliRunner().invoke(cli, ["--database-url", seeded_url, "db", "check"])
    assert check.exit_code == 0, check.output
    assert "no office has more holders at once than seats" in check.output
