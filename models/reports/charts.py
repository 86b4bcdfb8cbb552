"""Pictures of the record: an event's guest-list map, a then-and-now chart, a timeline.

Each chart is built in two steps so the data can be checked apart from the
drawing: ``event_map``, ``comparison`` and ``timeline`` read the database
(through the reports in ``guestlist.models.reports``) into plain dataclasses, and
``map_chart``, ``compare_chart`` and ``timeline_chart`` turn those into
Vega-Altair charts. ``render`` draws SVG or PNG bytes offline through
``vl-convert`` (no browser, no network); the command line writes them.

Altair, vl-convert and country_converter are the optional ``charts`` extra:
they are imported only when a chart is drawn, so ``import guestlist.models``
stays fast and works without them. Without the extra a chart raises
``GuestlistError`` saying which extra to install.

Each state is coloured by its level at the event, from the participation
that speaks for it (``status.best_attendance``: present before absent, the most
senior capacity first): ``head`` (head of state or government present),
``lower`` (present below that level), ``absent`` (declined, boycotted, not
attending) or ``not_recorded``. In the SVG every state's shape sits in a
group whose class names its level (``level_head_0_marks``: Vega-Lite's name
for the layer ``level_head``) and carries an ``aria-label`` naming the
state's code and level, so a test (or a screen reader) can tell what was drawn.

Country shapes and UN regions come from ``geography``.

The data functions take the database as ``db=`` and the day as ``as_of=``
like every report, and pass both on to the reports they read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import vocab
from ..db import Database, connect
from ..errors import GuestlistError, NotFoundError
from ..states import State
from ..views import event_summary
from .geography import SHAPES_CREDIT, import_extra, shape_ids, un_regions, world_topology
from .guests import attendance_counts, guest_list
from .ledger import status_history
from .lookup import find_event, find_person, find_state
from .records import person_record, state_record
from .rows import AttendanceRow
from .status import best_attendance_by

if TYPE_CHECKING:  # the charts extra is imported only where a chart is drawn
    import altair as alt

FORMATS = ("svg", "png")

LEVELS = ("head", "lower", "absent", "not_recorded")
LEVEL_LABELS = {
    "head": "Head of state or government present",
    "lower": "Present below that level",
    "absent": "Absent: declined, boycotted, not attending",
    "not_recorded": "Not recorded",
}
# Colour-blind-safe (Okabe-Ito) for the three recorded levels, grey for the rest.
LEVEL_COLOURS = {"head": "#D55E00", "lower": "#E69F00", "absent": "#0072B2", "not_recorded": "#DDDDDD"}
HOST_STROKE = "#000000"
FONT = "DejaVu Sans"  # installed with Debian's fonts-dejavu; fixed so every render is the same
MAP_SIZE = (860, 440)


def level_of(p: AttendanceRow | None) -> str:
    """The map level of the participation that speaks for a state (None: not recorded)."""
    if p is None:
        return "not_recorded"
    if p.status in vocab.PRESENT_STATUSES:
        return "head" if p.capacity in vocab.HEAD_CAPACITIES else "lower"
    if p.status in vocab.ABSENT_STATUSES:
        return "absent"
    return "not_recorded"


def as_words(value: str | None) -> str:
    """A vocabulary word as words for a label: 'head_of_state' -> 'head of state' (None: empty)."""
    return (value or "").replace("_", " ")


def _day(value: dt.date | None, precision: str | None = "day") -> str:
    """An event date as far as it is known: 2015-09-03, 2015-09 or 2015."""
    if value is None:
        return "undated"
    return {"year": value.strftime("%Y"), "month": value.strftime("%Y-%m")}.get(precision or "day", value.isoformat())


# ------------------------------------------------------------------- data


@dataclass(frozen=True)
class EventFacts:
    slug: str
    name: str
    kind: str
    date: dt.date | None
    date_precision: str | None
    end_date: dt.date | None
    city: str | None
    venue: str | None
    host_state_code: str | None
    host_state_name: str | None
    host_state_numeric: str | None

    @property
    def when(self) -> str:
        return _day(self.date, self.date_precision)


@dataclass(frozen=True)
class StateLevel:
    """What the record says of one state at one event."""

    state_code: str
    state_name: str
    numeric: str | None
    level: str
    status: str | None
    capacity: str | None
    person_name: str | None
    source_slug: str | None

    @property
    def label(self) -> str:
        """The aria-label of the state's shape: 'Korea, ... (PRK): head, head of state (Kim Jong Un)'."""
        text = f"{self.state_name} ({self.state_code}): {self.level}"
        if self.capacity and self.level != "not_recorded":
            text += f", {as_words(self.capacity)}"
        if self.person_name:
            text += f" ({self.person_name})"
        return text


