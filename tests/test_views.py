"""The reporting views on every database, against the hand-made fixture in report_data."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from guestlist.models import Base
from guestlist.models.db import create_engine, migrate
from guestlist.models.views import ALL_VIEWS, VIEWS_METADATA, attendance_history, attendance_report

from .support.report_data import ATTENDANCE, populate

VIEWS_REVISION = "a7c3e9f2b4d1"
BELOW_VIEWS = "46012445bdb9"
VIEW_NAMES = {t.name for t in ALL_VIEWS}
# later revisions added these
FIRST_VIEWS = VIEW_NAMES - {"attendance_timeline", "claim_conflicts", "source_citations", "office_holders"}
OFFICE_HOLDERS_COLUMNS = [
    "state_code", "state_name", "organization_slug", "office_slug", "office_title", "seats", "person_slug", "person_name",
    "title", "capacity", "tenure", "evidence", "start_on", "end_on", "source_slug", "note", "position_id", "office_id",
    "person_id",
]


@pytest.fixture(scope="module")
def small(small_engine: Engine) -> Engine:
    return small_engine


def rows(engine: Engine, sql: str, **params: object) -> list[tuple]:  # type: ignore[type-arg]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql), params)]


def test_mappings_match_the_views_in_the_database(small: Engine) -> None:
    inspector = sa.inspect(small)
    assert VIEW_NAMES <= set(inspector.get_view_names())
    for view in ALL_VIEWS:
        reflected = [c["name"] for c in inspector.get_columns(view.name)]
        assert reflected == [c.name for c in view.columns], view.name


def test_views_stay_out_of_the_models_metadata_and_db_check(small: Engine) -> None:
    assert not VIEW_NAMES & set(Base.metadata.tables)
    assert all(t.info.get("is_view") for t in VIEWS_METADATA.tables.values())
    # autogenerate sees neither missing tables nor extra ones
    migrate.check(engine=small)


def test_attendance_report_has_one_row_per_participation_with_the_latest_status(small: Engine) -> None:
    assert rows(small, "SELECT COUNT(*) FROM attendance_report") == [(len(ATTENDANCE),)]
    got = rows(
        small,
        "SELECT person_slug, state_code, capacity, status, source_slug FROM attendance_report"
        " WHERE event_slug = :e AND state_code IN ('PRK', 'USA') ORDER BY state_code",
        e="parade-2025",
    )
    assert got == [
        ("kim-jong-un", "PRK", "head_of_state", "attended", "wire"),
        ("donald-trump", "USA", "head_of_state", "not_attending", "article"),
    ]


def test_a_tie_on_the_date_goes_to_the_later_claim(small: Engine) -> None:
    """Two claims of one day: the one recorded last (higher id) is current."""
    with small.connect() as conn, conn.begin() as tx:
        putin = conn.execute(
            sa.text("SELECT attendance_id FROM attendance_report WHERE event_slug = 'parade-2025' AND person_slug = 'vladimir-putin'")
        ).scalar_one()
        wire = conn.execute(sa.text("SELECT id FROM sources WHERE slug = 'wire'")).scalar_one()
        conn.execute(
            sa.text(
                "INSERT INTO attendance_claims (attendance_id, status, reported_on, source_id, source_quote)"
                " VALUES (:a, 'confirmed', :d, :s, 'same day, later')"
            ),
            {"a": putin, "d": dt.date(2025, 8, 28), "s": wire},
        )
        current = conn.execute(
            sa.select(attendance_report.c.status, attendance_report.c.source_slug).where(
                attendance_report.c.attendance_id == putin
            )
        ).all()
        tx.rollback()
    assert [tuple(r) for r in current] == [("confirmed", "wire")]


def test_attendance_history_lists_every_claim_oldest_first(small: Engine) -> None:
    claims = sum(len(a[-1]) for a in ATTENDANCE)
    got = rows(small, "SELECT reported_on, claim_id FROM attendance_history")
    assert len(got) == claims
    keys = [(str(d), i) for d, i in got]
    assert keys == sorted(keys)
    kim = rows(
        small,
        "SELECT status, reported_on FROM attendance_history WHERE person_slug = 'kim-jong-un' ORDER BY reported_on",
    )
    assert [(s, str(d)) for s, d in kim] == [("expected", "2025-08-28"), ("attended", "2025-09-03")]


def test_participation_counts(small: Engine) -> None:
    got = rows(
        small,
        "SELECT event_slug, status, capacity, count, description, organization_slug"
        " FROM participation_counts ORDER BY count",
    )
    assert got == [
        ("parade-2025", "confirmed", "head_of_government", 1, "EU leaders", "eu"),
        ("parade-2025", "expected", "head_of_state", 26, "other heads of state", None),
    ]


def test_event_summary_counts_every_event_including_empty_ones(small: Engine) -> None:
    got = rows(
        small,
        "SELECT event_slug, host_state_code, named_participants, states_represented, heads_present, states_absent"
        " FROM event_summary WHERE event_kind IN ('military_parade', 'summit') ORDER BY event_date",
    )
    assert got == [
        ("parade-2015", "CHN", 3, 5, 3, 0),
        ("empty-summit", "RUS", 0, 0, 0, 0),
        ("parade-2025", "CHN", 5, 4, 4, 2),
    ]
    assert rows(small, "SELECT COUNT(*) FROM event_summary") == rows(small, "SELECT COUNT(*) FROM events")


def test_state_memberships(small: Engine) -> None:
    got = rows(
        small,
        "SELECT state_code, organization_slug, joined_on, left_on FROM state_memberships"
        " WHERE left_on IS NOT NULL",
    )
    assert [(s, o, str(j), str(left)) for s, o, j, left in got] == [("GBR", "eu", "1993-11-01", "2020-01-31")]
    assert rows(small, "SELECT COUNT(*) FROM state_memberships WHERE organization_slug = 'eu'") == [(4,)]


def test_event_relations(small: Engine) -> None:
    got = rows(small, "SELECT event_slug, relation, related_event_slug, anniversary FROM event_relations")
    assert got == [("parade-2025", "commemorates", "japan-surrender-1945", 80)]


def test_dates_are_iso_dates(small: Engine) -> None:
    with small.connect() as conn:
        value = conn.exec_driver_sql("SELECT event_date FROM attendance_report WHERE event_slug = 'parade-2025'").first()[0]
    assert isinstance(value, (dt.date, str))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value))
    # a date literal compares the same on every database
    assert rows(small, "SELECT COUNT(*) FROM attendance_report WHERE event_date = '2015-09-03'") == [(5,)]


def test_plain_sqlite3_reads_the_views(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`sqlite3 guestlist.db "SELECT * FROM attendance_report"` needs nothing of ours.

    SQLite only by nature (a file read by the stdlib driver), so it is not
    parametrized over the servers.
    """
    path = tmp_path / "plain.db"
    migrate.upgrade(f"sqlite:///{path}")
    populate(f"sqlite:///{path}")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        got = conn.execute("SELECT * FROM attendance_report").fetchall()
        names = [d[0] for d in conn.execute("SELECT * FROM attendance_history").description]
    assert len(got) == len(ATTENDANCE)
    assert names == [c.name for c in attendance_history.columns]


