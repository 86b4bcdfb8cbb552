"""The bundled seeds hold every fact group of the article, on every database.

One module-scoped database per dialect is loaded once with ``bundled()``;
each test asks it one group of questions through the ORM, the way a user
would, rather than reading the YAML back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pycountry
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from guestlist.models import (
    Attendance,
    AttendanceClaim,
    AttendanceCount,
    Event,
    EventNote,
    EventRelation,
    Organization,
    Person,
    PersonIdentifier,
    PersonName,
    Position,
    Source,
    State,
    StateMembership,
)
from guestlist.models.db import create_engine
from guestlist.seeds.loader import bundled, load

pytestmark = pytest.mark.dialects

ARTICLE = "imonmion-2025-08-kim-beijing-parade"
ARTICLE_TEXT = Path(__file__).resolve().parents[2] / "shared" / "source" / "article.txt"
PARADE = "beijing-victory-day-parade-2025"
PARADE_2015 = "beijing-victory-day-parade-2015"
PARADE_1959 = "beijing-national-day-parade-1959"
ARTICLE_DAY = dt.date(2025, 8, 28)


@pytest.fixture(scope="module")
def session(db: str) -> Iterator[Session]:
    """A read-only session on the module's database, seeded once with the bundled documents."""
    report = load(db, bundled())
    assert report.changed == 0 and report.added > 0
    engine = create_engine(db)
    with Session(engine) as s:
        yield s
    engine.dispose()


# --- helpers: the questions a user asks, as ORM queries -------------------------------------------------


def source_of(s: Session, row: object) -> Source:
    return s.get(Source, row.source_id)  # type: ignore[attr-defined]


def event(s: Session, slug: str) -> Event:
    return s.scalars(sa.select(Event).where(Event.slug == slug)).one()


def history(s: Session, event_slug: str, participant: str) -> list[tuple[str, dt.date, str]]:
    """(status, reported_on, source slug) of a participation, oldest first; participant is a person slug or state code."""
    person, state = aliased(Person), aliased(State)
    query = (
        sa.select(AttendanceClaim.status, AttendanceClaim.reported_on, Source.slug)
        .join(Attendance, AttendanceClaim.attendance_id == Attendance.id)
        .join(Event, Attendance.event_id == Event.id)
        .join(Source, AttendanceClaim.source_id == Source.id)
        .outerjoin(person, Attendance.person_id == person.id)
        .outerjoin(state, Attendance.state_id == state.id)
        .where(Event.slug == event_slug)
        .where(sa.or_(person.slug == participant, sa.and_(Attendance.person_id.is_(None), state.code == participant)))
        .order_by(AttendanceClaim.reported_on, AttendanceClaim.id)
    )
    return [tuple(row) for row in s.execute(query)]


def participation(s: Session, event_slug: str, person_slug: str) -> Attendance:
    return s.scalars(
        sa.select(Attendance).join(Event, Attendance.event_id == Event.id).join(Person, Attendance.person_id == Person.id)
        .where(Event.slug == event_slug, Person.slug == person_slug)
    ).one()


def article_claim(s: Session, event_slug: str, participant: str) -> str:
    """The status the article gives a participant."""
    statuses = [status for status, _, source in history(s, event_slug, participant) if source == ARTICLE]
    assert len(statuses) == 1, (event_slug, participant, statuses)
    return statuses[0]


def counts(s: Session, event_slug: str, source: str = ARTICLE) -> dict[str, AttendanceCount]:
    rows = s.scalars(
        sa.select(AttendanceCount).join(Event, AttendanceCount.event_id == Event.id)
        .join(Source, AttendanceCount.source_id == Source.id)
        .where(Event.slug == event_slug, Source.slug == source)
    ).all()
    return {c.description: c for c in rows}


def notes(s: Session, event_slug: str) -> dict[str, EventNote]:
    rows = s.scalars(sa.select(EventNote).join(Event, EventNote.event_id == Event.id).where(Event.slug == event_slug)).all()
    return {n.topic: n for n in rows}


def relations(s: Session, event_slug: str) -> set[tuple[str, str, int | None]]:
    subject, target = aliased(Event), aliased(Event)
    query = (
        sa.select(EventRelation.relation, target.slug, EventRelation.anniversary)
        .join(subject, EventRelation.event_id == subject.id)
        .join(target, EventRelation.related_event_id == target.id)
        .where(subject.slug == event_slug)
    )
    return {tuple(row) for row in s.execute(query)}


