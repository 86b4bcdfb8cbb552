"""A small, hand-made database for the report and view tests.

It mirrors the article's story in miniature, with facts chosen so every
report has something to find: a status that changed (expected, then
attended), a state that sent a senior official in 2015 and its leader in
2025, European heads of state present in 2015 only, a boycott, an EU
membership that ended before the event, and an event nobody attended.
Independent of the bundled seeds, so these tests do not move when the data does.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from guestlist.models import (
    Attendance,
    AttendanceClaim,
    AttendanceCount,
    Event,
    EventRelation,
    Office,
    Organization,
    Person,
    Position,
    Source,
    State,
    StateMembership,
)
from guestlist.models.db import create_engine

D = dt.date

STATES = [
    # code, alpha2, name
    ("CHN", "CN", "China"),
    ("PRK", "KP", "North Korea"),
    ("RUS", "RU", "Russia"),
    ("SVK", "SK", "Slovakia"),
    ("CZE", "CZ", "Czechia"),
    ("DEU", "DE", "Germany"),
    ("GBR", "GB", "United Kingdom"),
    ("USA", "US", "United States"),
]
PERSONS = [
    ("xi-jinping", "Xi Jinping"),
    ("kim-jong-un", "Kim Jong Un"),
    ("choe-ryong-hae", "Choe Ryong Hae"),
    ("vladimir-putin", "Vladimir Putin"),
    ("robert-fico", "Robert Fico"),
    ("milos-zeman", "Milos Zeman"),
    ("donald-trump", "Donald Trump"),
]
POSITIONS = [
    # person, state, title, capacity, start, end
    ("xi-jinping", "CHN", "President of China", "head_of_state", D(2013, 3, 14), None),
    ("kim-jong-un", "PRK", "Supreme Leader of North Korea", "head_of_state", D(2011, 12, 17), None),
    ("vladimir-putin", "RUS", "President of Russia", "head_of_state", D(2012, 5, 7), None),
    ("robert-fico", "SVK", "Prime Minister of Slovakia", "head_of_government", D(2023, 10, 25), None),
    ("milos-zeman", "CZE", "President of the Czech Republic", "head_of_state", D(2013, 3, 8), D(2023, 3, 8)),
    ("donald-trump", "USA", "President of the United States", "head_of_state", D(2025, 1, 20), None),
]
EVENTS = [
    # slug, name, kind, date, host
    ("victory-day-parades", "Victory Day parades", "series", None, "CHN"),
    ("japan-surrender-1945", "Surrender of Japan", "surrender", D(1945, 9, 2), None),
    ("parade-2015", "Victory Day parade 2015", "military_parade", D(2015, 9, 3), "CHN"),
    ("parade-2025", "Victory Day parade 2025", "military_parade", D(2025, 9, 3), "CHN"),
    ("empty-summit", "A summit nobody is recorded at", "summit", D(2024, 5, 1), "RUS"),
]
# event, person or None, state, role, capacity, description, [(status, reported_on, source)]
ATTENDANCE = [
    ("parade-2015", "xi-jinping", "CHN", "host", "head_of_state", None, [("attended", D(2015, 9, 3), "wire")]),
    ("parade-2015", "vladimir-putin", "RUS", "guest", "head_of_state", None, [("attended", D(2015, 9, 3), "wire")]),
    ("parade-2015", "milos-zeman", "CZE", "guest", "head_of_state", None, [("attended", D(2015, 9, 3), "wire")]),
    ("parade-2015", None, "PRK", "guest", "senior_official", "a senior official", [("attended", D(2015, 9, 3), "wire")]),
    ("parade-2015", None, "GBR", "guest", "minister", None, [("attended", D(2015, 9, 3), "wire")]),
    ("parade-2025", "xi-jinping", "CHN", "host", "head_of_state", None, [("confirmed", D(2025, 8, 28), "article")]),
    (
        "parade-2025",
        "kim-jong-un",
        "PRK",
        "guest",
        "head_of_state",
        None,
        [("expected", D(2025, 8, 28), "article"), ("attended", D(2025, 9, 3), "wire")],
    ),
    ("parade-2025", "vladimir-putin", "RUS", "guest", "head_of_state", None, [("expected", D(2025, 8, 28), "article")]),
    ("parade-2025", "robert-fico", "SVK", "guest", "head_of_government", None, [("expected", D(2025, 8, 28), "article")]),
    (
        "parade-2025",
        "donald-trump",
        "USA",
        "guest",
        "head_of_state",
        None,
        [("expected", D(2025, 8, 1), "wire"), ("not_attending", D(2025, 8, 28), "article")],
    ),
    ("parade-2025", None, "DEU", "guest", "head_of_government", None, [("boycotted", D(2025, 8, 28), "article")]),
]
# state, organization, joined_on, left_on
MEMBERSHIPS = [
    ("SVK", "eu", D(2004, 5, 1), None),
    ("CZE", "eu", D(2004, 5, 1), None),
    ("DEU", "eu", D(1993, 11, 1), None),
    ("GBR", "eu", D(1993, 11, 1), D(2020, 1, 31)),
]


def populate(url: str) -> None:
    """Insert the fixture into a migrated, empty database, in one transaction."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            _insert(conn)
    finally:
        engine.dispose()


