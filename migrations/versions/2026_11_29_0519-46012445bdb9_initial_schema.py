"""initial schema

Revision ID: 46012445bdb9
Revises: (none)
Create Date: 2026-11-29 05:19:26.357884

The tables for states, organizations and memberships, persons with their
names, identifiers and offices, sources, events with their relations and
notes, and attendance with its status claims and aggregate counts.
Reviewed by hand against models/.

Data: downgrade() drops every table and so every row; it is the way back to
an empty database, not a step that can keep data.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '46012445bdb9'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
keeps_data: bool = False  # downgrade() drops every row: refused while rows exist (guestlist.models.db.migration_guard)


def upgrade() -> None:
    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False, comment="Natural key, e.g. 'article-2025-parade'."),
    sa.Column('title', sa.String(length=400), nullable=False, comment='Headline or title of the document.'),
    sa.Column('kind', sa.String(length=40), nullable=False, comment='news_article, official_briefing, reference_dataset, ...'),
    sa.Column('author', sa.String(length=200), nullable=True, comment='Author or authors, as printed.'),
    sa.Column('publisher', sa.String(length=200), nullable=True, comment='Outlet, ministry or maintainer.'),
    sa.Column('published_on', sa.Date(), nullable=True, comment='Date of publication.'),
    sa.Column('url', sa.String(length=1000), nullable=True, comment='Where the document can be read.'),
    sa.Column('retrieved_on', sa.Date(), nullable=True, comment='When it was read for this database.'),
    sa.Column('note', sa.Text(), nullable=True, comment="Free text about the source's reliability or scope."),
    sa.CheckConstraint("kind IN ('news_article', 'official_briefing', 'press_release', 'reference_dataset', 'encyclopedia', 'treaty', 'other')", name=op.f('ck_sources_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('slug', name=op.f('uq_sources_slug')),
    comment='Documents that facts are taken from; every claim names one.',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin'
    )
    op.create_table('persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False, comment="Natural key, e.g. 'kim-jong-un'."),
    sa.Column('name', sa.String(length=300), nullable=False, comment='Display name in English.'),
    sa.Column('sort_name', sa.String(length=300), nullable=True, comment='Name for sorting, family name first.'),
    sa.Column('birth_date', sa.Date(), nullable=True, comment='Date of birth, where established.'),
    sa.Column('source_id', sa.Integer(), nullable=True, comment='Where the person is identified.'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_persons_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons')),
    sa.UniqueConstraint('slug', name=op.f('uq_persons_slug')),
    comment='People who attend, host or stay away from events.',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin'
    )
    op.create_table('states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=3), nullable=False, comment='ISO 3166-1 alpha-3 code; the natural key.'),
    sa.Column('alpha2', sa.String(length=2), nullable=True, comment='ISO 3166-1 alpha-2 code.'),
    sa.Column('numeric', sa.String(length=3), nullable=True, comment='ISO 3166-1 numeric code, zero-padded.'),
    sa.Column('name', sa.String(length=200), nullable=False, comment='Short English name.'),
    sa.Column('official_name', sa.String(length=300), nullable=True, comment='Official English name.'),
    sa.Column('valid_from', sa.Date(), nullable=True, comment='First day the state existed, where known.'),
    sa.Column('valid_until', sa.Date(), nullable=True, comment='Last day the state existed; NULL while it exists.'),
    sa.Column('successor_id', sa.Integer(), nullable=True, comment='The state that continued this one (Russia for the USSR).'),
    sa.Column('source_id', sa.Integer(), nullable=True, comment='Reference the row came from.'),
    sa.CheckConstraint('valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from', name=op.f('ck_states_valid_until_not_before_valid_from')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_states_source_id_sources')),
    sa.ForeignKeyConstraint(['successor_id'], ['states.id'], name=op.f('fk_states_successor_id_states')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_states')),
    sa.UniqueConstraint('code', name=op.f('uq_states_code')),
    comment='States by ISO 3166-1 alpha-3 code, including historic ones (ISO 3166-3).',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin'
    )
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False, comment="Natural key, e.g. 'beijing-victory-day-parade-2025'."),
    sa.Column('name', sa.String(length=300), nullable=False, comment='English name.'),
    sa.Column('kind', sa.String(length=40), nullable=False, comment='military_parade, summit, state_visit, ...'),
    sa.Column('starts_on', sa.Date(), nullable=True, comment='First day; NULL when not yet known.'),
    sa.Column('ends_on', sa.Date(), nullable=True, comment='Last day; NULL for one-day events.'),
    sa.Column('date_precision', sa.String(length=10), nullable=False, comment='day, month or year: how much of starts_on is known.'),
    sa.Column('city', sa.String(length=200), nullable=True, comment='City, in English.'),
    sa.Column('venue', sa.String(length=300), nullable=True, comment="Venue, e.g. 'Tiananmen Square'."),
    sa.Column('host_state_id', sa.Integer(), nullable=True, comment='The hosting state.'),
    sa.Column('parent_id', sa.Integer(), nullable=True, comment='The series or larger event this belongs to.'),
    sa.Column('duration_minutes', sa.Integer(), nullable=True, comment='Stated duration in minutes.'),
    sa.Column('troops', sa.Integer(), nullable=True, comment='Stated number of troops, where a number is given.'),
    sa.Column('troops_description', sa.String(length=200), nullable=True, comment="Troop strength as worded, e.g. 'tens of thousands'."),
    sa.Column('is_prospective', sa.Boolean(), nullable=False, comment='True for an event only wished for or planned, not scheduled.'),
    sa.Column('description', sa.Text(), nullable=True, comment='Short neutral description.'),
    sa.Column('source_id', sa.Integer(), nullable=True, comment="Source of the event's facts."),
    sa.Column('source_quote', sa.String(length=500), nullable=True, comment='Short supporting quote.'),
    sa.CheckConstraint("date_precision IN ('day', 'month', 'year')", name=op.f('ck_events_date_precision')),
    sa.CheckConstraint("kind IN ('military_parade', 'summit', 'state_visit', 'official_visit', 'bilateral_meeting', 'press_briefing', 'commemoration', 'series', 'war', 'surrender', 'visit', 'other')", name=op.f('ck_events_kind')),
    sa.CheckConstraint('duration_minutes IS NULL OR duration_minutes > 0', name=op.f('ck_events_duration_positive')),
    sa.CheckConstraint('ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on', name=op.f('ck_events_ends_on_not_before_starts_on')),
    sa.CheckConstraint('troops IS NULL OR troops >= 0', name=op.f('ck_events_troops_not_negative')),
    sa.ForeignKeyConstraint(['host_state_id'], ['states.id'], name=op.f('fk_events_host_state_id_states')),
    sa.ForeignKeyConstraint(['parent_id'], ['events.id'], name=op.f('fk_events_parent_id_events')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_events_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('slug', name=op.f('uq_events_slug')),
    comment='State events: parades, summits, visits, meetings, briefings, and series of them.',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin'
    )
    op.create_index(op.f('ix_events_host_state_id'), 'events', ['host_state_id'], unique=False)
    op.create_index(op.f('ix_events_parent_id'), 'events', ['parent_id'], unique=False)

    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False, comment="Natural key, e.g. 'eu', 'chn-mfa'."),
    sa.Column('name', sa.String(length=300), nullable=False, comment='English name.'),
    sa.Column('abbreviation', sa.String(length=40), nullable=True, comment="Common abbreviation, e.g. 'EU'."),
    sa.Column('kind', sa.String(length=40), nullable=False, comment='intergovernmental, military_alliance, ministry, ...'),
    sa.Column('parent_id', sa.Integer(), nullable=True, comment='Enclosing organization, e.g. a government for its ministry.'),
    sa.Column('state_id', sa.Integer(), nullable=True, comment='The state a national body belongs to.'),
    sa.Column('founded_on', sa.Date(), nullable=True, comment='Founding date, where known.'),
    sa.Column('dissolved_on', sa.Date(), nullable=True, comment='Dissolution date; NULL while it exists.'),
    sa.Column('source_id', sa.Integer(), nullable=True, comment='Reference the row came from.'),
    sa.CheckConstraint("kind IN ('intergovernmental', 'military_alliance', 'economic_bloc', 'ministry', 'government', 'armed_forces', 'party', 'other')", name=op.f('ck_organizations_kind')),
    sa.CheckConstraint('dissolved_on IS NULL OR founded_on IS NULL OR dissolved_on >= founded_on', name=op.f('ck_organizations_dissolved_on_not_before_founded_on')),
    sa.ForeignKeyConstraint(['parent_id'], ['organizations.id'], name=op.f('fk_organizations_parent_id_organizations')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_organizations_source_id_sources')),
    sa.ForeignKeyConstraint(['state_id'], ['states.id'], name=op.f('fk_organizations_state_id_states')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
    sa.UniqueConstraint('slug', name=op.f('uq_organizations_slug')),
    comment='Blocs, alliances and national bodies such as foreign ministries.',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin'
    )
    op.create_table('person_identifiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False, comment='The person identified.'),
    sa.Column('scheme', sa.String(length=40), nullable=False, comment="Identifier scheme, e.g. 'wikidata'."),
    sa.Column('identifier', sa.String(length=200), nullable=False, comment="The identifier, e.g. 'Q56226'."),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_person_identifiers_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_identifiers')),
    sa.UniqueConstraint('person_id', 'scheme', name=op.f('uq_person_identifiers_person_id_scheme')),
    sa.UniqueConstraint('scheme', 'identifier', name=op.f('uq_person_identifiers_scheme_identifier')),
    comment='External identifiers of persons, e.g. Wikidata QIDs.',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin'
    )
    op.create_table('person_names',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False, comment='The person so named.'),
    sa.Column('name', sa.String(length=300), nullable=False, comment='The other name.'),
    sa.Column('kind', sa.String(length=40), nullable=False, comment='alternate, transliteration, native, ...'),
    sa.Column('lang', sa.String(length=16), nullable=True, comment="BCP 47 language tag of the name, e.g. 'ko'."),
    sa.Column('note', sa.String(length=300), nullable=True, comment='e.g. the romanization scheme.'),
    sa.CheckConstraint("kind IN ('alternate', 'transliteration', 'native', 'former', 'nickname')", name=op.f('ck_person_names_kind')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_person_names_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_names')),
    sa.UniqueConstraint('person_id', 'name', name=op.f('uq_person_names_person_id_name')),
    comment='Other names, spellings and transliterations of persons.',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin'
    )
    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False, comment='The event.'),
    sa.Column('person_id', sa.Integer(), nullable=True, comment='The person; NULL for an unnamed representative.'),
    sa.Column('state_id', sa.Integer(), nullable=True, comment='The state represented; NULL for a private person.'),
    sa.Column('organization_id', sa.Integer(), nullable=True, comment='Body acted for, e.g. a foreign ministry at its own briefing.'),
    sa.Column('participant_key', sa.Integer(), sa.Computed('CASE WHEN person_id IS NULL THEN -state_id ELSE person_id END', persisted=True), nullable=True, comment='Derived: person_id, or minus state_id when no person is named.'),
    sa.Column('role', sa.String(length=20), nullable=False, comment='host, guest or participant.'),
    sa.Column('capacity', sa.String(length=40), nullable=False, comment='head_of_state, head_of_government, senior_official, ...'),
    sa.Column('description', sa.String(length=300), nullable=True, comment="How the document describes the participant, e.g. 'a senior official'."),
    sa.CheckConstraint("capacity IN ('head_of_state', 'head_of_government', 'senior_official', 'minister', 'envoy', 'military', 'other')", name=op.f('ck_attendance_capacity')),
    sa.CheckConstraint("role IN ('host', 'guest', 'participant')", name=op.f('ck_attendance_role')),
    sa.CheckConstraint('person_id IS NOT NULL OR state_id IS NOT NULL', name=op.f('ck_attendance_has_person_or_state')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_attendance_event_id_events')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_attendance_organization_id_organizations')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_attendance_person_id_persons')),
    sa.ForeignKeyConstraint(['state_id'], ['states.id'], name=op.f('fk_attendance_state_id_states')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('event_id', 'participant_key', name=op.f('uq_attendance_event_id_participant_key')),
    comment='One row per (event, participant): a person, a state, or a person for a state.',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin'
    )
    op.create_index(op.f('ix_attendance_person_id'), 'attendance', ['person_id'], unique=False)
    op.create_index(op.f('ix_attendance_state_id'), 'attendance', ['state_id'], unique=False)

    op.create_table('attendance_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False, comment='The event.'),
    sa.Column('status', sa.String(length=20), nullable=False, comment='Status the counted participants share.'),
    sa.Column('capacity', sa.String(length=40), nullable=True, comment='Capacity of those counted, when stated.'),
    sa.Column('count', sa.Integer(), nullable=True, comment="The number; NULL for 'most', 'several', ..."),
    sa.Column('quantifier', sa.String(length=40), nullable=True, comment="The words used where no exact number is given, e.g. 'most', 'multiple'."),
    sa.Column('description', sa.String(length=300), nullable=False, comment="Who is counted, e.g. 'other heads of state'."),
    sa.Column('organization_id', sa.Integer(), nullable=True, comment='Bloc the count is about, e.g. the EU.'),
    sa.Column('reported_on', sa.Date(), nullable=False, comment='Date the source made the claim.'),
    sa.Column('source_id', sa.Integer(), nullable=False, comment='The source.'),
    sa.Column('source_quote', sa.String(length=500), nullable=False, comment='Short supporting quote from the source.'),
    sa.CheckConstraint("capacity IN ('head_of_state', 'head_of_government', 'senior_official', 'minister', 'envoy', 'military', 'other')", name=op.f('ck_attendance_counts_capacity')),
    sa.CheckConstraint("status IN ('expected', 'confirmed', 'attended', 'declined', 'boycotted', 'not_attending')", name=op.f('ck_attendance_counts_status')),
    sa.CheckConstraint('count IS NULL OR count >= 0', name=op.f('ck_attendance_counts_count_not_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_attendance_counts_event_id_events')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_attendance_counts_organization_id_organizations')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_attendance_counts_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_counts')),
    sa.UniqueConstraint('event_id', 'source_id', 'description', name=op.f('uq_attendance_counts_event_id_source_id_description')),
    comment="Aggregate, unnamed participation claims, e.g. 'most Western leaders will boycott'.",
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin'
    )
    op.create_index(op.f('ix_attendance_counts_event_id'), 'attendance_counts', ['event_id'], unique=False)

    op.create_table('event_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False, comment='The event.'),
    sa.Column('topic', sa.String(length=80), nullable=False, comment="Short key, e.g. 'equipment', 'significance'."),
    sa.Column('text', sa.Text(), nullable=False, comment='The fact, in a sentence.'),
    sa.Column('source_id', sa.Integer(), nullable=False, comment='Source of the fact.'),
    sa.Column('source_quote', sa.String(length=500), nullable=True, comment='Short supporting quote.'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_notes_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_event_notes_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_notes')),
    sa.UniqueConstraint('event_id', 'topic', name=op.f('uq_event_notes_event_id_topic')),
    comment="Other sourced facts about events, one per topic, e.g. 'equipment'.",
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin'
    )
    op.create_table('event_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False, comment='Subject event.'),
    sa.Column('relation', sa.String(length=40), nullable=False, comment='commemorates, part_of, follows, precedes, responds_to.'),
    sa.Column('related_event_id', sa.Integer(), nullable=False, comment='Object event.'),
    sa.Column('anniversary', sa.Integer(), nullable=True, comment='For commemorates: which anniversary.'),
    sa.Column('source_id', sa.Integer(), nullable=True, comment='Source of the relation.'),
    sa.Column('source_quote', sa.String(length=500), nullable=True, comment='Short supporting quote.'),
    sa.CheckConstraint("relation IN ('commemorates', 'part_of', 'follows', 'precedes', 'responds_to')", name=op.f('ck_event_links_relation')),
    sa.CheckConstraint('anniversary IS NULL OR anniversary > 0', name=op.f('ck_event_links_anniversary_positive')),
    sa.CheckConstraint('event_id <> related_event_id', name=op.f('ck_event_links_not_self')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_links_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['related_event_id'], ['events.id'], name=op.f('fk_event_links_related_event_id_events')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_event_links_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_links')),
    sa.UniqueConstraint('event_id', 'relation', 'related_event_id', name=op.f('uq_event_links_event_id_relation_related_event_id')),
    comment='Typed relations between events: commemorates, part_of, follows, ...',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin'
    )
    op.create_index(op.f('ix_event_links_related_event_id'), 'event_links', ['related_event_id'], unique=False)

    op.create_table('positions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False, comment='The office holder.'),
    sa.Column('state_id', sa.Integer(), nullable=True, comment='State served.'),
    sa.Column('organization_id', sa.Integer(), nullable=True, comment='Organization served, e.g. a party or ministry.'),
    sa.Column('title', sa.String(length=200), nullable=False, comment="Title of the office, e.g. 'President of Russia'."),
    sa.Column('capacity', sa.String(length=40), nullable=False, comment='head_of_state, head_of_government, minister, ...'),
    sa.Column('start_on', sa.Date(), nullable=False, comment='First day in office.'),
    sa.Column('end_on', sa.Date(), nullable=True, comment='Last day in office; NULL while in office.'),
    sa.Column('source_id', sa.Integer(), nullable=True, comment='Reference for the office.'),
    sa.Column('note', sa.Text(), nullable=True, comment='Free text, e.g. how the office was attained.'),
    sa.CheckConstraint("capacity IN ('head_of_state', 'head_of_government', 'senior_official', 'minister', 'envoy', 'military', 'other')", name=op.f('ck_positions_capacity')),
    sa.CheckConstraint('end_on IS NULL OR start_on IS NULL OR end_on >= start_on', name=op.f('ck_positions_end_on_not_before_start_on')),
    sa.CheckConstraint('state_id IS NOT NULL OR organization_id IS NOT NULL', name=op.f('ck_positions_has_state_or_organization')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_positions_organization_id_organizations')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_positions_person_id_persons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_positions_source_id_sources')),
    sa.ForeignKeyConstraint(['state_id'], ['states.id'], name=op.f('fk_positions_state_id_states')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_positions')),
    sa.UniqueConstraint('person_id', 'title', 'start_on', name=op.f('uq_positions_person_id_title_start_on')),
    comment="Offices held by persons, with dates, for 'what was X on the day' queries.",
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin'
    )
    op.create_index(op.f('ix_positions_organization_id'), 'positions', ['organization_id'], unique=False)
    op.create_index(op.f('ix_positions_state_id'), 'positions', ['state_id'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state_id', sa.Integer(), nullable=False, comment='Member state.'),
    sa.Column('organization_id', sa.Integer(), nullable=False, comment='The organization joined.'),
    sa.Column('joined_on', sa.Date(), nullable=False, comment='Date membership began.'),
    sa.Column('left_on', sa.Date(), nullable=True, comment='Last day of membership; NULL while a member.'),
    sa.Column('source_id', sa.Integer(), nullable=True, comment='Reference for the dates.'),
    sa.CheckConstraint('left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on', name=op.f('ck_memberships_left_on_not_before_joined_on')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_memberships_organization_id_organizations')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_memberships_source_id_sources')),
    sa.ForeignKeyConstraint(['state_id'], ['states.id'], name=op.f('fk_memberships_state_id_states')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('state_id', 'organization_id', 'joined_on', name=op.f('uq_memberships_state_id_organization_id_joined_on')),
    comment='Which states belonged to which organizations, and when.',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin'
    )
    op.create_index(op.f('ix_memberships_organization_id'), 'memberships', ['organization_id'], unique=False)
    op.create_index(op.f('ix_memberships_state_id'), 'memberships', ['state_id'], unique=False)

    op.create_table('attendance_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attendance_id', sa.Integer(), nullable=False, comment='The participation the claim is about.'),
    sa.Column('status', sa.String(length=20), nullable=False, comment='expected, confirmed, attended, declined, boycotted, not_attending.'),
    sa.Column('reported_on', sa.Date(), nullable=False, comment='Date the source made the claim.'),
    sa.Column('source_id', sa.Integer(), nullable=False, comment='The source.'),
    sa.Column('source_quote', sa.String(length=500), nullable=False, comment='Short supporting quote from the source.'),
    sa.Column('note', sa.Text(), nullable=True, comment="Editor's note on how the claim was read."),
    sa.CheckConstraint("status IN ('expected', 'confirmed', 'attended', 'declined', 'boycotted', 'not_attending')", name=op.f('ck_attendance_claims_status')),
    sa.ForeignKeyConstraint(['attendance_id'], ['attendance.id'], name=op.f('fk_attendance_claims_attendance_id_attendance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_attendance_claims_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_claims')),
    sa.UniqueConstraint('attendance_id', 'source_id', 'reported_on', name=op.f('uq_attendance_claims_attendance_id_source_id_reported_on')),
    comment='Status history of each participation; the latest claim is the current status.',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_bin'
    )
    op.create_index(op.f('ix_attendance_claims_latest'), 'attendance_claims', ['attendance_id', 'reported_on', 'id'], unique=False)
    op.create_index(op.f('ix_attendance_claims_source_id'), 'attendance_claims', ['source_id'], unique=False)



def downgrade() -> None:
    """Drop every table, children first; their indexes go with them."""
    op.drop_table('attendance_claims')
    op.drop_table('memberships')
    op.drop_table('positions')
    op.drop_table('event_links')
    op.drop_table('event_notes')
    op.drop_table('attendance_counts')
    op.drop_table('attendance')
    op.drop_table('person_names')
    op.drop_table('person_identifiers')
    op.drop_table('organizations')
    op.drop_table('events')
    op.drop_table('states')
    op.drop_table('persons')
    op.drop_table('sources')
