"""The read-only engine of a command that prints rows: ``report``, ``search``, ``find``, ``chart``, and :func:`emit`'s citations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from . import database


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
