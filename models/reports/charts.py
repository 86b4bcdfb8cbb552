"""Pictures of the record: an event's guest-list map, a then-and-now chart, a timeline.

Each chart is built in two steps so the data can be checked apart from the
drawing: ``event_map``, ``comparison`` and ``timeline`` read the database
(through the reports in ``guestlist.models.reports``) into plain dataclasses, and
``map_chart``, ``compare_chart`` and ``timeline_chart`` turn those into
Vega-Altair charts. ``render`` draws SVG or PNG bytes offline through
``vl-convert`` (no browser, no network); the command line writes them.

Altair, vl-convert and countryinfo are the optional ``charts`` extra: they
are imported only when a chart is drawn, so ``import guestlist.models``
stays fast and works without them. Without the extra a chart raises
``GuestlistError`` saying which extra to install.

Each state is coloured by its level at the event. What the record says
happened comes first: a state with an ``attended`` claim is ``head`` (head
of state or government attended) or ``lower`` (attended below that level),
from its most senior participant who attended. A state only announced
(``expected`` or ``confirmed``, never reported there) is ``announced``: a
category of its own, never counted as present. Then ``absent`` (declined,
boycotted, not attending) and ``not_recorded``. The readers' words for
each outcome come from ``display.outcome_of``. On an ``as_of`` day before
the event nobody can have attended yet, and the words say "announced" and
"expected", never "present".

Every chart carries a title, a legend in plain words and a source line
("Source: guestlist, 12 sources; record as of 3 September 2025"): the
record's day is the ``as_of`` day, or else the day of the latest claim drawn.

In the SVG every state's shape sits in a group whose class names its level
(``level_head_0_marks``: Vega-Lite's name for the layer ``level_head``) and
carries an ``aria-label`` naming the state's code and level, so a test (or
a screen reader) can tell what was drawn.

Country shapes, small states' locations and UN regions come from ``geography``.
"""

from __future__ import annotations

import datetime as dt
import math
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
from .display import ANNOUNCED, ATTENDED, outcome_of, reader_date, state_short_name
from .geography import LOCATIONS_CREDIT, SHAPES_CREDIT, import_extra, locations, shape_ids, un_regions, world_topology
from .guests import attendance_counts, guest_list
from .ledger import status_history
from .lookup import find_event, find_person, find_state
from .records import person_record, state_record
from .rows import AttendanceRow
from .status import best_attendance_by

if TYPE_CHECKING:  # the charts extra is imported only where a chart is drawn
    import altair as alt

FORMATS = ("svg", "png")

LEVELS = ("head", "lower", "announced", "absent", "not_recorded")
LEVEL_LABELS = {
    "head": "Attended: head of state or government",
    "lower": "Attended: below that level",
    "announced": "Announced only: expected, not reported there",
    "absent": "Absent: declined, boycotted, not attending",
    "not_recorded": "Not recorded",
}
# Before the event nobody has come or stayed away yet: the record holds announcements.
BEFORE_LABELS = {
    **LEVEL_LABELS,
    "announced": "Announced: expected to attend",
    "absent": "Announced as not coming: declined, boycotted",
}
# Colour-blind-safe (Okabe-Ito) for the four recorded levels, grey for the rest.
LEVEL_COLOURS = {
    "head": "#D55E00",
    "lower": "#E69F00",
    "announced": "#CC79A7",
    "absent": "#0072B2",
    "not_recorded": "#DDDDDD",
}
DARK_LEVELS = ("head", "absent")  # white words on these cells
HOST_STROKE = "#000000"
FONT = "DejaVu Sans"  # installed with Debian's fonts-dejavu; fixed so every render is the same
MAP_SIZE = (860, 440)
PAGE_WIDTH = 960  # the compare chart and the timeline fit a page (and the event page) at this width

# How a state's presence moved from A to B, in the order the compare chart shows them.
CHANGES = ("new", "gone", "up", "down", "same")
_PRESENCE = {"not_recorded": 0, "absent": 0, "announced": 1, "lower": 2, "head": 3}


def level_of(p: AttendanceRow | None) -> str:
    """The chart level of the participation that speaks for a state (None: not recorded)."""
    outcome = outcome_of(p.status) if p is not None else None
    if p is None or outcome is None:
        return "not_recorded"
    if outcome == ATTENDED:
        return "head" if p.capacity in vocab.HEAD_CAPACITIES else "lower"
    return "announced" if outcome == ANNOUNCED else "absent"


