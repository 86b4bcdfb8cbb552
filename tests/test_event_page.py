"""The event page: one self-contained HTML file, on every database, opened in headless Chromium.

The bundled data plus a document whose names, quotes and titles are HTML
(they must show as text, never as markup). The page is parsed back: facts,
both charts inline, every participant in the table with source and quote.
Chromium opens it from disk with every host name unresolvable and a network
log on: the screenshot is not blank and the log holds no request at all
beyond the file itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from guestlist.models import reports
from guestlist.models.db import connect
from guestlist.models.events import Event, EventNote
from guestlist.models.reports import charts
from guestlist.models.reports.display import outcome_of, reader_date, state_short_name
from guestlist.seeds.exporters.html import event_page, event_page_data, followed_event, is_web_address, render_page

from .support.chromium import chromium_or_skip, open_in_chromium, screenshot
from .support.cli import invoke
from .support.databases import DIALECT_PARAMS, new_database

P2015, P2025 = "beijing-victory-day-parade-2015", "beijing-victory-day-parade-2025"
MARKUP_NAME = "<script>alert('x')</script> Kim & \"Co\""
MARKUP_QUOTE = "</td></tr><img src=x onerror=alert(1)>"
MARKUP = {
    "format": "guestlist/1",
    "source": {
        "slug": "page-test-source", "title": "<b>Bold</b> & \"quoted\" title", "kind": "news_article",
        "url": "https://example.org/?a=1&b=<2>", "retrieved_on": "2026-11-30",
    },
    "persons": [{"slug": "markup-person", "name": MARKUP_NAME}],
    "events": [
        {
            "slug": "markup-summit", "name": "Talks <i>in</i> Beijing", "kind": "summit", "starts_on": "2026-05-01",
            "host": "CHN", "quote": "a summit", "description": "<style>body{display:none}</style>",
            "relations": [{"relation": "follows", "event": P2025}],
        }
    ],
    "attendance": [
        {
            "event": "markup-summit", "person": "markup-person", "state": "PRK", "role": "guest",
            "capacity": "head_of_state", "claims": [{"status": "attended", "reported_on": "2026-05-01", "quote": MARKUP_QUOTE}],
        },
        {  # Singapore: too small for a 1:110m map, so listed under it
            "event": "markup-summit", "state": "SGP", "role": "guest", "capacity": "minister",
            "claims": [{"status": "attended", "reported_on": "2026-05-01", "quote": "a minister came"}],
        },
        {
            "event": "markup-summit", "state": "USA", "role": "guest", "capacity": "envoy",
            "description": "an envoy <u>unnamed</u>",
            "claims": [{"status": "declined", "reported_on": "2026-04-01", "quote": "declined & left"}],
        },
    ],
}


@pytest.fixture(scope="module", params=DIALECT_PARAMS)
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with new_database(request.param, tmp_path_factory.mktemp(request.param), "seeded", documents=[("markup", MARKUP)]) as url:
        yield url


def _event_note_count(database: str, event: str) -> int:
    e, n = Event.__table__, EventNote.__table__
    with connect(database) as conn:
        return conn.execute(
            sa.select(sa.func.count()).select_from(n.join(e, e.c.id == n.c.event_id)).where(e.c.slug == event)
        ).scalar_one()


class Page(HTMLParser):
    """The parts of the page the tests read: tags seen, table rows, headings, inline SVGs."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.rows: list[list[str]] = []
        self.headings: list[str] = []
        self.links: list[str] = []
        self.row_links: list[list[str]] = []  # the links of each participant row
        self.paragraphs: dict[str, list[str]] = {}  # class -> texts of the <p> of that class
        self.items: dict[str, str] = {}  # id of each <li> -> its text
        self._cell: list[str] | None = None
        self._paragraph: tuple[str, list[str]] | None = None
        self._item: tuple[str, list[str]] | None = None
        self._row: list[str] | None = None
        self._heading: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if tag == "tr" and found.get("class") == "participant":
            self._row = []
            self.row_links.append([])
        elif tag == "a" and self._row is not None:
            self.row_links[-1].append(found.get("href") or "")
        elif tag == "p" and found.get("class"):
            self._paragraph = (found["class"] or "", [])
        elif tag == "li" and found.get("id"):
            self._item = (found["id"] or "", [])
        elif tag == "td" and self._row is not None:
            self._cell = []
        elif tag in ("h1", "h2"):
            self._heading = []
        for name in ("href", "src"):
            if found.get(name):
                self.links.append(found[name] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag in ("h1", "h2") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None
        elif tag == "p" and self._paragraph is not None:
            self.paragraphs.setdefault(self._paragraph[0], []).append("".join(self._paragraph[1]).strip())
            self._paragraph = None
        elif tag == "li" and self._item is not None:
            self.items[self._item[0]] = " ".join("".join(self._item[1]).split())
            self._item = None

    def handle_data(self, data: str) -> None:
        for part in (self._cell, self._heading, self._paragraph and self._paragraph[1], self._item and self._item[1]):
            if part is not None:
                part.append(data)


def test_the_page_holds_facts_charts_and_every_participant(database: str, tmp_path: Path) -> None:
    target = tmp_path / "parade.html"
    result = invoke(database, "report", "guest-list", P2025, "--format", "html", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    page = Page(text)
    guests = reports.guest_list(P2025, db=database)
    assert len(page.rows) == len(guests) > 5
    for row, guest in zip(sorted(page.rows), sorted(_row_of(g, database) for g in guests)):
        assert row[:7] + row[8:] == guest and re.fullmatch(r"\[\d+\]", row[7]), (row, guest)
    # every row links to its source's entry in the list of sources
    for links, guest in zip(page.row_links, _page_order(guests)):
        assert links == [f"#source-{guest.source_slug}"], (links, guest)
    assert page.headings[0] == "2025 China Victory Day parade"
    outcomes = Counter(outcome_of(g.status) for g in guests)
    assert outcomes["attended"] and outcomes["announced"] == 3 and outcomes["absent"]  # Nicaragua, Venezuela, the UN
    assert sum(outcomes.values()) == len(guests)
    for heading, outcome in (("Attended", "attended"), ("Announced only", "announced"), ("Absent", "absent")):
        assert f"{heading} ({outcomes[outcome]})" in page.headings
    assert not any(h.startswith("Present") for h in page.headings)
    assert any(h.startswith("Then and now: against 2015 China Victory Day parade") for h in page.headings)
    assert text.count("<svg") == 2 and "level_head" in text and "level_announced" in text
    assert "script" not in page.tags and "img" not in page.tags and "link" not in page.tags
    assert all(link.startswith(("#", "https://", "http://")) for link in page.links)
    # every external link is a source's address, to be followed by a reader, never loaded
    assert {link for link in page.links if not link.startswith("#")} <= {
        s.url for s in _sources(database) if s.url
    }


def test_the_page_gives_the_public_description_the_record_date_and_the_sources(database: str) -> None:
    page = Page(event_page(P2025, db=database))
    # the description is the public one; the editors' facts about the event are sourced notes of their own
    assert page.paragraphs["description"] == [
        "Military parade in Beijing for the 80th anniversary of Japan's surrender in World War II."
    ]
    assert "note" not in page.paragraphs
    # ... each with its source: the day of the parade is Xinhua's, which the article does not give
    html = event_page(P2025, db=database)
    assert html.count('<tr class="event-note">') == _event_note_count(database, P2025) > 0
    date_note = html[html.index('<td data-label="Topic">date</td>'):]
    date_note = date_note[: date_note.index("</tr>")]
    assert "as announced by Xinhua" in date_note and 'href="#source-xinhua-2025-06-24-parade-announced"' in date_note
    day = charts.event_map(P2025, db=database).record_date
    assert day is not None and page.paragraphs["record-date"] == [f"Record as of {reader_date(day)}."]
    # each source with its title, publisher and date, under the anchor the rows link to
    cited = source_citations_of(database, {g.source_slug for g in reports.guest_list(P2025, db=database)})
    for slug, citation in cited.items():
        entry = page.items[f"source-{slug}"]
        assert citation.title in entry, entry
        if citation.publisher:
            assert citation.publisher in entry
        if citation.published_on:
            assert reader_date(citation.published_on) in entry
    # counts keep their quantifier and thousands separator
    assert any(c.quantifier == "over" and c.count == 10000 for c in reports.attendance_counts(P2025, db=database))
    assert "over 10,000" in event_page(P2025, db=database)


def test_former_leaders_show_their_description_and_an_office_since_ended(database: str) -> None:
    page = Page(event_page(P2025, db=database))
    persons = {row[1] for row in page.rows}
    assert "Yukio Hatoyama (former Prime Minister of Japan, in a private capacity)" in persons
    old = Page(event_page(P2015, db=database))
    offices = {row[1]: row[2] for row in old.rows}
    ended = [o for o in offices.values() if "(until " in o]
    assert ended, offices  # leaders of 2015 whose office has since ended
    assert "Tony Blair (former British prime minister, in a private capacity)" in offices


def test_only_web_addresses_are_links(database: str) -> None:
    data = event_page_data(P2025, db=database)
    slug = sorted(data.sources)[0]
    odd = replace(data.sources[slug], url="javascript:alert(1)", title="A <b>title</b>")
    text = render_page(replace(data, sources={**data.sources, slug: odd}))
    assert 'href="javascript' not in text
    assert "(javascript:alert(1))" in Page(text).items[f"source-{slug}"]
    assert "A &lt;b&gt;title&lt;/b&gt;" in text
    assert is_web_address("https://example.org") and is_web_address("HTTP://example.org")
    assert not is_web_address("javascript:alert(1)") and not is_web_address(None) and not is_web_address("ftp://x")


def _page_order(guests: list[reports.AttendanceRow]) -> list[reports.AttendanceRow]:
    """The guests in the order the page lists them: attended, announced only, absent, other."""
    order = {"attended": 0, "announced": 1, "absent": 2, None: 3}
    return sorted(guests, key=lambda g: order[outcome_of(g.status)])


def _row_of(p: reports.AttendanceRow, url: str) -> list[str]:
    """A guest's row as the page shows it, without its source number."""
    words = lambda v: (v or "").replace("_", " ")  # noqa: E731
    state = f"{state_short_name(p.state_code, p.state_name)} ({p.state_code})" if p.state_code else ""
    person = p.person_name or p.description or ""
    if p.person_name and p.description:
        person += f" ({p.description})"
    office = p.position_title or ""
    ended = _office_end(url, p)
    if ended:
        office += f" (until {reader_date(ended)})"
    return [
        state, person, office, p.role, words(p.capacity), words(p.status),
        reader_date(p.reported_on) if p.reported_on else "", p.source_quote or "",
    ]


def _office_end(url: str, p: reports.AttendanceRow) -> dt.date | None:
    """The last day of the office ``p`` held on the event's day, where it has ended."""
    from guestlist.models.persons import Person, Position

    if not (p.person_slug and p.position_title):
        return None
    person, position = Person.__table__, Position.__table__
    with connect(url) as conn:
        return conn.execute(  # typed columns: a date on every database, SQLite's text included
            sa.select(position.c.end_on)
            .select_from(position.join(person, person.c.id == position.c.person_id))
            .where(
                person.c.slug == p.person_slug, position.c.title == p.position_title,
                position.c.start_on <= p.event_date, position.c.end_on >= p.event_date,
            )
        ).scalar()


def source_citations_of(url: str, slugs: set[str | None]) -> dict[str, Any]:
    from guestlist.models.db import create_engine
    from guestlist.models.reports.citations import source_citations

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return source_citations(conn, slugs)
    finally:
        engine.dispose()


def _sources(url: str) -> list[Any]:
    import sqlalchemy as sa

    from guestlist.models.db import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text("SELECT slug, url FROM sources")))
    finally:
        engine.dispose()


