"""offices: how many hold each at once, how each holding was held, and office_holders

Revision ID: b3d5f7a9c1e2
Revises: a8c0e2f4b6d8
Create Date: 2026-12-08 01:00:00

A position named its office only by its title, so nothing could say that
South Korea has one president at a time, and nothing stopped a document
from recording two. The new table ``offices`` holds each office once, with
``seats``: how many hold it at once (three for the members of Bosnia and
Herzegovina's Presidency). ``positions`` gains:

- ``office_id``: the office held (required);
- ``tenure``: ordinary, acting, disputed or in_exile: an acting holder is
  recorded as such, not as a second ordinary holder;
- ``evidence``: tenure (the dates of taking and leaving office) or attested
  (one day on which a report gives the title; start_on = end_on).

``end_on`` now reads as the day the holding passed on (the successor's
first day), as the record already dates handovers; its comment says so.

The view ``office_holders`` lists every holding with its office, state,
person and source; its name and columns join the contract of
a7c3e9f2b4d1 (columns may be added, never renamed or dropped).

Upgrade: every stored position gets an office. A title beginning "Acting "
holds the office named by the rest of it ("Acting President of Russia"
holds "President of Russia"), with tenure acting; every other title is
its own office, with one seat. Offices are keyed by a slug made from the
title (with -2, -3, ... where two states' titles fold alike).

Data: downgrade() drops the view, the table ``offices`` and the holdings'
office, tenure and evidence: it loses the offices' seats, slugs, sources
and notes, and what each holding says of how it was held, which no older
schema can hold and no upgrade can restore. The guard refuses it without
--allow-data-loss (export the seeds first).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b3d5f7a9c1e2"
down_revision: str | Sequence[str] | None = "a8c0e2f4b6d8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
keeps_data: bool = False  # downgrade() loses the offices (guestlist.models.db.migration_guard)

# Copied, not imported from guestlist.models.vocab: a revision keeps creating what it created.
TENURE = ("ordinary", "acting", "disputed", "in_exile")
EVIDENCE = ("tenure", "attested")
ACTING = "Acting "

TENURE_COMMENT = "ordinary, acting, disputed or in_exile: an acting holder or a claimant is never a second ordinary holder."
EVIDENCE_COMMENT = "tenure or attested: dates of taking and leaving office, or one day a report gives the title."
COMMENTS = {  # column -> (comment before, comment after)
    "title": ("Title of the office, e.g. 'President of Russia'.", "Title as held, e.g. 'Acting President of Russia'."),
    "start_on": ("First day in office.", "First day in office (the attested day, for an attestation)."),
    "end_on": (
        "Last day in office; NULL while in office.",
        "Day the holding ended, which belongs to a successor; NULL while no end is recorded.",
    ),
}

VIEW = "office_holders"
VIEW_SQL = """
SELECT
    s.code AS state_code,
    s.name AS state_name,
    org.slug AS organization_slug,
    o.slug AS office_slug,
    o.title AS office_title,
    o.seats AS seats,
    p.slug AS person_slug,
    p.name AS person_name,
    h.title AS title,
    h.capacity AS capacity,
    h.tenure AS tenure,
    h.evidence AS evidence,
    h.start_on AS start_on,
    h.end_on AS end_on,
    src.slug AS source_slug,
    h.note AS note,
    h.id AS position_id,
    o.id AS office_id,
    p.id AS person_id
FROM positions h
JOIN offices o ON o.id = h.office_id
JOIN persons p ON p.id = h.person_id
LEFT JOIN states s ON s.id = o.state_id
LEFT JOIN organizations org ON org.id = o.organization_id
LEFT JOIN sources src ON src.id = h.source_id
"""


def _words(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def _slug(title: str) -> str:
    """'President of South Korea' -> 'president-of-south-korea' (ASCII letters and digits)."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:110] or "office"


def _fill_offices(bind: sa.engine.Connection) -> None:
    """One office per title (an acting title's office is the title without 'Acting '), then each position's."""
    rows = bind.execute(sa.text(
        "SELECT id, title, state_id, organization_id FROM positions ORDER BY title, id"
    )).all()
    offices: dict[tuple[str, int | None, int | None], int] = {}
    used: set[str] = set()
    for position_id, title, state_id, organization_id in rows:
        acting = title.startswith(ACTING) and len(title) > len(ACTING)
        office_title = title[len(ACTING):] if acting else title
        key = (office_title, state_id, organization_id)
        if key not in offices:
            base = slug = _slug(office_title)
            n = 1
            while slug in used:
                n += 1
                slug = f"{base}-{n}"
            used.add(slug)
            bind.execute(
                sa.text("INSERT INTO offices (slug, title, state_id, organization_id, seats) VALUES (:s, :t, :st, :o, 1)"),
                {"s": slug, "t": office_title, "st": state_id, "o": organization_id},
            )
            offices[key] = bind.execute(sa.text("SELECT id FROM offices WHERE slug = :s"), {"s": slug}).scalar_one()
        bind.execute(
            sa.text("UPDATE positions SET office_id = :o, tenure = :t WHERE id = :p"),
            {"o": offices[key], "t": "acting" if acting else "ordinary", "p": position_id},
        )


