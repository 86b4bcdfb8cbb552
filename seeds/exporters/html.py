"""An event page: one self-contained HTML file a journalist can publish or open from disk.

The page holds the event's public description and facts, the day the
record speaks for, its guest-list map, the guest list in three sections
(attended; announced only, not reported there; absent), the aggregate
counts as the sources worded them, and, where the event ``follows``
another, the then-and-now chart against it. Every row links to its source
in the numbered list at the foot, which gives each source's title,
publisher and date (linked to its address when that is http or https).

It is rendered from the Jinja2 templates in ``templates/`` (package data)
with autoescaping on: a name, quote or title may contain HTML and shows as
text. Charts are inline SVG drawn by ``guestlist.models.reports.charts``;
the CSS is inline and follows Datasette's default look (the page is served
beside it by ``guestlist serve``); there are no scripts, fonts or images to
fetch, so the page needs no network to be read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from guestlist.models import reports
from guestlist.models.db import Database, connect
from guestlist.models.errors import GuestlistError
from guestlist.models.events import Event, EventNote
from guestlist.models.persons import Person, Position
from guestlist.models.reports import charts, display, geography
from guestlist.models.reports.citations import Citation, source_citations
from guestlist.models.sources import Source
from guestlist.models.views import event_relations

from .output import write_text

TEMPLATE = "event_page.html"


@dataclass(frozen=True)
class EventNoteRow:
    """A sourced fact about the event beside its description (the event_notes table): the date's source, equipment shown."""

    topic: str
    text: str
    source_slug: str
    source_quote: str | None


def _event_notes(conn: Connection, event_slug: str) -> list[EventNoteRow]:
    e, n, s = Event.__table__, EventNote.__table__, Source.__table__
    rows = conn.execute(
        sa.select(n.c.topic, n.c.text, s.c.slug, n.c.source_quote)
        .select_from(n.join(e, e.c.id == n.c.event_id).join(s, s.c.id == n.c.source_id))
        .where(e.c.slug == event_slug)
        .order_by(n.c.topic)
    )
    return [EventNoteRow(*row) for row in rows]


@dataclass(frozen=True)
class EventPage:
    """What the page shows, read once from the database."""

    facts: charts.EventFacts
    description: str | None
    guests: list[reports.AttendanceRow]
    counts: list[reports.Count]
    sources: dict[str, Citation]  # slug -> citation, every source behind the event's record
    map: charts.EventMap
    follows: charts.Comparison | None
    offices_ended: dict[tuple[str, str], dt.date]  # (person slug, title) -> the office's last day, where it ended
    notes: list[EventNoteRow]  # the event's other sourced facts, by topic


def followed_event(event: str, kind: str, *, db: Database = None) -> str | None:
    """The event ``event`` follows: one of the same kind first, then the latest."""
    v = event_relations
    with connect(db) as conn:
        rows = conn.execute(
            sa.select(v.c.related_event_slug, v.c.related_event_date, v.c.related_event_id).where(
                v.c.event_slug == event, v.c.relation == "follows"
            )
        ).all()
        if not rows:
            return None
        kinds = dict(
            conn.execute(
                sa.select(Event.__table__.c.id, Event.__table__.c.kind).where(
                    Event.__table__.c.id.in_([r[2] for r in rows])
                )
            ).all()
        )
    ranked = sorted(rows, key=lambda r: (kinds.get(r[2]) != kind, -(r[1] or dt.date.min).toordinal(), r[0]))
    return ranked[0][0]


def _offices_ended(conn: Any, guests: list[reports.AttendanceRow]) -> dict[tuple[str, str], dt.date]:
    """(person slug, title) -> last day of each office held on the event's day that has since ended."""
    slugs = sorted({g.person_slug for g in guests if g.person_slug and g.position_title})
    if not slugs:
        return {}
    p, pos = Person.__table__, Position.__table__
    rows = conn.execute(
        sa.select(p.c.slug, pos.c.title, pos.c.start_on, pos.c.end_on)
        .select_from(pos.join(p, p.c.id == pos.c.person_id))
        .where(p.c.slug.in_(slugs), pos.c.end_on.is_not(None))
    )
    held = {(g.person_slug, g.position_title): g.event_date for g in guests}
    return {
        (slug, title): end
        for slug, title, start, end in rows
        if (slug, title) in held and (day := held[(slug, title)]) is not None and start <= day <= end
    }