def test_names_and_quotes_in_html_are_shown_as_text(database: str) -> None:
    text = event_page("markup-summit", db=database)
    page = Page(text)
    assert [r[1] for r in page.rows] == [MARKUP_NAME, "", "an envoy <u>unnamed</u>"]
    assert page.paragraphs["description"] == ["<style>body{display:none}</style>"]
    assert page.rows[0][-1] == MARKUP_QUOTE
    assert page.headings[0] == "Talks <i>in</i> Beijing"
    assert page.tags.count("script") == 0 and page.tags.count("img") == 0 and page.tags.count("i") == 0
    assert page.tags.count("style") == 1  # the page's own
    assert "https://example.org/?a=1&amp;b=&lt;2&gt;" in text
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &#34;quoted&#34; title" in text
    assert followed_event("markup-summit", "summit", db=database) == P2025


def test_a_recorded_state_without_a_shape_is_a_dot_on_the_map(database: str) -> None:
    from .support.chart_svg import shapes, svg_text

    data = charts.event_map("markup-summit", db=database)
    assert [(s.state_code, s.level) for s in data.unmapped] == [("SGP", "lower")]
    assert data.dots is not None and set(data.dots) == {"SGP"}
    latitude, longitude = data.dots["SGP"]
    assert 0 < latitude < 2 and 103 < longitude < 105  # where Singapore is
    svg = charts.render(charts.map_chart(data), "svg")
    assert "States too small for the map's shapes are drawn as dots." in svg_text(svg)
    assert "not on the map" not in svg_text(svg)
    drawn = {s.code: (s.level, s.group_level, s.dot) for s in shapes(svg)}
    assert drawn == {"PRK": ("head", "head", False), "USA": ("absent", "absent", False), "SGP": ("lower", "lower", True)}


