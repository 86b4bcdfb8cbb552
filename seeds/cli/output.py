"""What the commands that print rows share: the output options, the --as-of option, and :func:`emit`.

``report``, ``search``, ``find`` (and any command built with
:func:`format_option` and :func:`emit`) print rows the same way. The
options, one family:

- ``--format table|csv|json|jsonl|xlsx`` (default: table on a terminal,
  CSV otherwise); JSON is a list of objects (an object with ``rows`` for a
  report with a summary), JSON Lines one object per line;
- ``--columns a,b,c`` chooses and orders the columns (an unknown one is a
  one-line error with close matches);
- ``-o FILE`` writes the output to FILE instead of standard output, any
  format, replaced only once complete;
- ``--excel``: CSV for Excel (a UTF-8 byte-order mark, rows ending in CRLF);
- ``--with-sources``: after each source column, its source's citation
  fields (``guestlist.models.reports.citations.CITATION_FIELDS``);
- ``--raw``: CSV text exactly as stored.

Every byte goes out through ``guestlist.seeds.exporters.output``: a full
disk or a closed standard output is one line and exit 1, a reader that
stopped early (``| head``) a quiet end.

Rows are dataclasses whose fields are the columns, in order: every format
has the same columns. Only the table is shaped for reading
(``guestlist.seeds.cli.table``).

Imports of the work itself sit inside the functions, so that ``guestlist --help``
loads click alone (see ``guestlist.seeds.cli``).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import click

FORMATS = ("table", "csv", "json", "jsonl", "xlsx")
OPTIONS_KEY = "guestlist.output"  # ctx.meta: the OutputChoice the options below fill, read by emit
HEADER = (
    "header"  # a row field's metadata key: the column's name as printed, where it is no identifier (a query's count(*))
)


@dataclass
class OutputChoice:
    """What the output options asked for (``--format`` itself stays a parameter of the command)."""

    columns: list[str] | None = None
    output: str | None = None
    excel: bool = False
    with_sources: bool = False
    raw: bool = False


def output_choice() -> OutputChoice:
    """The current invocation's output options (their defaults outside a command)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return OutputChoice()
    return ctx.meta.setdefault(OPTIONS_KEY, OutputChoice())  # type: ignore[no-any-return]


def _store(name: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        choice = ctx.meta.setdefault(OPTIONS_KEY, OutputChoice())
        if name == "columns":
            value = [c.strip() for c in value.split(",") if c.strip()] if value is not None else None
        setattr(choice, name, value)

    return callback


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
        "--as-of",
        "as_of",
        type=Day(),
        default=None,
        help="The record as known on this day (YYYY-MM-DD): later claims do not exist yet.",
    )(command)


def raw_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--raw",
        is_flag=True,
        expose_value=False,
        callback=_store("raw"),
        help="CSV: text exactly as stored (no apostrophe before text a spreadsheet would run as a formula).",
    )(command)


def output_options(
    formats: Sequence[str] = FORMATS, output_help: str = "Write to FILE instead of standard output (any format)."
) -> Callable[..., Any]:
    """A decorator giving a command the whole output family; ``--format`` reaches it as ``fmt``, the rest go to :func:`emit`."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(
            (
                click.option(
                    "--format",
                    "fmt",
                    type=click.Choice(formats),
                    default=None,
                    help="Output format. Default: table on a terminal, csv otherwise. "
                    "jsonl: one JSON object per line; xlsx: a workbook (the xlsx extra; needs -o FILE or a pipe).",
                ),
                click.option(
                    "--columns",
                    metavar="A,B,C",
                    expose_value=False,
                    callback=_store("columns"),
                    help="Only these columns, in this order (names as in the CSV header).",
                ),
                click.option(
                    "-o", "--output", metavar="FILE", expose_value=False, callback=_store("output"), help=output_help
                ),
                click.option(
                    "--excel",
                    is_flag=True,
                    expose_value=False,
                    callback=_store("excel"),
                    help="CSV for Excel: a UTF-8 byte-order mark and CRLF line ends (implies --format csv).",
                ),
                click.option(
                    "--with-sources",
                    is_flag=True,
                    expose_value=False,
                    callback=_store("with_sources"),
                    help="After each source column, its source's citation: title, publisher, author, dates, url, kind.",
                ),
            )
        ):
            command = option(command)
        return raw_option(command)

    return decorate


format_option = output_options()


def chosen_format(fmt: str | None) -> str:
    """``--format``; else CSV with ``--excel``, table on a terminal, CSV in a pipe."""
    from guestlist.models.errors import GuestlistError

    excel = output_choice().excel
    if excel and fmt not in (None, "csv"):
        raise GuestlistError(f"--excel writes CSV: drop --format {fmt}")
    if fmt is not None:
        return fmt
    return "csv" if excel or not sys.stdout.isatty() else "table"


def _cell(value: Any) -> Any:
    """A value as JSON and the table write it: a date as ISO 8601, a row (a report's aggregate claim) as an object."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        from dataclasses import asdict

        return {k: _cell(v) for k, v in asdict(value).items()}
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


def emit(
    rows: Sequence[Any],
    row_type: type,
    fmt: str | None,
    *,
    notes: Iterable[str] = (),
    summary: Mapping[str, Any] | None = None,
) -> None:
    """Write ``rows`` (dataclasses of ``row_type``) in ``fmt`` to standard output or the ``-o`` file, whole.

    ``notes`` are lines the table format prints after the rows (a report's
    summary, which page this is). ``summary`` makes the JSON an object,
    ``{**summary, "rows": [...]}``, so a report's summary is in its JSON
    too; JSON Lines, CSV and XLSX hold the rows alone.
    """
    from guestlist.seeds.exporters.output import STDOUT, write_bytes, write_text

    fmt = chosen_format(fmt)
    choice = output_choice()
    names, records = _records(rows, row_type, choice)
    names = headings(row_type, names, unique=fmt in ("json", "jsonl"))
    target = choice.output or STDOUT
    if fmt == "xlsx":
        from guestlist.models.errors import GuestlistError
        from guestlist.seeds.exporters.xlsx import xlsx_bytes

        if target == STDOUT and sys.stdout is not None and sys.stdout.isatty():
            raise GuestlistError(
                "--format xlsx writes a binary workbook: give -o FILE.xlsx, or send standard output to a file"
            )
        write_bytes(target, xlsx_bytes(names, records))
    elif fmt == "csv" and choice.excel:
        write_bytes(target, _csv(names, records, choice, excel=True).encode("utf-8"))
    else:
        write_text(target, _text(fmt, names, records, choice, list(notes), summary))


def headings(row_type: type, names: list[str], *, unique: bool) -> list[str]:
    """The column names to print: a field's ``HEADER`` metadata (a query's own column name) where it has one.

    JSON keys must differ, so where two headings repeat (``SELECT name, name``)
    and ``unique`` is asked the field names stay.
    """
    from dataclasses import fields

    given = {f.name: f.metadata.get(HEADER, f.name) for f in fields(row_type)}
    shown = [given.get(n, n) for n in names]
    if unique and len(set(shown)) < len(shown):
        return names
    return shown


def _text(
    fmt: str,
    names: list[str],
    records: list[list[Any]],
    choice: OutputChoice,
    notes: list[str],
    summary: Mapping[str, Any] | None,
) -> str:
    """The whole output as text in ``fmt`` (table, csv, json or jsonl)."""
    import json

    if fmt == "json":
        objects = [dict(zip(names, map(_cell, rec))) for rec in records]
        shaped: Any = objects if summary is None else {**summary, "rows": objects}
        return json.dumps(shaped, ensure_ascii=False, indent=2, default=_cell) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(dict(zip(names, map(_cell, rec))), ensure_ascii=False) + "\n" for rec in records)
    if fmt == "csv":
        return _csv(names, records, choice, excel=False)
    from .table import render, terminal_width

    body = ""
    if records:
        body = render(names, [[_table_cell(v) for v in rec] for rec in records], terminal_width())
    else:
        click.echo("(no rows)", err=True)
    return body + "".join(f"{line}\n" for line in notes)


