"""``guestlist report``: the questions people ask of the data, in the terminal or a pipe.

Every subcommand prints rows whose columns are the fields of the report's
dataclass in ``guestlist.models.reports``, in that order, in the formats and
with the options of ``guestlist.seeds.cli.output`` (table on a terminal,
CSV in a pipe, JSON, JSON Lines, XLSX; --columns, -o, --excel,
--with-sources). The database is opened read-only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from .output import FORMATS, Day, as_of_option, chosen_format, emit, format_option, output_choice, output_options
from .reading import run_report


@click.group()
def report() -> None:
    """Reports: guest lists, comparisons, state, person and bloc records.

    EVENT is an event slug (see 'guestlist report events'), STATE an ISO
    3166 code or name, PERSON a person slug, ORGANIZATION a slug or
    abbreviation ('eu'). --as-of DATE shows the record as it was known on
    that day (docs/ledger.md).
    """


class Words(click.ParamType):
    """Words given comma-separated or by repeating the option; checked by the report (a wrong one is one line)."""

    name = "WORD[,WORD]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        return tuple(w.strip() for w in str(value).split(",") if w.strip())


def _words(given: tuple[tuple[str, ...], ...]) -> list[str]:
    return [w for group in given for w in group]


FILTER_ARGUMENT = {"status": "statuses", "capacity": "capacities", "state": "states"}  # option -> row_filter's argument
FILTER_HELP = {
    "status": "Only these statuses (expected, confirmed, attended, declined, boycotted, not_attending; "
    "announced = expected or confirmed; absent = declined, boycotted or not_attending).",
    "capacity": "Only these capacities (head_of_state, minister, ...).",
    "state": "Only these states (codes or names).",
}


@report.command("guest-list")
@click.argument("event")
@click.option("--history", is_flag=True, help="Every status claim, oldest first, instead of the current status.")
@click.option("--status", "statuses", type=Words(), multiple=True, help=FILTER_HELP["status"])
@click.option("--capacity", "capacities", type=Words(), multiple=True, help=FILTER_HELP["capacity"])
@click.option("--state", "states", type=Words(), multiple=True, help=FILTER_HELP["state"])
@as_of_option
@output_options((*FORMATS, "html"), "Write to FILE instead of standard output (any format; html needs it).")
@click.pass_context
def guest_list(
    ctx: click.Context,
    event: str,
    history: bool,
    statuses: tuple[tuple[str, ...], ...],
    capacities: tuple[tuple[str, ...], ...],
    states: tuple[tuple[str, ...], ...],
    as_of: dt.date | None,
    fmt: str | None,
) -> None:
    """Who is coming to EVENT and who stays away, with the current status.

    --status, --capacity and --state keep only the rows named (comma-separated
    or repeated). --format html -o FILE.html writes the event page instead:
    facts, map, guest list with sources and quotes, and the chart against the
    event it follows.
    """
    from guestlist.models import reports
    from guestlist.models.errors import GuestlistError

    filters = {"statuses": _words(statuses), "capacities": _words(capacities), "states": _words(states)}
    if fmt == "html":
        from guestlist.seeds.exporters.html import write_event_page

        if history:
            raise GuestlistError("the event page shows each participant's current status: drop --history")
        if as_of is not None:
            raise GuestlistError("the event page shows the record as it stands today: drop --as-of")
        if any(filters.values()):
            raise GuestlistError("the event page shows the whole guest list: drop --status, --capacity and --state")
        output = output_choice().output
        click.echo(f"wrote {run_report(ctx, lambda db: write_event_page(event, output, db=db))}", err=True)
        return
    if history:
        if any(filters.values()):
            raise GuestlistError("--status, --capacity and --state filter the current guest list: drop --history")
        rows = run_report(ctx, lambda db: reports.status_history(event, as_of=as_of, db=db))
    else:
        rows = run_report(ctx, lambda db: reports.guest_list(event, as_of=as_of, db=db, **filters))
    emit(rows, reports.AttendanceRow, fmt)


@report.command()
@click.argument("event_a")
@click.argument("event_b")
@as_of_option
@format_option
@click.pass_context
def compare(ctx: click.Context, event_a: str, event_b: str, as_of: dt.date | None, fmt: str | None) -> None:
    """States and persons present at one event and not the other, and changes of capacity.

    'only_in_a' rows were present at EVENT_A only; a_status and b_status
    show what each event records for them (empty: not recorded), a_outcome
    and b_outcome whether that is an attendance or only an announcement.
    Summary lines follow the table (and are in the JSON): states and persons
    new, gone and changed, the announced-only ones counted apart.
    """
    from guestlist.models import reports

    rows = run_report(ctx, lambda db: reports.compare_events(event_a, event_b, as_of=as_of, db=db))
    summary = reports.comparison_summary(event_a, event_b, rows)
    emit(
        rows,
        reports.Difference,
        fmt,
        notes=summary.lines(),
        summary={"summary": summary.lines(), "totals": summary.totals},
    )


@report.command()
@click.argument("event")
@click.argument("organization")
@click.option(
    "--on", "on", type=click.DateTime(["%Y-%m-%d"]), help="Take the members on this day (default: the event's date)."
)
@as_of_option
@format_option
@click.pass_context
def bloc(
    ctx: click.Context, event: str, organization: str, on: dt.datetime | None, as_of: dt.date | None, fmt: str | None
) -> None:
    """ORGANIZATION's members at EVENT: attended, announced only, absent or unknown.

    Members are taken on the event's date. A summary line ("2 of 27 members
    attended, 1 announced only, ...") and the bloc's aggregate claims follow
    the table, and are in the JSON too.
    """
    from guestlist.models import reports

    breakdown = run_report(
        ctx, lambda db: reports.bloc_breakdown(event, organization, on=on.date() if on else None, as_of=as_of, db=db)
    )
    lines = [breakdown.summary()]
    for c in breakdown.counts:
        lines.append(
            f"  {c.status}: {c.says or c.quantifier} {c.description} ({c.source_slug}, {c.reported_on.isoformat()})"
        )
    summary = {"summary": lines, "totals": breakdown.totals(), "counts": breakdown.counts}
    emit(breakdown.members, reports.BlocMember, fmt, notes=lines, summary=summary)


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


def _lookup_command(
    name: str,
    argument: str,
    function: str,
    row_type: str,
    doc: str,
    *,
    paged: bool = False,
    filters: tuple[str, ...] = (),
) -> None:
    """Register a subcommand that looks one slug or code up and prints rows.

    ``paged`` adds --limit and --offset, passed on to the report; in the
    table format a line after the rows says which rows of how many they are.
    ``filters`` (status, capacity, state) add those options: the rows are
    then filtered before the page is taken, so a page and its count are of
    the rows kept.
    """

    def command(ctx: click.Context, fmt: str | None, **arguments: Any) -> None:
        from guestlist.models import reports
        from guestlist.models.db import connect
        from guestlist.models.reports.guests import row_filter

        value = arguments.pop(argument)
        wanted = {FILTER_ARGUMENT[f]: _words(arguments.pop(f"{f}_words")) for f in filters}
        produce = getattr(reports, function)

        def run(db: Any) -> tuple[Any, int | None]:
            with connect(db) as conn:
                paging = arguments.get("limit") is not None or arguments.get("offset")
                if any(wanted.values()):
                    keep = row_filter(conn, **wanted)
                    kept = [r for r in produce(value, db=conn, as_of=arguments["as_of"]) if keep(r)]
                    first, limit = arguments["offset"], arguments["limit"]
                    page = kept[first : None if limit is None else first + limit]
                    return page, len(kept) if paging else None
                rows = produce(value, db=conn, **arguments)
                size = getattr(reports, f"{function}_size") if paging else None
                return rows, size(value, as_of=arguments["as_of"], db=conn) if size else None

        rows, total = run_report(ctx, run)
        notes = []
        if total is not None:
            first = arguments["offset"]
            notes.append(
                f"rows {first + 1} to {first + len(rows)} of {total}"
                if rows
                else f"no rows at offset {first} of {total}"
            )
        emit(rows, getattr(reports, row_type), fmt, notes=notes)

    for word in reversed(filters):
        command = click.option(f"--{word}", f"{word}_words", type=Words(), multiple=True, help=FILTER_HELP[word])(
            command
        )
    if paged:
        command = click.option("--offset", type=RowCount(), default=0, help="Skip the first N rows.")(command)
        command = click.option("--limit", type=RowCount(), default=None, help="Print at most N rows (default: all).")(
            command
        )
    report.command(name, help=doc)(click.argument(argument)(as_of_option(format_option(click.pass_context(command)))))


_lookup_command(
    "state",
    "state",
    "state_record",
    "AttendanceRow",
    "Every event STATE took part in or stayed away from, over time: by event date, then event slug, "
    "then the order recorded. --limit and --offset print one page of it; --status and --capacity keep the rows named.",
    paged=True,
    filters=("status", "capacity"),
)
_lookup_command(
    "person",
    "person",
    "person_record",
    "AttendanceRow",
    "Every event PERSON is recorded at, with the office held on the day, in the order of 'report state'. "
    "--limit and --offset print one page of it; --status, --capacity and --state keep the rows named.",
    paged=True,
    filters=("status", "capacity", "state"),
)
_lookup_command(
    "expected",
    "event",
    "expected_vs_actual",
    "Expectation",
    "Who was expected at EVENT and what became of it (expected vs actual).",
)
_lookup_command(
    "counts",
    "event",
    "attendance_counts",
    "Count",
    "Aggregate claims about EVENT's unnamed participants ('26 other heads of state').",
)


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


@report.command()
@click.argument("state")
@click.option("--on", "on", type=Day(), default=None, help="Only the holders on this day (YYYY-MM-DD).")
@click.option(
    "--office",
    "office",
    metavar="WORD",
    default=None,
    help="Only this office: its slug, a capacity (head_of_government) or words of its title ('prime minister').",
)
@as_of_option
@format_option
@click.pass_context
def office(
    ctx: click.Context, state: str, on: dt.date | None, office: str | None, as_of: dt.date | None, fmt: str | None
) -> None:
    """Who held each office of STATE: every holding, or the holders on one day (--on), each with its source.

    A holding counts from start_on up to, not on, end_on (the day it passed
    to the successor); one attested on a day only (evidence 'attested') is
    listed on that day alone. tenure says whether it was held as acting,
    disputed or in exile. With --on, an office of STATE that nobody is
    recorded holding that day is named after the table (on standard error
    in the other formats).
    """
    from guestlist.models import reports

    def produce(db: Any) -> tuple[list[Any], list[str]]:
        rows = reports.office_holders(state, on=on, office=office, as_of=as_of, db=db)
        if on is None:
            return rows, []
        every = reports.office_holders(state, office=office, as_of=as_of, db=db)
        held = {r.office_slug for r in rows}
        vacant = sorted({(r.office_title, r.office_slug) for r in every if r.office_slug not in held})
        return rows, [f"nobody is recorded holding {title} ({slug}) on {on}" for title, slug in vacant]

    rows, notes = run_report(ctx, produce)
    if not rows and on is not None and not notes:
        notes = [f"nobody is recorded holding an office of {state} on {on}"]
    emit(rows, reports.OfficeHolder, fmt, notes=notes)
    if notes and chosen_format(fmt) != "table":
        for line in notes:
            click.echo(line, err=True)