def test_a_page_without_a_followed_event_has_no_compare_chart(database: str) -> None:
    assert followed_event(P2015, "military_parade", db=database) is None
    text = event_page(P2015, db=database)
    assert text.count("<svg") == 1
    assert not any(h.startswith("Then and now") for h in Page(text).headings)


def test_bad_page_arguments_are_one_line(database: str, tmp_path: Path) -> None:
    for args, message in [
        (["no-such-parade", "--format", "html", "-o", str(tmp_path / "x.html")], "event not found"),
        ([P2025, "--format", "html"], "give it with -o FILE.html"),
        ([P2025, "--history", "--format", "html", "-o", str(tmp_path / "x.html")], "drop --history"),
        ([P2025, "--format", "html", "-o", str(tmp_path / "x.svg")], "give a file name ending in .html"),
        ([P2025, "--format", "html", "-o", str(tmp_path / "no" / "x.html")], "No such file or directory"),
    ]:
        result = invoke(database, "report", "guest-list", *args)
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], result.output


@pytest.fixture(scope="module")
def sqlite_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("page")
    with new_database("sqlite", folder, "seeded", documents=[("markup", MARKUP)]) as url:
        target = folder / "parade-2025.html"
        target.write_text(event_page(P2025, db=url), encoding="utf-8")
    return target