def speaking_for(rows: Iterable[AttendanceRow], key: Any) -> dict[str, AttendanceRow]:
    """``key`` -> the participation that speaks for it: the best who attended, else the best of all.

    ``best_attendance`` ranks an expected head of state above an attending
    minister; a chart shows what happened, so an attended claim wins.
    """
    rows = list(rows)
    best = best_attendance_by(rows, key)
    best.update(best_attendance_by([r for r in rows if outcome_of(r.status) == ATTENDED], key))
    return best


def as_words(value: str | None) -> str:
    """A vocabulary word as words for a label: 'head_of_state' -> 'head of state' (None: empty)."""
    return (value or "").replace("_", " ")


def before_event(as_of: dt.date | None, day: dt.date | None) -> bool:
    """The record is read as of a day before the event: it can hold announcements only."""
    return as_of is not None and day is not None and as_of < day


def labels_for(before: bool) -> dict[str, str]:
    """The legend's words for each level, as of a day before the event or not."""
    return BEFORE_LABELS if before else LEVEL_LABELS


def source_line(sources: int, record_date: dt.date | None) -> str:
    """'Source: guestlist, 12 sources; record as of 3 September 2025'."""
    count = f"{sources:,} {'source' if sources == 1 else 'sources'}"
    if record_date is None:
        return f"Source: guestlist, {count}; nothing recorded yet"
    return f"Source: guestlist, {count}; record as of {reader_date(record_date)}"


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
        """The date as far as it is known, for readers: '3 September 2025', 'September 2025', '2025'."""
        return reader_date(self.date, self.date_precision)

    @property
    def year(self) -> str:
        return str(self.date.year) if self.date else "undated"

    @property
    def host_short_name(self) -> str | None:
        return state_short_name(self.host_state_code, self.host_state_name)


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
    def short_name(self) -> str:
        return state_short_name(self.state_code, self.state_name) or self.state_code

    @property
    def label(self) -> str:
        """The aria-label of the state's shape: 'North Korea (PRK): head, head of state (Kim Jong Un)'."""
        text = f"{self.short_name} ({self.state_code}): {self.level}"
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
    unmapped: list[StateLevel]  # recorded states without a shape (small or historic)
    as_of: dt.date | None = None  # the record as known on this day; None: as it stands
    record_date: dt.date | None = None  # as_of, or the day of the latest claim
    dots: dict[str, tuple[float, float]] | None = None  # code -> (latitude, longitude) of unmapped states drawn as dots

    def level(self, code: str) -> str:
        return next((s.level for s in self.states if s.state_code == code), "not_recorded")

    def tally(self) -> dict[str, int]:
        return {lv: sum(1 for s in self.states if s.level == lv) for lv in LEVELS[:4]}

    @property
    def before_event(self) -> bool:
        return before_event(self.as_of, self.event.date)


@dataclass(frozen=True)
class ComparedState:
    state_code: str
    state_name: str
    region: str
    a: StateLevel
    b: StateLevel

    @property
    def short_name(self) -> str:
        return state_short_name(self.state_code, self.state_name) or self.state_code

    @property
    def change(self) -> str:
        """new, gone, up, down or same: how the state's presence moved from A to B."""
        a, b = _PRESENCE[self.a.level], _PRESENCE[self.b.level]
        if a == b:
            return "same"
        if not a or not b:
            return "new" if b else "gone"
        return "up" if b > a else "down"


@dataclass(frozen=True)
class Comparison:
    a: EventFacts
    b: EventFacts
    states: list[ComparedState]  # recorded at either event, by change (CHANGES) then short name
    as_of: dt.date | None = None
    sources: int = 0  # distinct sources behind both events' claims
    record_date: dt.date | None = None

    def tally(self) -> dict[str, int]:
        return {change: sum(1 for c in self.states if c.change == change) for change in CHANGES}

    @property
    def before_event(self) -> bool:
        return before_event(self.as_of, self.b.date) or before_event(self.as_of, self.a.date)


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
    reported_on: dt.date | None = None


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

    @property
    def sources(self) -> int:
        return len({p.source_slug for p in self.points} - {None})

    @property
    def record_date(self) -> dt.date | None:
        return self.as_of or max((p.reported_on for p in self.points if p.reported_on), default=None)