def members(s: Session, organization: str, on: dt.date) -> set[str]:
    query = (
        sa.select(State.code)
        .join(StateMembership, StateMembership.state_id == State.id)
        .join(Organization, StateMembership.organization_id == Organization.id)
        .where(Organization.slug == organization, StateMembership.joined_on <= on)
        .where(sa.or_(StateMembership.left_on.is_(None), StateMembership.left_on >= on))
    )
    return set(s.scalars(query))


def joined(s: Session, organization: str, code: str) -> tuple[dt.date, dt.date | None]:
    m = s.scalars(
        sa.select(StateMembership).join(Organization, StateMembership.organization_id == Organization.id)
        .join(State, StateMembership.state_id == State.id)
        .where(Organization.slug == organization, State.code == code)
    ).one()
    return m.joined_on, m.left_on


def office_on(s: Session, person_slug: str, day: dt.date) -> set[str]:
    query = (
        sa.select(Position.title).join(Person, Position.person_id == Person.id)
        .where(Person.slug == person_slug, Position.start_on <= day)
        .where(sa.or_(Position.end_on.is_(None), Position.end_on >= day))
    )
    return set(s.scalars(query))


# --- reference: states and organizations ---------------------------------------------------------------


def test_every_iso_3166_1_state_comes_from_pycountry(session: Session) -> None:
    codes = set(session.scalars(sa.select(State.code).where(State.valid_until.is_(None))))
    assert codes == {c.alpha_3 for c in pycountry.countries}
    prk = session.scalars(sa.select(State).where(State.code == "PRK")).one()
    assert (prk.alpha2, prk.numeric, prk.official_name) == ("KP", "408", "Democratic People's Republic of Korea")
    source = source_of(session, prk)
    assert source.kind == "reference_dataset" and "pycountry" in source.title


def test_the_ussr_is_historic_with_russia_as_successor(session: Session) -> None:
    ussr = session.scalars(sa.select(State).where(State.code == "SUN")).one()
    assert (ussr.alpha2, ussr.numeric, ussr.valid_until) == ("SU", "810", dt.date(1991, 12, 26))
    assert ussr.successor.code == "RUS"
    assert source_of(session, ussr).kind == "encyclopedia"


def test_eu_members_and_brexit(session: Session) -> None:
    assert joined(session, "eu", "GBR") == (dt.date(1973, 1, 1), dt.date(2020, 1, 31))
    assert "GBR" in members(session, "eu", dt.date(2020, 1, 31))
    assert "GBR" not in members(session, "eu", dt.date(2020, 2, 1))
    assert len(members(session, "eu", dt.date(2025, 9, 3))) == 27
    assert len(members(session, "eu", dt.date(2019, 12, 31))) == 28
    assert joined(session, "eu", "HRV") == (dt.date(2013, 7, 1), None)


def test_nato_enlargements_through_sweden(session: Session) -> None:
    assert len(members(session, "nato", dt.date(1949, 8, 24))) == 12
    assert joined(session, "nato", "FIN") == (dt.date(2023, 4, 4), None)
    assert joined(session, "nato", "SWE") == (dt.date(2024, 3, 7), None)
    assert "SWE" not in members(session, "nato", dt.date(2024, 3, 6))
    assert len(members(session, "nato", dt.date(2025, 9, 3))) == 32
    assert session.scalars(sa.select(Organization.kind).where(Organization.slug == "nato")).one() == "military_alliance"


def test_asean_sco_and_brics_members(session: Session) -> None:
    assert members(session, "asean", dt.date(1967, 8, 8)) == {"IDN", "MYS", "PHL", "SGP", "THA"}
    assert len(members(session, "asean", dt.date(2025, 9, 3))) == 10
    assert joined(session, "asean", "TLS") == (dt.date(2025, 10, 26), None)
    assert joined(session, "sco", "IND") == joined(session, "sco", "PAK") == (dt.date(2017, 6, 9), None)
    assert joined(session, "sco", "IRN") == (dt.date(2023, 7, 4), None)
    assert joined(session, "sco", "BLR") == (dt.date(2024, 7, 4), None)
    assert len(members(session, "sco", dt.date(2025, 9, 3))) == 10
    assert members(session, "brics", dt.date(2024, 1, 1)) - members(session, "brics", dt.date(2023, 12, 31)) == {
        "EGY", "ETH", "IRN", "ARE",
    }
    assert joined(session, "brics", "IDN") == (dt.date(2025, 1, 6), None)
    assert len(members(session, "brics", dt.date(2025, 9, 3))) == 10


