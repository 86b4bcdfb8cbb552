"""The event page: one self-contained HTML file, on every database, opened in headless Chromium.

The bundled data plus a document whose names, quotes and titles are HTML
(they must show as text, never as markup). The page is parsed back: facts,
both charts inline, every participant in the table with source and quote.
Chromium opens it from disk with every host name unresolvable and a network
log on: the screenshot is not blank and the log holds no request at all
beyond the file itself.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from guestlist.models import reports, vocab
from guestlist.seeds.exporters.html import event_page, followed_event

from .support.chromium import CHROMIUM_FLAGS, find_chromium
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


class Page(HTMLParser):
    """The parts of the page the tests read: tags seen, table rows, headings, inline SVGs."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.rows: list[list[str]] = []
        self.headings: list[str] = []
        self.links: list[str] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._heading: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if tag == "tr" and found.get("class") == "participant":
            self._row = []
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

    def handle_data(self, data: str) -> None:
        for part in (self._cell, self._heading):
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
    for row, guest in zip(sorted(page.rows), sorted(_row_of(g) for g in guests)):
        assert row == guest
    assert page.headings[0] == "2025 China Victory Day parade"
    present = sum(1 for g in guests if g.status in vocab.PRESENT_STATUSES)
    absent = sum(1 for g in guests if g.status in vocab.ABSENT_STATUSES)
    assert present and absent and present + absent == len(guests)
    assert f"Present ({present})" in page.headings and f"Absent ({absent})" in page.headings
    assert any(h.startswith("Then and now: against 2015 China Victory Day parade") for h in page.headings)
    assert text.count("<svg") == 2 and "level_head" in text
    assert "script" not in page.tags and "img" not in page.tags and "link" not in page.tags
    assert all(link.startswith(("#", "https://", "http://")) for link in page.links)
    # every external link is a source's address, to be followed by a reader, never loaded
    assert {link for link in page.links if not link.startswith("#")} <= {
        s.url for s in _sources(database) if s.url
    }


def _row_of(p: reports.AttendanceRow) -> list[str]:
    words = lambda v: (v or "").replace("_", " ")  # noqa: E731
    return [
        f"{p.state_name} ({p.state_code})" if p.state_code else "", p.person_name or p.description or "",
        p.position_title or "", p.role, words(p.capacity), words(p.status),
        p.reported_on.isoformat() if p.reported_on else "", p.source_slug or "", p.source_quote or "",
    ]


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
    assert page.rows[0][-1] == MARKUP_QUOTE
    assert page.headings[0] == "Talks <i>in</i> Beijing"
    assert page.tags.count("script") == 0 and page.tags.count("img") == 0 and page.tags.count("i") == 0
    assert page.tags.count("style") == 1  # the page's own
    assert "https://example.org/?a=1&amp;b=&lt;2&gt;" in text
    assert followed_event("markup-summit", "summit", db=database) == P2025


def test_a_recorded_state_without_a_shape_is_listed_under_the_map(database: str) -> None:
    from guestlist.models.reports import charts

    from .support.chart_svg import shapes, svg_text

    data = charts.event_map("markup-summit", db=database)
    assert [(s.state_code, s.level) for s in data.unmapped] == [("SGP", "lower")]
    svg = charts.render(charts.map_chart(data), "svg")
    assert "not on the map (historic, or too small at this scale): Singapore (SGP, lower)" in svg_text(svg)
    assert {s.code: s.level for s in shapes(svg)} == {"PRK": "head", "USA": "absent"}


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


def _chromium_or_skip() -> str:
    found = find_chromium()
    if found is None:
        pytest.skip("chromium not installed (apt-get install chromium); CI installs it")
    return found


# Every host unresolvable and a dead proxy: nothing leaves the machine, whoever asks.
NO_NETWORK = ("--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--no-pings")
WINDOW = (1280, 2400)


def _open(chromium: str, url: str, folder: Path, *action: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Open ``url`` in headless Chromium; the run and the URLs the page itself requested.

    Chromium's network log records every request. The browser's own
    background ones (component updates, network time, accounts) have no
    initiator ("not an origin"); a page's have its origin ("null" for a file).
    """
    profile, netlog = folder / "profile", folder / "net.json"
    profile.mkdir(exist_ok=True)
    done = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, *NO_NETWORK, f"--user-data-dir={profile}", f"--log-net-log={netlog}", *action, url],
        capture_output=True, text=True, timeout=180,
    )
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    requested = {
        e["params"].get("url", "?")
        for e in log["events"]
        if e["type"] == start_job and e.get("params", {}).get("initiator", "not an origin") != "not an origin"
    }
    return done, requested


def test_the_network_log_would_see_a_request_from_the_page(tmp_path: Path) -> None:
    """The check below can fail: a page that loads an image from elsewhere is caught."""
    chromium = _chromium_or_skip()
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><p>x</p><img src="http://images.example.invalid/x.png">', encoding="utf-8")
    _, requested = _open(chromium, page.as_uri(), tmp_path, "--dump-dom")
    assert requested == {"http://images.example.invalid/x.png"}


def test_chromium_shows_the_page_from_disk_without_any_request(sqlite_page: Path, tmp_path: Path) -> None:
    from PIL import Image

    chromium = _chromium_or_skip()
    shot = tmp_path / "page.png"
    done, requested = _open(
        chromium, sqlite_page.as_uri(), tmp_path, f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--screenshot={shot}"
    )
    assert shot.exists(), done.stderr[-2000:]
    assert requested == set()
    with Image.open(shot) as image:
        assert image.size == WINDOW
        rgb = image.convert("RGB")
        histogram = rgb.convert("L").histogram()
        colours = rgb.getcolors(maxcolors=1 << 22) or []
    dark, light = sum(histogram[:100]), sum(histogram[200:])
    assert dark > 5_000 and light > WINDOW[0] * WINDOW[1] // 3, (dark, light)
    seen = {f"#{r:02X}{g:02X}{b:02X}" for _, (r, g, b) in colours}
    assert {"#D55E00", "#0072B2"} <= seen  # the map's head and absent colours reached the screen


def test_chromium_reads_every_participant_in_the_table(sqlite_page: Path, tmp_path: Path) -> None:
    chromium = _chromium_or_skip()
    done, requested = _open(chromium, sqlite_page.as_uri(), tmp_path, "--dump-dom")
    assert requested == set()
    dom = Page(done.stdout)
    expected = Page(sqlite_page.read_text(encoding="utf-8"))
    assert dom.rows == expected.rows and len(dom.rows) > 5, done.stderr[-2000:]
    assert {"Kim Jong Un", "Donald Trump", "Robert Fico"} <= {row[1] for row in dom.rows}
