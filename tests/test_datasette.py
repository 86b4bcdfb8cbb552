"""Datasette on a seeded SQLite database, with the metadata guestlist writes.

Starts a real ``datasette serve`` on 127.0.0.1 (a free port), asks it for
canned queries as JSON, and has headless Chromium load the HTML page of
``attendance_report`` and take a screenshot. Datasette reads SQLite only, so
this module runs on SQLite alone; the metadata itself is checked on every
database.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from guestlist.models import Base
from guestlist.models.reports import queries
from guestlist.models.views import ALL_VIEWS
from guestlist.seeds.exporters.datasette import canned_queries, event_parameters

from .support.chromium import CHROMIUM_FLAGS, find_chromium
from .support.cli import invoke
from .support.databases import dialect_params, new_database
from .support.ecosystem import EDGES
from .support.http_server import free_port, running
from .support.http_server import get as _get

WINDOW = (1280, 2020)  # tall enough for the column descriptions and the 2025 guest list
SHOWN_COLUMNS = ("state_code", "state_name", "person_name", "role", "capacity", "status", "reported_on", "source_slug")



@pytest.fixture(scope="module", params=dialect_params("sqlite"))
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled seeds and EDGES on SQLite alone (what Datasette reads)."""
    with new_database(request.param, tmp_path_factory.mktemp(request.param), "seeded", documents=[("ecosystem-edges", EDGES)]) as url:
        yield url


@pytest.fixture(scope="module")
def any_database(ecosystem_url: str) -> str:
    """The bundled seeds and EDGES, on every database: the metadata is checked on each."""
    return ecosystem_url


def _metadata(url: str, path: Path) -> dict[str, Any]:
    result = invoke(url, "datasette-metadata", "-o", str(path))
    assert result.exit_code == 0, result.output
    return json.loads(path.read_text(encoding="utf-8"))


def test_metadata_describes_every_table_view_and_column(any_database: str, tmp_path: Path) -> None:
    document = _metadata(any_database, tmp_path / "metadata.json")
    assert document["title"] and document["license"] and document["license_url"] and document["source"]
    (database,) = document["databases"].values()
    described = database["tables"]
    for table in [*Base.metadata.tables.values(), *ALL_VIEWS]:
        entry = described[table.name]
        assert entry["description"] == table.comment, table.name
        assert set(entry["columns"]) == {c.name for c in table.columns}, table.name
        assert all(entry["columns"].values()), table.name
    assert described["events"]["columns"]["slug"] == Base.metadata.tables["events"].c.slug.comment
    assert described["alembic_version"] == {"hidden": True}
    assert database["queries"] == canned_queries()
    for name, query in queries.canned().items():  # each event the query names is a parameter, the rest as written
        served = database["queries"][name]
        sql, pairs = event_parameters(query["sql"])
        assert served["sql"] == sql and served.get("params", []) == [p for p, _ in pairs], name
        for parameter, slug in pairs:
            assert f"'{slug}'" not in served["sql"] and f":{parameter}" in served["sql"], name
    assert database["queries"]["who-is-coming"]["params"] == ["event"]
    assert database["queries"]["came-in-2015-not-2025"]["params"] == ["event_a", "event_b"]


def test_canned_queries_are_the_packaged_queries() -> None:
    found = queries.canned()
    assert len(found) >= 8, "the example queries are missing"
    for name, query in found.items():
        assert query["sql"] and query["title"], name
        assert not query["sql"].startswith("--"), name  # the header is the description, not SQL


def test_query_file_header_is_the_paragraph_about_it() -> None:
    described = queries.parse("who-came", "-- **Who came?** Everyone\n-- present.\nSELECT 1\n")
    assert described.canned() == {"sql": "SELECT 1", "title": "Who came?", "description": "Who came? Everyone present."}
    assert described.markdown() == "**Who came?** Everyone present.\n\n<!-- query: who-came -->\n```sql\nSELECT 1\n```\n"
    assert queries.parse("bare", "SELECT 2\nFROM x\n").canned() == {"sql": "SELECT 2\nFROM x", "title": "Bare"}
    with pytest.raises(ValueError, match="no SQL"):
        queries.parse("empty", "-- **Nothing.**\n")


def test_stdout_is_the_default_output(seeded: str) -> None:
    result = invoke(seeded, "datasette-metadata")
    assert result.exit_code == 0
    assert json.loads(result.output)["license"]


@pytest.fixture(scope="module")
def server(seeded: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """(base URL, database name, SQLite path) of a running Datasette."""
    with _serve(seeded, tmp_path_factory.mktemp("datasette")) as running:
        yield running


@contextmanager
def _serve(url: str, folder: Path) -> Iterator[tuple[str, str, Path]]:
    """Datasette on a copy of the SQLite database at ``url``, with guestlist's metadata."""
    database = folder / "guestlist.db"  # Datasette names a database after its file
    shutil.copyfile(url.removeprefix("sqlite:///"), database)
    metadata = _metadata(f"sqlite:///{database}", folder / "metadata.json")
    assert list(metadata["databases"]) == ["guestlist"]
    (name,) = metadata["databases"]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "datasette", "serve", str(database), "--metadata", str(folder / "metadata.json"),
            "--host", "127.0.0.1", "--port", str(port), "--immutable", str(database)]
    with running(argv, base, folder / "datasette.log"):
        yield base, name, database


def test_canned_query_answers_as_in_the_docs(server: tuple[str, str, Path]) -> None:
    base, name, _ = server
    status, body = _get(f"{base}/{name}/eu-share.json?_shape=array&event=beijing-victory-day-parade-2025")
    assert status == 200, body[:300]
    assert json.loads(body) == [{"eu_members": 27, "present": 3}]


