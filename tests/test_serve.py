"""``guestlist serve``: Datasette and the event pages, started on a free loopback port and stopped.

Datasette reads SQLite only, so the server runs on SQLite; a server URL is
refused in one line (checked for each configured server database).
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .support.cli import invoke
from .support.databases import dialect_params, new_database
from .support.ecosystem import EDGES
from .support.http_server import free_port, get, running

P2015, P2025 = "beijing-victory-day-parade-2015", "beijing-victory-day-parade-2025"


@pytest.fixture(scope="module", params=dialect_params("sqlite"))
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled seeds and EDGES on SQLite alone (what Datasette reads)."""
    with new_database(request.param, tmp_path_factory.mktemp(request.param), "seeded", documents=[("ecosystem-edges", EDGES)]) as url:
        yield url


@pytest.fixture(scope="module")
def served_file(seeded: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The copy of the seeded database that ``served`` serves (Datasette reads it afresh on every request)."""
    database = tmp_path_factory.mktemp("serve") / "guestlist.db"
    shutil.copyfile(seeded.removeprefix("sqlite:///"), database)
    return database


@pytest.fixture(scope="module")
def served(served_file: Path) -> Iterator[str]:
    """The base URL of a running ``guestlist serve`` on a copy of the seeded database."""
    folder, database = served_file.parent, served_file
    port = free_port()
    log_path = folder / "serve.log"
    base = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "guestlist", "--database-url", f"sqlite:///{database}", "serve", "--port", str(port)]
    with running(argv, base, log_path):
        yield base
    assert "serving http://127.0.0.1:" in log_path.read_text()


def test_a_table_page_links_each_event_to_its_page(served: str) -> None:
    status, body = get(f"{served}/guestlist/events")
    assert status == 200
    page = body.decode("utf-8")
    assert f'<a href="/-/events/{P2025}.html">{P2025}</a>' in page
    assert "Each slug links to the event" in page  # the events table's description


def test_a_view_links_its_event_slugs(served: str) -> None:
    status, body = get(f"{served}/guestlist/attendance_report?event_slug={P2025}")
    assert status == 200
    assert f'<a href="/-/events/{P2025}.html">' in body.decode("utf-8")


def test_a_canned_query_answers(served: str) -> None:
    import json

    status, body = get(f"{served}/guestlist/eu-share.json?_shape=array&event={P2025}")
    assert status == 200, body[:300]
    assert json.loads(body) == [{"eu_members": 27, "present": 3}]  # Slovakia, Hungary, Bulgaria (the eu-share query)


def test_canned_queries_take_the_event_as_a_parameter(served: str) -> None:
    import json

    answers = {}
    for event in (P2015, P2025):
        status, body = get(f"{served}/guestlist/who-is-coming.json?_shape=array&_size=max&event={event}")
        assert status == 200, body[:300]
        answers[event] = {(r["state_code"], r["person_name"]) for r in json.loads(body)}
    assert ("PRK", "Kim Jong Un") in answers[P2025] and ("PRK", "Kim Jong Un") not in answers[P2015]
    assert ("CHN", "Xi Jinping") in answers[P2015] & answers[P2025]



def test_a_query_of_two_events_answers_for_the_events_given(served: str, served_file: Path) -> None:
    """Swapped, the events give what SQLite gives for the swapped SQL."""
    import json
    import sqlite3

    from guestlist.seeds.exporters.datasette import canned_queries

    sql = canned_queries()["came-in-2015-not-2025"]["sql"]
    with sqlite3.connect(f"file:{served_file}?mode=ro", uri=True) as connection:
        expected = [list(r) for r in connection.execute(sql, {"event_a": P2025, "event_b": P2015})]
    status, body = get(f"{served}/guestlist/came-in-2015-not-2025.json?_shape=arrays&event_a={P2025}&event_b={P2015}")
    assert status == 200, body[:300]
    assert json.loads(body)["rows"] == expected and expected


def test_the_home_page_links_every_event_page(served: str) -> None:
    status, body = get(f"{served}/")
    assert status == 200
    page = body.decode("utf-8")
    for event in (P2015, P2025):
        assert f'<a href="/-/events/{event}.html">' in page
    assert '<a href="/-/events/">' in page


def test_the_event_list_is_in_datasette_layout_with_its_queries(served: str) -> None:
    status, body = get(f"{served}/-/events/")
    assert status == 200
    page = body.decode("utf-8")
    assert "app.css" in page and "<h1>Event pages</h1>" in page  # Datasette's base template and stylesheet
    assert f'href="/-/events/{P2025}.html"' in page
    assert f'href="/guestlist/who-is-coming?event={P2025}"' in page
    assert "event_a=" not in page  # queries of two events are not offered for one


def test_source_slugs_link_to_their_http_source_only(served: str, served_file: Path) -> None:
    import sqlite3
    from html import escape

    with sqlite3.connect(served_file) as connection:
        web, url, title = connection.execute(
            "SELECT s.slug, s.url, s.title FROM sources s WHERE s.url LIKE 'http%' AND s.slug IN"
            " (SELECT source_slug FROM attendance_report WHERE event_slug = ?) ORDER BY s.slug LIMIT 1", (P2025,)
        ).fetchone()
        (other,) = connection.execute(
            "SELECT source_slug FROM attendance_report WHERE event_slug = ? AND source_slug <> ?"
            " ORDER BY source_slug LIMIT 1", (P2025, web)
        ).fetchone()
        connection.execute("UPDATE sources SET url = 'javascript:alert(1)' WHERE slug = ?", (other,))
    status, body = get(f"{served}/guestlist/attendance_report?event_slug={P2025}&_size=max")
    assert status == 200
    page = body.decode("utf-8")
    assert f'<a href="{escape(url)}" title="{escape(title)}" rel="noopener noreferrer">{web}</a>' in page
    assert "javascript:" not in page
    assert f">{other}</td>" in page  # text, not a link
    status, body = get(f"{served}/guestlist/kim-status-history?event={P2025}")  # a canned query's cells too
    assert status == 200 and 'rel="noopener noreferrer">' in body.decode("utf-8")


def test_an_event_page_is_served(served: str) -> None:
    status, body = get(f"{served}/-/events/{P2025}.html")
    assert status == 200
    page = body.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 2
    assert "Kim Jong Un" in page and "Donald Trump" in page
    status, body = get(f"{served}/-/events/")
    assert status == 200 and f"/-/events/{P2025}.html" in body.decode("utf-8")


def test_an_unknown_event_page_is_404(served: str) -> None:
    status, body = get(f"{served}/-/events/no-such-parade.html")
    assert status == 404
    assert body.decode("utf-8") == "event not found: 'no-such-parade'"


@pytest.mark.parametrize("url", ["postgresql://reader@127.0.0.1:5432/x", "mysql+pymysql://reader@127.0.0.1:3306/x"])
def test_a_server_database_is_refused_in_one_line(url: str) -> None:
    result = invoke(url, "serve", "--port", "0")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: serve needs an SQLite database: Datasette reads SQLite only"


def test_a_missing_database_is_refused_in_one_line(tmp_path: Path) -> None:
    result = invoke(f"sqlite:///{tmp_path / 'none.db'}", "serve")
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "run 'guestlist setup' first" in result.output
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("host", ["", "0", "example.org", "127.0.0.1; rm -rf /"])
def test_a_host_that_is_not_an_address_is_refused_in_one_line(seeded: str, host: str) -> None:
    result = invoke(seeded, "serve", "--host", host, "--port", "0")
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: --host wants an IP address or localhost, not {host!r}"


def test_a_port_in_use_is_refused_in_one_line(seeded: str) -> None:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke(seeded, "serve", "--port", str(port))
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: cannot listen on 127.0.0.1 port {port}: Address already in use"