def _guests(conn: Connection, event: str, as_of: dt.date | None) -> list[AttendanceRow]:
    """The event's participations with their status as known on ``as_of`` (None: today's record)."""
    return guest_list(event, as_of=as_of, db=conn)


def _event_facts(conn: Connection, event: str) -> EventFacts:
    found = find_event(conn, event)
    v, s = event_summary, State.__table__
    row = conn.execute(
        sa.select(
            v.c.event_kind,
            v.c.event_date_precision,
            v.c.event_end_date,
            v.c.event_city,
            v.c.event_venue,
            v.c.host_state_code,
            s.c.name,
            s.c.numeric,
        )
        .select_from(v.outerjoin(s, s.c.code == v.c.host_state_code))
        .where(v.c.event_id == found.id)
    ).one()
    return EventFacts(found.slug, found.name, row[0], found.starts_on, *row[1:])


def record_of(conn: Connection, events: Iterable[str], as_of: dt.date | None) -> tuple[int, dt.date | None]:
    """The distinct sources behind the events' claims and counts known on ``as_of``, and the record's day.

    The day is ``as_of``, or else that of the latest claim or count.
    """
    slugs: set[str | None] = set()
    days: list[dt.date] = []
    for event in events:
        claims = status_history(event, as_of=as_of, db=conn)
        counts = attendance_counts(event, as_of=as_of, db=conn)
        slugs |= {p.source_slug for p in claims} | {c.source_slug for c in counts}
        days += [p.reported_on for p in claims if p.reported_on] + [c.reported_on for c in counts]
    return len(slugs - {None}), as_of or max(days, default=None)


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
    """code -> the level of each state the rows name, from the participation that speaks for it."""
    out: dict[str, StateLevel] = {}
    for code, p in speaking_for(rows, lambda r: r.state_code).items():
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
    """The data of ``event``'s map: each recorded state's level, the host, the sources and the record's day."""
    with connect(db) as conn:
        facts = _event_facts(conn, event)
        rows = _guests(conn, event, as_of)
        numerics = _states(conn, {r.state_code for r in rows if r.state_code})
        sources, record_date = record_of(conn, [facts.slug], as_of)
    levels = _levels(rows, numerics)
    order = list(dict.fromkeys(r.state_code for r in rows if r.state_code))
    states = [levels[c] for c in order]
    shaped = shape_ids()
    unmapped = sorted((s for s in states if s.numeric not in shaped), key=lambda s: s.short_name)
    return EventMap(facts, states, sources, unmapped, as_of, record_date, locations(s.state_code for s in unmapped))


def comparison(event_a: str, event_b: str, *, as_of: dt.date | None = None, db: Database = None) -> Comparison:
    """Each state recorded at either event, with its level at each, the changes first (``CHANGES``)."""
    with connect(db) as conn:
        fa, fb = _event_facts(conn, event_a), _event_facts(conn, event_b)
        rows_a, rows_b = _guests(conn, event_a, as_of), _guests(conn, event_b, as_of)
        known = _states(conn, {r.state_code for r in [*rows_a, *rows_b] if r.state_code})
        sources, record_date = record_of(conn, dict.fromkeys([fa.slug, fb.slug]), as_of)
    at_a, at_b = _levels(rows_a, known), _levels(rows_b, known)
    regions = un_regions(known)
    out: list[ComparedState] = []
    for code in at_a.keys() | at_b.keys():
        shown = at_b.get(code) or at_a[code]
        blank = StateLevel(code, shown.state_name, shown.numeric, "not_recorded", None, None, None, None)
        out.append(ComparedState(code, shown.state_name, regions[code], at_a.get(code, blank), at_b.get(code, blank)))
    out.sort(key=lambda c: (CHANGES.index(c.change), c.short_name.casefold(), c.state_code))
    return Comparison(fa, fb, out, as_of, sources, record_date)