@dataclass(frozen=True)
class EventMap:
    event: EventFacts
    states: list[StateLevel]  # every state the event's record names, in guest-list order
    sources: int  # distinct sources of the event's claims and counts
    unmapped: list[StateLevel]  # recorded states without a shape (historic, or too small at this scale)
    as_of: dt.date | None = None  # the record as known on this day; None: as it stands

    def level(self, code: str) -> str:
        return next((s.level for s in self.states if s.state_code == code), "not_recorded")

    def tally(self) -> dict[str, int]:
        return {lv: sum(1 for s in self.states if s.level == lv) for lv in LEVELS[:3]}


@dataclass(frozen=True)
class ComparedState:
    state_code: str
    state_name: str
    region: str
    a: StateLevel
    b: StateLevel


@dataclass(frozen=True)
class Comparison:
    a: EventFacts
    b: EventFacts
    states: list[ComparedState]  # recorded at either event, by region then name
    as_of: dt.date | None = None


@dataclass(frozen=True)
class TimelinePoint:
    event_slug: str
    event_name: str
    event_date: dt.date | None
    status: str | None
    capacity: str
    level: str
    person_name: str | None
    state_code: str | None
    state_name: str | None
    source_slug: str | None


@dataclass(frozen=True)
class Timeline:
    kind: str  # "state" or "person"
    key: str  # the state's code or the person's slug
    name: str
    points: list[TimelinePoint]  # oldest first; undated events last
    as_of: dt.date | None = None

    @property
    def dated(self) -> list[TimelinePoint]:
        return [p for p in self.points if p.event_date is not None]

    @property
    def undated(self) -> list[TimelinePoint]:
        return [p for p in self.points if p.event_date is None]


def _guests(conn: Connection, event: str, as_of: dt.date | None) -> list[AttendanceRow]:
    """The event's participations with their status as known on ``as_of`` (None: today's record)."""
    return guest_list(event, as_of=as_of, db=conn)


def _event_facts(conn: Connection, event: str) -> EventFacts:
    found = find_event(conn, event)
    v, s = event_summary, State.__table__
    row = conn.execute(
        sa.select(
            v.c.event_kind, v.c.event_date_precision, v.c.event_end_date, v.c.event_city, v.c.event_venue,
            v.c.host_state_code, s.c.name, s.c.numeric,
        )
        .select_from(v.outerjoin(s, s.c.code == v.c.host_state_code))
        .where(v.c.event_id == found.id)
    ).one()
    return EventFacts(found.slug, found.name, row[0], found.starts_on, *row[1:])


def _sources_count(conn: Connection, event: str, as_of: dt.date | None) -> int:
    """Distinct sources behind the event's claims (every status claim) and aggregate counts known on ``as_of``."""
    slugs = {p.source_slug for p in status_history(event, as_of=as_of, db=conn)}
    slugs |= {c.source_slug for c in attendance_counts(event, as_of=as_of, db=conn)}
    return len(slugs - {None})


