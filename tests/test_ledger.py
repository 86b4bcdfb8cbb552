"""Claims as a ledger (docs/ledger.md): ranks, the record as of a date, changes and conflicts, on every database.

The bundled-data tests name people and compute "nobody before the first
claim" from the data, so they hold while more participations are added.
The rest run on a purpose-built pair of documents about made-up leaders at
a made-up summit: one announced then withdrawn, two sources disagreeing on
the same day, one who came unannounced, one expected who did not come.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.engine import Engine

from guestlist.models import reports, vocab
from guestlist.models.db import create_engine
from guestlist.models.errors import GuestlistError
from guestlist.seeds.cli import cli

from .support.cli import assert_clean_failure
from .support.documents import write
from .support.snapshots import canonical, snapshot

PARADE_2025 = "beijing-victory-day-parade-2025"
SUMMIT = "ledger-test-summit-2030"
RANKS = "b7d9f1a3c5e7"
BEFORE_RANKS = "f6a8b0c2d4e6"  # the revision before claim ranks (b7d9f1a3c5e7); later revisions step down first
D = dt.date

# The as-of query of docs/ledger.md and README, verbatim.
AS_OF_SQL = (
    "SELECT person_slug, state_code, status, source_slug FROM attendance_timeline"
    " WHERE event_slug = :event AND valid_from <= :d AND (valid_until IS NULL OR valid_until > :d)"
)


def cli_run(url: str, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--database-url", url, *args])


def cli_ok(url: str, *args: str) -> str:
    result = cli_run(url, *args)
    assert result.exit_code == 0, result.output[-3000:]
    return result.output


def status_on(rows: list[reports.AttendanceRow], person: str) -> str | None:
    found = [p.status for p in rows if p.person_slug == person]
    assert len(found) <= 1, found
    return found[0] if found else None


# ------------------------------------------------------------ bundled data


def first_claim_on(engine: Engine, event: str) -> dt.date:
    """The day of the earliest status or count claim about ``event``."""
    with engine.connect() as conn:
        first = conn.execute(
            sa.text(
                "SELECT MIN(d) FROM (SELECT reported_on AS d FROM attendance_history WHERE event_slug = :e"
                " UNION ALL SELECT reported_on FROM participation_counts WHERE event_slug = :e) AS claims"
            ),
            {"e": event},
        ).scalar_one()
    return first if isinstance(first, dt.date) else D.fromisoformat(str(first)[:10])


def test_as_of_on_the_bundled_2025_parade(seeded_engine: Engine) -> None:
    first = first_claim_on(seeded_engine, PARADE_2025)
    assert first <= D(2025, 8, 28)
    # Before the first claim about the parade nobody is on its list; the day before 28 August neither.
    assert reports.guest_list(PARADE_2025, as_of=first - dt.timedelta(days=1), db=seeded_engine) == []
    # The day before China's list of 28 August nobody is announced as coming (an absence may be reported already).
    on_27 = reports.guest_list(PARADE_2025, as_of=D(2025, 8, 27), db=seeded_engine)
    assert [p.person_slug for p in on_27 if p.status in vocab.PRESENT_STATUSES] == []
    on_28 = reports.guest_list(PARADE_2025, as_of=D(2025, 8, 28), db=seeded_engine)
    assert status_on(on_28, "kim-jong-un") == "confirmed"
    assert status_on(on_28, "vladimir-putin") == "confirmed"
    assert all(p.reported_on is not None and p.reported_on <= D(2025, 8, 28) for p in on_28)
    on_3 = reports.guest_list(PARADE_2025, as_of=D(2025, 9, 3), db=seeded_engine)
    assert status_on(on_3, "kim-jong-un") == "attended"
    assert status_on(on_3, "vladimir-putin") == "attended"
    # today's record agrees with the record as of a day after every claim
    today = reports.guest_list(PARADE_2025, db=seeded_engine)
    last = max(p.reported_on for p in today if p.reported_on)
    assert reports.guest_list(PARADE_2025, as_of=last + dt.timedelta(days=365), db=seeded_engine) == [
        p for p in today if p.status is not None
    ]


def test_every_report_takes_as_of(seeded_engine: Engine) -> None:
    before = first_claim_on(seeded_engine, PARADE_2025) - dt.timedelta(days=1)  # nothing known yet about 2025
    assert reports.compare_events("beijing-victory-day-parade-2015", PARADE_2025, as_of=before, db=seeded_engine)
    diff = reports.compare_events("beijing-victory-day-parade-2015", PARADE_2025, as_of=before, db=seeded_engine)
    assert all(d.change == "only_in_a" for d in diff)  # nothing known yet about 2025
    assert "beijing-victory-day-parade-2025" not in [p.event_slug for p in reports.state_record("PRK", as_of=before, db=seeded_engine)]
    assert reports.state_record_size("PRK", as_of=before, db=seeded_engine) == len(reports.state_record("PRK", as_of=before, db=seeded_engine))
    kim = reports.person_record("kim-jong-un", as_of=D(2025, 8, 28), db=seeded_engine)
    assert [p.status for p in kim if p.event_slug == PARADE_2025] == ["confirmed"]
    assert reports.person_record_size("kim-jong-un", as_of=before, db=seeded_engine) < reports.person_record_size("kim-jong-un", db=seeded_engine)
    bloc = reports.bloc_breakdown(PARADE_2025, "eu", as_of=before, db=seeded_engine)
    assert bloc.attended == bloc.announced == bloc.absent == [] and bloc.counts == []
    assert len(bloc.members) == 27
    assert reports.expected_vs_actual(PARADE_2025, as_of=before, db=seeded_engine) == []
    on_28 = {e.person_slug: e for e in reports.expected_vs_actual(PARADE_2025, as_of=D(2025, 8, 28), db=seeded_engine)}
    assert on_28["kim-jong-un"].outcome == "still_expected"
    assert reports.attendance_counts(PARADE_2025, as_of=before, db=seeded_engine) == []
    assert reports.attendance_counts(PARADE_2025, as_of=D(2025, 9, 3), db=seeded_engine)
    summary = {e.event_slug: e for e in reports.events(as_of=before, db=seeded_engine)}
    assert summary[PARADE_2025].named_participants == 0
    assert summary[PARADE_2025].heads_present == 0
    now = {e.event_slug: e for e in reports.events(db=seeded_engine)}
    later = {e.event_slug: e for e in reports.events(as_of=D(2100, 1, 1), db=seeded_engine)}
    assert later[PARADE_2025].heads_present == now[PARADE_2025].heads_present
    assert later[PARADE_2025].states_represented == now[PARADE_2025].states_represented


def _timeline_equals_reports(engine: Engine, event: str) -> int:
    """The as-of SQL on attendance_timeline equals reports.guest_list(as_of=) on every day a claim changed."""
    with engine.connect() as conn:
        days = sorted(
            {d if isinstance(d, dt.date) else D.fromisoformat(d) for d in conn.execute(
                sa.text("SELECT reported_on FROM attendance_history WHERE event_slug = :e"), {"e": event}
            ).scalars()}
        )
        assert days, event
        checked = 0
        for day in [days[0] - dt.timedelta(days=1), *days]:
            got = conn.execute(sa.text(AS_OF_SQL), {"event": event, "d": day.isoformat()}).all()
            sql_rows = sorted((r.person_slug or "", r.state_code or "", r.status, r.source_slug) for r in got)
            report = sorted(
                (p.person_slug or "", p.state_code or "", p.status, p.source_slug)
                for p in reports.guest_list(event, as_of=day, db=conn)
            )
            assert sql_rows == report, day
            checked += 1
    return checked


def test_the_timeline_query_equals_the_as_of_report_on_bundled_data(seeded_engine: Engine) -> None:
    for event in ("beijing-victory-day-parade-2015", PARADE_2025):
        assert _timeline_equals_reports(seeded_engine, event) >= 2


def test_changes_on_the_bundled_parade(seeded_engine: Engine) -> None:
    changes = reports.changes(PARADE_2025, db=seeded_engine)
    kim = [(c.changed_on, c.change, c.from_status, c.to_status) for c in changes if c.person_slug == "kim-jong-un"]
    assert kim == [(D(2025, 8, 28), "announced", None, "confirmed"), (D(2025, 9, 3), "came_as_expected", "confirmed", "attended")]
    assert [c.changed_on for c in changes] == sorted(c.changed_on for c in changes)
    late = reports.changes(PARADE_2025, since=D(2025, 9, 1), db=seeded_engine)
    assert late and all(c.changed_on >= D(2025, 9, 1) for c in late)
    early = reports.changes(PARADE_2025, until=D(2025, 8, 31), db=seeded_engine)
    assert early and all(c.changed_on <= D(2025, 8, 31) for c in early)
    assert len(early) + len(late) == len(changes)


# ------------------------------------------------------ purpose-built ledger

SOURCE_A = {"slug": "ledger-wire-a", "title": "Ledger test wire A", "kind": "news_article"}
SOURCE_B = {"slug": "ledger-wire-b", "title": "Ledger test wire B", "kind": "news_article"}
PEOPLE = {"leader-one": "SWE", "leader-two": "FIN", "leader-three": "DNK", "leader-four": "ISL"}


def _participation(person: str, *claims: dict[str, Any]) -> dict[str, Any]:
    return {
        "event": SUMMIT, "person": person, "state": PEOPLE[person], "role": "guest",
        "capacity": "head_of_state", "claims": list(claims),
    }


def documents() -> tuple[dict[str, Any], dict[str, Any]]:
    """Two sources on one made-up summit (starts 2030-03-01)."""
    a = {
        "format": "guestlist/1",
        "source": SOURCE_A,
        "states": [
            {"code": "NOR", "name": "Norway"}, {"code": "SWE", "name": "Sweden"}, {"code": "FIN", "name": "Finland"},
            {"code": "DNK", "name": "Denmark"}, {"code": "ISL", "name": "Iceland"},
        ],
        "persons": [{"slug": slug, "name": slug.replace("-", " ").title()} for slug in PEOPLE],
        "events": [{"slug": SUMMIT, "name": "Ledger test summit", "kind": "summit", "starts_on": "2030-03-01", "host": "NOR"}],
        "attendance": [
            _participation("leader-one", {"status": "confirmed", "reported_on": "2030-01-10", "quote": "One will come"}),
            _participation("leader-two", {"status": "expected", "reported_on": "2030-02-15", "quote": "Two is expected"}),
            _participation("leader-four", {"status": "expected", "reported_on": "2030-01-10", "quote": "Four is expected"}),
        ],
        "counts": [
            {"event": SUMMIT, "status": "expected", "count": 12, "description": "other leaders",
             "reported_on": "2030-01-10", "quote": "a dozen other leaders"},
        ],
    }
    b = {
        "format": "guestlist/1",
        "source": SOURCE_B,
        "attendance": [
            _participation("leader-one", {"status": "declined", "reported_on": "2030-02-01", "quote": "One will not come"}),
            _participation("leader-two", {"status": "declined", "reported_on": "2030-02-15", "quote": "Two stays home"}),
            _participation("leader-three", {"status": "attended", "reported_on": "2030-03-01", "quote": "Three was there"}),
            _participation("leader-four", {"status": "not_attending", "reported_on": "2030-03-02", "quote": "Four never came"}),
        ],
    }
    return a, b


def claim(doc: dict[str, Any], person: str) -> dict[str, Any]:
    (found,) = [p["claims"][0] for p in doc["attendance"] if p["person"] == person]
    return found


def seed(url: str, tmp_path: Path, a: dict[str, Any], b: dict[str, Any]) -> None:
    folder = tmp_path / "ledger-docs"
    folder.mkdir(exist_ok=True)
    write(folder, "10-a.yaml", a)
    write(folder, "20-b.yaml", b)
    cli_ok(url, "seed", str(folder))


@pytest.fixture
def ledger(migrated_url: str, tmp_path: Path) -> str:
    seed(migrated_url, tmp_path, *documents())
    return migrated_url


def current(url: str, person: str, **kw: Any) -> str | None:
    return status_on(reports.guest_list(SUMMIT, db=url, **kw), person)


def test_changes_show_who_changed_plans(ledger: str) -> None:
    got = [(c.person_slug, c.changed_on.isoformat(), c.change, c.from_status, c.to_status,
            c.from_source_slug, c.to_source_slug) for c in reports.changes(SUMMIT, db=ledger)]
    assert got == [
        ("leader-four", "2030-01-10", "announced", None, "expected", None, "ledger-wire-a"),
        ("leader-one", "2030-01-10", "announced", None, "confirmed", None, "ledger-wire-a"),
        ("leader-one", "2030-02-01", "withdrew", "confirmed", "declined", "ledger-wire-a", "ledger-wire-b"),
        # same day, two sources: the claim recorded last is that day's status
        ("leader-two", "2030-02-15", "reported_absent", None, "declined", None, "ledger-wire-b"),
        ("leader-three", "2030-03-01", "came_unannounced", None, "attended", None, "ledger-wire-b"),
        ("leader-four", "2030-03-02", "did_not_come", "expected", "not_attending", "ledger-wire-a", "ledger-wire-b"),
    ]
    window = reports.changes(SUMMIT, since=D(2030, 2, 1), until=D(2030, 3, 1), db=ledger)
    assert [(c.person_slug, c.change) for c in window] == [
        ("leader-one", "withdrew"), ("leader-two", "reported_absent"), ("leader-three", "came_unannounced"),
    ]
    out = cli_ok(ledger, "report", "changes", SUMMIT, "--since", "2030-03-02", "--format", "json")
    assert [(r["person_slug"], r["change"]) for r in json.loads(out)] == [("leader-four", "did_not_come")]


def test_conflicts_show_both_claims_side_by_side(ledger: str) -> None:
    got = reports.conflicts(SUMMIT, db=ledger)
    assert [(c.person_slug, c.present_status, c.present_source_slug, c.present_source_quote,
             c.absent_status, c.absent_source_slug, c.absent_source_quote) for c in got] == [
        ("leader-two", "expected", "ledger-wire-a", "Two is expected", "declined", "ledger-wire-b", "Two stays home"),
    ]
    # one announced then withdrawn before the event is a change of plans, not a disagreement
    assert reports.conflicts(db=ledger) == got
    with create_engine(ledger).connect() as conn:
        view = conn.execute(sa.text("SELECT person_slug, present_reported_on, absent_reported_on FROM claim_conflicts")).all()
    assert [(p, str(a), str(b)) for p, a, b in view] == [("leader-two", "2030-02-15", "2030-02-15")]
    out = cli_ok(ledger, "report", "conflicts", "--format", "csv")
    assert "Two is expected" in out and "Two stays home" in out


def test_after_the_fact_sources_must_agree(migrated_url: str, tmp_path: Path) -> None:
    a, b = documents()
    # A reports after the summit began that Four was there; B says Four never came.
    claim(a, "leader-four").update(status="attended", reported_on="2030-03-03", quote="Four came")
    seed(migrated_url, tmp_path, a, b)
    got = {(c.person_slug, c.present_reported_on.isoformat(), c.absent_reported_on.isoformat()) for c in reports.conflicts(SUMMIT, db=migrated_url)}
    assert ("leader-four", "2030-03-03", "2030-03-02") in got


def test_deprecating_a_claim_keeps_it_on_record_but_never_current(ledger: str, tmp_path: Path) -> None:
    assert current(ledger, "leader-one") == "declined"
    a, b = documents()
    claim(b, "leader-one").update(rank="deprecated", rank_reason="wire B confused One with another leader")
    claim(b, "leader-two").update(rank="deprecated", rank_reason="wire B misread the schedule")
    seed(ledger, tmp_path, a, b)
    assert current(ledger, "leader-one") == "confirmed"
    assert current(ledger, "leader-two") == "expected"
    # still in the history, with its rank and reason
    history = [p for p in reports.status_history(SUMMIT, db=ledger) if p.person_slug == "leader-one"]
    assert [p.status for p in history] == ["confirmed", "declined"]
    with create_engine(ledger).connect() as conn:
        ranks = conn.execute(sa.text(
            "SELECT status, rank, rank_reason FROM attendance_history WHERE person_slug = 'leader-one' ORDER BY reported_on"
        )).all()
        timeline = conn.execute(sa.text("SELECT status FROM attendance_timeline WHERE person_slug = 'leader-one'")).scalars().all()
    assert [tuple(r) for r in ranks] == [("confirmed", "normal", None), ("declined", "deprecated", "wire B confused One with another leader")]
    assert timeline == ["confirmed"]
    # changes: no withdrawal any more; conflicts: the editor has decided
    assert [c.change for c in reports.changes(SUMMIT, db=ledger) if c.person_slug == "leader-one"] == ["announced"]
    assert reports.conflicts(SUMMIT, db=ledger) == []
    # re-seeding without the rank makes the claims normal again, and everything comes back
    seed(ledger, tmp_path, *documents())
    assert current(ledger, "leader-one") == "declined"
    assert len(reports.conflicts(SUMMIT, db=ledger)) == 1
    with create_engine(ledger).connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM attendance_claims WHERE rank <> 'normal' OR rank_reason IS NOT NULL")).scalar() == 0


def test_a_preferred_claim_wins_its_day(ledger: str, tmp_path: Path) -> None:
    assert current(ledger, "leader-two") == "declined"  # recorded last on the day
    a, b = documents()
    claim(a, "leader-two").update(rank="preferred", rank_reason="wire A quotes the leader's office")
    seed(ledger, tmp_path, a, b)
    assert current(ledger, "leader-two") == "expected"
    assert current(ledger, "leader-two", as_of=D(2030, 2, 15)) == "expected"
    # a later normal claim still supersedes a preferred one
    b2 = copy.deepcopy(b)
    (two,) = [p for p in b2["attendance"] if p["person"] == "leader-two"]
    two["claims"].append({"status": "declined", "reported_on": "2030-02-20", "quote": "Two cancels"})
    seed(ledger, tmp_path, a, b2)
    assert current(ledger, "leader-two") == "declined"
    assert current(ledger, "leader-two", as_of=D(2030, 2, 19)) == "expected"
    # ranking does not settle a conflict; only deprecation does
    assert [c.person_slug for c in reports.conflicts(SUMMIT, db=ledger)] == ["leader-two"]
    # back to normal: the later-recorded claim of the day wins again
    seed(ledger, tmp_path, *documents())
    assert current(ledger, "leader-two", as_of=D(2030, 2, 15)) == "declined"


def test_ranked_counts(ledger: str, tmp_path: Path) -> None:
    assert [c.count for c in reports.attendance_counts(SUMMIT, db=ledger)] == [12]
    a, b = documents()
    a["counts"][0].update(rank="deprecated", rank_reason="the dozen included observers")
    seed(ledger, tmp_path, a, b)
    assert reports.attendance_counts(SUMMIT, db=ledger) == []
    with create_engine(ledger).connect() as conn:
        assert conn.execute(sa.text("SELECT rank FROM participation_counts WHERE event_slug = :e"), {"e": SUMMIT}).scalar() == "deprecated"


def test_the_timeline_query_equals_the_as_of_report_with_ranks(ledger: str, tmp_path: Path) -> None:
    a, b = documents()
    claim(a, "leader-two").update(rank="preferred", rank_reason="wire A quotes the leader's office")
    claim(b, "leader-one").update(rank="deprecated", rank_reason="wire B confused One with another leader")
    seed(ledger, tmp_path, a, b)
    engine = create_engine(ledger)
    try:
        assert _timeline_equals_reports(engine, SUMMIT) >= 5
    finally:
        engine.dispose()


def test_ranks_survive_export_seeds_popolo_and_csv(ledger: str, tmp_path: Path, dialect: str) -> None:
    from .support.databases import new_database

    a, b = documents()
    claim(b, "leader-one").update(rank="deprecated", rank_reason="wire B confused One with another leader")
    claim(a, "leader-two").update(rank="preferred", rank_reason="wire A quotes the leader's office")
    a["counts"][0].update(rank="deprecated", rank_reason="the dozen included observers")
    seed(ledger, tmp_path, a, b)
    cli_ok(ledger, "export", "seeds", str(tmp_path / "backup"))
    (tmp_path / "restore").mkdir()
    with new_database(dialect, tmp_path / "restore", "empty") as other:
        cli_ok(other, "db", "upgrade")
        cli_ok(other, "seed", str(tmp_path / "backup"))
        assert canonical(other) == canonical(ledger)
    popolo = tmp_path / "popolo.json"
    cli_ok(ledger, "export", "popolo", str(popolo))
    text = popolo.read_text(encoding="utf-8")
    assert "wire B confused One with another leader" in text and "the dozen included observers" in text
    cli_ok(ledger, "export", "csv", str(tmp_path / "csv"))
    history = (tmp_path / "csv" / "attendance_history.csv").read_text(encoding="utf-8")
    assert history.splitlines()[0].endswith("rank,rank_reason")
    assert "deprecated,wire B confused One with another leader" in history
    assert (tmp_path / "csv" / "attendance_timeline.csv").exists()


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda a, b: claim(b, "leader-one").update(rank="deprecate", rank_reason="x"), "did you mean 'deprecated'"),
        (lambda a, b: claim(b, "leader-one").update(rank="deprecated"), "rank_reason"),
        (lambda a, b: a["counts"][0].update(rank="preferred", rank_reason="  "), "rank_reason"),
        (lambda a, b: b["attendance"][0].update(rank="deprecated", rank_reason="x"), "attendance records have no rank"),
        (lambda a, b: a["persons"][0].update(rank="normal"), "persons records have no rank"),
    ],
    ids=["unknown-word", "deprecated-without-reason", "preferred-count-blank-reason", "rank-on-attendance", "rank-on-person"],
)
def test_bad_ranks_are_one_line_and_change_nothing(ledger: str, tmp_path: Path, change: Any, expected: str) -> None:
    a, b = documents()
    change(a, b)
    folder = tmp_path / "bad"
    folder.mkdir()
    write(folder, "10-a.yaml", a)
    write(folder, "20-b.yaml", b)
    before = snapshot(ledger)
    result = cli_run(ledger, "seed", str(folder))
    assert result.exit_code == 1, result.output
    assert_clean_failure(result.output)
    assert expected in result.output and ".yaml" in result.output, result.output
    assert snapshot(ledger) == before


def test_bad_as_of_is_one_line(ledger: str) -> None:
    for args in (["guest-list", SUMMIT, "--as-of", "2030-02-30"], ["changes", SUMMIT, "--since", "soon"], ["events", "--as-of", ""]):
        result = cli_run(ledger, "report", *args)
        assert result.exit_code == 1, (args, result.output)
        assert_clean_failure(result.output)
    with pytest.raises(GuestlistError, match="as_of must be a date"):
        reports.guest_list(SUMMIT, as_of="30 February", db=ledger)


def test_downgrade_refuses_while_claims_are_ranked(ledger: str, tmp_path: Path) -> None:
    a, b = documents()
    claim(b, "leader-one").update(rank="deprecated", rank_reason="wire B confused One with another leader")
    seed(ledger, tmp_path, a, b)
    # later revisions first (the search index, a cache, is dropped; these documents hold no offices,
    # which b3d5f7a9c1e2 cannot keep, so consenting to its loss loses nothing)
    cli_ok(ledger, "db", "downgrade", RANKS, "--allow-data-loss")
    before = snapshot(ledger)
    result = cli_run(ledger, "db", "downgrade", BEFORE_RANKS)
    assert result.exit_code == 1, result.output
    assert_clean_failure(result.output)
    assert "ranked" in result.output and "export seeds" in result.output
    assert snapshot(ledger) == before
    # ranked normal again, it steps down and back up keeping every row
    cli_ok(ledger, "db", "upgrade")
    seed(ledger, tmp_path, *documents())
    before = snapshot(ledger)
    cli_ok(ledger, "db", "downgrade", BEFORE_RANKS, "--allow-data-loss")
    with create_engine(ledger).connect() as conn:
        assert "rank" not in {c["name"] for c in sa.inspect(conn).get_columns("attendance_claims")}
        assert "attendance_timeline" not in sa.inspect(conn).get_view_names()
    cli_ok(ledger, "db", "upgrade")
    cli_ok(ledger, "db", "check")
    assert snapshot(ledger) == before