def test_downgrade_below_the_views_removes_them_and_upgrade_restores_them(migrated_url: str) -> None:
    populate(migrated_url)
    engine = create_engine(migrated_url)
    try:
        before = rows(engine, "SELECT * FROM attendance_report ORDER BY attendance_id")
        migrate.downgrade(migrated_url, BELOW_VIEWS, allow_data_loss=True)  # below b3d5f7a9c1e2, which drops the offices
        assert not VIEW_NAMES & set(sa.inspect(engine).get_view_names())
        assert rows(engine, "SELECT COUNT(*) FROM attendance") == [(len(ATTENDANCE),)]  # data kept
        migrate.upgrade(migrated_url, VIEWS_REVISION)
        assert FIRST_VIEWS <= set(sa.inspect(engine).get_view_names())
        migrate.upgrade(migrated_url)
        assert VIEW_NAMES <= set(sa.inspect(engine).get_view_names())
        assert rows(engine, "SELECT * FROM attendance_report ORDER BY attendance_id") == before
    finally:
        engine.dispose()


# ---------------------------------------------------------------- bundled seeds
# Answers the article (and the reports the seeds cite) give; see README's queries too.

PARADE_2015 = "beijing-victory-day-parade-2015"
PARADE_2025 = "beijing-victory-day-parade-2025"


