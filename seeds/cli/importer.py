"""``guestlist import``: read other formats in as seed documents."""

from __future__ import annotations

import click

from . import database
from .interrupts import writing


@click.group(name="import")
def import_() -> None:
    """Read other formats in as seeds (Popolo JSON)."""


@import_.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--dry-run", is_flag=True, help="Check and report what would change, then roll back.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Summary format.",
)
@click.pass_context
@writing
def popolo(ctx: click.Context, file: str, dry_run: bool, fmt: str) -> None:
    """Load the Popolo JSON document FILE (as written by 'guestlist export popolo').

    Persons, organizations, memberships, posts and events become seed records
    and are upserted by natural key in one transaction; plain Popolo from
    other tools works too.
    """
    from guestlist.seeds.exporters import require_schema
    from guestlist.seeds.importers.popolo import load

    engine = database(ctx).engine()
    require_schema(engine)
    report = load(engine, file, dry_run=dry_run)
    click.echo(report.render(fmt))
