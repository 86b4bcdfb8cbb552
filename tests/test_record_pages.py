"""State and person records a page at a time, on every database: the pages add up to the record.

The fixture is report_data's, plus what makes an order easy to get wrong:
four events on one day whose slugs sort differently by code point than in
a dictionary ('Summit-c' < 'summit-a-b' < 'summit-ab' < 'summitb'; the
PostgreSQL database is created with a dictionary collation), an undated
event, and one state recorded three times at one event, not in
alphabetical order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from guestlist.models import Attendance, AttendanceClaim, Event, Person, Source, State, reports
from guestlist.models.db import create_engine
from guestlist.models.errors import GuestlistError, NotFoundError

from .support.databases import DIALECT_PARAMS, new_database
from .support.report_data import populate

D = dt.date
SAME_DAY = D(2020, 1, 1)
# slug, date; listed in the order a record shows them
EVENTS = [("Summit-c", SAME_DAY), ("summit-a-b", SAME_DAY), ("summit-ab", SAME_DAY), ("summitb", SAME_DAY), ("undated-talks", None)]
# event, person (None: an unnamed official), state; in the order they are recorded
ATTENDANCE = [
    ("summitb", None, "CHN"),
    ("summit-ab", "xi-jinping", "CHN"),
    ("summit-ab", None, "CHN"),
    ("summit-ab", "li-qiang", "CHN"),
    ("summit-a-b", "xi-jinping", "CHN"),
    ("Summit-c", "xi-jinping", "CHN"),
    ("undated-talks", None, "CHN"),
    ("undated-talks", "vladimir-putin", "RUS"),
]


def _add_ordering_cases(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:

            def ins(model: type, **values: object) -> int:
                return conn.execute(sa.insert(model.__table__).values(**values)).inserted_primary_key[0]  # type: ignore[attr-defined]

            def ids(model: type, key: str) -> dict[str, int]:
                table = model.__table__  # type: ignore[attr-defined]
                return dict(conn.execute(sa.select(table.c[key], table.c.id)).all())  # type: ignore[arg-type]

            persons = ids(Person, "slug") | {"li-qiang": ins(Person, slug="li-qiang", name="Li Qiang")}
            states, source = ids(State, "code"), ids(Source, "slug")["wire"]
            events = {
                slug: ins(Event, slug=slug, name=slug, kind="summit", starts_on=day, date_precision="day", is_prospective=False)
                for slug, day in EVENTS
            }
            for event, person, state in ATTENDANCE:
                attendance = ins(
                    Attendance,
                    event_id=events[event],
                    person_id=persons[person] if person else None,
                    state_id=states[state],
                    role="guest",
                    capacity="head_of_state" if person else "senior_official",
                )
                ins(AttendanceClaim, attendance_id=attendance, status="attended", reported_on=SAME_DAY, source_id=source, source_quote="q")
    finally:
        engine.dispose()


@pytest.fixture(scope="module", params=DIALECT_PARAMS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    # PostgreSQL's default collation made a dictionary's, where slugs sort otherwise than by code point
    with new_database(request.param, Path(tmp_path_factory.mktemp("pages")), icu_locale="en-US") as url:
        populate(url)
        _add_ordering_cases(url)
        engine = create_engine(url)
        yield engine
        engine.dispose()


def pick(rows: list[reports.AttendanceRow]) -> list[tuple[str, str | None]]:
    return [(p.event_slug, p.person_slug) for p in rows]


def test_a_record_is_ordered_by_date_then_slug_by_code_point_then_as_recorded_with_undated_last(db: Engine) -> None:
    assert pick(reports.state_record("CHN", db=db)) == [
        ("parade-2015", "xi-jinping"),
        ("Summit-c", "xi-jinping"),
        ("summit-a-b", "xi-jinping"),
        ("summit-ab", "xi-jinping"),
        ("summit-ab", None),
        ("summit-ab", "li-qiang"),
        ("summitb", None),
        ("parade-2025", "xi-jinping"),
        ("undated-talks", None),
    ]
    assert pick(reports.person_record("vladimir-putin", db=db)) == [
        ("parade-2015", "vladimir-putin"),
        ("parade-2025", "vladimir-putin"),
        ("undated-talks", "vladimir-putin"),
    ]


def _pages(record, key: str, size: int, db: Engine) -> list[reports.AttendanceRow]:  # type: ignore[no-untyped-def]
    rows: list[reports.AttendanceRow] = []
    while page := record(key, limit=size, offset=len(rows), db=db):
        assert len(page) <= size
        rows += page
    return rows


def test_pages_of_every_size_add_up_to_the_whole_record_of_every_state_and_person(db: Engine) -> None:
    with db.connect() as conn:
        states = conn.execute(sa.select(State.__table__.c.code)).scalars().all()
        persons = conn.execute(sa.select(Person.__table__.c.slug)).scalars().all()
    checked = 0
    for record, size_of, keys in (
        (reports.state_record, reports.state_record_size, states),
        (reports.person_record, reports.person_record_size, persons),
    ):
        for key in keys:
            whole = record(key, db=db)
            assert size_of(key, db=db) == len(whole)
            for size in (1, 2, 3, 4, len(whole) + 1):
                assert _pages(record, key, size, db) == whole, (key, size)
            checked += len(whole)
    assert checked >= 20


def test_page_edges(db: Engine) -> None:
    whole = reports.state_record("CHN", db=db)
    assert reports.state_record("CHN", limit=0, db=db) == []
    assert reports.state_record("CHN", offset=len(whole), db=db) == []
    assert reports.state_record("CHN", limit=5, offset=len(whole) + 10, db=db) == []
    assert reports.state_record("CHN", offset=3, db=db) == whole[3:]  # no limit: to the end
    assert reports.state_record("CHN", limit=len(whole) * 10, db=db) == whole
    assert reports.state_record("CHN", limit=2**70, offset=2**70, db=db) == []  # no overflow, just past the end
    assert reports.person_record("li-qiang", limit=1, offset=0, db=db) == reports.person_record("li-qiang", db=db)
    assert reports.state_record_size("GBR", db=db) == 1 and reports.person_record_size("donald-trump", db=db) == 1


@pytest.mark.parametrize(
    ("limit", "offset", "message"),
    [
        (-1, 0, "limit must be a whole number, 0 or more: -1"),
        (None, -5, "offset must be a whole number, 0 or more: -5"),
        (1.5, 0, "limit must be a whole number, 0 or more: 1.5"),
        ("10", 0, "limit must be a whole number, 0 or more: '10'"),
        (True, 0, "limit must be a whole number, 0 or more: True"),
        (10, None, "offset must be a whole number, 0 or more: None"),
    ],
)
def test_a_bad_limit_or_offset_is_one_line(db: Engine, limit, offset, message: str) -> None:  # type: ignore[no-untyped-def]
    for record, key in ((reports.state_record, "CHN"), (reports.person_record, "xi-jinping")):
        with pytest.raises(GuestlistError) as info:
            record(key, limit=limit, offset=offset, db=db)
        assert str(info.value) == message


def test_an_unknown_state_or_person_is_not_found_on_a_page_too(db: Engine) -> None:
    with pytest.raises(NotFoundError, match="state not found: 'Chinaa'"):
        reports.state_record("Chinaa", limit=10, db=db)
    with pytest.raises(NotFoundError, match="person not found: 'xi'"):
        reports.person_record_size("xi", db=db)