def timeline(subject: str, *, as_of: dt.date | None = None, db: Database = None) -> Timeline:
    """A person's (slug or any recorded name) or a state's (code or name) record over time.

    A person is tried first, then a state; a state's point at each event is
    the participation that speaks for it there.
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
            kind, key, name = "state", state.code, state_short_name(state.code, state.name) or state.name
            best = speaking_for(rows, lambda r: r.event_slug)
            rows = [best[slug] for slug in dict.fromkeys(r.event_slug for r in rows)]
        else:
            rows = person_record(person.slug, as_of=as_of, db=conn)
            kind, key, name = "person", person.slug, person.name
    points = [
        TimelinePoint(
            r.event_slug,
            r.event_name,
            r.event_date,
            r.status,
            r.capacity,
            level_of(r),
            r.person_name,
            r.state_code,
            r.state_name,
            r.source_slug,
            r.reported_on,
        )
        for r in rows
    ]
    return Timeline(kind, key, name, points, as_of)


def _neither(subject: str, *errors: NotFoundError) -> NotFoundError:
    """One line for a subject that is no person and no state, with both lookups' suggestions."""
    marker = "; did you mean "
    hints = [str(e).split(marker, 1)[1].rstrip("?") for e in errors if marker in str(e)]
    return NotFoundError(
        f"neither a person nor a state: {subject!r}" + (f"{marker}{', '.join(hints)}?" if hints else "")
    )


# ------------------------------------------------------------------ drawing


def import_altair() -> Any:
    """Altair, or the one-line error naming the charts extra: call it before any database work to fail early."""
    return import_extra("altair")


def _colour(alt: Any, shown: Iterable[str], before: bool = False, orient: str = "bottom", **place: Any) -> Any:
    """The level colour scale, the same on every chart, with a legend of the ``shown`` levels in words."""
    words = labels_for(before)
    labels = " : ".join(f"datum.value == '{lv}' ? '{words[lv]}'" for lv in LEVELS) + " : datum.value"
    place = {"direction": "vertical", **place}
    return alt.Color(
        "level:N",
        title="What the record says",
        scale=alt.Scale(domain=list(LEVELS), range=[LEVEL_COLOURS[lv] for lv in LEVELS]),
        legend=alt.Legend(
            values=[lv for lv in LEVELS if lv in set(shown)],
            labelExpr=labels,
            orient=orient,
            symbolType="square",
            labelLimit=0,
            fillColor="#FFFFFF",
            padding=4,
            **place,
        ),
    )


def _footer(alt: Any, lines: list[str], width: int) -> Any:
    """Lines of small text under a chart: the source line first, then notes and credits."""
    data = alt.Data(values=[{"line": i, "text": t} for i, t in enumerate(lines)])
    return (
        alt.Chart(data)
        .mark_text(align="left", baseline="top", fontSize=11, color="#333333", limit=width)
        .encode(x=alt.value(0), y=alt.Y("line:O", axis=None), text="text:N")
        .properties(width=width, height=alt.Step(15), name="footer")
    )


def _finish(chart: Any) -> Any:
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_title(anchor="start", fontSize=16, subtitleFontSize=12, subtitleColor="#333333")
        .configure_legend(titleFontSize=11, labelFontSize=11)
    )


def _map_counts(data: EventMap) -> str:
    """The subtitle's count of states per level, in the words of the record's day."""
    tally = data.tally()
    if not data.states:
        return "Nobody is recorded for this event"
    if data.before_event:
        return (
            f"Before the event: {tally['announced']} states announced as expected, "
            f"{tally['absent']} announced as not coming"
        )
    return (
        f"{tally['head']} states attended at head of state or government level, {tally['lower']} below that level; "
        f"{tally['announced']} only announced (not reported there); {tally['absent']} absent"
    )