def test_chinas_foreign_ministry(session: Session) -> None:
    mfa = session.scalars(sa.select(Organization).where(Organization.slug == "chn-mfa")).one()
    assert (mfa.kind, mfa.state.code) == ("ministry", "CHN")


# --- the article as a source ---------------------------------------------------------------------------


def test_article_source_says_what_is_inferred(session: Session) -> None:
    source = session.scalars(sa.select(Source).where(Source.slug == ARTICLE)).one()
    assert (source.kind, source.author, source.published_on, source.url) == (
        "news_article", "Esther Imonmion", ARTICLE_DAY, None,
    )
    assert "INFERRED" in source.note and "Thursday" in source.note and "next week" in source.note


def test_every_claim_and_count_carries_a_short_quote(session: Session) -> None:
    quotes = list(session.scalars(sa.select(AttendanceClaim.source_quote)))
    quotes += list(session.scalars(sa.select(AttendanceCount.source_quote)))
    assert quotes and all(q and len(q) < 200 for q in quotes)


def test_article_quotes_are_verbatim(session: Session) -> None:
    if not ARTICLE_TEXT.exists():
        pytest.skip(f"the article is not stored in the repository; {ARTICLE_TEXT} is absent")
    text = ARTICLE_TEXT.read_text(encoding="utf-8")
    article_id = session.scalars(sa.select(Source.id).where(Source.slug == ARTICLE)).one()
    quoted = [
        *session.scalars(sa.select(AttendanceClaim.source_quote).where(AttendanceClaim.source_id == article_id)),
        *session.scalars(sa.select(AttendanceCount.source_quote).where(AttendanceCount.source_id == article_id)),
        *session.scalars(sa.select(EventNote.source_quote).where(EventNote.source_id == article_id)),
        *session.scalars(sa.select(EventRelation.source_quote).where(EventRelation.source_id == article_id)),
        *session.scalars(sa.select(Event.source_quote).where(Event.source_id == article_id)),
    ]
    quoted = [q for q in quoted if q]
    assert len(quoted) > 40
    assert [q for q in quoted if q not in text] == []


# --- the 2025 parade -----------------------------------------------------------------------------------


def test_parade_2025_when_where_host_and_series(session: Session) -> None:
    parade = event(session, PARADE)
    assert (parade.kind, parade.starts_on, parade.date_precision) == ("military_parade", dt.date(2025, 9, 3), "day")
    assert (parade.city, parade.venue, parade.host_state.code) == ("Beijing", "Tiananmen Square", "CHN")
    assert (parade.parent.slug, parade.parent.kind) == ("victory-day-parades", "series")
    assert parade.is_prospective is False
    assert source_of(session, notes(session, PARADE)["date"]).slug == "xinhua-2025-06-24-parade-announced"


def test_parade_2025_commemorates_japans_surrender_80_years_on(session: Session) -> None:
    assert ("commemorates", "japan-surrender-1945", 80) in relations(session, PARADE)
    surrender = event(session, "japan-surrender-1945")
    assert (surrender.kind, surrender.starts_on, surrender.parent.slug) == ("surrender", dt.date(1945, 9, 2), "world-war-ii")


def test_parade_2025_duration_troops_and_equipment(session: Session) -> None:
    parade = event(session, PARADE)
    assert (parade.duration_minutes, parade.troops, parade.troops_description) == (70, None, "tens of thousands")
    by_topic = notes(session, PARADE)
    assert "anti-drone systems" in by_topic["equipment"].source_quote
    assert by_topic["force-structure"].source_quote == "the first full public display of its new military force structure"
    assert {"kim-first-multilateral-meeting", "first-north-korean-leader-since-1959", "kim-rarely-travels"} <= set(by_topic)
    assert all(source_of(session, by_topic[t]).slug == ARTICLE for t in by_topic if t != "date")


