"""``guestlist export``: write the database out for other tools.

Each format is one subcommand of the ``export`` group; a new format is a new
``@export.command()`` here (or in its own module, attached with
``export.add_command``).
"""

from __future__ import annotations

import click

from . import database


@click.group()
def export() -> None:
    """Write the database out: Popolo JSON, CSV with a data dictionary."""


@export.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.pass_context
def popolo(ctx: click.Context, file: str) -> None:
    """Write a Popolo JSON document to FILE ('-' for standard output).

    Persons, organizations (states, blocs, ministries), memberships, posts
    and events with their attendees; status claims, counts and capacities in
    'guestlist' extension fields. 'guestlist import popolo' reads it back.
    """
    from guestlist.seeds.exporters import require_schema
    from guestlist.seeds.exporters.popolo import export as write

    engine = database(ctx).engine()
    require_schema(engine)
    counts = write(engine, file)
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    click.echo(f"wrote {'standard output' if file == '-' else file}: {summary}", err=True)


@export.command(name="csv")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
@click.option(
    "--raw", is_flag=True, help="Write text exactly as stored, for programs (no apostrophe before formula-like text)."
)
@click.pass_context
def csv_(ctx: click.Context, directory: str, raw: bool) -> None:
    """Write one CSV per reporting view into DIR, plus datapackage.json.

    datapackage.json (Frictionless Data Package) describes every file and
    column: type and meaning. Text a spreadsheet would run as a formula
    (beginning with = + - @, a tab or a carriage return) gets a leading
    apostrophe, as does text already beginning with one; --raw turns that off.
    Files are written under temporary names and renamed once all are complete.
    """
    from guestlist.seeds.exporters import require_schema
    from guestlist.seeds.exporters.csv import export as write

    engine = database(ctx).engine()
    require_schema(engine)
    from pathlib import Path

    counts = write(engine, directory, raw=raw)
    for name, rows in counts.items():
        click.echo(f"{Path(directory) / name}: {rows} rows", err=True)
    click.echo(f"{Path(directory) / 'datapackage.json'}: data dictionary", err=True)


@export.command(name="seeds")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
@click.pass_context
def seeds_(ctx: click.Context, directory: str) -> None:
    """Write the whole database as seed documents into DIR (new or empty).

    One YAML document per source, large tables as CSV bulk files beside it.
    'guestlist seed DIR' into an empty database restores every table.
    """
    from guestlist.seeds.exporters import require_schema
    from guestlist.seeds.exporters.seeds import export as write

    engine = database(ctx).engine(readonly=True)
    require_schema(engine)
    click.echo(write(engine, directory).line(directory), err=True)
