"""Read-only mappings of the reporting views (created by migration a7c3e9f2b4d1,
ranked and joined by attendance_timeline and claim_conflicts in b7d9f1a3c5e7,
by source_citations in f2b4d6e8a0c1, and by office_holders in b3d5f7a9c1e2).

They live on their own ``VIEWS_METADATA``, not ``Base.metadata``, so
autogenerate and ``guestlist db check`` never try to create them as tables;
``info={"is_view": True}`` says the same to any tool that walks the tables.
Never call ``VIEWS_METADATA.create_all()``: the migration owns the DDL.

The column lists mirror the migration in order; ``tests/test_views.py``
checks them against the views the database actually has.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Date, Integer, MetaData, String, Table, Text

from . import vocab

VIEWS_METADATA = MetaData()

_VIEW = {"is_view": True}


def _participation_columns() -> list[Column[Any]]:
    """The columns attendance_report and attendance_history share."""
    return [
        Column("event_slug", String(120), comment="The event's slug."),
        Column("event_name", String(300), comment="The event's English name."),
        Column("event_kind", String(40), comment=vocab.sample(vocab.EVENT_KIND)),
        Column("event_date", Date, comment="First day of the event (ISO date)."),
        Column(
            "event_date_precision",
            String(10),
            comment=f"{vocab.listed(vocab.DATE_PRECISION)}: how much of event_date is known.",
        ),
        Column("event_city", String(200), comment="City of the event."),
        Column("host_state_code", String(3), comment="ISO 3166-1 alpha-3 code of the hosting state."),
        Column("person_slug", String(120), comment="The person's slug; NULL for an unnamed official."),
        Column("person_name", String(300), comment="The person's display name."),
        Column(
            "state_code",
            String(3),
            comment="ISO 3166-1 alpha-3 (ISO 3166-3 for historic states) of the state represented.",
        ),
        Column("state_name", String(200), comment="Short English name of the state represented."),
        Column("role", String(20), comment=f"{vocab.listed(vocab.ROLE)}."),
        Column("capacity", String(40), comment=vocab.sample(vocab.CAPACITY)),
        Column("status", String(20), comment=f"{vocab.listed(vocab.STATUS)}."),
        Column("reported_on", Date, comment="Date the source made this claim."),
        Column("source_slug", String(120), comment="Slug of the source of the claim."),
        Column("source_quote", String(500), comment="Short supporting quote from the source."),
        Column(
            "description", String(300), comment="How the source describes the participant, e.g. 'a senior official'."
        ),
        Column("organization_slug", String(120), comment="Body the participant acted for, if any."),
        Column("claim_note", Text, comment="Editor's note on how the claim was read."),
        Column("attendance_id", Integer, comment="Internal id of the participation (stable within one database)."),
        Column("claim_id", Integer, comment="Internal id of the claim; breaks ties between claims of one date."),
        Column("event_id", Integer, comment="Internal id of the event."),
        Column("person_id", Integer, comment="Internal id of the person."),
        Column("state_id", Integer, comment="Internal id of the state."),
        *_rank_columns(),
    ]


def _rank_columns() -> list[Column[Any]]:
    return [
        Column("rank", String(20), comment=f"{vocab.listed(vocab.RANK)}: a deprecated claim is never current."),
        Column("rank_reason", String(500), comment="Why the editor ranked the claim preferred or deprecated."),
    ]


attendance_report = Table(
    "attendance_report",
    VIEWS_METADATA,
    *_participation_columns(),
    comment="One row per participation with its current status: the latest non-deprecated claim by reported_on;"
    " on one day a preferred claim beats a normal one, then the higher claim_id.",
    info=_VIEW,
)

attendance_history = Table(
    "attendance_history",
    VIEWS_METADATA,
    *_participation_columns(),
    comment="One row per status claim, oldest first: how each participation's status developed.",
    info=_VIEW,
)

participation_counts = Table(
    "participation_counts",
    VIEWS_METADATA,
    Column("event_slug", String(120), comment="The event's slug."),
    Column("status", String(20), comment="Status the counted participants share."),
    Column("capacity", String(40), comment="Capacity of those counted, when stated."),
    Column("count", Integer, comment="The number; NULL for 'most', 'several', ..."),
    Column("description", String(300), comment="Who is counted, e.g. 'other heads of state'."),
    Column("reported_on", Date, comment="Date the source made the claim."),
    Column("source_slug", String(120), comment="Slug of the source."),
    Column("source_quote", String(500), comment="Short supporting quote from the source."),
    Column("quantifier", String(40), comment="The words used where no number is given, e.g. 'most'."),
    Column("organization_slug", String(120), comment="Bloc the count is about, e.g. 'eu'."),
    Column("count_id", Integer, comment="Internal id of the count claim."),
    Column("event_id", Integer, comment="Internal id of the event."),
    *_rank_columns(),
    comment="One row per aggregate claim about unnamed participants: '26 other heads of state'.",
    info=_VIEW,
)

event_summary = Table(
    "event_summary",
    VIEWS_METADATA,
    Column("event_slug", String(120), comment="The event's slug."),
    Column("event_name", String(300), comment="The event's English name."),
    Column("event_kind", String(40), comment=vocab.sample(vocab.EVENT_KIND)),
    Column("event_date", Date, comment="First day of the event (ISO date)."),
    Column("host_state_code", String(3), comment="ISO 3166-1 alpha-3 code of the hosting state."),
    Column(
        "named_participants", Integer, comment="Distinct named persons recorded for the event, whatever their status."
    ),
    Column(
        "states_represented",
        Integer,
        comment=f"Distinct states whose current status is {vocab.listed(vocab.PRESENT_STATUSES)}.",
    ),
    Column(
        "heads_present",
        Integer,
        comment=f"Distinct heads of state or government whose current status is {vocab.listed(vocab.PRESENT_STATUSES)}.",
    ),
    Column(
        "states_absent",
        Integer,
        comment=f"Distinct states whose current status is {vocab.listed(vocab.ABSENT_STATUSES)}.",
    ),
    Column(
        "event_date_precision",
        String(10),
        comment=f"{vocab.listed(vocab.DATE_PRECISION)}: how much of event_date is known.",
    ),
    Column("event_end_date", Date, comment="Last day of the event; NULL for one-day events."),
    Column("event_city", String(200), comment="City of the event."),
    Column("event_venue", String(300), comment="Venue of the event."),
    Column("parent_event_slug", String(120), comment="The series or larger event this one belongs to."),
    Column("event_id", Integer, comment="Internal id of the event."),
    Column("states_attended", Integer, comment="Distinct states with a participant whose current status is attended."),
    Column(
        "heads_attended",
        Integer,
        comment="Distinct heads of state or government whose current status is attended.",
    ),
    Column(
        "states_announced_only",
        Integer,
        comment=f"Distinct states with a participant whose current status is {vocab.listed(vocab.ANNOUNCED_STATUSES)} "
        "and none who attended.",
    ),
    comment="One row per event, including events with nobody recorded: who came, who stayed away.",
    info=_VIEW,
)

state_memberships = Table(
    "state_memberships",
    VIEWS_METADATA,
    Column("state_code", String(3), comment="ISO 3166-1 alpha-3 code of the member state."),
    Column("state_name", String(200), comment="Short English name of the member state."),
    Column("organization_slug", String(120), comment="Slug of the organization, e.g. 'eu'."),
    Column("organization_name", String(300), comment="English name of the organization."),
    Column("joined_on", Date, comment="First day of membership."),
    Column("left_on", Date, comment="Last day of membership; NULL while a member."),
    Column("organization_abbreviation", String(40), comment="Common abbreviation, e.g. 'EU'."),
    Column("organization_kind", String(40), comment=vocab.sample(vocab.ORGANIZATION_KIND, 2)),
    Column("state_id", Integer, comment="Internal id of the state."),
    Column("organization_id", Integer, comment="Internal id of the organization."),
    comment="One row per membership of a state in an organization, with its dates.",
    info=_VIEW,
)

event_relations = Table(
    "event_relations",
    VIEWS_METADATA,
    Column("event_slug", String(120), comment="Slug of the subject event."),
    Column("relation", String(40), comment=f"{vocab.listed(vocab.EVENT_RELATION)}."),
    Column("related_event_slug", String(120), comment="Slug of the object event."),
    Column("anniversary", Integer, comment="For commemorates: which anniversary."),
    Column("event_name", String(300), comment="English name of the subject event."),
    Column("related_event_name", String(300), comment="English name of the object event."),
    Column("related_event_date", Date, comment="First day of the object event."),
    Column("source_slug", String(120), comment="Slug of the source of the relation."),
    Column("source_quote", String(500), comment="Short supporting quote."),
    Column("event_id", Integer, comment="Internal id of the subject event."),
    Column("related_event_id", Integer, comment="Internal id of the object event."),
    comment="One row per typed relation between events: this parade commemorates that surrender.",
    info=_VIEW,
)

attendance_timeline = Table(
    "attendance_timeline",
    VIEWS_METADATA,
    *_participation_columns(),
    Column("valid_from", Date, comment="First day the claim was the current status: its reported_on."),
    Column(
        "valid_until",
        Date,
        comment="Day a later claim superseded it; NULL while current; equal to valid_from for a claim beaten on its own day.",
    ),
    comment="One row per non-deprecated claim with the days it was current: the status known on day D is"
    " WHERE valid_from <= D AND (valid_until IS NULL OR valid_until > D).",
    info=_VIEW,
)

claim_conflicts = Table(
    "claim_conflicts",
    VIEWS_METADATA,
    Column("event_slug", String(120), comment="The event's slug."),
    Column("event_name", String(300), comment="The event's English name."),
    Column("event_date", Date, comment="First day of the event (ISO date)."),
    Column("person_slug", String(120), comment="The person's slug; NULL for an unnamed official."),
    Column("person_name", String(300), comment="The person's display name."),
    Column("state_code", String(3), comment="ISO 3166-1 alpha-3 code of the state represented."),
    Column("state_name", String(200), comment="Short English name of the state represented."),
    Column("capacity", String(40), comment=vocab.sample(vocab.CAPACITY)),
    Column(
        "present_status",
        String(20),
        comment=f"The claim that puts the participant there: {vocab.listed(vocab.PRESENT_STATUSES)}.",
    ),
    Column("present_reported_on", Date, comment="Date of that claim."),
    Column("present_source_slug", String(120), comment="Its source."),
    Column("present_source_quote", String(500), comment="Its quote."),
    Column(
        "absent_status",
        String(20),
        comment=f"The claim that keeps the participant away: {vocab.listed(vocab.ABSENT_STATUSES)}.",
    ),
    Column("absent_reported_on", Date, comment="Date of that claim."),
    Column("absent_source_slug", String(120), comment="Its source."),
    Column("absent_source_quote", String(500), comment="Its quote."),
    Column("attendance_id", Integer, comment="Internal id of the participation."),
    Column("present_claim_id", Integer, comment="Internal id of the present claim."),
    Column("absent_claim_id", Integer, comment="Internal id of the absent claim."),
    Column("event_id", Integer, comment="Internal id of the event."),
    Column("person_id", Integer, comment="Internal id of the person."),
    Column("state_id", Integer, comment="Internal id of the state."),
    comment="Pairs of non-deprecated claims from two sources, one present and one absent, of the same day or both"
    " made on or after the event's first day: sources that must agree and do not. Deprecate one to settle it.",
    info=_VIEW,
)

source_citations = Table(
    "source_citations",
    VIEWS_METADATA,
    Column("slug", String(120), comment="The source's slug, as source_slug names it in the other views."),
    Column("publisher", String(200), comment="Outlet, ministry or maintainer."),
    Column("title", String(400), comment="Headline or title of the document."),
    Column("author", String(200), comment="Author or authors, as printed."),
    Column("published_on", Date, comment="Date of publication."),
    Column("url", String(1000), comment="Where the document can be read."),
    Column("retrieved_on", Date, comment="When it was read for this database."),
    Column("kind", String(40), comment=vocab.sample(vocab.SOURCE_KIND)),
    Column(
        "language",
        String(35),
        comment="BCP 47 tag of the language the document is written in, e.g. 'en', 'zh'; NULL when not shown.",
    ),
    comment="One row per source with the fields a citation needs: join it on source_slug to cite any claim.",
    info=_VIEW,
)


def _like(column: Any, name: str | None = None, comment: str | None = None) -> Column[Any]:
    """A view column read from a table column: its type, and its comment unless the view says more."""
    return Column(name or column.name, column.type, comment=comment or column.comment)


def _office_holders() -> Table:
    from .organizations import Organization
    from .persons import Office, Person, Position
    from .sources import Source
    from .states import State

    office, holding, person = Office.__table__.c, Position.__table__.c, Person.__table__.c
    return Table(
        "office_holders",
        VIEWS_METADATA,
        _like(State.__table__.c.code, "state_code", "ISO 3166-1 alpha-3 code of the state whose office it is."),
        _like(State.__table__.c.name, "state_name", "Short English name of the state."),
        _like(Organization.__table__.c.slug, "organization_slug", "The organization whose office it is, if any."),
        _like(office.slug, "office_slug", "The office's slug."),
        _like(office.title, "office_title"),
        _like(office.seats),
        _like(person.slug, "person_slug", "The holder's slug."),
        _like(person.name, "person_name", "The holder's display name."),
        _like(holding.title),
        _like(holding.capacity),
        _like(holding.tenure),
        _like(holding.evidence),
        _like(holding.start_on),
        _like(holding.end_on),
        _like(Source.__table__.c.slug, "source_slug", "Slug of the source of the holding's dates."),
        _like(holding.note),
        Column("position_id", Integer, comment="Internal id of the holding."),
        Column("office_id", Integer, comment="Internal id of the office."),
        Column("person_id", Integer, comment="Internal id of the person."),
        comment="One row per holding of an office: who held it, from and until when, as what (ordinary, acting, ...),"
        " on what evidence (a tenure, or one attested day), says which source. A holding counts on its start_on"
        " and up to, not on, its end_on (the successor's first day); an attestation only on its day.",
        info=_VIEW,
    )


office_holders = _office_holders()

ALL_VIEWS: tuple[Table, ...] = (
    attendance_report,
    attendance_history,
    participation_counts,
    event_summary,
    state_memberships,
    event_relations,
    attendance_timeline,
    claim_conflicts,
    source_citations,
    office_holders,
)
