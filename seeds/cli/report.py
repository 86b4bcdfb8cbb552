"""``guestlist report``: the questions people ask of the data, in the terminal or a pipe.

Every subcommand prints rows whose columns are the fields of the report's
dataclass in ``guestlist.models.reports``, in that order, as a table (default on a
terminal), CSV (default in a pipe) or JSON (a list of objects). The
database is opened read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

from . import database
from .output import FORMATS, Day, as_of_option, chosen_format, emit, format_option, print_lines, raw_option


@click.group()
def report() -> None:
    """Reports: guest lists, comparisons, state, person and bloc records.

    EVENT is an event slug (see 'guestlist report events'), STATE an ISO
    3166 code or name, PERSON a person slug, ORGANIZATION a slug or
    abbreviation ('eu'). --as-of DATE shows the record as it was known on
    that day (docs/ledger.md).
    """


def _engine(ctx: click.Context):  # type: ignore[no-untyped-def]
    """The invocation's engine, read-only, on a database at head (``guestlist.models.db.migrate.require_head``)."""
    from guestlist.models.db.migrate import require_head
    from guestlist.models.db.ownership import require_file

    run = database(ctx)
    require_file(run.url)  # a plain path or the file: URI that --read-only makes
    engine = run.engine(readonly=True)
    with engine.connect() as conn:
        require_head(conn)
    return engine


def run_report(ctx: click.Context, produce: Callable[[Any], Any]) -> Any:
    """``produce(engine)`` on the invocation's read-only engine (disposed when the invocation ends)."""
    return produce(_engine(ctx))


@report.command("guest-list")
@click.argument("event")
@click.option("--history", is_flag=True, help="Every status claim, oldest first, instead of the current status.")
@as_of_option
@click.option(
    "--format", "fmt", type=click.Choice((*FORMATS, "html")), default=None,
    help="Output format. Default: table on a terminal, csv otherwise. html: the event page (needs -o and the charts extra).",
)
@raw_option
@click.option("-o", "--output", metavar="FILE", help="With --format html: the page's file.")
@click.pass_context
def guest_list(
    ctx: click.Context, event: str, history: bool, as_of: dt.date | None, fmt: str | None, output: str | None
) -> None:
    """Who is coming to EVENT and who stays away, with the current status.

    --format html -o FILE.html writes the event page instead: facts, map,
    guest list with sources and quotes, and the chart against the event it follows.
    """
    from guestlist.models import reports
    from guestlist.models.errors import GuestlistError

    if fmt == "html":
        from guestlist.seeds.exporters.html import write_event_page

        if history:
            raise GuestlistError("the event page shows each participant's current status: drop --history")
        if as_of is not None:
            raise GuestlistError("the event page shows the record as it stands today: drop --as-of")

        click.echo(f"wrote {run_report(ctx, lambda db: write_event_page(event, output, db=db))}", err=True)
        return
    if output is not None:
        raise GuestlistError("-o FILE writes the event page: give --format html too")

    produce = reports.status_history if history else reports.guest_list
    emit(run_report(ctx, lambda db: produce(event, as_of=as_of, db=db)), reports.AttendanceRow, fmt)


@report.command()
@click.argument("event_a")
@click.argument("event_b")
@as_of_option
@format_option
@click.pass_context
def compare(ctx: click.Context, event_a: str, event_b: str, as_of: dt.date | None, fmt: str | None) -> None:
    """States and persons present at one event and not the other, and changes of capacity.

    'only_in_a' rows were present at EVENT_A only; a_status and b_status
    show what each event records for them (empty: not recorded).
    """
    from guestlist.models import reports

    emit(run_report(ctx, lambda db: reports.compare_events(event_a, event_b, as_of=as_of, db=db)), reports.Difference, fmt)


@report.command()
@click.argument("event")
@click.argument("organization")
@click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]), help="Take the members on this day (default: the event's date).")
@as_of_option
@format_option
@click.pass_context
def bloc(ctx: click.Context, event: str, organization: str, on: dt.datetime | None, as_of: dt.date | None, fmt: str | None) -> None:
    """ORGANIZATION's members at EVENT: present, absent or unknown.

    Members are taken on the event's date. On a terminal a summary line
    ("1 of 27 members present") and the bloc's aggregate claims follow.
    """
    from guestlist.models import reports

    breakdown = run_report(
        ctx, lambda db: reports.bloc_breakdown(event, organization, on=on.date() if on else None, as_of=as_of, db=db)
    )
    emit(breakdown.members, reports.BlocMember, fmt)
    if chosen_format(fmt) == "table":
        lines = [breakdown.summary()]
        for c in breakdown.counts:
            number = c.count if c.count is not None else c.quantifier
            lines.append(f"  {c.status}: {number} {c.description} ({c.source_slug}, {c.reported_on.isoformat()})")
        print_lines(lines)