def test_xi_hosts_and_kim_and_putin_are_confirmed(session: Session) -> None:
    xi = participation(session, PARADE, "xi-jinping")
    assert (xi.role, xi.capacity, xi.state.code) == ("host", "head_of_state", "CHN")
    assert article_claim(session, PARADE, "xi-jinping") == "expected"
    for slug, state in (("kim-jong-un", "PRK"), ("vladimir-putin", "RUS")):
        guest = participation(session, PARADE, slug)
        assert (guest.role, guest.capacity, guest.state.code) == ("guest", "head_of_state", state)
        assert article_claim(session, PARADE, slug) == "confirmed"


def test_26_other_heads_of_state_expected(session: Session) -> None:
    count = counts(session, PARADE)["other heads of state"]
    assert (count.status, count.capacity, count.count, count.quantifier) == ("expected", "head_of_state", 26, None)
    assert "26 other heads of state" in count.source_quote


def test_leaders_of_myanmar_indonesia_and_malaysia_expected(session: Session) -> None:
    expected = {
        "min-aung-hlaing": ("MMR", "head_of_state"),
        "prabowo-subianto": ("IDN", "head_of_state"),
        "anwar-ibrahim": ("MYS", "head_of_government"),
    }
    for slug, (state, capacity) in expected.items():
        guest = participation(session, PARADE, slug)
        assert (guest.state.code, guest.capacity) == (state, capacity)
        assert article_claim(session, PARADE, slug) == "expected"


def test_fico_the_only_eu_leader_attending(session: Session) -> None:
    fico = participation(session, PARADE, "robert-fico")
    assert (fico.state.code, fico.capacity) == ("SVK", "head_of_government")
    assert article_claim(session, PARADE, "robert-fico") == "expected"
    count = counts(session, PARADE)["EU leaders attending"]
    assert (count.count, count.status) == (1, "expected")
    assert session.get(Organization, count.organization_id).slug == "eu"
    assert "SVK" in members(session, "eu", dt.date(2025, 9, 3))


def test_trump_not_attending_and_most_western_leaders_boycotting(session: Session) -> None:
    trump = participation(session, PARADE, "donald-trump")
    assert (trump.state.code, trump.capacity) == ("USA", "head_of_state")
    assert [status for status, _, _ in history(session, PARADE, "donald-trump")] == ["not_attending"]
    boycott = counts(session, PARADE)["Western leaders"]
    assert (boycott.status, boycott.count, boycott.quantifier) == ("boycotted", None, "most")


def test_status_history_expected_then_attended(session: Session) -> None:
    """Later reports add claims; the article's stay on record and the latest is the current status."""
    assert history(session, PARADE, "kim-jong-un") == [
        ("confirmed", ARTICLE_DAY, ARTICLE),
        ("confirmed", ARTICLE_DAY, "pakistantoday-2025-08-28-26-foreign-leaders"),
        ("attended", dt.date(2025, 9, 3), "thestar-2025-09-03-anwar-v-day-parade"),
        ("attended", dt.date(2025, 9, 3), "devdiscourse-2025-09-03-parade-draws-global-leaders"),
        ("attended", dt.date(2025, 9, 3), "ap-2025-09-03-world-leaders-joining-parade"),
    ]
    for slug in ("xi-jinping", "vladimir-putin", "min-aung-hlaing", "prabowo-subianto", "anwar-ibrahim", "robert-fico"):
        statuses = [status for status, _, _ in history(session, PARADE, slug)]
        assert statuses[-1] == "attended" and len(statuses) >= 2, slug
    assert counts(session, PARADE, "thestar-2025-09-03-anwar-v-day-parade")["foreign leaders"].count == 26


# --- earlier parades ------------------------------------------------------------------------------------


def test_2015_north_korea_sent_a_senior_official_not_its_leader(session: Session) -> None:
    parade = event(session, PARADE_2015)
    assert (parade.starts_on, parade.parent.slug) == (dt.date(2015, 9, 3), "victory-day-parades")
    assert ("commemorates", "japan-surrender-1945", 70) in relations(session, PARADE_2015)
    official = participation(session, PARADE_2015, "choe-ryong-hae")
    assert (official.state.code, official.capacity, official.description) == ("PRK", "senior_official", "a senior official")
    assert article_claim(session, PARADE_2015, "choe-ryong-hae") == "attended"
    assert article_claim(session, PARADE_2015, "kim-jong-un") == "not_attending"
    assert ("follows", PARADE_2015, None) in relations(session, PARADE)


