"""``guestlist import``: read other formats in as seed documents."""

from __future__ import annotations

import click

from . import database
from .interrupts import writing


@click.group(name="import")
def import_() -> None:
    """Read other formats in as seeds (Popolo JSON, the Office of the Historian's visits)."""


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


@import_.command(name="hsg-visits")
@click.argument("path", type=click.Path(exists=True))
@click.option(
    "--version",
    "release_version",
    metavar="V",
    help="The release's version (0.6.4), when the folder's name does not say it.",
)
@click.option(
    "--settle",
    "settle",
    type=click.Path(dir_okay=False, exists=True),
    metavar="FILE",
    help="A YAML document whose 'hsg-persons:' section says which visitors are one person (same) or two (different).",
)
@click.option(
    "--duplicates",
    "duplicates",
    type=click.Path(dir_okay=False, writable=True),
    metavar="FILE",
    help="Write every possible duplicate the reconciliation kept apart, with its evidence, to FILE (CSV).",
)
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
def hsg_visits(
    ctx: click.Context,
    path: str,
    release_version: str | None,
    settle: str | None,
    duplicates: str | None,
    dry_run: bool,
    fmt: str,
) -> None:
    """Load a release of the Office of the Historian's visits by foreign leaders (PATH: its folder, or its data/).

    Each visit becomes an event hosted by the United States, each visitor a
    guest whose attendance is claimed with the row as the quote, and a head
    of state or government's title an office attested on that day; a summit
    or session seen in several visits is an event of its own that each of
    them is part of. Visitors are reconciled with the persons already
    stored; pairs the evidence does not decide are kept apart and listed
    as possible duplicates (the first five in the summary, every one with
    --duplicates), to settle with --settle. One transaction; importing the
    same release again writes nothing. The summary counts every value that
    had to be interpreted, by value.
    """
    import json

    from guestlist.seeds.exporters import require_schema
    from guestlist.seeds.importers.hsg.documents import load, read_settlement_file, write_duplicates

    from .seed import progress_bar

    settlement = read_settlement_file(settle) if settle else None
    engine = database(ctx).engine()
    require_schema(engine)
    with progress_bar("importing") as progress:
        report, conversion = load(
            engine, path, version=release_version, dry_run=dry_run, progress=progress, settlement=settlement
        )
    if duplicates:
        write_duplicates(duplicates, conversion.duplicates)
    if fmt == "json":
        click.echo(json.dumps({**report.as_dict(), "import": conversion.as_dict()}, indent=2, default=str))
        return
    click.echo(report.render(fmt))
    click.echo("\n".join(conversion.lines()))
