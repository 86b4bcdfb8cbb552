"""``guestlist search``: every quote, note, event, person, organization and source that matches."""

from __future__ import annotations

import click

from .output import emit, format_option
from .reading import run_report

KINDS = (
    "quote",
    "note",
    "event",
    "person",
    "organization",
    "source",
)  # guestlist.models.vocab.SEARCH_KIND, unimported for --help speed


@click.command()
@click.argument("query")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only hits of this kind (repeatable).")
@click.option("--event", metavar="SLUG", help="Only texts about this event (its quotes, notes, name).")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="At most this many hits.")
@format_option
@click.pass_context
def search(
    ctx: click.Context, query: str, kinds: tuple[str, ...], event: str | None, limit: int, fmt: str | None
) -> None:
    """Full-text search: hits for QUERY, best first, with the match [marked].

    Words must all match, in any order, after folding case and accents;
    "a phrase" matches in that order; OR joins alternatives; -word excludes.
    Chinese, Japanese and Korean match inside unspaced text too. See
    docs/search.md for what each database can and cannot match.
    """
    from guestlist.models.search import Hit
    from guestlist.models.search import search as run_search

    hits = run_report(ctx, lambda db: run_search(query, kind=kinds or None, event=event, limit=limit, db=db))
    emit(hits, Hit, fmt)
