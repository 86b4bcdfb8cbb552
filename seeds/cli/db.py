"""``guestlist db``: the schema's life cycle, Alembic underneath."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from guestlist.models.settings import READONLY_PASSWORD

from . import database
from .interrupts import writing


@click.group()
def db() -> None:
    """Create, upgrade, inspect and check the database schema."""


def _config(ctx: click.Context, *, connected: bool = False):  # type: ignore[no-untyped-def]
    """Alembic's configuration for the invocation's URL; ``connected``: with its engine, for steps that run."""
    from guestlist.models.db.migrate import alembic_config

    run = database(ctx)
    return alembic_config(run.url, connection=run.engine() if connected else None, stdout=sys.stdout)


@contextmanager
def _alembic_errors() -> Iterator[None]:
    """Alembic's own complaints (an unknown revision, a step too far) are the user's to fix."""
    from alembic.util.exc import CommandError

    from guestlist.models.errors import MigrationError

    try:
        yield
    except CommandError as exc:
        raise MigrationError(str(exc).strip().splitlines()[0] if str(exc).strip() else "migration refused") from None


def _report(ctx: click.Context, config, verb: str) -> None:  # type: ignore[no-untyped-def]
    """Say where the database ended up, and whether this run changed anything.

    The applied list is filled inside the migration lock, so of two
    concurrent upgrades the one that waited says "nothing to do".
    """
    from guestlist.models.db.urls import mask_url

    applied = config.attributes.get("applied", [])
    done = f"{verb} {len(applied)} migration{'s' if len(applied) != 1 else ''}" if applied else "nothing to do"
    click.echo(f"{mask_url(database(ctx).url)} is at {_current(ctx) or 'base'} ({done})", err=True)


# "-1" is a revision here, not an option.
REVISION_ARGS = {"ignore_unknown_options": True}
REVISION = re.compile(r"[+-]?[A-Za-z0-9_]+(?:[@+-][A-Za-z0-9_]+)*")


def _revision(revision: str) -> str:
    """Refuse what alembic would answer with an assertion: empty, '@', control characters."""
    from guestlist.models.errors import MigrationError

    if len(revision) > 80 or not REVISION.fullmatch(revision):
        raise MigrationError(
            f"not a revision: {revision[:80]!r} (try head, base, -1, or an id from 'guestlist db history')"
        )
    return revision


@db.command(context_settings=REVISION_ARGS)
@click.argument("revision", default="head")
@click.option("--sql", is_flag=True, help="Print the SQL instead of running it (offline mode).")
@click.pass_context
@writing
def upgrade(ctx: click.Context, revision: str, sql: bool) -> None:
    """Upgrade the database to REVISION (default: head)."""
    from alembic import command

    config = _config(ctx, connected=not sql)
    with _alembic_errors():
        command.upgrade(config, _revision(revision), sql=sql)
    if not sql:
        _report(ctx, config, "applied")


@db.command(context_settings=REVISION_ARGS)
@click.argument("revision")
@click.option("--sql", is_flag=True, help="Print the SQL instead of running it (offline mode).")
@click.option(
    "--allow-data-loss",
    is_flag=True,
    help="Run a step that cannot keep data (e.g. to 'base') although the database holds rows.",
)
@click.pass_context
@writing
def downgrade(ctx: click.Context, revision: str, sql: bool, allow_data_loss: bool) -> None:
    """Downgrade the database to REVISION ('base' empties it, '-1' steps back one).

    A step whose migration cannot keep data is refused while the database
    holds rows, unless --allow-data-loss is given: back up first with
    'guestlist export seeds DIR'.
    """
    from alembic import command

    from guestlist.models.db.ownership import require_file
    from guestlist.models.errors import GuestlistError

    if not sql:
        if database(ctx).read_only:  # said first: the data-loss guard would otherwise ask for a consent that cannot help
            raise GuestlistError("the database is opened read-only (--read-only or GUESTLIST_READ_ONLY): 'db downgrade' would change it")
        require_file(database(ctx).url)  # stepping back never creates a database
    config = _config(ctx, connected=not sql)
    config.attributes["allow_data_loss"] = allow_data_loss
    with _alembic_errors():
        command.downgrade(config, _revision(revision), sql=sql)
    if not sql:
        _report(ctx, config, "reverted")


def _current(ctx: click.Context) -> str:
    from guestlist.models.db.migrate import current_revisions
    from guestlist.models.db.ownership import require_file

    require_file(database(ctx).url)
    return ", ".join(current_revisions(database(ctx).engine()))


@db.command()
@click.pass_context
def current(ctx: click.Context) -> None:
    """Print the database's current revision ('base' when empty)."""
    from guestlist.models.db.migrate import head_revision, known_revisions

    rev = _current(ctx)
    suffix = " (head)" if rev and rev == head_revision() else ""
    if rev and not set(rev.split(", ")) <= known_revisions():
        suffix = " (unknown to this guestlist: written by a newer one, or not a guestlist database)"
    click.echo(f"{rev or 'base'}{suffix}")