def test_2015_europe_sent_heads_of_state_and_envoys(session: Session) -> None:
    by_description = counts(session, PARADE_2015)
    heads, envoys = by_description["European heads of state"], by_description["European top envoys"]
    assert (heads.status, heads.capacity, heads.count, heads.quantifier) == ("attended", "head_of_state", None, "multiple")
    assert (envoys.status, envoys.capacity, envoys.quantifier) == ("attended", "envoy", "multiple")
    for slug, state in (("milos-zeman", "CZE"), ("tomislav-nikolic", "SRB"), ("alexander-lukashenko", "BLR")):
        guest = participation(session, PARADE_2015, slug)
        assert guest.state.code == state
        assert history(session, PARADE_2015, slug)[-1][0] == "attended"
        assert source_of(session, guest.person).kind == "encyclopedia"


def test_1959_the_last_parade_a_north_korean_leader_joined(session: Session) -> None:
    parade = event(session, PARADE_1959)
    assert (parade.kind, parade.starts_on, parade.host_state.code) == ("military_parade", dt.date(1959, 10, 1), "CHN")
    leader = participation(session, PARADE_1959, "kim-il-sung")
    assert (leader.state.code, leader.description) == ("PRK", "a North Korean leader")
    assert article_claim(session, PARADE_1959, "kim-il-sung") == "attended"
    assert "Premier of North Korea" in office_on(session, "kim-il-sung", parade.starts_on)
    # No North Korean leader at a Chinese military parade between 1959 and 2025.
    heads = (
        sa.select(Event.slug).join(Attendance, Attendance.event_id == Event.id).join(State, Attendance.state_id == State.id)
        .join(AttendanceClaim, AttendanceClaim.attendance_id == Attendance.id)
        .where(Event.kind == "military_parade", State.code == "PRK", Attendance.capacity.in_(("head_of_state", "head_of_government")))
        .where(AttendanceClaim.status == "attended", Event.starts_on > dt.date(1959, 10, 1), Event.starts_on < dt.date(2025, 9, 3))
    )
    assert session.scalars(heads).all() == []


# --- Kim's meetings and visits -------------------------------------------------------------------------


def test_kim_met_putin_twice_since_the_invasion(session: Session) -> None:
    invasion = event(session, "russian-invasion-of-ukraine")
    assert (invasion.kind, invasion.starts_on) == ("war", dt.date(2022, 2, 24))
    kim, putin = aliased(Attendance), aliased(Attendance)
    kim_p, putin_p = aliased(Person), aliased(Person)
    meetings = session.scalars(
        sa.select(Event).join(kim, kim.event_id == Event.id).join(kim_p, kim.person_id == kim_p.id)
        .join(putin, putin.event_id == Event.id).join(putin_p, putin.person_id == putin_p.id)
        .where(kim_p.slug == "kim-jong-un", putin_p.slug == "vladimir-putin")
        .where(Event.starts_on > invasion.starts_on, Event.is_prospective.is_(False), Event.kind != "military_parade")
        .order_by(Event.starts_on)
    ).all()
    assert [(m.starts_on, m.host_state.code) for m in meetings] == [(dt.date(2023, 9, 13), "RUS"), (dt.date(2024, 6, 19), "PRK")]
    assert meetings[0].venue.startswith("Vostochny") and meetings[1].city == "Pyongyang"
    for meeting in meetings:
        assert article_claim(session, meeting.slug, "kim-jong-un") == "attended"
        assert ("follows", "russian-invasion-of-ukraine", None) in relations(session, meeting.slug)


def test_kims_last_beijing_visit_six_years_earlier(session: Session) -> None:
    visit = event(session, "kim-jong-un-visit-to-china-2019")
    assert (visit.city, visit.host_state.code, visit.starts_on, visit.ends_on) == (
        "Beijing", "CHN", dt.date(2019, 1, 7), dt.date(2019, 1, 10),
    )
    assert event(session, PARADE).starts_on.year - visit.starts_on.year == 6
    assert ("follows", visit.slug, None) in relations(session, PARADE)
    assert article_claim(session, visit.slug, "kim-jong-un") == "attended"


# --- the briefing and prospective events ----------------------------------------------------------------


