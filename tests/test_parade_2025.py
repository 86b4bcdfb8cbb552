"""The 2025 Victory Day parade as the bundled record holds it, on every database.

China's foreign ministry announced 26 foreign heads of state and government
(50-pakistantoday-2025-08-28-guest-list.yaml); the reports of the day put all
26 there. These tests ask the public views the questions an analyst asks, so
a document that drops a leader, misfiles a state or loses a source fails here.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from guestlist.models import Position, Source
from guestlist.models.views import attendance_history, attendance_report, event_summary, participation_counts
from guestlist.models.vocab import ABSENT_STATUSES, HEAD_CAPACITIES, PRESENT_STATUSES

pytestmark = pytest.mark.dialects

PARADE = "beijing-victory-day-parade-2025"
DAY = dt.date(2025, 9, 3)
ARTICLE = "imonmion-2025-08-kim-beijing-parade"
GUEST_LIST = "pakistantoday-2025-08-28-26-foreign-leaders"
# The states of the 26 foreign leaders China announced on 2025-08-28, in its order.
ANNOUNCED = (
    "RUS", "PRK", "KHM", "VNM", "LAO", "IDN", "MYS", "MNG", "PAK", "NPL", "MDV", "KAZ", "UZB",
    "TJK", "KGZ", "TKM", "BLR", "AZE", "ARM", "IRN", "COG", "ZWE", "SRB", "SVK", "CUB", "MMR",
)
r = attendance_report.c


@pytest.fixture(scope="module")
def seeded(seeded_engine: Engine) -> Engine:
    return seeded_engine


def current(db: Engine, *where: sa.ColumnElement[bool]) -> list[sa.Row]:  # type: ignore[type-arg]
    """The parade's participations with their current claim."""
    with db.connect() as conn:
        return list(conn.execute(sa.select(attendance_report).where(r.event_slug == PARADE, *where)))


def test_26_foreign_heads_of_state_and_government_were_there(seeded: Engine) -> None:
    heads = current(seeded, r.role == "guest", r.status.in_(PRESENT_STATUSES), r.capacity.in_(HEAD_CAPACITIES))
    assert len(ANNOUNCED) == len(set(ANNOUNCED)) == 26
    assert sorted(row.state_code for row in heads) == sorted(ANNOUNCED)
    assert {row.status for row in heads} == {"attended"}
    assert len({row.person_slug for row in heads}) == 26
    host = current(seeded, r.role == "host")
    assert [(h.person_slug, h.state_code, h.status) for h in host] == [("xi-jinping", "CHN", "attended")]
    with seeded.connect() as conn:
        summary = conn.execute(sa.select(event_summary).where(event_summary.c.event_slug == PARADE)).one()
    assert summary.heads_present == 26 + 1


def test_china_announced_as_many_leaders_as_came(seeded: Engine) -> None:
    with seeded.connect() as conn:
        announced = conn.execute(
            sa.select(participation_counts.c.count).where(
                participation_counts.c.event_slug == PARADE, participation_counts.c.source_slug == GUEST_LIST
            )
        ).scalar_one()
        firsts = conn.execute(
            sa.select(attendance_history.c.state_code, attendance_history.c.status, attendance_history.c.reported_on)
            .where(attendance_history.c.event_slug == PARADE, attendance_history.c.source_slug == GUEST_LIST)
        ).all()
    assert announced == 26
    assert sorted(s for s, _, _ in firsts) == sorted(ANNOUNCED)
    assert {(status, day) for _, status, day in firsts} == {("confirmed", dt.date(2025, 8, 28))}


def test_each_leader_held_the_office_of_the_capacity_recorded(seeded: Engine) -> None:
    """The office on the day (positions) agrees with each participation's state and capacity."""
    heads = current(seeded, r.status.in_(PRESENT_STATUSES), r.capacity.in_(HEAD_CAPACITIES))
    with seeded.connect() as conn:
        for head in heads:
            office = conn.execute(
                sa.select(Position.title).where(
                    Position.person_id == head.person_id, Position.state_id == head.state_id,
                    Position.capacity == head.capacity, Position.start_on <= DAY,
                    sa.or_(Position.end_on.is_(None), Position.end_on >= DAY),
                )
            ).scalars().all()
            assert office, (head.person_slug, head.state_code, head.capacity)


def test_every_current_claim_has_a_source_with_an_address_and_a_quote(seeded: Engine) -> None:
    rows = current(seeded)
    assert len(rows) > 40
    with seeded.connect() as conn:
        urls = dict(conn.execute(sa.select(Source.slug, Source.url)).all())
    for row in rows:
        assert row.source_slug is not None, row.person_slug or row.state_code
        url = urls[row.source_slug]
        assert row.source_slug == ARTICLE or urlsplit(url or "").scheme in ("http", "https"), row.source_slug
        assert row.source_quote and row.source_quote.strip(), row.source_slug


def test_who_stayed_away_and_who_came_instead(seeded: Engine) -> None:
    absent = {(row.state_code, row.person_slug, row.status) for row in current(seeded, r.status.in_(ABSENT_STATUSES))}
    assert absent == {
        ("IND", "narendra-modi", "declined"),
        ("JPN", "shigeru-ishiba", "not_attending"),
        ("KOR", "lee-jae-myung", "not_attending"),
        ("NPL", "ramchandra-paudel", "not_attending"),
        ("HUN", "viktor-orban", "not_attending"),
        ("USA", "donald-trump", "not_attending"),
        (None, "bob-carr", "declined"),
    }
    # Where a leader stayed away but the state sent someone, both facts are on record.
    present = {(row.state_code, row.person_slug) for row in current(seeded, r.status.in_(PRESENT_STATUSES))}
    assert {("KOR", "woo-won-shik"), ("HUN", "peter-szijjarto"), ("NPL", "kp-sharma-oli")} <= present


def test_former_leaders_came_in_a_private_capacity_for_no_state(seeded: Engine) -> None:
    private = {row.person_slug for row in current(seeded, r.state_code.is_(None), r.status.in_(PRESENT_STATUSES))}
    assert {"yukio-hatoyama", "helen-clark", "john-key", "daniel-andrews", "viorica-dancila", "adrian-nastase"} <= private
    assert "li-junhua" in private  # the UN's envoy represents no state either
    assert not current(seeded, r.state_code.is_(None), r.capacity.in_(HEAD_CAPACITIES))


def test_prabowo_cancelled_then_came(seeded: Engine) -> None:
    with seeded.connect() as conn:
        statuses = conn.execute(
            sa.select(attendance_history.c.status)
            .where(attendance_history.c.event_slug == PARADE, attendance_history.c.person_slug == "prabowo-subianto")
            .order_by(attendance_history.c.reported_on, attendance_history.c.claim_id)
        ).scalars().all()
    assert statuses[statuses.index("not_attending") - 1] == "confirmed"
    assert statuses[-1] == "attended" and statuses.index("not_attending") < len(statuses) - 1