@db.command()
@click.option("-v", "--verbose", is_flag=True, help="Show each revision's full header.")
@click.pass_context
def history(ctx: click.Context, verbose: bool) -> None:
    """List the migrations, newest first."""
    from alembic import command

    with _alembic_errors():
        command.history(_config(ctx), verbose=verbose)


@db.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Exit non-zero unless the database is at head, matches the models, and no office has more holders at once than seats."""
    from guestlist.models.db.migrate import check as check_database
    from guestlist.models.db.ownership import require_file
    from guestlist.models.errors import GuestlistError
    from guestlist.models.reports.offices import overlaps

    run = database(ctx)
    require_file(run.url, "run 'guestlist db upgrade' (or 'guestlist setup') to create it")
    head = check_database(run.url, engine=run.engine())
    with run.engine().connect() as conn:
        found = overlaps(conn)
    for overlap in found:
        click.echo(f"overlap: {overlap.message()}", err=True)
    if found:
        raise GuestlistError(
            f"at head {head}; models and migrations agree, but {len(found)} "
            f"office{'' if len(found) == 1 else 's'} {'has' if len(found) == 1 else 'have'} more holders at once than seats (listed above)"
        )
    click.echo(f"ok: at head {head}; models and migrations agree; no office has more holders at once than seats")


@db.command("grant-readonly")
@click.argument("role")
@click.option(
    "--password",
    envvar=READONLY_PASSWORD.name,
    show_envvar=True,
    metavar="TEXT",
    help=f"{READONLY_PASSWORD.help} Prefer the prompt or the variable, since options show in the process list.",
)
@click.option(
    "--host",
    "account_host",
    default="%",
    show_default=True,
    help="MariaDB only: the host part of the account ('ROLE'@'HOST'), e.g. localhost or 127.0.0.1.",
)
@click.pass_context
@writing
def grant_readonly(ctx: click.Context, role: str, password: str | None, account_host: str) -> None:
    """Create or update ROLE so it can SELECT every table and view, and nothing else.

    PostgreSQL and MariaDB. On SQLite there are no roles: use file permissions
    and 'guestlist --read-only'.
    """
    from guestlist.models.db.privileges import SQLITE_EXPLANATION, role_exists
    from guestlist.models.db.privileges import grant_readonly as grant
    from guestlist.models.db.urls import dialect_of, mask_url, scrub
    from guestlist.models.errors import GuestlistError

    url = database(ctx).url
    if dialect_of(url) == "sqlite":
        raise GuestlistError(SQLITE_EXPLANATION)
    engine = database(ctx).engine()
    if not password and not role_exists(engine, role, host=account_host):
        if not sys.stdin.isatty():
            raise GuestlistError(
                f"role {role} is new and needs a password: --password, {READONLY_PASSWORD.name}, or run on a terminal to be prompted"
            )
        password = click.prompt(f"Password for {role}", hide_input=True, confirmation_prompt=True, err=True)
    try:
        result = grant(engine, role, password, host=account_host)
    except GuestlistError as exc:
        raise GuestlistError(scrub(str(exc), url).replace(password or "\0", "***")) from None
    verb = "created" if result.created else "updated"
    extra = ", password set" if result.password_set and not result.created else ""
    click.echo(
        f"{verb} read-only role {result.role} on {mask_url(url)}: SELECT on {len(result.relations)} tables and views, "
        f"nothing else{extra}"
    )


@db.command("reindex-search")
@click.pass_context
@writing
def reindex_search(ctx: click.Context) -> None:
    """Rebuild the full-text search index from the rows (after changing rows with plain SQL).

    Every seed keeps the index current in its own transaction, and 'guestlist
    db upgrade' fills it when it reaches head; this is for edits made outside
    guestlist and for a plain 'alembic upgrade'. Runs under the seed lock,
    all or nothing.
    """
    from guestlist.models.db.urls import mask_url
    from guestlist.seeds.loader import reindex_search as rebuild

    written = rebuild(database(ctx).engine())
    click.echo(f"{mask_url(database(ctx).url)}: search index rebuilt, {written:,} entries")