def test_foreign_ministry_briefing_on_the_thursday_before(session: Session) -> None:
    briefing = event(session, "china-mfa-press-briefing-2025-08-28")
    assert (briefing.kind, briefing.starts_on, briefing.starts_on.strftime("%A")) == ("press_briefing", ARTICLE_DAY, "Thursday")
    by_topic = notes(session, briefing.slug)
    assert "“traditional friend”" in by_topic["north-korea"].source_quote
    assert "“regional peace and stability.”" in by_topic["cooperation"].source_quote
    speaker = session.scalars(sa.select(Attendance).where(Attendance.event_id == briefing.id)).one()
    assert (speaker.person_id, speaker.state.code, speaker.organization.slug, speaker.role) == (None, "CHN", "chn-mfa", "host")
    assert article_claim(session, briefing.slug, "CHN") == "attended"
    assert ("precedes", PARADE, None) in relations(session, briefing.slug)


def test_prospective_events(session: Session) -> None:
    meeting = event(session, "trump-kim-meeting-sought-2025")
    visit = event(session, "trump-asia-visit-possible-2025")
    assert meeting.is_prospective and visit.is_prospective
    assert (meeting.kind, meeting.starts_on, visit.starts_on) == ("bilateral_meeting", None, None)
    assert "tariffs deal" in visit.source_quote
    assert article_claim(session, meeting.slug, "donald-trump") == "expected"
    assert article_claim(session, meeting.slug, "kim-jong-un") == "expected"
    assert article_claim(session, visit.slug, "donald-trump") == "expected"
    prospective = set(session.scalars(sa.select(Event.slug).where(Event.is_prospective.is_(True))))
    assert prospective == {meeting.slug, visit.slug, "xi-trump-talks-forthcoming-2025"}


# --- persons -------------------------------------------------------------------------------------------


def test_people_named_only_by_office_have_names_from_their_own_sources(session: Session) -> None:
    cases = {
        "prabowo-subianto": (PARADE, ARTICLE_DAY, "President of Indonesia"),
        "anwar-ibrahim": (PARADE, ARTICLE_DAY, "Prime Minister of Malaysia"),
        "kim-il-sung": (PARADE_1959, dt.date(1959, 10, 1), "Premier of North Korea"),
        "choe-ryong-hae": (PARADE_2015, dt.date(2015, 9, 3), None),
    }
    for slug, (event_slug, day, office) in cases.items():
        person = session.scalars(sa.select(Person).where(Person.slug == slug)).one()
        source = source_of(session, person)
        assert source.kind == "encyclopedia" and source.slug != ARTICLE, slug
        assert source.url.startswith("https://en.wikipedia.org/wiki/"), slug
        if office:
            assert office in office_on(session, slug, day), slug
        sources = {source for _, _, source in history(session, event_slug, slug)}
        assert ARTICLE in sources and len(sources) >= 2, slug  # the article's claim, and an identifying report


def test_main_persons_offices_identifiers_and_names(session: Session) -> None:
    assert office_on(session, "vladimir-putin", dt.date(2025, 9, 3)) == {"President of Russia"}
    assert office_on(session, "vladimir-putin", dt.date(2010, 1, 1)) == {"Prime Minister of Russia"}
    assert "President of the People's Republic of China" in office_on(session, "xi-jinping", dt.date(2025, 9, 3))
    assert office_on(session, "donald-trump", dt.date(2025, 8, 28)) == {"President of the United States"}
    assert office_on(session, "donald-trump", dt.date(2022, 1, 1)) == set()
    assert office_on(session, "robert-fico", dt.date(2025, 9, 3)) == {"Prime Minister of Slovakia"}
    assert "Supreme Leader of North Korea" in office_on(session, "kim-jong-un", dt.date(2025, 9, 3))
    assert "Acting President of Myanmar" in office_on(session, "min-aung-hlaing", dt.date(2025, 9, 3))
    qids = dict(
        session.execute(
            sa.select(Person.slug, PersonIdentifier.identifier).join(PersonIdentifier, PersonIdentifier.person_id == Person.id)
            .where(PersonIdentifier.scheme == "wikidata")
        ).all()
    )
    assert qids == {"kim-jong-un": "Q56226", "vladimir-putin": "Q7747", "xi-jinping": "Q15031", "donald-trump": "Q22686"}
    names = dict(session.execute(sa.select(PersonName.name, Person.slug).join(Person, PersonName.person_id == Person.id)).all())
    assert (names["Kim Jong-un"], names["김정은"], names["习近平"], names["Владимир Путин"]) == (
        "kim-jong-un", "kim-jong-un", "xi-jinping", "vladimir-putin",
    )
