"""``guestlist db``: the schema's life cycle, Alembic underneath."""

from __future__ import annotations

import sys

import click

from . import database_url


@click.group()
def db() -> None:
    """Create, upgrade, inspect and check the database schema."""


def _config(ctx: click.Context):  # type: ignore[no-untyped-def]
    from models.migrate import alembic_config

    return alembic_config(database_url(ctx), stdout=sys.stdout)


@db.command()
@click.argument("revision", default="head")
@click.option("--sql", is_flag=True, help="Print the SQL instead of running it (offline mode).")
@click.pass_context
def upgrade(ctx: click.Context, revision: str, sql: bool) -> None:
    """Upgrade the database to REVISION (default: head)."""
    from alembic import command

    from models.urls import mask_url

    command.upgrade(_config(ctx), revision, sql=sql)
    if not sql:
        click.echo(f"{mask_url(database_url(ctx))} is at {_current(ctx) or 'base'}", err=True)


@db.command()
@click.argument("revision")
@click.option("--sql", is_flag=True, help="Print the SQL instead of running it (offline mode).")
@click.pass_context
def downgrade(ctx: click.Context, revision: str, sql: bool) -> None:
    """Downgrade the database to REVISION ('base' empties it, '-1' steps back one)."""
    from alembic import command

    from models.urls import mask_url

    command.downgrade(_config(ctx), revision, sql=sql)
    if not sql:
        click.echo(f"{mask_url(database_url(ctx))} is at {_current(ctx) or 'base'}", err=True)


def _current(ctx: click.Context) -> str:
    from models.db import create_engine
    from models.migrate import current_revisions

    engine = create_engine(database_url(ctx))
    try:
        return ", ".join(current_revisions(engine))
    finally:
        engine.dispose()


@db.command()
@click.pass_context
def current(ctx: click.Context) -> None:
    """Print the database's current revision ('base' when empty)."""
    from models.migrate import head_revision

    rev = _current(ctx)
    suffix = " (head)" if rev and rev == head_revision() else ""
    click.echo(f"{rev or 'base'}{suffix}")


@db.command()
@click.option("-v", "--verbose", is_flag=True, help="Show each revision's full header.")
@click.pass_context
def history(ctx: click.Context, verbose: bool) -> None:
    """List the migrations, newest first."""
    from alembic import command

    command.history(_config(ctx), verbose=verbose)


@db.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Exit non-zero unless the database is at head and matches the models."""
    from models.migrate import check as check_database

    head = check_database(database_url(ctx))
    click.echo(f"ok: at head {head}; models and migrations agree")
