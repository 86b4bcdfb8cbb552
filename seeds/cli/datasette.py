"""``guestlist datasette-metadata``: the metadata.json Datasette wants for this database."""

from __future__ import annotations

import click

from . import database


@click.command(name="datasette-metadata")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="Write to FILE instead of standard output.",
)
@click.option(
    "--database-name",
    metavar="NAME",
    default=None,
    help="Database name as Datasette shows it. Default: the SQLite file's stem, else 'guestlist'.",
)
@click.pass_context
def datasette_metadata(ctx: click.Context, output: str, database_name: str | None) -> None:
    """Print Datasette metadata (JSON): title, source, licence, descriptions, canned queries.

    \b
    Table, view and column descriptions are the schema's own comments; the
    canned queries are the example queries of the docs (guestlist.models.reports.queries). Serve with:
      guestlist datasette-metadata -o metadata.json
      datasette guestlist.db --metadata metadata.json
    """
    import json

    from guestlist.seeds.exporters import require_schema
    from guestlist.seeds.exporters.datasette import database_name as default_name
    from guestlist.seeds.exporters.datasette import metadata

    url, engine = database(ctx).url, database(ctx).engine()
    require_schema(engine)
    document = metadata(database_name or default_name(url), db=engine)
    from guestlist.seeds.exporters.output import write_text

    write_text(output, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    if output != "-":
        click.echo(f"wrote {output}", err=True)