WINDOW = (1280, 2400)


def test_the_network_log_would_see_a_request_from_the_page(tmp_path: Path) -> None:
    """The check below can fail: a page that loads an image from elsewhere is caught."""
    chromium = chromium_or_skip()
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><p>x</p><img src="http://images.example.invalid/x.png">', encoding="utf-8")
    _, requested = open_in_chromium(chromium, page.as_uri(), tmp_path, "--dump-dom")
    assert requested == {"http://images.example.invalid/x.png"}


def test_chromium_shows_the_page_from_disk_without_any_request(sqlite_page: Path, tmp_path: Path) -> None:
    with screenshot(sqlite_page, tmp_path, WINDOW) as image:
        assert image.size == WINDOW
        rgb = image.convert("RGB")
        histogram = rgb.convert("L").histogram()
        colours = rgb.getcolors(maxcolors=1 << 22) or []
    dark, light = sum(histogram[:100]), sum(histogram[200:])
    assert dark > 5_000 and light > WINDOW[0] * WINDOW[1] // 3, (dark, light)
    seen = {f"#{r:02X}{g:02X}{b:02X}" for _, (r, g, b) in colours}
    assert {"#D55E00", "#0072B2"} <= seen  # the map's head and absent colours reached the screen


def test_chromium_reads_every_participant_in_the_table(sqlite_page: Path, tmp_path: Path) -> None:
    chromium = chromium_or_skip()
    done, requested = open_in_chromium(chromium, sqlite_page.as_uri(), tmp_path, "--dump-dom")
    assert requested == set()
    dom = Page(done.stdout)
    expected = Page(sqlite_page.read_text(encoding="utf-8"))
    assert dom.rows == expected.rows and len(dom.rows) > 5, done.stderr[-2000:]
    assert {"Kim Jong Un", "Donald Trump", "Robert Fico"} <= {row[1].split(" (")[0] for row in dom.rows}


PHONE = (390, 2400)


def test_a_phone_reads_the_page_without_sideways_scrolling(sqlite_page: Path, tmp_path: Path) -> None:
    """At 390 px each guest row is a card of labelled cells: nothing runs past the right edge.

    Chromium hides scrollbars and cuts what overflows, so overflowing text or
    a table wider than the window leaves dark pixels in the rightmost
    columns of the screenshot; a page that fits leaves only its background.
    """
    with screenshot(sqlite_page, tmp_path, PHONE) as image:
        assert image.size == PHONE
        grey = image.convert("L")
        below_header = grey.crop((0, 150, PHONE[0], PHONE[1]))  # the header bar is dark, and two lines high here
        edge = below_header.crop((PHONE[0] - 8, 0, PHONE[0], below_header.height)).histogram()
        body = below_header.histogram()
    assert sum(edge[:160]) == 0, "something runs past the right edge at 390 px"
    assert sum(body[:100]) > 2_000  # and the page is not blank: text was drawn
