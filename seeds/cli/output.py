"""What the commands that print rows share: the --format, --raw and --as-of options, and :func:`emit`.

``report``, ``search``, ``find`` and ``chart`` take these options; every row
they print goes out through :func:`emit` (and a line after the rows
through :func:`print_lines`), so through ``guestlist.seeds.exporters.output``: a full
disk or a closed standard output is one line and exit 1, a reader that
stopped early (``| head``) a quiet end.

Rows are dataclasses whose fields are the columns, in order. They print as
a table (default on a terminal), CSV (default in a pipe) or JSON (a list of
objects).

Imports of the work itself sit inside the functions, so that ``guestlist --help``
loads click alone (see ``guestlist.seeds.cli``).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import click

FORMATS = ("table", "csv", "json")
# Long free-text columns left out of the table format only (CSV and JSON keep them).
TABLE_SKIPS = {"event_name", "source_quote", "to_source_quote"}
RAW_KEY = "guestlist.report.raw"  # set by --raw (see format_option), read by emit


class Day(click.ParamType):
    """A date as YYYY-MM-DD. A bad one is a one-line error (exit 1), as a bad slug is."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        from guestlist.models.errors import GuestlistError

        if isinstance(value, dt.date):
            return value
        option = param.opts[0] if param is not None else "value"
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            shown = value if len(value) <= 40 else value[:40] + "..."
            raise GuestlistError(f"{option} wants a date as YYYY-MM-DD, not {shown!r}") from None


def as_of_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--as-of", "as_of", type=Day(), default=None,
        help="The record as known on this day (YYYY-MM-DD): later claims do not exist yet.",
    )(command)


def raw_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--raw",
        is_flag=True,
        expose_value=False,
        callback=lambda ctx, _param, value: ctx.meta.__setitem__(RAW_KEY, value),
        help="CSV: text exactly as stored (no apostrophe before text a spreadsheet would run as a formula).",
    )(command)


def format_option(command: Callable[..., Any]) -> Callable[..., Any]:
    command = raw_option(command)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="Output format. Default: table on a terminal, csv otherwise.",
    )(command)


def chosen_format(fmt: str | None) -> str:
    """``--format``, else table on a terminal and CSV in a pipe."""
    return fmt or ("table" if sys.stdout.isatty() else "csv")


def _cell(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def print_text(text: str) -> None:
    """``text`` on standard output as it is, through the output module."""
    from guestlist.seeds.exporters.output import write_text

    write_text("-", text)


def print_lines(lines: Iterable[str]) -> None:
    """Lines on standard output as ``click.echo`` prints them (styles dropped outside a terminal), through the output module."""
    text = "".join(f"{line}\n" for line in lines)
    if sys.stdout is None or not sys.stdout.isatty():
        text = click.unstyle(text)
    print_text(text)


def emit(rows: Sequence[Any], row_type: type, fmt: str | None) -> None:
    """Write ``rows`` (dataclasses of ``row_type``) to stdout in ``fmt``."""
    from guestlist.models.reports import columns

    fmt = chosen_format(fmt)
    names = columns(row_type)
    records = [[_cell(getattr(r, n)) for n in names] for r in rows]

    if fmt == "json":
        import json

        print_text(json.dumps([dict(zip(names, rec)) for rec in records], ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        from guestlist.seeds.exporters.csv_rows import LF, PYTHON_WORDS, csv_text

        raw = bool(click.get_current_context().meta.get(RAW_KEY))
        # Rows end in LF (a line-oriented tool's output); booleans as Python writes them.
        print_text(csv_text(names, records, line_end=LF, booleans=PYTHON_WORDS, inert=not raw))
    else:
        from tabulate import tabulate

        keep = [i for i, n in enumerate(names) if n not in TABLE_SKIPS]
        if not records:
            click.echo("(no rows)", err=True)
            return
        table = tabulate(
            [[rec[i] for i in keep] for rec in records],
            headers=[names[i] for i in keep],
            missingval="",
            disable_numparse=True,
        )
        print_text(table + "\n")