def _csv(names: list[str], records: list[list[Any]], choice: OutputChoice, *, excel: bool) -> str:
    from guestlist.seeds.exporters.csv_rows import CRLF, LF, PYTHON_WORDS, csv_text

    # Rows end in LF (a line-oriented tool's output), in CRLF for Excel; booleans as Python writes them.
    return csv_text(
        names, records, bom=excel, line_end=CRLF if excel else LF, booleans=PYTHON_WORDS, inert=not choice.raw
    )


def _table_cell(value: Any) -> str:
    if value is None:
        return ""
    return str(_cell(value))


def source_stem(name: str) -> str | None:
    """A column naming a source by slug (source_slug, to_source_slug, expected_source, source): the stem its citation columns take."""
    if name in ("source", "source_slug") or name.endswith(("_source_slug", "_source")):
        return name.removesuffix("_slug")
    return None


def available_columns(row_type: type) -> tuple[list[str], dict[str, tuple[str, str]]]:
    """Every column a row can show, citation columns after their source column, and what each citation column reads.

    The second value maps a citation column (``source_title``) to its
    source column and citation field (``source_slug``, ``title``).
    """
    from guestlist.models.reports import columns
    from guestlist.models.reports.citations import CITATION_FIELDS

    names: list[str] = []
    cited: dict[str, tuple[str, str]] = {}
    for name in columns(row_type):
        names.append(name)
        stem = source_stem(name)
        if stem is not None:
            for part in CITATION_FIELDS:
                cited[f"{stem}_{part}"] = (name, part)
                names.append(f"{stem}_{part}")
    return names, cited


def _records(rows: Sequence[Any], row_type: type, choice: OutputChoice) -> tuple[list[str], list[list[Any]]]:
    """The columns chosen (``--columns``, ``--with-sources``) and each row's values in them."""
    from guestlist.models.reports import columns
    from guestlist.models.reports.lookup import not_found

    available, cited = available_columns(row_type)
    if choice.columns is not None:
        for name in choice.columns:
            if name not in available:
                raise not_found("column", name, {n: n for n in available})
        names = choice.columns
    elif choice.with_sources:
        names = available
    else:
        names = columns(row_type)
    wanted = [n for n in names if n in cited]
    citations = _citations({getattr(r, cited[n][0]) for r in rows for n in wanted}) if wanted else {}

    def value(row: Any, name: str) -> Any:
        if name not in cited:
            return getattr(row, name)
        slug, part = cited[name]
        found = citations.get(getattr(row, slug))
        return getattr(found, part) if found is not None else None

    return names, [[value(r, n) for n in names] for r in rows]


def _citations(slugs: set[str | None]) -> dict[str, Any]:
    """The citation of each slug, read from the invocation's database."""
    from guestlist.models.reports.citations import source_citations

    from .reading import run_report

    def read(db: Any) -> dict[str, Any]:
        with db.connect() as conn:
            return source_citations(conn, slugs)

    return run_report(click.get_current_context(), read)  # type: ignore[no-any-return]