def upgrade() -> None:
    op.create_table(
        "offices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False, comment="Natural key, e.g. 'president-of-south-korea'."),
        sa.Column("title", sa.String(length=200), nullable=False, comment="The office's name, e.g. 'President of South Korea'."),
        sa.Column("state_id", sa.Integer(), nullable=True, comment="State whose office it is."),
        sa.Column("organization_id", sa.Integer(), nullable=True, comment="Organization whose office it is, e.g. a party."),
        sa.Column(
            "seats", sa.Integer(), server_default=sa.text("1"), nullable=False,
            comment="How many hold it at once: 1 for a head of state, head of government or minister; "
            "3 for the members of Bosnia and Herzegovina's Presidency.",
        ),
        sa.Column("source_id", sa.Integer(), nullable=True, comment="Reference for the office and its seats."),
        sa.Column("note", sa.Text(), nullable=True, comment="Free text, e.g. how the office rotates."),
        sa.CheckConstraint("seats >= 1", name=op.f("ck_offices_seats_at_least_one")),
        sa.CheckConstraint(
            "state_id IS NOT NULL OR organization_id IS NOT NULL", name=op.f("ck_offices_has_state_or_organization")
        ),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], name=op.f("fk_offices_organization_id_organizations")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_offices_source_id_sources")),
        sa.ForeignKeyConstraint(["state_id"], ["states.id"], name=op.f("fk_offices_state_id_states")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offices")),
        sa.UniqueConstraint("slug", name=op.f("uq_offices_slug")),
        comment="Offices of states and organizations, each with the number of holders it has at once.",
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
    )
    op.create_index(op.f("ix_offices_organization_id"), "offices", ["organization_id"], unique=False)
    op.create_index(op.f("ix_offices_state_id"), "offices", ["state_id"], unique=False)
    with op.batch_alter_table("positions") as batch:
        batch.add_column(sa.Column("office_id", sa.Integer(), nullable=True, comment="The office held."))
        batch.add_column(sa.Column(
            "tenure", sa.String(length=20), server_default=sa.text("'ordinary'"), nullable=False, comment=TENURE_COMMENT
        ))
        batch.add_column(sa.Column(
            "evidence", sa.String(length=20), server_default=sa.text("'tenure'"), nullable=False, comment=EVIDENCE_COMMENT
        ))
    _fill_offices(op.get_bind())
    with op.batch_alter_table("positions") as batch:
        batch.alter_column("office_id", existing_type=sa.Integer(), nullable=False, existing_comment="The office held.")
        for column, (before, after) in COMMENTS.items():
            batch.alter_column(
                column, existing_type=sa.String(length=200) if column == "title" else sa.Date(),
                existing_nullable=column == "end_on", comment=after, existing_comment=before,
            )
        batch.create_index(op.f("ix_positions_office_id_start_on"), ["office_id", "start_on"], unique=False)
        # the index first: MariaDB would otherwise add one of its own for the key
        batch.create_foreign_key(op.f("fk_positions_office_id_offices"), "offices", ["office_id"], ["id"])
        batch.create_check_constraint(op.f("ck_positions_tenure"), f"tenure IN ({_words(TENURE)})")
        batch.create_check_constraint(op.f("ck_positions_evidence"), f"evidence IN ({_words(EVIDENCE)})")
        batch.create_check_constraint(
            op.f("ck_positions_attested_on_one_day"), "evidence <> 'attested' OR end_on = start_on"
        )
    op.execute(f"CREATE VIEW {VIEW} AS {VIEW_SQL.strip()}")


def downgrade() -> None:
    op.execute(f"DROP VIEW {VIEW}")
    with op.batch_alter_table("positions") as batch:
        batch.drop_constraint(op.f("ck_positions_attested_on_one_day"), type_="check")
        batch.drop_constraint(op.f("ck_positions_evidence"), type_="check")
        batch.drop_constraint(op.f("ck_positions_tenure"), type_="check")
        batch.drop_constraint(op.f("fk_positions_office_id_offices"), type_="foreignkey")
        batch.drop_index(op.f("ix_positions_office_id_start_on"))  # after the key MariaDB needs it for
        for column, (before, after) in COMMENTS.items():
            batch.alter_column(
                column, existing_type=sa.String(length=200) if column == "title" else sa.Date(),
                existing_nullable=column == "end_on", comment=before, existing_comment=after,
            )
        batch.drop_column("evidence")
        batch.drop_column("tenure")
        batch.drop_column("office_id")
    op.drop_table("offices")  # its indexes go with it (MariaDB keeps them while its keys need them)
