"""The 2015 Victory Day parade in the bundled seeds: the public record, on every database.

The numbers here are the record the 60-*-2015-* documents build from stored
reports, read back through the views a user queries: who of the announced
leaders is recorded present, China's own counts (30 announced, 23 counted on
the day), who stayed away, and that every current claim is sourced and dated
sensibly.
"""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from guestlist.seeds.loader import bundled, load

PARADE = "beijing-victory-day-parade-2015"
DAY = dt.date(2015, 9, 3)
ANNOUNCEMENT = "peoplesdaily-2015-08-25-thirty-leaders"
ARTICLE = "imonmion-2025-08-kim-beijing-parade"  # the bundled article, which is stored without a URL
HEADS = ("head_of_state", "head_of_government")

# The 24 heads of state and government on China's list of 2015-08-25, each recorded present.
FOREIGN_HEADS = {
    "BIH", "BLR", "COD", "CZE", "EGY", "ETH", "KAZ", "KGZ", "KHM", "KOR", "LAO", "MMR",
    "MNG", "PAK", "RUS", "SDN", "SRB", "TJK", "TLS", "UZB", "VEN", "VNM", "VUT", "ZAF",
}


def rows(engine: Engine, sql: str, **params: object) -> list[tuple]:  # type: ignore[type-arg]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql), {"e": PARADE, **params})]


