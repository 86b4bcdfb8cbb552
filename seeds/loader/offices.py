"""One run may not give an office more holders at once than its seats.

Checked after the run's records are written, inside its transaction, on
the offices the run's positions hold (every office, when a bulk file
carries positions), so a document is judged with what is already stored.
The refusal names both records: the run's record where the run gave it
(file, record, line), else the stored holding; the transaction is then
rolled back and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.engine import Connection

from guestlist.models.reports.offices import Overlap, overlaps
from guestlist.models.reports.rows import OfficeHolder

from .resolve import Resolver
from .validate import CheckedDocument, Origin

_Key = tuple[str, str, dt.date]  # person slug, title as held, start_on


def check_office_holders(conn: Connection, resolver: Resolver, documents: list[CheckedDocument]) -> None:
    """Raise the one-line SeedError for the first office the run leaves with too many holders at once."""
    given: dict[_Key, Origin] = {}
    slugs: set[str] = set()
    bulk = any(entry.table == "positions" for doc in documents for entry in doc.bulk)
    for doc in documents:
        for record in doc.sections.get("positions", []):
            v = record.values
            given[(v["person"], v["title"], v["start_on"])] = record.origin
            slugs.add(v["office"])
        for record in doc.sections.get("offices", []):  # seats may have shrunk
            slugs.add(record.values["slug"])
    if not (given or slugs or bulk):
        return
    offices = None if bulk else resolver.lookup("office", slugs).values()
    found = overlaps(conn, offices)
    if found:
        raise _refusal(found[0], given, documents)


def _refusal(overlap: Overlap, given: dict[_Key, Origin], documents: list[CheckedDocument]) -> Exception:
    def origin_of(row: OfficeHolder) -> Origin | None:
        return given.get((row.person_slug, row.title, row.start_on))

    ours = [h for h in overlap.holdings if origin_of(h) is not None]
    if not ours:  # an offices record lowered the seats below what is stored
        origin = next(
            (
                r.origin
                for d in documents
                for r in d.sections.get("offices", [])
                if r.values["slug"] == overlap.office_slug
            ),
            None,
        )
        if origin is not None:
            return origin.error("seats", overlap.message())
        shown = documents[0].name if documents else "the run"
        return Origin(shown, "positions").error("office", overlap.message() + " (a bulk file of this run)")
    blamed = ours[-1]
    origin = origin_of(blamed)
    assert origin is not None
    others = [_where(h, origin_of(h)) for h in overlap.holdings if h is not blamed]
    kind = "" if overlap.tenure == "ordinary" else f"{overlap.tenure} "
    seats = f"{overlap.seats} {kind}holder{'' if overlap.seats == 1 else 's'} at once"
    return origin.error(
        "office",
        f"would give office {overlap.office_slug!r} {len(overlap.holdings)} {kind}holders on {overlap.day}, "
        f"but it has {seats}: {_dates(blamed)} overlaps "
        + "; ".join(others)
        + ": correct a date, or record the holding as acting, disputed or in_exile",
    )


def _dates(row: OfficeHolder) -> str:
    if row.evidence == "attested":
        return f"this holding (attested on {row.start_on})"
    return f"this holding ({row.start_on} to {row.end_on or 'no end recorded'})"


def _where(row: OfficeHolder, origin: Any) -> str:
    what = row.shown()
    if origin is None:
        return f"{what}, already stored"
    line = f":{origin.line}" if origin.line else ""
    return f"{what} at {origin.file}{line}: {origin.record}"