@pytest.fixture(scope="module")
def seeds(seeded_engine: Engine) -> Engine:
    return seeded_engine


@pytest.mark.parametrize(
    ("view", "table"),
    [
        ("attendance_report", "attendance"),
        ("attendance_history", "attendance_claims"),
        ("participation_counts", "attendance_counts"),
        ("event_summary", "events"),
        ("state_memberships", "memberships"),
        ("event_relations", "event_links"),
        ("office_holders", "positions"),
    ],
)
def test_each_view_has_one_row_per_row_of_its_table(seeds: Engine, view: str, table: str) -> None:
    count = rows(seeds, f"SELECT COUNT(*) FROM {table}")
    assert count[0][0] > 0
    assert rows(seeds, f"SELECT COUNT(*) FROM {view}") == count


def test_seeded_attendance_report_kim_came_and_trump_did_not(seeds: Engine) -> None:
    got = rows(
        seeds,
        "SELECT person_slug, state_code, role, capacity, status FROM attendance_report"
        " WHERE event_slug = :e AND person_slug IN ('kim-jong-un', 'donald-trump', 'xi-jinping') ORDER BY state_code",
        e=PARADE_2025,
    )
    assert got == [
        ("xi-jinping", "CHN", "host", "head_of_state", "attended"),
        ("kim-jong-un", "PRK", "guest", "head_of_state", "attended"),
        ("donald-trump", "USA", "guest", "head_of_state", "not_attending"),
    ]


def test_seeded_attendance_history_kim_confirmed_then_attended(seeds: Engine) -> None:
    got = rows(
        seeds,
        "SELECT status, reported_on FROM attendance_history WHERE event_slug = :e AND person_slug = 'kim-jong-un'"
        " ORDER BY reported_on, claim_id",
        e=PARADE_2025,
    )
    # the article's and China's announcements of 2025-08-28, then three reports of the day
    assert [(s, str(d)) for s, d in got] == [("confirmed", "2025-08-28")] * 2 + [("attended", "2025-09-03")] * 3


def test_seeded_participation_counts_26_other_heads_of_state(seeds: Engine) -> None:
    got = rows(
        seeds,
        "SELECT status, capacity, count FROM participation_counts WHERE event_slug = :e AND description = 'other heads of state'",
        e=PARADE_2025,
    )
    assert got == [("expected", "head_of_state", 26)]
    most = rows(seeds, "SELECT status, quantifier FROM participation_counts WHERE event_slug = :e AND count IS NULL", e=PARADE_2025)
    assert ("boycotted", "most") in most


def test_seeded_event_summary_of_the_parades(seeds: Engine) -> None:
    got = rows(
        seeds,
        "SELECT event_slug, host_state_code, named_participants, states_represented, heads_present, states_absent"
        " FROM event_summary WHERE event_slug IN (:a, :b) ORDER BY event_date",
        a=PARADE_2015,
        b=PARADE_2025,
    )
    assert got == [(PARADE_2015, "CHN", 47, 41, 25, 5), (PARADE_2025, "CHN", 49, 34, 27, 6)]
    # the series has no participants of its own, and still has its row
    assert rows(seeds, "SELECT named_participants FROM event_summary WHERE event_slug = 'victory-day-parades'") == [(0,)]


