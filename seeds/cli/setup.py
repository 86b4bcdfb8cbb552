"""``guestlist setup``: from nothing to a seeded database in one command."""

from __future__ import annotations

import click

from . import database
from .interrupts import writing
from .seed import progress_bar


@click.command()
@click.pass_context
@writing
def setup(ctx: click.Context) -> None:
    """Upgrade the database to head, load the bundled seeds, and summarise it.

    Safe to run again: migrations already applied and seeds already loaded
    are left as they are (the summary then says '0 added, 0 changed').
    """
    from guestlist.models.db.migrate import head_revision, upgrade
    from guestlist.models.db.urls import mask_url
    from guestlist.seeds.loader import bundled, load

    url, engine = database(ctx).url, database(ctx).engine()
    upgrade(url, connection=engine)
    click.echo(f"{mask_url(url)} is at head {head_revision()}")
    with progress_bar("seeding") as progress:
        report = load(engine, bundled(), progress=progress)
    click.echo(report.render("table"))
    with engine.connect() as conn:
        click.echo("")
        click.echo(_table_counts(conn))
        click.echo("")
        click.echo(_events(conn))


def _table_counts(conn) -> str:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from guestlist.models import Base
    from guestlist.seeds.loader.summary import render_table

    rows = [
        (table.name, conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
        for table in sorted(Base.metadata.sorted_tables, key=lambda t: t.name)
    ]
    return render_table(("table", "rows"), rows)


def _events(conn) -> str:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from guestlist.models import Attendance, Event
    from guestlist.seeds.loader.summary import render_table

    participants = sa.func.count(Attendance.id)
    query = (
        sa.select(Event.slug, Event.starts_on, participants)
        .join_from(Event.__table__, Attendance.__table__, Attendance.event_id == Event.id, isouter=True)
        .group_by(Event.id, Event.slug, Event.starts_on)
        .order_by(Event.starts_on.is_(None), Event.starts_on, Event.slug)
    )
    rows = [(slug, str(starts_on or ""), count) for slug, starts_on, count in conn.execute(query)]
    return render_table(("event", "starts_on", "participants"), rows)
