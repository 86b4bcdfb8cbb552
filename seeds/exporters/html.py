"""An event page: one self-contained HTML file a journalist can publish or open from disk.

The page holds the event's facts, its guest-list map, the guest list (present,
absent, the aggregate counts) with each row's source and quote, and, where
the event ``follows`` another, the then-and-now chart against it. Charts are
inline SVG drawn by ``guestlist.models.reports.charts``; the CSS is inline; there are no
scripts, fonts or images to fetch, so the page needs no network to be read.
Every value from the database is escaped: a name may contain HTML.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from guestlist.models import reports, vocab
from guestlist.models.db import Database, connect
from guestlist.models.errors import GuestlistError
from guestlist.models.events import Event
from guestlist.models.reports import charts, geography
from guestlist.models.sources import Source
from guestlist.models.views import event_relations

from .output import write_text

CSS = """
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; margin: 2rem auto; max-width: 1100px;
       padding: 0 1rem; color: #111; background: #fff; line-height: 1.4; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .5rem 0 1rem; }
th, td { border: 1px solid #ccc; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
figure { margin: 1rem 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
q { font-style: italic; }
.muted { color: #555; font-size: .85rem; }
"""

GUEST_COLUMNS = ("State", "Person", "Office on the day", "Role", "Capacity", "Status", "Reported on", "Source", "Quote")
COUNT_COLUMNS = ("Status", "Capacity", "Number", "Who", "Bloc", "Reported on", "Source", "Quote")


@dataclass(frozen=True)
class EventPage:
    """What the page shows, read once from the database."""

    facts: charts.EventFacts
    description: str | None
    guests: list[reports.AttendanceRow]
    counts: list[reports.Count]
    sources: dict[str, Any]  # slug -> Source row (title, publisher, url)
    map: charts.EventMap
    follows: charts.Comparison | None


def _e(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return escape(str(value), quote=True)


def _words(value: str | None) -> str:
    return _e(charts.as_words(value))


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


def event_page_data(event: str, *, db: Database = None) -> EventPage:
    """Everything the page shows, read on one connection so the page is of one moment."""
    with connect(db) as conn:
        data = charts.event_map(event, db=conn)
        guests = reports.guest_list(event, db=conn)
        counts = reports.attendance_counts(event, db=conn)
        e = Event.__table__
        description = conn.execute(sa.select(e.c.description).where(e.c.slug == data.event.slug)).scalar_one()
        used = sorted({g.source_slug for g in guests if g.source_slug} | {c.source_slug for c in counts})
        s = Source.__table__
        sources = {
            r.slug: r
            for r in conn.execute(sa.select(s.c.slug, s.c.title, s.c.publisher, s.c.url).where(s.c.slug.in_(used)))
        } if used else {}
        previous = followed_event(data.event.slug, data.event.kind, db=conn)
        follows = charts.comparison(previous, data.event.slug, db=conn) if previous else None
    return EventPage(data.event, description, guests, counts, sources, data, follows)


def _svg(chart: Any) -> str:
    text = charts.render(chart, "svg").decode("utf-8")
    return text[text.index("<svg"):]  # an XML declaration is not allowed inside HTML


def _source_link(slug: str | None) -> str:
    return f'<a href="#source-{_e(slug)}">{_e(slug)}</a>' if slug else ""


def _guest_rows(rows: list[reports.AttendanceRow]) -> str:
    out = []
    for p in rows:
        cells = (
            f"{_e(p.state_name)} ({_e(p.state_code)})" if p.state_code else "",
            _e(p.person_name or p.description),
            _e(p.position_title),
            _e(p.role),
            _words(p.capacity),
            _words(p.status),
            _e(p.reported_on),
            _source_link(p.source_slug),
            f"<q>{_e(p.source_quote)}</q>" if p.source_quote else "",
        )
        out.append('<tr class="participant">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return "\n".join(out)


def _table(columns: tuple[str, ...], body: str, empty: str) -> str:
    if not body:
        return f'<p class="muted">{_e(empty)}</p>'
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>"


def _facts(page: EventPage) -> str:
    f = page.facts
    tally = page.map.tally()
    items = [
        ("Date", f.when + (f" to {f.end_date.isoformat()}" if f.end_date else "")),
        ("Kind", charts.as_words(f.kind)),
        ("Place", ", ".join(x for x in (f.venue, f.city) if x)),
        ("Host", f"{f.host_state_name} ({f.host_state_code})" if f.host_state_code else ""),
        ("Heads of state or government present", str(tally["head"])),
        ("States present below that level", str(tally["lower"])),
        ("States absent", str(tally["absent"])),
        ("Named participants", str(len({p.person_slug for p in page.guests if p.person_slug}))),
        ("Sources", str(page.map.sources)),
    ]
    body = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items if v)
    return f'<dl class="facts">{body}</dl>'


def _counts(counts: list[reports.Count]) -> str:
    rows = []
    for c in counts:
        cells = (
            _words(c.status), _words(c.capacity), _e(c.count if c.count is not None else c.quantifier),
            _e(c.description), _e(c.organization_slug), _e(c.reported_on), _source_link(c.source_slug),
            f"<q>{_e(c.source_quote)}</q>",
        )
        rows.append("<tr>" + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")
    return _table(COUNT_COLUMNS, "\n".join(rows), "No aggregate counts are recorded.")


def _sources(sources: dict[str, Any]) -> str:
    items = []
    for slug in sorted(sources):
        s = sources[slug]
        title = _e(s.title)
        if s.url:
            title = f'<a href="{_e(s.url)}">{title}</a>'
        publisher = f", {_e(s.publisher)}" if s.publisher else ""
        items.append(f'<li id="source-{_e(slug)}"><code>{_e(slug)}</code>: {title}{publisher}</li>')
    return "<ul>" + "".join(items) + "</ul>" if items else '<p class="muted">No sources.</p>'


def render_page(page: EventPage) -> str:
    """The page as one HTML document."""
    f = page.facts
    present = [p for p in page.guests if p.status in vocab.PRESENT_STATUSES]
    absent = [p for p in page.guests if p.status in vocab.ABSENT_STATUSES]
    other = [p for p in page.guests if p not in present and p not in absent]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{_e(f.name)}: guest list</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{_e(f.name)}</h1>",
        f'<p class="muted">Event <code>{_e(f.slug)}</code> in guestlist.</p>',
        f"<p>{_e(page.description)}</p>" if page.description else "",
        _facts(page),
        "<h2>Map</h2>",
        f'<figure class="chart map">{_svg(charts.map_chart(page.map))}</figure>',
        f"<h2>Present ({len(present)})</h2>",
        _table(GUEST_COLUMNS, _guest_rows(present), "Nobody is recorded as present."),
        f"<h2>Absent ({len(absent)})</h2>",
        _table(GUEST_COLUMNS, _guest_rows(absent), "Nobody is recorded as absent."),
    ]
    if other:
        parts += [f"<h2>Other ({len(other)})</h2>", _table(GUEST_COLUMNS, _guest_rows(other), "")]
    parts += ["<h2>Counts</h2>", _counts(page.counts)]
    if page.follows is not None:
        a = page.follows.a
        parts += [
            f"<h2>Then and now: against {_e(a.name)} ({_e(a.when)})</h2>",
            f'<figure class="chart compare">{_svg(charts.compare_chart(page.follows))}</figure>',
        ]
    parts += ["<h2>Sources</h2>", _sources(page.sources), f'<p class="muted">{_e(geography.SHAPES_CREDIT)}</p>']
    parts.append("</body></html>\n")
    return "\n".join(p for p in parts if p)


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