def day(value: object) -> dt.date:
    """A view's date column as a date, whatever the driver returns (SQLite gives text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def present_heads(engine: Engine) -> list[tuple]:  # type: ignore[type-arg]
    return rows(
        engine,
        "SELECT state_code, person_slug, capacity, status FROM attendance_report"
        " WHERE event_slug = :e AND role = 'guest' AND capacity IN ('head_of_state', 'head_of_government')"
        " AND status IN ('expected', 'confirmed', 'attended') ORDER BY state_code",
    )


def test_every_announced_head_of_state_and_government_is_recorded_present(seeded_engine: Engine) -> None:
    heads = present_heads(seeded_engine)
    assert len(heads) == 24
    assert {state for state, *_ in heads} == FOREIGN_HEADS
    assert all(person for _, person, _, _ in heads), "every head is named"
    assert {(s, c) for s, _, c, _ in heads if c == "head_of_government"} == {("ETH", "head_of_government"), ("VUT", "head_of_government")}
    # event_summary counts the same heads, plus the host
    (summary,) = rows(seeded_engine, "SELECT heads_present FROM event_summary WHERE event_slug = :e")
    assert summary == (len(FOREIGN_HEADS) + 1,)


def test_attended_where_a_report_of_the_day_or_after_says_so(seeded_engine: Engine) -> None:
    attended = {state for state, _, _, status in present_heads(seeded_engine) if status == "attended"}
    assert attended == FOREIGN_HEADS - {"BIH", "COD", "KHM", "LAO", "MMR", "TLS", "VEN", "VUT"}


def test_each_heads_history_starts_with_the_announcement(seeded_engine: Engine) -> None:
    history = rows(
        seeded_engine,
        "SELECT state_code, reported_on, status, source_slug FROM attendance_history"
        " WHERE event_slug = :e AND role = 'guest' AND capacity IN ('head_of_state', 'head_of_government')"
        " ORDER BY state_code, reported_on, claim_id",
    )
    first: dict[str, tuple] = {}  # type: ignore[type-arg]
    for state, reported_on, status, source in history:
        first.setdefault(state, (day(reported_on), status, source))
    for state in FOREIGN_HEADS:
        assert first[state] == (dt.date(2015, 8, 25), "confirmed", ANNOUNCEMENT), state


def test_each_head_holds_an_office_of_that_capacity_on_the_day(seeded_engine: Engine) -> None:
    offices = rows(
        seeded_engine,
        "SELECT s.code, pos.capacity FROM attendance a"
        " JOIN events e ON e.id = a.event_id JOIN states s ON s.id = a.state_id"
        " JOIN positions pos ON pos.person_id = a.person_id AND pos.state_id = a.state_id"
        " WHERE e.slug = :e AND a.capacity = pos.capacity AND pos.start_on <= :d"
        " AND (pos.end_on IS NULL OR :d <= pos.end_on)",
        d=DAY,
    )
    assert FOREIGN_HEADS <= {state for state, capacity in offices if capacity in HEADS}


def test_the_announced_and_the_counted_numbers(seeded_engine: Engine) -> None:
    counts = {
        (source, description): (status, count, quantifier, day(reported_on))
        for source, description, status, count, quantifier, reported_on in rows(
            seeded_engine,
            "SELECT source_slug, description, status, count, quantifier, reported_on FROM participation_counts"
            " WHERE event_slug = :e",
        )
    }
    announced = counts[(ANNOUNCEMENT, "foreign leaders: heads of state, heads of government and other leaders")]
    assert announced == ("confirmed", 30, None, dt.date(2015, 8, 25))
    assert counts[(ANNOUNCEMENT, "countries")][1] == 49
    assert counts[(ANNOUNCEMENT, "high-level government representatives")][1] == 19
    counted = counts[("chinadaily-2015-09-03-xi-welcomes-guests", "heads of state and government leaders")]
    assert counted == ("attended", 23, None, DAY)
    assert counts[("ecns-2015-09-03-guests", "heads of state")][:2] == ("attended", 23)
    # other counts of the day disagree, and are kept with their sources
    assert counts[("president-tj-2015-09-03-rahmon", "heads of state of the world's countries")][1] == 25
    assert counts[("hk01-2025-09-02-2015-guests", "heads of state and government")][1] == 24
    # the parade itself
    troops = counts[("xinhua-2015-09-03-parade-concludes", "troops")]
    foreign = counts[("xinhua-2015-09-03-parade-concludes", "foreign troops from 17 other countries")]
    assert (troops[1], troops[2], foreign[1], foreign[2]) == (12000, "about", 1000, "nearly")
    assert counts[("koreaherald-2015-09-03-park", "aircraft flying overhead")][:3] == ("attended", 200, "about")


def test_who_stayed_away(seeded_engine: Engine) -> None:
    absent = rows(
        seeded_engine,
        "SELECT person_slug, state_code, status FROM attendance_report"
        " WHERE event_slug = :e AND status IN ('declined', 'boycotted', 'not_attending') ORDER BY person_slug",
    )
    assert absent == [
        ("angela-merkel", "DEU", "declined"),
        ("barack-obama", "USA", "declined"),
        ("david-cameron", "GBR", "declined"),
        ("kim-jong-un", "PRK", "not_attending"),
        ("shinzo-abe", "JPN", "declined"),
        ("tomiichi-murayama", None, "not_attending"),
    ]
    # where a state stayed away at the top and sent someone below, both are recorded
    sent = rows(
        seeded_engine,
        "SELECT state_code, person_slug, capacity FROM attendance_report WHERE event_slug = :e"
        " AND state_code IN ('USA', 'GBR', 'PRK') AND status IN ('expected', 'confirmed', 'attended')"
        " ORDER BY state_code",
    )
    assert sent == [("GBR", "kenneth-clarke", "envoy"), ("PRK", "choe-ryong-hae", "senior_official"), ("USA", None, "envoy")]


def test_former_leaders_and_the_un_secretary_general_represent_no_state(seeded_engine: Engine) -> None:
    stateless = rows(
        seeded_engine,
        "SELECT person_slug, organization_slug, capacity, description, status FROM attendance_report"
        " WHERE event_slug = :e AND state_code IS NULL ORDER BY person_slug",
    )
    assert [(p, o, s) for p, o, _, _, s in stateless] == [
        ("ban-ki-moon", "un", "attended"),
        ("gerhard-schroeder", None, "attended"),
        ("tomiichi-murayama", None, "not_attending"),
        ("tony-blair", None, "expected"),
    ]
    assert all(capacity == "other" and description for _, _, capacity, description, _ in stateless)
    former = [d for p, _, _, d, _ in stateless if p != "ban-ki-moon"]
    assert all("private capacity" in d for d in former)


def test_every_current_claim_has_a_source_url_and_a_quote(seeded_engine: Engine) -> None:
    claims = rows(
        seeded_engine,
        "SELECT r.person_slug, r.state_code, s.slug, s.url, r.source_quote FROM attendance_report r"
        " JOIN sources s ON s.slug = r.source_slug WHERE r.event_slug = :e",
    )
    assert len(claims) >= 45
    for person, state, source, url, quote in claims:
        who = person or state
        assert source == ARTICLE or re.match(r"https?://[^\s/]+\.[^\s]+$", url or ""), who
        assert quote and quote == quote.strip() and len(quote) <= 500, who


def test_no_claim_of_attendance_before_the_parade(seeded_engine: Engine) -> None:
    early = [
        (who, reported_on)
        for who, reported_on in rows(
            seeded_engine,
            "SELECT COALESCE(person_slug, state_code), reported_on FROM attendance_history"
            " WHERE event_slug = :e AND status = 'attended'",
        )
        if day(reported_on) < DAY
    ]
    assert early == []


def test_persons_of_2015_have_plain_slugs(seeded_engine: Engine) -> None:
    slugs = [s for (s,) in rows(seeded_engine, "SELECT DISTINCT person_slug FROM attendance_report WHERE event_slug = :e")]
    assert all(s is None or re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs)


def test_reseeding_changes_nothing(seeded_url: str) -> None:
    report = load(seeded_url, bundled())
    assert (report.added, report.changed) == (0, 0)
