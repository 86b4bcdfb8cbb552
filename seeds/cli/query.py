"""``guestlist query``: your own SQL against the configured database, read-only, on every database.

The SQL runs through ``guestlist.models.db.read_sql`` on the reports'
read-only engine: the database itself refuses a write, wherever it hides.
The rows print like every report's (``--format``), as dataclasses made from
the result's columns.
"""

from __future__ import annotations

import dataclasses
import keyword
import re
import sys
from typing import Any

import click

from .output import HEADER, emit, format_option
from .report import run_report


def _parameter(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    """``-p NAME=VALUE`` options as a dict; a malformed or repeated one is a one-line error."""
    from guestlist.models.errors import GuestlistError

    out: dict[str, str] = {}
    for given in values:
        name, sep, value = given.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise GuestlistError(f"-p wants NAME=VALUE (the SQL says :NAME), not {given!r}")
        if name in out:
            raise GuestlistError(f"parameter {name!r} is given twice")
        out[name] = value
    return out


def field_names(columns: list[str]) -> list[str]:
    """One distinct Python identifier per column: 'count(*)' -> 'count', a second 'name' -> 'name_2'."""
    taken: set[str] = set()
    out = []
    for column in columns:
        base = re.sub(r"\W+", "_", column).strip("_") or "column"
        if base[0].isdigit() or keyword.iskeyword(base):
            base = f"c_{base}"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name)
        out.append(name)
    return out


def row_type(columns: list[str]) -> type:
    """A row dataclass for the result's columns; each field's metadata keeps the column's own name."""
    fields = [
        (name, Any, dataclasses.field(metadata={HEADER: column}))
        for name, column in zip(field_names(columns), columns, strict=True)
    ]
    return dataclasses.make_dataclass("QueryRow", fields, frozen=True)


@click.command()
@click.argument("sql")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    callback=_parameter,
    help="A value for :NAME in the SQL (repeatable), always passed as text.",
)
@format_option
@click.pass_context
def query(ctx: click.Context, sql: str, params: dict[str, str], fmt: str | None) -> None:
    """Run one read-only SQL statement (SQL, or - for standard input) and print its rows.

    \b
    Writes are refused by the database itself (SQLite mode=ro, read-only
    transactions on PostgreSQL and MariaDB); nothing changes. The views of
    docs/sql.md are the stable way in. Example:
      guestlist query -p event=beijing-victory-day-parade-2025 \\
        "SELECT state_code, status FROM attendance_report WHERE event_slug = :event"
    """
    from guestlist.models.db.read_sql import read_sql

    if sql == "-":
        sql = sys.stdin.read()

    def produce(engine: Any) -> Any:
        with engine.connect() as conn:
            return read_sql(conn, sql, params)

    result = run_report(ctx, produce)
    shape = row_type(result.columns)
    emit([shape(*row) for row in result.rows], shape, fmt)