def map_chart(event: str | EventMap, *, as_of: dt.date | None = None, db: Database = None) -> alt.VConcatChart:
    """The world map of ``event``'s guest list (an event slug, or ``event_map``'s answer)."""
    alt = import_altair()
    data = event if isinstance(event, EventMap) else event_map(event, as_of=as_of, db=db)
    facts = data.event
    shown = {s.level for s in data.states} | {"not_recorded"}
    colour = _colour(alt, shown, data.before_event, "none", legendX=0, legendY=MAP_SIZE[1] - 120)
    known = [{"id": s.numeric, "level": s.level, "label": s.label} for s in data.states if s.numeric in shape_ids()]
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
        .encode(color=colour, description="label:N", tooltip=alt.Tooltip("label:N", title="State"))
        .properties(name=f"level_{lv}")
        for lv in LEVELS
    ]
    if facts.host_state_numeric in shape_ids():
        layers.append(
            base.transform_filter(alt.datum.id == facts.host_state_numeric)
            .mark_geoshape(fill=None, stroke=HOST_STROKE, strokeWidth=1.6)
            .properties(name="host")
        )
    dots = data.dots or {}
    for lv in LEVELS:
        here = [
            {"latitude": dots[s.state_code][0], "longitude": dots[s.state_code][1], "level": lv, "label": s.label}
            for s in data.unmapped
            if s.level == lv and s.state_code in dots
        ]
        if here:
            layers.append(
                alt.Chart(alt.Data(values=here))
                .mark_circle(size=60, opacity=1, stroke="#333333", strokeWidth=0.6)
                .encode(
                    longitude="longitude:Q",
                    latitude="latitude:Q",
                    color=colour,
                    description="label:N",
                    tooltip=alt.Tooltip("label:N", title="State"),
                )
                .properties(name=f"level_{lv}_dot")
            )
    host = facts.host_short_name
    host_line = f"Host (outlined): {host}" if host else "No host recorded"
    world = alt.layer(*layers).project("equalEarth").properties(width=MAP_SIZE[0], height=MAP_SIZE[1])
    lines = [source_line(data.sources, data.record_date)]
    if dots:
        lines.append("States too small for the map's shapes are drawn as dots.")
    off = [s for s in data.unmapped if s.state_code not in dots]
    if off:
        shown_off = ", ".join(f"{s.short_name} ({s.state_code}, {s.level})" for s in off)
        lines.append(f"Recorded but not on the map (historic, or no location known): {shown_off}.")
    lines.append(SHAPES_CREDIT + (f" {LOCATIONS_CREDIT}" if dots else ""))
    title = alt.TitleParams(text=f"{facts.name}, {facts.when}", subtitle=[f"{host_line}.", f"{_map_counts(data)}."])
    return _finish(alt.vconcat(world, _footer(alt, lines, MAP_SIZE[0]), title=title, spacing=6))


def _cell_text(s: StateLevel) -> str:
    if s.level == "not_recorded":
        return "not recorded"
    if s.level in ("absent", "announced"):
        return as_words(s.status)
    return as_words(s.capacity)


def _change_headings(data: Comparison) -> dict[str, str]:
    a, b = _column_names(data)
    return {
        "new": f"New: absent or not recorded at {a}",
        "gone": f"Gone: absent or not recorded at {b}",
        "up": f"Up: a more senior level at {b}",
        "down": f"Down: a less senior level at {b}",
        "same": "Unchanged",
    }


def _column_names(data: Comparison) -> tuple[str, str]:
    """How the two events are named in the chart: their years, else their dates, else their slugs."""
    for a, b in ((data.a.year, data.b.year), (data.a.when, data.b.when)):
        if a != b:
            return a, b
    return data.a.slug, data.b.slug


# The compare chart's grid: three columns of states, each a name and two cells.
_COLUMNS, _ROW, _NAME, _CELL, _GAP = 3, 18, 130, 92, 8


