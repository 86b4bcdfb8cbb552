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


def _phrase(text: str, on: str | None) -> tuple[str | None, dt.date | None]:
    """(title, day) of "TITLE on DATE", else (None, --on's day); --on may repeat the phrase's day, not contradict it."""
    from guestlist.models.errors import GuestlistError
    from guestlist.models.names import office_on

    given = _day(on)
    try:
        phrase = office_on(text)
    except ValueError as exc:
        raise GuestlistError(str(exc)) from None
    if phrase is None:
        return None, given
    if given is not None and given != phrase[1]:
        raise GuestlistError(f"{text!r} gives the day {phrase[1]}, --on gives {given}: give one")
    return phrase


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
    """TEXT as 'person: TEXT' would read it: a slug, a recorded name after folding case, accents and script,
    or an office on a day ('Prime Minister of Japan on 2025-10-22', as 'find office' reads it)."""
    from guestlist.models.names import ambiguous, find_office, find_person, office_refused, stored_people, unmatched

    title, day = _phrase(text, on)
    if title is not None:
        assert day is not None
        found = run_report(ctx, lambda db: _with(db, lambda conn: find_office(conn, title, day)))
        _answer(found, office_refused(title, day, None, found), fmt)
        return

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
    """Who held the office TITLE on a day, as 'person: {office: TITLE, on: DATE}' would read it.

    TITLE is the office's title or slug, or the title as held ('Acting
    President of Myanmar'); a holding counts from its start up to, not on,
    its end. 'Prime Minister of Japan on 2025-10-22' gives the day in TITLE,
    as a seed document's 'person:' may.
    """
    from guestlist.models.names import find_office, office_refused

    phrase, day = _phrase(title, on)
    title = phrase or title
    day = day or dt.date.today()
    found = run_report(ctx, lambda db: _with(db, lambda conn: find_office(conn, title, day, state)))  # type: ignore[arg-type]
    _answer(found, office_refused(title, day, state, found), fmt)


def _with(db, produce):  # type: ignore[no-untyped-def]
    with db.connect() as conn:
        return produce(conn)


find.add_command(person)
find.add_command(office)
