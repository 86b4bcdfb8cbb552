"""The three charts, drawn from the bundled data on every database, read back and checked.

Each chart renders to SVG and PNG (parsed back, sizes sane). The map's and
the compare chart's colours are checked against the data they drew: every
recorded state's shape sits in the group of its level and has its level's
fill, and the article's story is there (North Korea's senior official in
2015, its leader in 2025; the United States absent in 2025; Czechia gone).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from guestlist.models import reports
from guestlist.models.errors import GuestlistError
from guestlist.models.reports import charts, geography
from guestlist.seeds.exporters.output import write_bytes

from .support.chart_svg import SVG_NS, parse_svg, png_size, shapes, svg_size, svg_text
from .support.chromium import screenshot
from .support.cli import invoke


@pytest.fixture(scope="module")
def seeded(ecosystem_url: str) -> str:
    """The bundled seeds and EDGES, one database per dialect for this module."""
    return ecosystem_url


P2015, P2025 = "beijing-victory-day-parade-2015", "beijing-victory-day-parade-2025"
NOBODY = "test-summit-wished"  # ecosystem.EDGES: an event with nobody recorded


@pytest.fixture(scope="module")
def drawn(seeded: str) -> dict[str, bytes]:
    """Each chart rendered once per database, for the tests below to read back."""
    def both(chart: object, name: str) -> dict[str, bytes]:
        return {f"{name}.svg": charts.render(chart, "svg"), f"{name}.png": charts.render(chart, "png")}

    return {
        "map-2015.svg": charts.render(charts.map_chart(P2015, db=seeded), "svg"),
        **both(charts.map_chart(P2025, db=seeded), "map-2025"),
        **both(charts.compare_chart(P2015, P2025, db=seeded), "compare"),
        **both(charts.timeline_chart("kim-jong-un", db=seeded), "timeline-kim-jong-un"),
        "timeline-PRK.svg": charts.render(charts.timeline_chart("PRK", db=seeded), "svg"),
        "timeline-North Korea.svg": charts.render(charts.timeline_chart("North Korea", db=seeded), "svg"),
        "timeline-USA.svg": charts.render(charts.timeline_chart("USA", db=seeded), "svg"),
    }


def _levels(data: bytes) -> dict[str, str]:
    drawn: dict[str, str] = {}
    for s in shapes(data):
        assert s.group_level == s.level, s.label
        assert (s.fill or "").upper() == charts.LEVEL_COLOURS[s.level].upper(), s.label
        drawn[s.code] = s.level
    return drawn


def _check_png(data: bytes, minimum: tuple[int, int]) -> None:
    width, height = png_size(data)
    assert minimum[0] <= width <= 6000 and minimum[1] <= height <= 6000, (width, height)


@pytest.mark.parametrize("event", [P2015, P2025])
def test_map_colours_every_recorded_state_by_its_level(seeded: str, drawn: dict[str, bytes], event: str) -> None:
    data = charts.event_map(event, db=seeded)
    svg = drawn[f"map-{event[-4:]}.svg"]
    drawn = _levels(svg)
    expected = {s.state_code: s.level for s in data.states if s.numeric in geography.shape_ids() or s.state_code in (data.dots or {})}
    assert expected and drawn == expected
    # and the levels are those of the guest list itself: what happened first, announcements apart
    guests = reports.guest_list(event, db=seeded)
    for code, level in expected.items():
        mine = [g for g in guests if g.state_code == code]
        came = [g for g in mine if g.status == "attended"]
        announced = [g for g in mine if g.status in ("expected", "confirmed")]
        if level == "head":
            assert any(g.capacity in ("head_of_state", "head_of_government") for g in came), code
        elif level == "lower":
            assert came and not any(g.capacity in ("head_of_state", "head_of_government") for g in came), code
        elif level == "announced":
            assert announced and not came, code
        else:
            assert mine and not came and not announced, code
    width, height = svg_size(svg)
    assert 600 <= width <= 2000 and 300 <= height <= 1500
    text = svg_text(svg)
    assert data.event.name in text and data.event.when in text and data.event.when == "3 September " + event[-4:]
    assert data.record_date is not None and data.sources > 0
    assert f"Source: guestlist, {data.sources} sources; record as of {reporting_day(data.record_date)}" in text
    assert "Host (outlined): China" in text
    assert "present" not in text.casefold() and "represented" not in text


def reporting_day(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


@pytest.mark.parametrize(("event", "still"), [(P2015, 13), (P2025, 3)])
def test_announced_only_is_a_category_of_its_own(seeded: str, drawn: dict[str, bytes], event: str, still: int) -> None:
    """Those `report expected` lists as still_expected are announced on the map and the compare chart, never present."""
    expected = [e for e in reports.expected_vs_actual(event, db=seeded) if e.outcome == "still_expected"]
    assert len(expected) == still  # 2015: twelve states and Tony Blair; 2025: Nicaragua, Venezuela, the UN
    states = {e.state_code for e in expected if e.state_code}
    attended = {g.state_code for g in reports.guest_list(event, db=seeded) if g.status == "attended"}
    data = charts.event_map(event, db=seeded)
    assert {s.state_code for s in data.states if s.level == "announced"} == states - attended
    assert data.tally()["announced"] == len(states - attended) > 0
    assert _levels(drawn[f"map-{event[-4:]}.svg"]).items() >= {code: "announced" for code in states - attended}.items()
    text = svg_text(drawn[f"map-{event[-4:]}.svg"])
    assert f"{len(states - attended)} only announced (not reported there)" in text
    assert "Announced only: expected, not reported there" in text  # the legend
    both = charts.comparison(P2015, P2025, db=seeded)
    side = "a" if event == P2015 else "b"
    assert {c.state_code for c in both.states if getattr(c, side).level == "announced"} == states - attended
    assert "Announced only: expected, not reported there" in svg_text(drawn["compare.svg"])
    if event == P2025:
        assert states == {"NIC", "VEN"}


def test_the_article_story_is_on_the_maps(drawn: dict[str, bytes]) -> None:
    m2015, m2025 = _levels(drawn["map-2015.svg"]), _levels(drawn["map-2025.svg"])
    assert m2015["PRK"] == "lower" and m2025["PRK"] == "head"
    assert m2025["USA"] == "absent"
    assert m2015["CZE"] == "head" and "CZE" not in m2025


def test_map_png_renders_at_twice_the_svg_size(drawn: dict[str, bytes]) -> None:
    width, height = svg_size(drawn["map-2025.svg"])
    assert png_size(drawn["map-2025.png"]) == (round(2 * width), round(2 * height))


def test_compare_chart_shows_each_state_at_a_and_b(seeded: str, drawn: dict[str, bytes]) -> None:
    data = charts.comparison(P2015, P2025, db=seeded)
    svg = drawn["compare.svg"]
    cells: dict[tuple[str, str], str] = {}
    for s in shapes(svg):
        assert (s.fill or "").upper() == charts.LEVEL_COLOURS[s.level].upper(), s.label
        cells[(s.label[0], s.code)] = s.level
    assert cells[("A", "PRK")] == "lower" and cells[("B", "PRK")] == "head"
    assert cells[("A", "CZE")] == "head" and cells[("B", "CZE")] == "not_recorded"
    assert cells[("B", "USA")] == "absent"
    assert {code for _, code in cells} == {c.state_code for c in data.states}
    for c in data.states:
        assert cells[("A", c.state_code)] == c.a.level and cells[("B", c.state_code)] == c.b.level
    assert {c.region for c in data.states if c.state_code == "PRK"} == {"Eastern Asia"}  # UN regions, in the data
    # sorted by change: new, gone, up, down, then the unchanged; North Korea went up, Czechia is gone
    order = [c.change for c in data.states]
    assert order == sorted(order, key=charts.CHANGES.index) and set(order) >= {"new", "gone", "up", "same"}
    changes = {c.state_code: c.change for c in data.states}
    assert changes["PRK"] == "up" and changes["CZE"] == "gone" and changes["ARM"] == "new"
    text = svg_text(svg)
    headings = [text.index(h) for h in ("New:", "Gone:", "Up:", "Down:", "Unchanged")]
    assert headings == sorted(headings)
    assert f"Source: guestlist, {data.sources} sources; record as of {reporting_day(data.record_date)}" in text
    assert "North Korea" in text and "Korea, Democratic" not in text  # short names
    width, height = svg_size(svg)
    assert 800 <= width <= 1100 and height <= 1600, (width, height)  # a page, not a strip
    _check_png(drawn["compare.png"], (600, 400))


def test_compare_only_changes_leaves_the_unchanged_out(seeded: str, tmp_path: Path) -> None:
    data = charts.comparison(P2015, P2025, db=seeded)
    target = tmp_path / "changes.svg"
    result = invoke(seeded, "chart", "compare", P2015, P2025, "--only-changes", "-o", str(target))
    assert result.exit_code == 0, result.output
    cells = {s.code for s in shapes(target.read_bytes())}
    assert cells == {c.state_code for c in data.states if c.change != "same"}
    assert "CHN" not in cells and "PRK" in cells  # China led both parades: unchanged
    text = svg_text(target.read_bytes())
    assert "Unchanged" not in text and f"{data.tally()['same']} unchanged (not shown)" in text


@pytest.mark.parametrize(("subject", "kind"), [("kim-jong-un", "person"), ("PRK", "state"), ("North Korea", "state")])
def test_timeline_of_a_person_or_a_state(seeded: str, drawn: dict[str, bytes], subject: str, kind: str) -> None:
    data = charts.timeline(subject, db=seeded)
    assert data.kind == kind and data.dated
    svg = drawn[f"timeline-{subject}.svg"]
    labels = [s.attrib["aria-label"] for s in _labelled(svg)]
    assert len(labels) == len(data.dated)
    assert any(P2025[-4:] in label or "2025-09-03" in label for label in labels)
    text = svg_text(svg)
    assert f"{data.name}: record over time" in text and data.name in ("Kim Jong Un", "North Korea")
    assert "3 September 2025: 2025 China Victory Day parade" in text  # dates in words, inside the plot
    assert f"Source: guestlist, {data.sources} " in text and data.sources > 0
    assert "_" not in text  # no raw vocabulary words (head_of_state, not_attending) in labels or legend
    if f"timeline-{subject}.png" in drawn:
        _check_png(drawn[f"timeline-{subject}.png"], (800, 200))


def test_timeline_legend_is_in_words(drawn: dict[str, bytes]) -> None:
    text = svg_text(drawn["timeline-USA.svg"])
    assert "not attending" in text and "not_attending" not in text
    assert "Absent: declined, boycotted, not attending" in text


def _labelled(svg: bytes) -> list:  # type: ignore[type-arg]
    """The timeline's points: paths labelled with their event's date."""
    return [n for n in parse_svg(svg).iter(f"{SVG_NS}path") if n.attrib.get("aria-label", "")[:4].isdigit()]


def test_a_chart_of_nobody_says_so(seeded: str) -> None:
    svg = charts.render(charts.map_chart(NOBODY, db=seeded), "svg")
    assert "Nobody is recorded for this event" in svg_text(svg)
    assert _levels(svg) == {}
    empty = charts.render(charts.compare_chart(NOBODY, NOBODY, db=seeded), "svg")
    assert "Nobody is recorded at either event" in svg_text(empty)


def test_cli_writes_svg_and_png(seeded: str, tmp_path: Path) -> None:
    for args, name in [
        (["map", P2015], "map.PNG"),
        (["compare", P2015, P2025], "compare.svg"),
        (["timeline", "kim-jong-un"], "kim.svg"),
    ]:
        target = tmp_path / name
        result = invoke(seeded, "chart", *args, "-o", str(target))
        assert result.exit_code == 0, result.output
        data = target.read_bytes()
        if name.lower().endswith(".png"):
            _check_png(data, (600, 300))
        else:
            assert svg_size(data)[0] > 500


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["map", "no-such-parade", "-o", "{tmp}/x.svg"], "event not found: 'no-such-parade'"),
        (["compare", P2015, "no-such-parade", "-o", "{tmp}/x.svg"], "event not found"),
        (["timeline", "Atlantis", "-o", "{tmp}/x.svg"], "neither a person nor a state: 'Atlantis'"),
        (["map", P2025, "-o", "{tmp}/x.pdf"], "unknown file extension '.pdf': use .svg or .png"),
        (["map", P2025, "-o", "{tmp}/x"], "unknown file extension '(none)'"),
        (["map", P2025, "-o", "{tmp}/missing/folder/x.svg"], "No such file or directory"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(seeded: str, tmp_path: Path, args: list[str], message: str) -> None:
    result = invoke(seeded, "chart", *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.svg").exists()


def test_unwritable_output_is_one_line(seeded: str, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    target = folder / "x.svg"
    target.mkdir()  # a folder where the file should go: unwritable for anyone, root included
    result = invoke(seeded, "chart", "timeline", "PRK", "-o", str(target))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and str(target) in lines[0], result.output


def test_the_library_returns_charts_and_bytes(seeded: str, drawn: dict[str, bytes], tmp_path: Path) -> None:
    import altair as alt

    chart = charts.map_chart(P2025, db=seeded)
    assert isinstance(chart, alt.TopLevelMixin)
    assert charts.spec(chart)["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    write_bytes(tmp_path / "map.svg", charts.render(chart, "svg"))
    assert (tmp_path / "map.svg").read_bytes() == drawn["map-2025.svg"]  # and the same every time
    assert drawn["map-2025.png"].startswith(b"\x89PNG")
    with pytest.raises(GuestlistError, match="unknown chart format"):
        charts.render(chart, "gif")


ROOT = Path(__file__).resolve().parent.parent


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_import_models_and_help_do_not_load_the_charting_libraries() -> None:
    done = _python(
        "import sys, models, guestlist.models.reports.charts\n"
        "from guestlist.seeds.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('altair', 'vl_convert', 'country_converter', 'pandas') if m in sys.modules]\n"
        "print('LOADED', heavy)\n"
    )
    assert "LOADED []" in done.stdout, done.stdout + done.stderr
    assert "chart" in done.stdout


def test_without_the_extra_chart_says_which_to_install(seeded: str, tmp_path: Path) -> None:
    done = _python(
        "import sys\n"
        "sys.modules['altair'] = None  # as if the charts extra were not installed\n"
        "from guestlist.seeds.cli import main\n"
        f"main(['--database-url', {seeded!r}, 'chart', 'map', {P2025!r}, '-o', {str(tmp_path / 'x.svg')!r}])\n"
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines == ["Error: charts need the 'charts' extra: pip install 'guestlist[charts]'"], done.stderr
    assert not (tmp_path / "x.svg").exists()


def test_map_as_of_a_day_draws_the_record_known_then(seeded: str, tmp_path: Path) -> None:
    """Before China's list of 28 August North Korea is not on the 2025 map; on that day it is announced, not present."""
    before = _levels(charts.render(charts.map_chart(P2025, as_of=dt.date(2025, 8, 27), db=seeded), "svg"))
    on_28 = _levels(charts.render(charts.map_chart(P2025, as_of=dt.date(2025, 8, 28), db=seeded), "svg"))
    assert "PRK" not in before and on_28["PRK"] == "announced"
    assert not {"head", "lower"} & set(on_28.values())  # nobody had attended yet
    known = {p.state_code for p in reports.guest_list(P2025, as_of=dt.date(2025, 8, 28), db=seeded) if p.state_code}
    assert {code for code, level in on_28.items() if level != "not_recorded"} <= known
    target = tmp_path / "map-28.svg"
    result = invoke(seeded, "chart", "map", P2025, "--as-of", "2025-08-28", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = svg_text(target.read_bytes())
    assert "record as of 28 August 2025" in text and "Before the event:" in text and "announced as expected" in text
    assert "Announced: expected to attend" in text  # the legend
    for word in ("present", "represented", "Attended"):
        assert word not in text, word
    compare = svg_text(charts.render(charts.compare_chart(P2015, P2025, as_of=dt.date(2025, 8, 28), db=seeded), "svg"))
    assert "Record as of 28 August 2025: before the event, so announcements only." in compare
    bad = invoke(seeded, "chart", "map", P2025, "--as-of", "2025-02-30", "-o", str(tmp_path / "x.svg"))
    assert bad.exit_code == 1 and len(bad.output.strip().splitlines()) == 1, bad.output


@pytest.mark.parametrize("name", ["map-2015.svg", "map-2025.svg", "compare.svg", "timeline-PRK.svg"])
def test_chromium_shows_each_chart_with_its_source_line(drawn: dict[str, bytes], name: str, tmp_path: Path) -> None:
    """Each chart as a reader's browser shows it: drawn, in its colours, its source line a text of the SVG."""
    svg = drawn[name]
    text = svg_text(svg)
    assert "Source: guestlist, " in text and " sources; record as of " in text, text[-400:]
    page = tmp_path / name
    page.write_bytes(svg)
    width, height = svg_size(svg)
    with screenshot(page, tmp_path, (int(width) + 40, int(height) + 40)) as image:
        colours = {f"#{r:02X}{g:02X}{b:02X}" for _, (r, g, b) in image.convert("RGB").getcolors(maxcolors=1 << 22) or []}
    if name.startswith(("map", "compare")):
        # attended at the top level, and announced-only in a colour of its own (2015: 13 still expected)
        assert {charts.LEVEL_COLOURS["head"], charts.LEVEL_COLOURS["announced"]} <= colours, name
    else:
        assert len(colours) > 3, name  # more than a blank page and its text
