"""``guestlist chart``: the guest-list map, the then-and-now chart and a timeline, as SVG or PNG.

The pictures are drawn by ``guestlist.models.reports.charts`` (the ``charts`` extra). The
output format follows the file's extension, checked before the database is
opened; without the extra the command says in one line what to install.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .output import as_of_option
from .report import run_report

OUTPUT_HELP = "Write the chart to FILE: .svg or .png."


def _output(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("-o", "--output", required=True, metavar="FILE", help=OUTPUT_HELP)(command)


def _draw(ctx: click.Context, output: str, build: Callable[[Any, Any], Any]) -> None:
    """Check the extension and the extra, read the data, draw, write ``output``."""
    import guestlist.models.reports.charts as charts
    from guestlist.seeds.exporters.output import write_bytes

    charts.format_of(output)
    charts.import_altair()  # the one-line 'install the extra' before any database work
    chart = run_report(ctx, lambda db: build(charts, db))
    write_bytes(output, charts.render(chart, charts.format_of(output)))
    click.echo(f"wrote {Path(output)}", err=True)


@click.group()
def chart() -> None:
    """Pictures of the record, drawn offline: map, compare, timeline.

    Needs the charts extra: pip install 'guestlist[charts]'.
    """


@chart.command("map")
@click.argument("event")
@_output
@as_of_option
@click.pass_context
def map_(ctx: click.Context, event: str, output: str, as_of: dt.date | None) -> None:
    """A world map of EVENT's guest list, each state coloured by its level.

    Attended as head of state or government, attended below that level,
    announced only (expected or confirmed, not reported there), absent
    (declined, boycotted, not attending), or not recorded; the host
    outlined, small states as dots.
    """
    _draw(ctx, output, lambda charts, db: charts.map_chart(event, as_of=as_of, db=db))


@chart.command()
@click.argument("event_a")
@click.argument("event_b")
@_output
@click.option("--only-changes", is_flag=True, help="Leave out the states whose level did not change.")
@as_of_option
@click.pass_context
def compare(
    ctx: click.Context, event_a: str, event_b: str, output: str, only_changes: bool, as_of: dt.date | None
) -> None:
    """Then and now: each state's level at EVENT_A and at EVENT_B.

    The changes first: new at EVENT_B, gone, a more senior level, a less
    senior one, then the unchanged (left out with --only-changes).
    """
    _draw(
        ctx,
        output,
        lambda charts, db: charts.compare_chart(event_a, event_b, only_changes=only_changes, as_of=as_of, db=db),
    )


@chart.command()
@click.argument("subject", metavar="STATE|PERSON")
@_output
@as_of_option
@click.pass_context
def timeline(ctx: click.Context, subject: str, output: str, as_of: dt.date | None) -> None:
    """A person's (by slug or name) or a state's (by code or name) events on a time axis."""
    _draw(ctx, output, lambda charts, db: charts.timeline_chart(subject, as_of=as_of, db=db))
