"""guestlist.models.reports on every database, against the hand-made fixture in report_data."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy.engine import Engine

from guestlist.models import reports
from guestlist.models.errors import NotFoundError


@pytest.fixture(scope="module")
def db(small_engine: Engine) -> Engine:
    return small_engine


def pick(rows: list, *names: str) -> list[tuple]:  # type: ignore[type-arg]
    return [tuple(getattr(r, n) for n in names) for r in rows]


def test_guest_list_puts_the_host_first_and_those_staying_away_last(db: Engine) -> None:
    got = reports.guest_list("parade-2025", db=db)
    assert pick(got, "state_code", "person_slug", "status") == [
        ("CHN", "xi-jinping", "confirmed"),
        ("PRK", "kim-jong-un", "attended"),
        ("RUS", "vladimir-putin", "expected"),
        ("SVK", "robert-fico", "expected"),
        ("USA", "donald-trump", "not_attending"),
        ("DEU", None, "boycotted"),
    ]
    fico = got[3]
    assert fico.position_title == "Prime Minister of Slovakia"
    assert fico.event_date == dt.date(2025, 9, 3) and fico.reported_on == dt.date(2025, 8, 28)


def test_position_title_is_the_office_held_on_the_day(db: Engine) -> None:
    zeman = reports.person_record("milos-zeman", db=db)
    assert pick(zeman, "event_slug", "position_title", "capacity") == [
        ("parade-2015", "President of the Czech Republic", "head_of_state")
    ]


def test_compare_shows_north_koreas_upgrade_and_who_came_only_once(db: Engine) -> None:
    got = reports.compare_events("parade-2015", "parade-2025", db=db)
    assert pick(got, "kind", "change", "state_code", "person_slug", "a_capacity", "b_capacity") == [
        ("state", "capacity_changed", "PRK", None, "senior_official", "head_of_state"),
        ("state", "only_in_a", "CZE", None, "head_of_state", None),
        ("state", "only_in_a", "GBR", None, "minister", None),
        ("state", "only_in_b", "SVK", None, None, "head_of_government"),
        ("person", "only_in_a", "CZE", "milos-zeman", "head_of_state", None),
        ("person", "only_in_b", "PRK", "kim-jong-un", None, "head_of_state"),
        ("person", "only_in_b", "SVK", "robert-fico", None, "head_of_government"),
    ]


def test_compare_is_symmetric(db: Engine) -> None:
    forward = reports.compare_events("parade-2015", "parade-2025", db=db)
    backward = reports.compare_events("parade-2025", "parade-2015", db=db)
    swap = {"only_in_a": "only_in_b", "only_in_b": "only_in_a", "capacity_changed": "capacity_changed"}
    flipped = {
        (d.kind, swap[d.change], d.state_code, d.person_slug, d.b_capacity, d.a_capacity) for d in forward
    }
    assert flipped == {(d.kind, d.change, d.state_code, d.person_slug, d.a_capacity, d.b_capacity) for d in backward}


def test_an_absent_state_is_not_present(db: Engine) -> None:
    """Trump (not attending) and Germany (boycott) are recorded in 2025 but not present."""
    got = reports.compare_events("parade-2025", "empty-summit", db=db)
    states = {d.state_code for d in got if d.kind == "state"}
    assert states == {"CHN", "PRK", "RUS", "SVK"}


def test_state_record_over_time_accepts_codes_and_names(db: Engine) -> None:
    got = reports.state_record("prk", db=db)
    assert pick(got, "event_slug", "capacity", "person_slug") == [
        ("parade-2015", "senior_official", None),
        ("parade-2025", "head_of_state", "kim-jong-un"),
    ]
    assert reports.state_record("KP", db=db) == got
    assert reports.state_record("north korea", db=db) == got


def test_person_record(db: Engine) -> None:
    got = reports.person_record("vladimir-putin", db=db)
    assert pick(got, "event_slug", "status") == [("parade-2015", "attended"), ("parade-2025", "expected")]


def test_bloc_breakdown_takes_members_on_the_events_date(db: Engine) -> None:
    got = reports.bloc_breakdown("parade-2025", "eu", db=db)
    assert got.as_of == dt.date(2025, 9, 3)
    assert pick(got.members, "state_code", "outcome", "status") == [
        ("SVK", "announced", "expected"),
        ("DEU", "absent", "boycotted"),
        ("CZE", "unknown", None),
    ]
    assert "0 of 3 members attended, 1 announced only, 1 absent, 1 unknown" in got.summary()
    assert pick(got.counts, "count", "description") == [(1, "EU leaders")]
    # the United Kingdom left on 2020-01-31: a member in 2015, not in 2025
    earlier = reports.bloc_breakdown("parade-2015", "EU", db=db)
    assert pick(earlier.members, "state_code", "outcome") == [
        ("CZE", "attended"),
        ("GBR", "attended"),
        ("DEU", "unknown"),
        ("SVK", "unknown"),
    ]
    on_last_day = reports.bloc_breakdown("parade-2025", "eu", on=dt.date(2020, 1, 31), db=db)
    assert "GBR" in {m.state_code for m in on_last_day.members}


def test_expected_vs_actual(db: Engine) -> None:
    got = reports.expected_vs_actual("parade-2025", db=db)
    assert pick(got, "person_slug", "state_code", "expected_on", "status", "outcome") == [
        ("kim-jong-un", "PRK", dt.date(2025, 8, 28), "attended", "attended"),
        ("donald-trump", "USA", dt.date(2025, 8, 1), "not_attending", "stayed_away"),
        ("xi-jinping", "CHN", dt.date(2025, 8, 28), "confirmed", "still_expected"),
        ("vladimir-putin", "RUS", dt.date(2025, 8, 28), "expected", "still_expected"),
        ("robert-fico", "SVK", dt.date(2025, 8, 28), "expected", "still_expected"),
    ]


def test_status_history_is_oldest_first(db: Engine) -> None:
    got = reports.status_history("parade-2025", db=db)
    dates = [p.reported_on for p in got]
    assert dates == sorted(dates) and len(got) == 8
    assert pick(got, "person_slug", "status")[0] == ("donald-trump", "expected")


def test_events_lists_every_event_oldest_first_with_undated_last(db: Engine) -> None:
    got = reports.events(db=db)
    assert [e.event_slug for e in got] == [
        "japan-surrender-1945",
        "parade-2015",
        "empty-summit",
        "parade-2025",
        "victory-day-parades",
    ]
    assert [e.event_slug for e in reports.events(kind="military_parade", db=db)] == ["parade-2015", "parade-2025"]


def test_reports_accept_a_url_and_open_it_read_only(small_url: str) -> None:
    assert len(reports.guest_list("parade-2015", db=small_url)) == 5


def test_rows_are_dataclasses_with_a_stable_column_order() -> None:
    assert reports.columns(reports.AttendanceRow)[:3] == ["event_slug", "event_name", "event_date"]
    for row_type in (reports.AttendanceRow, reports.Difference, reports.BlocMember, reports.Expectation, reports.EventSummary, reports.Count):
        assert dataclasses.is_dataclass(row_type)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda db: reports.guest_list("parade-2024", db=db), "event not found: 'parade-2024'; did you mean parade-2025, parade-2015?"),
        (lambda db: reports.state_record("Slovakai", db=db), "state not found: 'Slovakai'; did you mean SVK (Slovakia)?"),
        (lambda db: reports.person_record("kim", db=db), "person not found: 'kim' (no slug or recorded name; try guestlist search kim); did you mean kim-jong-un (Kim Jong Un)?"),
        (lambda db: reports.bloc_breakdown("parade-2025", "Europen Union", db=db),
            "organization not found: 'Europen Union'; did you mean eu?",),
        (lambda db: reports.events(kind="parade", db=db), "event kind not found: 'parade'; did you mean military_parade?"),
    ],
)
def test_unknown_slugs_suggest_close_matches(db: Engine, call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError) as info:
        call(db)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "call",
    [
        lambda db, x: reports.guest_list(x, db=db),
        lambda db, x: reports.compare_events("parade-2015", x, db=db),
        lambda db, x: reports.state_record(x, db=db),
        lambda db, x: reports.person_record(x, db=db),
        lambda db, x: reports.bloc_breakdown("parade-2025", x, db=db),
        lambda db, x: reports.expected_vs_actual(x, db=db),
    ],
)
def test_sql_in_an_argument_is_just_a_name_that_is_not_found(db: Engine, call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError, match="not found") as info:
        call(db, "x' OR 1=1 --")
    assert "did you mean" not in str(info.value)


# ---------------------------------------------------------------- bundled seeds

PARADE_2015 = "beijing-victory-day-parade-2015"
PARADE_2025 = "beijing-victory-day-parade-2025"


@pytest.fixture(scope="module")
def seeds(seeded_engine: Engine) -> Engine:
    return seeded_engine


def test_seeded_compare_north_korea_upgraded_and_europes_heads_of_state_stayed_home(seeds: Engine) -> None:
    got = reports.compare_events(PARADE_2015, PARADE_2025, db=seeds)
    assert (
        "state",
        "capacity_changed",
        "PRK",
        "senior_official",
        "head_of_state",
    ) in pick(got, "kind", "change", "state_code", "a_capacity", "b_capacity")
    heads_2015_only = {
        (d.state_code, d.person_slug)
        for d in got
        if d.kind == "person" and d.change == "only_in_a" and d.a_capacity == "head_of_state"
    }
    # Lukashenko, Sihamoni and Rahmon came to both parades; Serbia came back with a new president.
    assert heads_2015_only == {
        ("BIH", "dragan-covic"), ("COD", "joseph-kabila"), ("CZE", "milos-zeman"),
        ("EGY", "abdel-fattah-al-sisi"), ("KAZ", "nursultan-nazarbayev"), ("KGZ", "almazbek-atambayev"),
        ("KOR", "park-geun-hye"), ("LAO", "choummaly-sayasone"), ("MMR", "thein-sein"),
        ("MNG", "tsakhiagiin-elbegdorj"), ("PAK", "mamnoon-hussain"), ("SDN", "omar-al-bashir"),
        ("SRB", "tomislav-nikolic"), ("TLS", "taur-matan-ruak"), ("UZB", "islam-karimov"),
        ("VEN", "nicolas-maduro"), ("VNM", "truong-tan-sang"), ("ZAF", "jacob-zuma"),
    }
    assert ("person", "only_in_b", "aleksandar-vucic") in pick(got, "kind", "change", "person_slug")
    assert ("person", "only_in_b", "kim-jong-un") in pick(got, "kind", "change", "person_slug")


def test_seeded_bloc_three_of_27_eu_members_at_the_2025_parade(seeds: Engine) -> None:
    """Fico the only EU leader; Hungary and Bulgaria sent ministers."""
    got = reports.bloc_breakdown(PARADE_2025, "eu", db=seeds)
    assert len(got.members) == 27
    assert sorted(pick(got.attended, "state_code", "person_slug")) == [
        ("BGR", "atanas-zafirov"), ("HUN", "peter-szijjarto"), ("SVK", "robert-fico"),
    ]
    assert got.summary() == f"eu at {PARADE_2025} (2025-09-03): 3 of 27 members attended, 0 announced only, 0 absent, 24 unknown"
    assert (1, "eu") in pick(got.counts, "count", "organization_slug")


def test_seeded_guest_list_host_first_and_those_staying_away_last(seeds: Engine) -> None:
    got = reports.guest_list(PARADE_2025, db=seeds)
    assert (got[0].person_slug, got[0].role) == ("xi-jinping", "host")
    absent = [p.status in ("declined", "boycotted", "not_attending") for p in got]
    assert absent == sorted(absent) and ("donald-trump", "not_attending") in pick(got, "person_slug", "status")
    heads = {p.state_code for p in got if p.status == "attended" and p.capacity in ("head_of_state", "head_of_government")}
    assert len(heads) == 27 and {"CHN", "IDN", "MMR", "MYS", "PRK", "RUS", "SVK"} <= heads


def test_seeded_expected_vs_actual_everyone_expected_came_or_is_unreported(seeds: Engine) -> None:
    got = reports.expected_vs_actual(PARADE_2025, db=seeds)
    # announced, with no report of the day: the UN's envoy and the unnamed Nicaraguan and Venezuelan representatives
    assert {(e.person_slug or e.state_code) for e in got if e.outcome != "attended"} == {"li-junhua", "NIC", "VEN"}
    assert ("prabowo-subianto", "expected", "attended") in pick(got, "person_slug", "expected_status", "status")
    assert ("kim-jong-un", "confirmed", "attended") in pick(got, "person_slug", "expected_status", "status")


def test_seeded_state_record_north_korea_since_1959(seeds: Engine) -> None:
    got = reports.state_record("North Korea", db=seeds)
    leaders = [
        (p.event_date.year, p.person_slug, p.capacity, p.status)
        for p in got
        if p.event_slug.startswith("beijing-") and p.status == "attended"
    ]
    assert leaders == [
        (1959, "kim-il-sung", "head_of_government", "attended"),
        (2015, "choe-ryong-hae", "senior_official", "attended"),
        (2025, "kim-jong-un", "head_of_state", "attended"),
    ]


def test_seeded_person_record_kim_met_putin_twice_before_the_parade(seeds: Engine) -> None:
    kim = {p.event_slug for p in reports.person_record("kim-jong-un", db=seeds) if p.status == "attended"}
    putin = {p.event_slug for p in reports.person_record("vladimir-putin", db=seeds) if p.status == "attended"}
    assert sorted(kim & putin) == [PARADE_2025, "kim-putin-summit-2023", "kim-putin-summit-2024"]
