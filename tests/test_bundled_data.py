"""Rules every bundled document keeps, checked on the loaded database of every dialect.

The seeds grow by hand, one report at a time; these checks catch the slips a
reviewer misses: a claim of attendance dated before its event, a participation
whose latest reports contradict each other, a relative or mistyped URL, a quote
pasted with a trailing newline or a whole paragraph long.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from guestlist.models import AttendanceClaim, AttendanceCount, Event, EventNote, EventRelation, Source, reports
from guestlist.models.views import attendance_history
from guestlist.models.vocab import ABSENT_STATUSES, PRESENT_STATUSES

pytestmark = pytest.mark.dialects

PARADE_2025 = "beijing-victory-day-parade-2025"
h = attendance_history.c


@pytest.fixture(scope="module")
def seeded(seeded_engine: Engine) -> Engine:
    return seeded_engine


def test_no_attendance_is_reported_before_the_event(seeded: Engine) -> None:
    with seeded.connect() as conn:
        early = conn.execute(
            sa.select(h.event_slug, h.person_slug, h.state_code, h.reported_on, h.source_slug)
            .where(h.status == "attended", h.event_date.is_not(None), h.reported_on < h.event_date)
        ).all()
        attended = conn.execute(sa.select(sa.func.count()).where(h.status == "attended")).scalar_one()
    assert attended > 50
    assert early == []


def test_no_one_is_both_present_and_absent_in_their_current_status(seeded: Engine) -> None:
    """The current status is the latest day's claims; on that day the sources must agree on presence."""
    with seeded.connect() as conn:
        rows = conn.execute(sa.select(h.attendance_id, h.status, h.reported_on, h.event_slug, h.person_slug)).all()
    latest: dict[int, list[tuple]] = {}  # type: ignore[type-arg]
    for row in rows:
        claims = latest.setdefault(row.attendance_id, [])
        if claims and claims[0].reported_on < row.reported_on:
            claims.clear()
        if not claims or claims[0].reported_on == row.reported_on:
            claims.append(row)
    contradicted = [
        (claims[0].event_slug, claims[0].person_slug, sorted({c.status for c in claims}))
        for claims in latest.values()
        if {c.status for c in claims} & set(PRESENT_STATUSES) and {c.status for c in claims} & set(ABSENT_STATUSES)
    ]
    assert len(latest) > 60
    assert contradicted == []


def test_every_source_url_is_an_absolute_web_address(seeded: Engine) -> None:
    with seeded.connect() as conn:
        urls = conn.execute(sa.select(Source.slug, Source.url).where(Source.url.is_not(None))).all()
    assert len(urls) > 100
    bad = [(slug, url) for slug, url in urls if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc]
    assert bad == []


@pytest.mark.parametrize(
    "column",
    [AttendanceClaim.source_quote, AttendanceCount.source_quote, EventNote.source_quote,
     EventRelation.source_quote, Event.source_quote],
    ids=lambda c: f"{c.class_.__tablename__}.{c.key}",
)
def test_every_quote_is_short_and_stripped(seeded: Engine, column: sa.orm.InstrumentedAttribute) -> None:  # type: ignore[type-arg]
    with seeded.connect() as conn:
        quotes = conn.execute(sa.select(column).where(column.is_not(None))).scalars().all()
    assert quotes
    assert [q for q in quotes if len(q) > 500 or q != q.strip() or not q] == []


@pytest.mark.parametrize(
    ("bloc", "attended", "members"),
    [
        ("eu", {"BGR", "HUN", "SVK"}, 27),
        ("asean", {"IDN", "KHM", "LAO", "MMR", "MYS", "SGP", "VNM"}, 10),
    ],
)
def test_bloc_members_at_the_2025_parade(seeded: Engine, bloc: str, attended: set[str], members: int) -> None:
    got = reports.bloc_breakdown(PARADE_2025, bloc, db=seeded)
    assert len(got.members) == members
    assert {m.state_code for m in got.attended} == attended
    assert got.absent == []
