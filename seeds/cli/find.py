"""``guestlist find``: what a name or an office in a seed document would resolve to, and why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import click

from .output import emit, format_option
from .reading import run_report


@dataclass(frozen=True)
class _Row:
    """One candidate as printed: who, by which recorded name or office, and the offices held."""

    slug: str
    name: str
    matched: str
    offices: str


def _day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint="'--on'") from None


@click.group()
def find() -> None:
    """What a reference in a seed document would resolve to, before the document is written.

    Exit status 0 when it names exactly one person (the document would load),
    1 with the loader's own one-line refusal otherwise.
    """


def _answer(candidates: list[Any], refusal: str, fmt: str | None) -> None:
    """The one candidate as rows, or the loader's refusal as the one-line error."""
    from guestlist.models.errors import GuestlistError

    if len(candidates) != 1:
        raise GuestlistError(refusal)
    emit([_Row(c.slug, c.name, c.matched, "; ".join(c.offices)) for c in candidates], _Row, fmt)


@click.command("person")
@click.argument("text")
@click.option("--on", "on", metavar="DATE", help="Show the offices held on this day.")
@format_option
@click.pass_context
def person(ctx: click.Context, text: str, on: str | None, fmt: str | None) -> None:
    """TEXT as 'person: TEXT' would read it: a slug, or a recorded name after folding case, accents and script."""
    from guestlist.models.names import ambiguous, find_person, stored_people, unmatched

    day = _day(on)

    def produce(conn):  # type: ignore[no-untyped-def]
        found = find_person(conn, text, day)
        return found, (ambiguous("name", text, found) if found else unmatched("name", text, stored_people(conn)))

    found, refusal = run_report(ctx, lambda db: _with(db, produce))
    _answer(found, refusal, fmt)


@click.command("office")
@click.argument("title")
@click.option("--on", "on", metavar="DATE", help="The day the office was held (default: today).")
@click.option(
    "--state", metavar="CODE", help="With a capacity (head_of_state, ...) instead of a title: the state's code."
)
@format_option
@click.pass_context
def office(ctx: click.Context, title: str, on: str | None, state: str | None, fmt: str | None) -> None:
    """Who held the office TITLE on a day, as 'person: {office: TITLE, on: DATE}' would read it."""
    from guestlist.models.names import find_office, office_refused

    day = _day(on) or dt.date.today()
    found = run_report(ctx, lambda db: _with(db, lambda conn: find_office(conn, title, day, state)))  # type: ignore[arg-type]
    _answer(found, office_refused(title, day, state, found), fmt)


def _with(db, produce):  # type: ignore[no-untyped-def]
    with db.connect() as conn:
        return produce(conn)


find.add_command(person)
find.add_command(office)
