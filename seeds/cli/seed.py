"""``guestlist seed``: load seed documents, all or nothing."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from . import database
from .interrupts import writing

PROGRESS_MIN_RECORDS = 2_000  # below this a load takes well under a second


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A ``progress(done, total)`` callback drawing a bar on a terminal, for long loads only.

    The bar is created on the first call, when the total is known, so small
    loads and pipes never see one.
    """
    if not (sys.stderr.isatty() and sys.stdout.isatty()):
        yield None
        return
    state: dict[str, Any] = {"bar": None, "shown": 0}

    def progress(done: int, total: int) -> None:
        if state["bar"] is None:
            if total < PROGRESS_MIN_RECORDS:
                return
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
        state["bar"].update(done - state["shown"])
        state["shown"] = done

    try:
        yield progress
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)


@click.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--dry-run", is_flag=True, help="Check and report what would change, then roll back.")
@click.option(
    "--recheck",
    is_flag=True,
    help="Read every bulk file in full, even one unchanged since it was loaded (after editing rows with SQL).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Summary format.",
)
@click.option(
    "--no-search-index",
    "no_search_index",
    is_flag=True,
    help="Leave the search index as it is (run 'guestlist db reindex-search' afterwards).",
)
@click.pass_context
@writing
def seed(
    ctx: click.Context, paths: tuple[str, ...], dry_run: bool, recheck: bool, fmt: str, no_search_index: bool
) -> None:
    """Load seed documents: files, or folders of *.yaml files (in name order).

    With no PATH, loads the bundled seeds (ISO 3166 states, organizations,
    the article). Each run is one transaction: on any error nothing is
    written and one line names the file, record and field. Prints added,
    changed and unchanged records per document. A bulk file (CSV, JSON
    Lines) already loaded in full and unchanged since is not read again.
    """
    from guestlist.seeds.loader import bundled, load

    items = list(paths) or bundled()
    with progress_bar("seeding") as progress:
        report = load(
            database(ctx).engine(),
            items,
            dry_run=dry_run,
            progress=progress,
            recheck=recheck,
            search_index=not no_search_index,
        )
    click.echo(report.render(fmt))