def _insert(conn: sa.Connection) -> None:
    def ins(model: type, **values: object) -> int:
        return conn.execute(sa.insert(model.__table__).values(**values)).inserted_primary_key[0]  # type: ignore[attr-defined]

    sources = {
        slug: ins(Source, slug=slug, title=title, kind="news_article", published_on=day)
        for slug, title, day in [
            ("article", "Kim to join Putin at Beijing parade", D(2025, 8, 28)),
            ("wire", "Wire reports", D(2025, 9, 3)),
        ]
    }
    states = {code: ins(State, code=code, alpha2=a2, name=name) for code, a2, name in STATES}
    eu = ins(Organization, slug="eu", name="European Union", abbreviation="EU", kind="intergovernmental")
    for code, _org, joined, left in MEMBERSHIPS:
        ins(StateMembership, state_id=states[code], organization_id=eu, joined_on=joined, left_on=left)
    persons = {slug: ins(Person, slug=slug, name=name) for slug, name in PERSONS}
    offices: dict[str, int] = {}
    for person, state, title, capacity, start, end in POSITIONS:
        office = title.lower().replace(" ", "-")
        if office not in offices:
            offices[office] = ins(Office, slug=office, title=title, state_id=states[state])
        ins(
            Position,
            person_id=persons[person],
            office_id=offices[office],
            state_id=states[state],
            title=title,
            capacity=capacity,
            start_on=start,
            end_on=end,
        )
    events: dict[str, int] = {}
    for slug, name, kind, day, host in EVENTS:
        events[slug] = ins(
            Event,
            slug=slug,
            name=name,
            kind=kind,
            starts_on=day,
            date_precision="day",
            host_state_id=states[host] if host else None,
            parent_id=events["victory-day-parades"] if kind == "military_parade" else None,
            is_prospective=False,
        )
    ins(
        EventRelation,
        event_id=events["parade-2025"],
        relation="commemorates",
        related_event_id=events["japan-surrender-1945"],
        anniversary=80,
        source_id=sources["article"],
        source_quote="commemorate the 80th anniversary",
    )
    for event, person, state, role, capacity, description, claims in ATTENDANCE:
        attendance = ins(
            Attendance,
            event_id=events[event],
            person_id=persons[person] if person else None,
            state_id=states[state],
            role=role,
            capacity=capacity,
            description=description,
        )
        for status, day, source in claims:
            ins(
                AttendanceClaim,
                attendance_id=attendance,
                status=status,
                reported_on=day,
                source_id=sources[source],
                source_quote=f"{status} per {source}",
            )
    ins(
        AttendanceCount,
        event_id=events["parade-2025"],
        status="expected",
        capacity="head_of_state",
        count=26,
        description="other heads of state",
        reported_on=D(2025, 8, 28),
        source_id=sources["article"],
        source_quote="among 26 other heads of state",
    )
    ins(
        AttendanceCount,
        event_id=events["parade-2025"],
        status="confirmed",
        capacity="head_of_government",
        count=1,
        description="EU leaders",
        organization_id=eu,
        reported_on=D(2025, 8, 28),
        source_id=sources["article"],
        source_quote="only one EU leader",
    )