def _states(conn: Connection, codes: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
    """code -> (ISO numeric code, successor's code) for the given states."""
    s, succ = State.__table__, State.__table__.alias("successor")
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = conn.execute(
        sa.select(s.c.code, s.c.numeric, succ.c.code)
        .select_from(s.outerjoin(succ, succ.c.id == s.c.successor_id))
        .where(s.c.code.in_(wanted))
    )
    return {code: (numeric, successor) for code, numeric, successor in rows}


def _levels(rows: list[AttendanceRow], numerics: dict[str, tuple[str | None, str | None]]) -> dict[str, StateLevel]:
    """code -> the level of each state the rows name, from its best participation."""
    out: dict[str, StateLevel] = {}
    for code, p in best_attendance_by(rows, lambda r: r.state_code).items():
        out[code] = StateLevel(
            state_code=code,
            state_name=p.state_name or code,
            numeric=numerics.get(code, (None, None))[0],
            level=level_of(p),
            status=p.status,
            capacity=p.capacity,
            person_name=p.person_name,
            source_slug=p.source_slug,
        )
    return out


def event_map(event: str, *, as_of: dt.date | None = None, db: Database = None) -> EventMap:
    """The data of ``event``'s map: each recorded state's level, the host, the sources count."""
    with connect(db) as conn:
        facts = _event_facts(conn, event)
        rows = _guests(conn, event, as_of)
        numerics = _states(conn, {r.state_code for r in rows if r.state_code})
        sources = _sources_count(conn, event, as_of)
    levels = _levels(rows, numerics)
    order = list(dict.fromkeys(r.state_code for r in rows if r.state_code))
    states = [levels[c] for c in order]
    shaped = shape_ids()
    unmapped = [s for s in states if s.numeric not in shaped]
    return EventMap(facts, states, sources, sorted(unmapped, key=lambda s: s.state_name), as_of)


def comparison(event_a: str, event_b: str, *, as_of: dt.date | None = None, db: Database = None) -> Comparison:
    """Each state recorded at either event, with its level at each, grouped by UN region."""
    with connect(db) as conn:
        fa, fb = _event_facts(conn, event_a), _event_facts(conn, event_b)
        rows_a, rows_b = _guests(conn, event_a, as_of), _guests(conn, event_b, as_of)
        known = _states(conn, {r.state_code for r in [*rows_a, *rows_b] if r.state_code})
    at_a, at_b = _levels(rows_a, known), _levels(rows_b, known)
    regions = un_regions(known)
    out: list[ComparedState] = []
    for code in at_a.keys() | at_b.keys():
        shown = at_b.get(code) or at_a[code]
        blank = StateLevel(code, shown.state_name, shown.numeric, "not_recorded", None, None, None, None)
        out.append(ComparedState(code, shown.state_name, regions[code], at_a.get(code, blank), at_b.get(code, blank)))
    out.sort(key=lambda c: (c.region, c.state_name.casefold(), c.state_code))
    return Comparison(fa, fb, out, as_of)


def timeline(subject: str, *, as_of: dt.date | None = None, db: Database = None) -> Timeline:
    """A person's (by slug) or a state's (by code or name) record over time.

    A person's slug is tried first, then a state; a state's point at each
    event is its most senior participant there.
    """
    with connect(db) as conn:
        try:
            person = find_person(conn, subject)
        except NotFoundError as not_person:
            try:
                state = find_state(conn, subject)
            except NotFoundError as not_state:
                raise _neither(subject, not_person, not_state) from None
            rows = state_record(state.code, as_of=as_of, db=conn)
            kind, key, name = "state", state.code, state.name
            best = best_attendance_by(rows, lambda r: r.event_slug)
            rows = [best[slug] for slug in dict.fromkeys(r.event_slug for r in rows)]
        else:
            rows = person_record(person.slug, as_of=as_of, db=conn)
            kind, key, name = "person", person.slug, person.name
    points = [
        TimelinePoint(
            r.event_slug, r.event_name, r.event_date, r.status, r.capacity, level_of(r),
            r.person_name, r.state_code, r.state_name, r.source_slug,
        )
        for r in rows
    ]
    return Timeline(kind, key, name, points, as_of)


def _neither(subject: str, *errors: NotFoundError) -> NotFoundError:
    """One line for a subject that is no person and no state, with both lookups' suggestions."""
    marker = "; did you mean "
    hints = [str(e).split(marker, 1)[1].rstrip("?") for e in errors if marker in str(e)]
    return NotFoundError(f"neither a person nor a state: {subject!r}" + (f"{marker}{', '.join(hints)}?" if hints else ""))


# ------------------------------------------------------------------ drawing


def import_altair() -> Any:
    """Altair, or the one-line error naming the charts extra: call it before any database work to fail early."""
    return import_extra("altair")


def _colour(alt: Any, orient: str = "bottom", **place: Any) -> Any:
    """The level colour scale and its legend, the same on every chart (``place``: legendX/legendY)."""
    labels = " : ".join(f"datum.value == '{lv}' ? '{LEVEL_LABELS[lv]}'" for lv in LEVELS) + " : datum.value"
    return alt.Color(
        "level:N",
        title="Level",
        scale=alt.Scale(domain=list(LEVELS), range=[LEVEL_COLOURS[lv] for lv in LEVELS]),
        legend=alt.Legend(
            labelExpr=labels, orient=orient, direction="vertical", symbolType="square", labelLimit=0,
            fillColor="#FFFFFF", padding=4, **place,
        ),
    )


def _footer(alt: Any, lines: list[str], width: int) -> Any:
    data = alt.Data(values=[{"line": i, "text": t} for i, t in enumerate(lines)])
    return (
        alt.Chart(data)
        .mark_text(align="left", baseline="top", fontSize=11, color="#333333", limit=width)
        .encode(x=alt.value(0), y=alt.Y("line:O", axis=None), text="text:N")
        .properties(width=width, height=alt.Step(15))
    )


def _finish(chart: Any) -> Any:
    return chart.configure(font=FONT).configure_view(stroke=None).configure_title(anchor="start", fontSize=16)


def map_chart(event: str | EventMap, *, as_of: dt.date | None = None, db: Database = None) -> alt.VConcatChart:
    """The world map of ``event``'s guest list (an event slug, or ``event_map``'s answer)."""
    alt = import_altair()
    data = event if isinstance(event, EventMap) else event_map(event, as_of=as_of, db=db)
    facts = data.event
    known = [
        {"id": s.numeric, "level": s.level, "label": s.label} for s in data.states if s.numeric in shape_ids()
    ]
    shapes = alt.Data(values=world_topology(), format=alt.DataFormat(type="topojson", feature="countries"))
    base = (
        alt.Chart(shapes)
        .transform_lookup(lookup="id", from_=alt.LookupData(alt.Data(values=known), "id", ["level", "label"]))
        .transform_calculate(
            level="datum.level || 'not_recorded'",
            label="datum.label || (datum.properties.name + ': not recorded')",
        )
    )
    layers = [
        base.transform_filter(alt.datum.level == lv)
        .mark_geoshape(stroke="#FFFFFF", strokeWidth=0.4)
        .encode(color=_colour(alt, "none", legendX=0, legendY=MAP_SIZE[1] - 110), description="label:N", tooltip=alt.Tooltip("label:N", title="State"))
        .properties(name=f"level_{lv}")
        for lv in LEVELS
    ]
    if facts.host_state_numeric in shape_ids():
        layers.append(
            base.transform_filter(alt.datum.id == facts.host_state_numeric)
            .mark_geoshape(fill=None, stroke=HOST_STROKE, strokeWidth=1.6)
            .properties(name="host")
        )
    tally = data.tally()
    if data.states:
        counts = (
            f"{tally['head']} states represented by a head of state or government, "
            f"{tally['lower']} below that level, {tally['absent']} absent"
        )
    else:
        counts = "Nobody is recorded for this event"
    host_line = f"Host (outlined): {facts.host_state_name}" if facts.host_state_name else "No host recorded"
    world = alt.layer(*layers).project("equalEarth").properties(width=MAP_SIZE[0], height=MAP_SIZE[1])
    lines = [f"Sources: {data.sources} {'source' if data.sources == 1 else 'sources'} recorded in guestlist for this event."]
    if data.unmapped:
        shown = ", ".join(f"{s.state_name} ({s.state_code}, {s.level})" for s in data.unmapped)
        lines.append(f"Recorded but not on the map (historic, or too small at this scale): {shown}.")
    lines.append(SHAPES_CREDIT)
    known_on = f" As known on {data.as_of.isoformat()}." if data.as_of else ""
    title = alt.TitleParams(text=f"{facts.name}, {facts.when}", subtitle=[f"{host_line}. {counts}.{known_on}"])
    return _finish(alt.vconcat(world, _footer(alt, lines, MAP_SIZE[0]), title=title, spacing=6))


def _cell_text(s: StateLevel) -> str:
    if s.level == "not_recorded":
        return "not recorded"
    if s.level == "absent":
        return as_words(s.status)
    return as_words(s.capacity)


def compare_chart(
    event_a: str | Comparison, event_b: str | None = None, *, as_of: dt.date | None = None, db: Database = None
) -> alt.FacetChart:
    """Then and now: each state's level at A and at B, grouped by UN region."""
    alt = import_altair()
    data = event_a if isinstance(event_a, Comparison) else comparison(event_a, event_b or "", as_of=as_of, db=db)
    columns = [f"A: {data.a.when}", f"B: {data.b.when}"]
    if columns[0][3:] == columns[1][3:]:
        columns = [f"A: {data.a.slug}", f"B: {data.b.slug}"]
    rows = []
    for order, c in enumerate(data.states):
        for column, s in zip(columns, (c.a, c.b)):
            rows.append(
                {
                    "order": order, "region": c.region, "state": c.state_name, "event": column, "level": s.level,
                    "text": _cell_text(s), "label": f"{column}: {s.label}",
                }
            )
    title = alt.TitleParams(
        text=f"{data.a.name} ({data.a.when}) → {data.b.name} ({data.b.when})",
        subtitle=[
            f"{len(data.states)} states recorded at either event, by UN region (country_converter).",
            "Each state at its most senior participant." if data.states else "Nobody is recorded at either event.",
        ],
    )
    if not rows:
        empty = alt.Chart(alt.Data(values=[{"text": "Nobody is recorded at either event."}])).mark_text(size=14).encode(
            text="text:N"
        )
        return _finish(empty.properties(width=420, height=60, title=title))
    y = alt.Y("state:N", title=None, sort=alt.EncodingSortField("order"), axis=alt.Axis(labelLimit=220))
    x = alt.X("event:N", title=None, sort=columns, axis=alt.Axis(orient="top", labelAngle=0))
    cells = (
        alt.Chart()
        .mark_rect(stroke="#FFFFFF", strokeWidth=1.5)
        .encode(x=x, y=y, color=_colour(alt), description="label:N", tooltip=alt.Tooltip("label:N", title="State"))
        .properties(name="cells")
    )
    dark = alt.datum.level == "absent"  # white words on the dark blue
    words = alt.Chart().mark_text(fontSize=10).encode(
        x=x, y=y, text="text:N", color=alt.condition(dark, alt.value("#FFFFFF"), alt.value("#111111"))
    )
    chart = (
        alt.layer(cells, words, data=alt.Data(values=rows))
        .properties(width=320, height=alt.Step(20))
        .facet(
            row=alt.Row(
                "region:N", title=None, sort=sorted({str(r["region"]) for r in rows}),
                header=alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start", labelFontWeight="bold", labelFontSize=12),
            ),
            spacing=8,
            title=title,
        )
        .resolve_scale(y="independent")
    )
    return _finish(chart)


def timeline_chart(subject: str | Timeline, *, as_of: dt.date | None = None, db: Database = None) -> alt.Chart:
    """A state's or person's record over time: each event on a time axis, its level, capacity and status."""
    alt = import_altair()
    data = subject if isinstance(subject, Timeline) else timeline(subject, as_of=as_of, db=db)
    subtitle = [f"{len(data.points)} events recorded" + (" (each at its most senior participant)" if data.kind == "state" else "")]
    if data.undated:
        subtitle.append("Undated, not on the axis: " + ", ".join(p.event_name for p in data.undated))
    title = alt.TitleParams(text=f"{data.name}: record over time", subtitle=subtitle)
    if not data.dated:
        empty = alt.Chart(alt.Data(values=[{"text": f"No dated events are recorded for {data.name}."}])).mark_text(
            size=14
        ).encode(text="text:N")
        return _finish(empty.properties(width=520, height=60, title=title))
    rows = []
    for order, p in enumerate(data.dated):
        assert p.event_date is not None
        who = p.person_name if data.kind == "state" else p.state_name
        what = as_words(p.capacity) + (f" ({who})" if who else "")
        rows.append(
            {
                "order": order, "date": p.event_date.isoformat(), "status": p.status or "", "level": p.level,
                "event": f"{p.event_date.isoformat()}  {p.event_name}", "what": f"{what}, {as_words(p.status)}",
                "label": f"{p.event_date.isoformat()} {p.event_name}: {p.level}, {what}, {p.status}",
            }
        )
    # One row per event, oldest at the top: names never overlap, however close the dates.
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%Y", labelAngle=0, orient="top"), scale=alt.Scale(padding=16))
    y = alt.Y("event:N", title=None, sort=alt.EncodingSortField("order"), axis=alt.Axis(labelLimit=460))
    points = (
        alt.Chart()
        .mark_point(size=150, filled=True, opacity=1)
        .encode(
            x=x, y=y, color=_colour(alt),
            shape=alt.Shape("status:N", title="Status", sort=list(vocab.STATUS), legend=alt.Legend(orient="bottom")),
            description="label:N", tooltip=alt.Tooltip("label:N", title="Event"),
        )
        .properties(name="events")
    )
    words = alt.Chart().mark_text(align="left", dx=10, fontSize=10, color="#333333").encode(x=x, y=y, text="what:N")
    chart = alt.layer(points, words, data=alt.Data(values=rows)).properties(
        width=520, height=alt.Step(26), title=title
    )
    return _finish(chart)


# ---------------------------------------------------------------- rendering


def spec(chart: Any) -> dict[str, Any]:
    """The Vega-Lite specification of ``chart``."""
    return chart.to_dict()


def render(chart: Any, fmt: str = "svg", *, scale: float = 2) -> bytes:
    """``chart`` as SVG (UTF-8) or PNG bytes, offline. ``scale`` enlarges a PNG."""
    if fmt not in FORMATS:
        raise GuestlistError(f"unknown chart format {fmt!r}: use one of {', '.join(FORMATS)}")
    vlc = import_extra("vl_convert")
    document = spec(chart)
    if fmt == "svg":
        return vlc.vegalite_to_svg(document).encode("utf-8")
    return bytes(vlc.vegalite_to_png(document, scale=scale))


def format_of(path: str | Path) -> str:
    """The chart format a file name asks for (.svg or .png); any other is a one-line error."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise GuestlistError(f"{path}: unknown file extension {Path(path).suffix or '(none)'!r}: use .svg or .png")
    return suffix