def test_every_canned_query_gives_what_sqlite_gives(server: tuple[str, str, Path]) -> None:
    base, name, database = server
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        for query, spec in queries.canned().items():
            _, pairs = event_parameters(spec["sql"])
            given = "".join(f"&{parameter}={slug}" for parameter, slug in pairs)  # the events the docs' SQL names
            status, body = _get(f"{base}/{name}/{query}.json?_shape=arrays&_size=max{given}")
            assert status == 200, (query, body[:300])
            answer = json.loads(body)
            expected = [list(row) for row in connection.execute(spec["sql"])]
            assert answer["rows"] == expected, query
            assert answer["columns"] == [d[0] for d in connection.execute(spec["sql"]).description]
    finally:
        connection.close()


def test_the_view_page_shows_the_descriptions(server: tuple[str, str, Path]) -> None:
    base, name, _ = server
    status, body = _get(f"{base}/{name}/attendance_report")
    assert status == 200
    page = body.decode("utf-8")
    assert ALL_VIEWS[0].comment in page
    assert "beijing-victory-day-parade-2025" in page


# Words, a phrase, a name in Hangul and in Cyrillic: each finds something in the bundled data.
SEARCHES = ("traditional friend", "boycott", "김정은", "Лукашенко", "Prabowo Subianto")


def test_search_box_finds_what_guestlist_search_finds(server: tuple[str, str, Path]) -> None:
    """The generated metadata points Datasette's search box at the FTS5 table; it finds the same entries."""
    from urllib.parse import quote

    from guestlist.models.search import search

    base, name, database = server
    status, page = _get(f"{base}/{name}/search_entries")
    assert status == 200 and b'name="_search"' in page, "no search box on search_entries"
    for text in SEARCHES:
        status, body = _get(f"{base}/{name}/search_entries.json?_search={quote(text)}&_shape=array&_size=max&_labels=on")
        assert status == 200, body[:300]
        # Each entry's field is labelled with its origin, through the foreign key to search_fields.
        boxed = {(row["field"]["label"], row["text"]) for row in json.loads(body)}
        ours = {(hit.field, hit.text) for hit in search(text, limit=1000, db=f"sqlite:///{database}")}
        assert ours, text
        assert boxed == ours, text


def test_chromium_screenshot_of_attendance_report(server: tuple[str, str, Path], tmp_path: Path) -> None:
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("chromium not installed (apt-get install chromium); CI installs it")
    from PIL import Image

    base, name, _ = server
    shot = tmp_path / "attendance_report.png"
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    columns = "".join(f"&_col={c}" for c in SHOWN_COLUMNS)
    url = f"{base}/{name}/attendance_report?event_slug=beijing-victory-day-parade-2025&_sort=state_code{columns}"
    completed = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
         f"--screenshot={shot}", url],
        capture_output=True, text=True, timeout=180,
    )
    assert shot.exists(), completed.stderr[-2000:]
    with Image.open(shot) as image:
        assert image.format == "PNG"
        assert image.size == WINDOW
        grey = image.convert("L")
        histogram = grey.histogram()
    dark = sum(histogram[:100])  # text and table rules
    light = sum(histogram[200:])  # the page background
    assert dark > 2_000 and light > WINDOW[0] * WINDOW[1] // 2, (dark, light)
    target = os.environ.get("GUESTLIST_SCREENSHOT")
    if target:  # how docs/datasette-attendance-report.png is made
        shutil.copyfile(shot, target)


# A name a careless page would run: the script sets the title, the image's handler too.
SCRIPT_NAME = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"


@pytest.fixture(scope="module")
def hostile_server(seeded: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    from guestlist.seeds.loader import load

    folder = tmp_path_factory.mktemp("datasette-hostile")
    copy = folder / "source.db"
    shutil.copyfile(seeded.removeprefix("sqlite:///"), copy)
    document = {
        "format": "guestlist/1",
        "source": {"slug": "html-test", "title": "<b>bold</b> title", "kind": "news_article"},
        "persons": [{"slug": "html-person", "name": SCRIPT_NAME}],
        "attendance": [{"event": "beijing-victory-day-parade-2025", "person": "html-person", "state": "PRK",
                        "role": "guest", "capacity": "other", "claims": [{"status": "expected", "reported_on": "2025-08-28", "quote": "<i>expected</i>"}]}],
    }
    load(f"sqlite:///{copy}", [("html", document)])
    with _serve(f"sqlite:///{copy}", folder) as running:
        yield running


def test_datasette_renders_html_in_a_name_as_text(hostile_server: tuple[str, str, Path], tmp_path: Path) -> None:
    """The metadata and the database hold the name as data; the browser shows it as text and runs nothing."""
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("chromium not installed (apt-get install chromium); CI installs it")
    import html

    base, name, _ = hostile_server
    url = f"{base}/{name}/attendance_report?person_slug=html-person"
    status, body = _get(url)
    assert status == 200
    page = body.decode("utf-8")
    assert SCRIPT_NAME not in page and "&lt;script&gt;document.title=" in page, "Datasette escapes the name"
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    dom = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=3000", "--dump-dom", url],
        capture_output=True, text=True, timeout=180,
    )
    assert "<html" in dom.stdout, dom.stderr[-2000:]
    assert "pwned" not in dom.stdout.split("</title>")[0], "the script or the handler ran"
    # A text node's serialisation escapes only &, < and >: the name is there as text, not as elements.
    assert html.escape(SCRIPT_NAME, quote=False) in dom.stdout, "the name is shown as text"