@pytest.mark.parametrize("parade", [PARADE_2015, PARADE_2025])
def test_event_summary_counts_attended_apart_from_announced(seeds: Engine, parade: str) -> None:
    """The summary's attended and announced-only columns agree with the guest list, the report and the map."""
    from guestlist.models import reports
    from guestlist.models.reports import charts

    guests = reports.guest_list(parade, db=seeds)
    attended = {g.state_code for g in guests if g.status == "attended" and g.state_code}
    heads = {g.person_slug for g in guests if g.status == "attended" and g.capacity in ("head_of_state", "head_of_government")}
    announced_only = {g.state_code for g in guests if g.status in ("expected", "confirmed") and g.state_code} - attended
    got = rows(
        seeds, "SELECT states_attended, heads_attended, states_announced_only FROM event_summary WHERE event_slug = :e", e=parade
    )
    assert got == [(len(attended), len(heads), len(announced_only))]
    # the states still only expected (report expected) and never seen there are the announced-only ones
    still = {e.state_code for e in reports.expected_vs_actual(parade, db=seeds) if e.outcome == "still_expected" and e.state_code}
    assert still - attended == announced_only and announced_only
    assert charts.event_map(parade, db=seeds).tally()["announced"] == len(announced_only)
    # report events gives the view's counts, and the same again as known today
    for as_of in (None, dt.date.today()):
        [summary] = [e for e in reports.events(as_of=as_of, db=seeds) if e.event_slug == parade]
        assert (summary.states_attended, summary.heads_attended, summary.states_announced_only) == got[0]


def test_seeded_state_memberships_27_eu_members_on_the_day(seeds: Engine) -> None:
    got = rows(
        seeds,
        "SELECT COUNT(*) FROM state_memberships WHERE organization_slug = 'eu'"
        " AND joined_on <= '2025-09-03' AND (left_on IS NULL OR '2025-09-03' <= left_on)",
    )
    assert got == [(27,)]
    uk = rows(seeds, "SELECT left_on FROM state_memberships WHERE organization_slug = 'eu' AND state_code = 'GBR'")
    assert [str(d) for (d,) in uk] == ["2020-01-31"]


def test_seeded_event_relations_the_parades_commemorate_japans_surrender(seeds: Engine) -> None:
    got = rows(
        seeds,
        "SELECT event_slug, related_event_slug, anniversary FROM event_relations"
        " WHERE relation = 'commemorates' ORDER BY anniversary",
    )
    assert got == [(PARADE_2015, "japan-surrender-1945", 70), (PARADE_2025, "japan-surrender-1945", 80)]


def test_office_holders_keeps_its_columns(seeds: Engine) -> None:
    """The contract docs/sql.md documents: these columns, in this order (later revisions may only add)."""
    assert [c["name"] for c in sa.inspect(seeds).get_columns("office_holders")][: len(OFFICE_HOLDERS_COLUMNS)] == (
        OFFICE_HOLDERS_COLUMNS
    )


@pytest.mark.parametrize(
    ("day", "holder"),
    [("2025-10-20", "shigeru-ishiba"), ("2025-10-21", "sanae-takaichi"), ("2025-10-22", "sanae-takaichi")],
)
def test_office_holders_counts_a_holding_up_to_not_on_its_end(seeds: Engine, day: str, holder: str) -> None:
    """The handover-day rule of docs/sql.md, in plain SQL: start_on <= d and (end_on is empty or d < end_on)."""
    got = rows(
        seeds,
        "SELECT person_slug FROM office_holders WHERE office_slug = 'prime-minister-of-japan'"
        " AND start_on <= :d AND (end_on IS NULL OR end_on > :d OR (end_on = start_on AND start_on = :d))",
        d=dt.date.fromisoformat(day),
    )
    assert got == [(holder,)]