def _grid(data: Comparison, states: list[ComparedState]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """The compare chart's cells and words, placed in pixels: each change a block, its states column by column."""
    a_name, b_name = _column_names(data)
    headings = _change_headings(data)
    width = PAGE_WIDTH // _COLUMNS
    cells: list[dict[str, Any]] = []
    words: list[dict[str, Any]] = []
    y = 0
    for col in range(_COLUMNS):  # the events' names above each column of cells
        x = col * width + _NAME
        words += [
            {"x": x + _CELL / 2, "y": y + _ROW / 2, "text": a_name, "kind": "column"},
            {"x": x + _CELL * 1.5 + 2, "y": y + _ROW / 2, "text": b_name, "kind": "column"},
        ]
    y += _ROW
    for change in CHANGES:
        block = [c for c in states if c.change == change]
        if not block:
            continue
        words.append({"x": 0, "y": y + _ROW * 0.75, "text": f"{headings[change]} ({len(block)})", "kind": "heading"})
        y += _ROW + 4
        rows = math.ceil(len(block) / _COLUMNS)
        for i, c in enumerate(block):
            x, top = (i // rows) * width, y + (i % rows) * _ROW
            words.append({"x": x + (_GAP if x else 0), "y": top + _ROW / 2, "text": c.short_name, "kind": "state"})
            for j, (column, s) in enumerate(((f"A: {a_name}", c.a), (f"B: {b_name}", c.b))):
                left = x + _NAME + j * (_CELL + 2)
                cells.append(
                    {
                        "x": left,
                        "x2": left + _CELL,
                        "y": top + 1,
                        "y2": top + _ROW - 1,
                        "level": s.level,
                        "label": f"{column}: {s.label}",
                    }
                )
                words.append(
                    {
                        "x": left + _CELL / 2,
                        "y": top + _ROW / 2,
                        "text": _cell_text(s),
                        "kind": "dark" if s.level in DARK_LEVELS else "cell",
                    }
                )
        y += rows * _ROW + 6
    return cells, words, y


def compare_chart(
    event_a: str | Comparison,
    event_b: str | None = None,
    *,
    only_changes: bool = False,
    as_of: dt.date | None = None,
    db: Database = None,
) -> alt.VConcatChart:
    """Then and now: each state's level at A and at B, the changes first (new, gone, up, down, unchanged).

    ``only_changes`` leaves the unchanged states out. The chart is
    ``PAGE_WIDTH`` pixels wide whatever the number of states.
    """
    alt = import_altair()
    data = event_a if isinstance(event_a, Comparison) else comparison(event_a, event_b or "", as_of=as_of, db=db)
    states = [c for c in data.states if not (only_changes and c.change == "same")]
    tally = data.tally()
    a_name, b_name = _column_names(data)
    counts = (
        f"{len(data.states)} states recorded at either event: {tally['new']} new at {b_name}, {tally['gone']} gone, "
        f"{tally['up']} up, {tally['down']} down, {tally['same']} unchanged"
        + (" (not shown)" if only_changes and tally["same"] else "")
        + "."
    )
    subtitle = [counts if data.states else "Nobody is recorded at either event."]
    if data.states:
        subtitle.append("Each state at its most senior participant who attended; else as announced.")
    if data.before_event:
        subtitle.append(f"Record as of {reader_date(data.as_of)}: before the event, so announcements only.")
    title = alt.TitleParams(text=f"{data.a.name} → {data.b.name}", subtitle=subtitle)
    footer = _footer(alt, [source_line(data.sources, data.record_date)], PAGE_WIDTH)
    if not states:
        message = "Nobody is recorded at either event." if not data.states else "Nothing changed."
        empty = alt.Chart(alt.Data(values=[{"text": message}])).mark_text(size=14).encode(text="text:N")
        return _finish(alt.vconcat(empty.properties(width=PAGE_WIDTH, height=60), footer, title=title, spacing=6))
    cells, words, height = _grid(data, states)
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[0, PAGE_WIDTH], nice=False, zero=True))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[0, height], nice=False, reverse=True))
    shown = {c.a.level for c in states} | {c.b.level for c in states}
    boxes = (
        alt.Chart(alt.Data(values=cells))
        .mark_rect(stroke="#FFFFFF", strokeWidth=0.5)
        .encode(
            x=x,
            x2="x2:Q",
            y=y,
            y2="y2:Q",
            color=_colour(alt, shown, data.before_event, "top", columns=2),
            description="label:N",
            tooltip=alt.Tooltip("label:N", title="State"),
        )
        .properties(name="cells")
    )

    def text(kind: str, **style: Any) -> Any:
        return (
            alt.Chart(alt.Data(values=[w for w in words if w["kind"] == kind]))
            .mark_text(baseline="middle", **style)
            .encode(x=x, y=y, text="text:N")
        )

    layers = [
        boxes,
        text("state", align="left", fontSize=11, color="#111111", limit=_NAME - _GAP - 4),
        text("cell", align="center", fontSize=8.5, color="#111111", limit=_CELL - 4),
        text("dark", align="center", fontSize=8.5, color="#FFFFFF", limit=_CELL - 4),
        text("column", align="center", fontSize=10, fontWeight="bold", color="#333333"),
        text("heading", align="left", fontSize=12, fontWeight="bold", color="#111111"),
    ]
    grid = alt.layer(*layers).properties(width=PAGE_WIDTH, height=height)
    return _finish(alt.vconcat(grid, footer, title=title, spacing=8))