def event_page_data(event: str, *, db: Database = None) -> EventPage:
    """Everything the page shows, read on one connection so the page is of one moment."""
    with connect(db) as conn:
        data = charts.event_map(event, db=conn)
        guests = reports.guest_list(event, db=conn)
        counts = reports.attendance_counts(event, db=conn)
        e = Event.__table__
        description = conn.execute(sa.select(e.c.description).where(e.c.slug == data.event.slug)).scalar_one()
        claims = reports.status_history(event, db=conn)
        notes = _event_notes(conn, data.event.slug)
        used = (
            {g.source_slug for g in [*guests, *claims]}
            | {c.source_slug for c in counts}
            | {n.source_slug for n in notes}
        )
        sources = source_citations(conn, used)
        previous = followed_event(data.event.slug, data.event.kind, db=conn)
        follows = charts.comparison(previous, data.event.slug, db=conn) if previous else None
        ended = _offices_ended(conn, guests)
    return EventPage(data.event, description, guests, counts, sources, data, follows, ended, notes)


def _svg(chart: Any) -> str:
    text = charts.render(chart, "svg").decode("utf-8")
    return text[text.index("<svg") :]  # an XML declaration is not allowed inside HTML


def is_web_address(url: str | None) -> bool:
    """Only http and https addresses become links; anything else (javascript:, file:) stays text."""
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def _numbered(sources: dict[str, Citation]) -> list[tuple[int, Citation]]:
    """The sources in the order a reader looks them up: by date published, then title; numbered from 1."""
    ordered = sorted(sources.values(), key=lambda c: (c.published_on or dt.date.max, c.title.casefold(), c.slug))
    return list(enumerate(ordered, start=1))


def _guest(p: reports.AttendanceRow, page: EventPage, numbers: dict[str, int]) -> dict[str, Any]:
    """One guest-list row in the words of the page."""
    ended = page.offices_ended.get((p.person_slug or "", p.position_title or ""))
    return {
        "state": display.state_short_name(p.state_code, p.state_name) or "",
        "state_code": p.state_code or "",
        "person": p.person_name or p.description or "",
        "description": p.description if p.person_name else None,
        "office": p.position_title or "",
        "office_ended": display.reader_date(ended) if ended else None,
        "role": charts.as_words(p.role),
        "capacity": charts.as_words(p.capacity),
        "status": charts.as_words(p.status),
        "reported_on": display.reader_date(p.reported_on) if p.reported_on else "",
        "source": p.source_slug,
        "source_number": numbers.get(p.source_slug or ""),
        "quote": p.source_quote,
    }


def _count(c: reports.Count, numbers: dict[str, int]) -> dict[str, Any]:
    return {
        "status": charts.as_words(c.status),
        "capacity": charts.as_words(c.capacity),
        "number": display.quantity(c.count, c.quantifier),
        "who": c.description,
        "bloc": c.organization_slug or "",
        "reported_on": display.reader_date(c.reported_on),
        "source": c.source_slug,
        "source_number": numbers.get(c.source_slug),
        "quote": c.source_quote,
    }