class RowCount(click.ParamType):
    """A number of rows, 0 or more. A bad one is a one-line error (exit 1), as a bad slug is."""

    name = "N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from guestlist.models.errors import GuestlistError

        if isinstance(value, int):
            return value
        option = param.opts[0] if param is not None else "value"
        try:
            number = int(value.strip())
        except ValueError:
            number = -1
        if number < 0:
            shown = value if len(value) <= 40 else value[:40] + "..."
            raise GuestlistError(f"{option} wants a whole number of rows, 0 or more, not {shown!r}")
        return number


def _lookup_command(name: str, argument: str, function: str, row_type: str, doc: str, *, paged: bool = False) -> None:
    """Register a subcommand that looks one slug or code up and prints rows.

    ``paged`` adds --limit and --offset, passed on to the report; in the
    table format a line after the rows says which rows of how many they are.
    """

    def command(ctx: click.Context, fmt: str | None, **arguments: Any) -> None:
        from guestlist.models import reports
        from guestlist.models.db import connect

        value = arguments.pop(argument)
        produce = getattr(reports, function)

        def run(db: Any) -> tuple[Any, int | None]:
            with connect(db) as conn:
                rows = produce(value, db=conn, **arguments)
                paging = arguments.get("limit") is not None or arguments.get("offset")
                size = getattr(reports, f"{function}_size") if paging else None
                return rows, size(value, as_of=arguments["as_of"], db=conn) if size else None

        rows, total = run_report(ctx, run)
        emit(rows, getattr(reports, row_type), fmt)
        if total is not None and chosen_format(fmt) == "table":
            first = arguments["offset"]
            print_lines([f"rows {first + 1} to {first + len(rows)} of {total}" if rows else f"no rows at offset {first} of {total}"])

    if paged:
        command = click.option("--offset", type=RowCount(), default=0, help="Skip the first N rows.")(command)
        command = click.option("--limit", type=RowCount(), default=None, help="Print at most N rows (default: all).")(command)
    report.command(name, help=doc)(click.argument(argument)(as_of_option(format_option(click.pass_context(command)))))


_lookup_command(
    "state", "state", "state_record", "AttendanceRow",
    "Every event STATE took part in or stayed away from, over time: by event date, then event slug, "
    "then the order recorded. --limit and --offset print one page of it.",
    paged=True,
)
_lookup_command(
    "person", "person", "person_record", "AttendanceRow",
    "Every event PERSON is recorded at, with the office held on the day, in the order of 'report state'. "
    "--limit and --offset print one page of it.",
    paged=True,
)
_lookup_command("expected", "event", "expected_vs_actual", "Expectation", "Who was expected at EVENT and what became of it (expected vs actual).")
_lookup_command("counts", "event", "attendance_counts", "Count", "Aggregate claims about EVENT's unnamed participants ('26 other heads of state').")


@report.command()
@click.option("--kind", help="Only events of this kind, e.g. military_parade.")
@as_of_option
@format_option
@click.pass_context
def events(ctx: click.Context, kind: str | None, as_of: dt.date | None, fmt: str | None) -> None:
    """Every event, oldest first, with how many states came and stayed away."""
    from guestlist.models import reports

    emit(run_report(ctx, lambda db: reports.events(kind=kind, as_of=as_of, db=db)), reports.EventSummary, fmt)


@report.command()
@click.argument("event")
@click.option("--since", type=Day(), default=None, help="Only changes made on or after this day (YYYY-MM-DD).")
@click.option("--until", type=Day(), default=None, help="Only changes made on or before this day (YYYY-MM-DD).")
@format_option
@click.pass_context
def changes(ctx: click.Context, event: str, since: dt.date | None, until: dt.date | None, fmt: str | None) -> None:
    """Who changed plans at EVENT: every change of a participant's status, in date order.

    'change' says how: announced, withdrew, did_not_come (expected and did
    not come), came_unannounced (came without being announced), ...; the
    source of the status before and after is on each row.
    """
    from guestlist.models import reports

    emit(run_report(ctx, lambda db: reports.changes(event, since=since, until=until, db=db)), reports.Change, fmt)


@report.command()
@click.argument("event", required=False)
@format_option
@click.pass_context
def conflicts(ctx: click.Context, event: str | None, fmt: str | None) -> None:
    """Where sources disagree on who came: a present claim against an absent one, side by side.

    Two sources, the same day, or both on or after the event's first day;
    all events unless EVENT is given. Deprecate one claim (rank: deprecated,
    with a rank_reason) to settle it.
    """
    from guestlist.models import reports

    emit(run_report(ctx, lambda db: reports.conflicts(event, db=db)), reports.Conflict, fmt)