def _timeline_rows(data: Timeline) -> list[dict[str, Any]]:
    """One row per dated event, its words placed beside the point on the side with room."""
    dated = [p.event_date for p in data.dated if p.event_date]
    first, last = min(dated), max(dated)
    middle = first + (last - first) / 2
    rows = []
    for order, p in enumerate(data.dated):
        assert p.event_date is not None
        who = p.person_name if data.kind == "state" else state_short_name(p.state_code, p.state_name)
        what = as_words(p.capacity) + (f" ({who})" if who else "")
        day = reader_date(p.event_date)
        rows.append(
            {
                "order": order,
                "date": p.event_date.isoformat(),
                "status": p.status or "",
                "level": p.level,
                "text": f"{day}: {p.event_name}",
                "what": f"{what}; {as_words(p.status)}",
                "right": p.event_date <= middle,
                "label": f"{p.event_date.isoformat()} {p.event_name}: {p.level}, {what}, {as_words(p.status)}",
            }
        )
    return rows


def timeline_chart(subject: str | Timeline, *, as_of: dt.date | None = None, db: Database = None) -> alt.VConcatChart:
    """A state's or person's record over time: each event on a time axis, labelled inside the plot."""
    alt = import_altair()
    data = subject if isinstance(subject, Timeline) else timeline(subject, as_of=as_of, db=db)
    subtitle = [
        f"{len(data.points)} events recorded"
        + (" (each at its most senior participant)" if data.kind == "state" else "")
    ]
    if data.undated:
        subtitle.append("Undated, not on the axis: " + ", ".join(p.event_name for p in data.undated))
    title = alt.TitleParams(text=f"{data.name}: record over time", subtitle=subtitle)
    footer = _footer(alt, [source_line(data.sources, data.record_date)], PAGE_WIDTH - 60)
    if not data.dated:
        empty = (
            alt.Chart(alt.Data(values=[{"text": f"No dated events are recorded for {data.name}."}]))
            .mark_text(size=14)
            .encode(text="text:N")
        )
        return _finish(alt.vconcat(empty.properties(width=PAGE_WIDTH - 60, height=60), footer, title=title))
    rows = _timeline_rows(data)
    x = alt.X(
        "date:T",
        title=None,
        axis=alt.Axis(format="%Y", labelAngle=0, orient="top", grid=True, tickCount=10, labelOverlap="greedy"),
        scale=alt.Scale(padding=24),
    )
    y = alt.Y("order:O", axis=None)
    statuses = [s for s in vocab.STATUS if s in {r["status"] for r in rows}]
    status_words = " : ".join(f"datum.value == '{s}' ? '{as_words(s)}'" for s in statuses) + " : datum.value"
    points = (
        alt.Chart()
        .mark_point(size=150, filled=True, opacity=1)
        .encode(
            x=x,
            y=y,
            color=_colour(alt, {r["level"] for r in rows}),
            shape=alt.Shape(
                "status:N",
                title="Status",
                sort=statuses,
                scale=alt.Scale(domain=statuses),
                legend=alt.Legend(orient="bottom", labelExpr=status_words, direction="vertical"),
            ),
            description="label:N",
            tooltip=alt.Tooltip("label:N", title="Event"),
        )
        .properties(name="events")
    )

    def words(right: bool, field: str, dy: int, **style: Any) -> Any:
        return (
            alt.Chart()
            .transform_filter(alt.datum.right if right else ~alt.datum.right)
            .mark_text(align="left" if right else "right", dx=12 if right else -12, dy=dy, **style)
            .encode(x=x, y=y, text=f"{field}:N")
        )

    labels = [
        words(side, field, dy, **style)
        for side in (True, False)
        for field, dy, style in (
            ("text", -6, {"fontSize": 11, "color": "#111111"}),
            ("what", 7, {"fontSize": 10, "color": "#444444"}),
        )
    ]
    plot = alt.layer(points, *labels, data=alt.Data(values=rows)).properties(width=PAGE_WIDTH - 60, height=alt.Step(34))
    return _finish(alt.vconcat(plot, footer, title=title, spacing=8))


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