def _sections(page: EventPage, numbers: dict[str, int]) -> list[dict[str, Any]]:
    """Attended, announced only, absent (and any other status): each a heading, a line of words and rows."""
    by_outcome: dict[str | None, list[dict[str, Any]]] = {}
    for p in page.guests:
        by_outcome.setdefault(display.outcome_of(p.status), []).append(_guest(p, page, numbers))
    before = page.map.before_event
    sections = [
        (display.ATTENDED, "Attended", "The record says they were there.", "Nobody is recorded as having attended."),
        (
            display.ANNOUNCED,
            "Expected" if before else "Announced only",
            "Announced as coming (expected or confirmed)" + ("." if before else "; no source reports them there."),
            "Nobody is recorded as only announced.",
        ),
        (display.ABSENT, "Absent", "Declined, boycotted or not attending.", "Nobody is recorded as absent."),
    ]
    out = [
        {"id": key, "title": title, "about": about, "empty": empty, "rows": by_outcome.get(key, [])}
        for key, title, about, empty in sections
    ]
    if by_outcome.get(None):
        out.append(
            {"id": "other", "title": "Other", "about": "No status recorded.", "empty": "", "rows": by_outcome[None]}
        )
    return out


def _facts(page: EventPage) -> list[tuple[str, str]]:
    f = page.facts
    tally = page.map.tally()
    when = f.when + (f" to {display.reader_date(f.end_date)}" if f.end_date else "")
    host = display.state_short_name(f.host_state_code, f.host_state_name)
    items = [
        ("Date", when),
        ("Kind", charts.as_words(f.kind)),
        ("Place", ", ".join(x for x in (f.venue, f.city) if x)),
        ("Host", host or ""),
        ("States that attended at head of state or government level", f"{tally['head']:,}"),
        ("States that attended below that level", f"{tally['lower']:,}"),
        ("States only announced", f"{tally['announced']:,}"),
        ("States absent", f"{tally['absent']:,}"),
        ("Named participants", f"{len({p.person_slug for p in page.guests if p.person_slug}):,}"),
        ("Sources", f"{len(page.sources):,}"),
    ]
    return [(k, v) for k, v in items if v]


def _environment() -> Any:
    jinja2 = geography.import_extra("jinja2")
    return jinja2.Environment(
        loader=jinja2.PackageLoader("guestlist.seeds.exporters", "templates"),
        autoescape=True,  # every value is text, whatever HTML it holds
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render_page(page: EventPage) -> str:
    """The page as one HTML document."""
    numbered = _numbered(page.sources)
    numbers = {c.slug: n for n, c in numbered}
    follows = None
    if page.follows is not None:
        follows = {
            "name": page.follows.a.name,
            "when": page.follows.a.when,
            "svg": _svg(charts.compare_chart(page.follows)),
        }
    return str(
        _environment()
        .get_template(TEMPLATE)
        .render(
            event=page.facts,
            description=page.description,
            notes=[
                {
                    "topic": charts.as_words(n.topic),
                    "text": n.text,
                    "source": n.source_slug,
                    "source_number": numbers.get(n.source_slug),
                    "quote": n.source_quote,
                }
                for n in page.notes
            ],
            facts=_facts(page),
            record_date=display.reader_date(page.map.record_date) if page.map.record_date else None,
            map_svg=_svg(charts.map_chart(page.map)),
            sections=_sections(page, numbers),
            counts=[_count(c, numbers) for c in page.counts],
            follows=follows,
            sources=[
                {
                    "number": n,
                    "slug": c.slug,
                    "title": c.title,
                    "publisher": c.publisher,
                    "author": c.author,
                    "published_on": display.reader_date(c.published_on) if c.published_on else None,
                    "url": c.url,
                    "link": is_web_address(c.url),
                }
                for n, c in numbered
            ],
            source_line=charts.source_line(len(page.sources), page.map.record_date),
            shapes_credit=geography.SHAPES_CREDIT,
        )
    )


def event_page(event: str, *, db: Database = None) -> str:
    """The HTML page of ``event``."""
    return render_page(event_page_data(event, db=db))


def write_event_page(event: str, output: str | None, *, db: Database = None) -> str:
    """Write ``event``'s page to ``output`` (an .html file); returns the path."""
    if not output:
        raise GuestlistError("--format html writes a file: give it with -o FILE.html")
    if Path(output).suffix.lower() not in (".html", ".htm"):
        raise GuestlistError(f"{output}: an event page is HTML: give a file name ending in .html")
    charts.import_altair()
    write_text(output, event_page(event, db=db))
    return output
