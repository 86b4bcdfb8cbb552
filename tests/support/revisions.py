"""What a revision's docstring says its downgrade does to the rows, for the tests that hold it to its ``keeps_data``.

The migration guard reads only the attribute (``guestlist.models.db.migration_guard``);
the docstring's ``Data:`` paragraph says the same in words for a reader, and
``tests/test_migration_data.py`` checks that the two agree.
"""

from __future__ import annotations

import re
from typing import Any

KEEPS = "keeps every row"  # what the Data: paragraph of a revision whose downgrade keeps data says


def data_note(script: Any) -> str | None:
    """The ``Data:`` paragraph of a revision's docstring, on one line; None when missing."""
    doc = getattr(script.module, "__doc__", None) or ""
    for paragraph in re.split(r"\n\s*\n", doc):
        if paragraph.strip().startswith("Data:"):
            return " ".join(paragraph.split())
    return None


def forget_source_languages(url: str) -> None:
    """Clear sources.language, which the bundled seeds fill and the revisions below f2b4d6e8a0c1 cannot hold.

    That revision's downgrade refuses while any language is recorded (as
    b7d9f1a3c5e7's refuses while a claim is ranked), so a test that steps a
    seeded database below it clears them first, as a user would.
    """
    import sqlalchemy as sa

    from guestlist.models.db import create_engine

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE sources SET language = NULL"))
    finally:
        engine.dispose()


def rank_every_claim_normal(url: str) -> None:
    """Rank every claim normal, as b7d9f1a3c5e7's downgrade asks before it drops the ranks.

    The bundled seeds deprecate a claim (a forecast kept for the record), so a
    test that steps a seeded database below that revision ranks them first,
    as a user would.
    """
    import sqlalchemy as sa

    from guestlist.models.db import create_engine

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for table in ("attendance_claims", "attendance_counts"):
                conn.execute(sa.text(f"UPDATE {table} SET rank = 'normal', rank_reason = NULL"))
    finally:
        engine.dispose()
