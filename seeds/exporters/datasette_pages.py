"""A Datasette plugin that serves guestlist's event pages beside the tables.

``guestlist serve`` registers this module with Datasette. It adds
``/-/events/`` (every event, linked) and ``/-/events/SLUG.html`` (the page
``guestlist.seeds.exporters.html`` writes, drawn on request from the served database),
and turns each event slug Datasette shows (``events.slug`` and every
``event_slug`` column of the views and canned queries) into a link to its
page, and each ``source_slug`` into a link to the source's document when
its URL is http(s) (anything else stays text). :func:`home_html` is the
list of event pages ``guestlist serve`` puts on Datasette's home page.
"""

from __future__ import annotations

import asyncio
from html import escape
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from guestlist.models import reports
from guestlist.models.errors import GuestlistError, NotFoundError
from guestlist.seeds.exporters.html import event_page

PAGES = "/-/events/"


def page_path(slug: str) -> str:
    return f"{PAGES}{quote(slug, safe='')}.html"


def _database_url(datasette: Any) -> str:
    return f"sqlite:///{datasette.get_database().path}"


async def _event_page(datasette: Any, request: Any) -> Response:
    slug = request.url_vars["slug"]
    try:
        text = await asyncio.to_thread(event_page, slug, db=_database_url(datasette))
    except NotFoundError as exc:
        return Response.text(str(exc), status=404)
    except GuestlistError as exc:  # the charts extra is missing
        return Response.text(str(exc), status=503)
    return Response.html(text)


# /-/events/ inside Datasette's own page layout (its base template, its CSS and menus).
INDEX = """{% extends "base.html" %}
{% block title %}Event pages{% endblock %}
{% block content %}
<h1>Event pages</h1>
<p>Every event in the database: its page (map, guest list with sources, the chart against the
event it follows), then the canned queries that take the event as a parameter.</p>
<ul class="guestlist-events">
{% for e in events %}<li><a href="{{ e.page }}">{{ e.name }}</a> ({{ e.date }}){% if e.queries %}:
{% for q in e.queries %}<a href="{{ q.href }}">{{ q.title }}</a>{% if not loop.last %}, {% endif %}{% endfor %}{% endif %}</li>
{% endfor %}</ul>
{% endblock %}"""


def event_queries(metadata: dict[str, Any], database: str) -> list[str]:
    """The names of the canned queries of ``database`` that take one event as ``:event``.

    Names, not titles: a title speaks of the event the docs ask about.
    """
    found = metadata.get("databases", {}).get(database, {}).get("queries", {})
    return [name for name, q in found.items() if q.get("params") == ["event"]]


async def _index(datasette: Any, request: Any) -> Response:
    found = await asyncio.to_thread(reports.events, db=_database_url(datasette))
    database = datasette.get_database().name
    canned = event_queries(datasette.metadata() or {}, database)
    events = [
        {
            "page": datasette.urls.path(page_path(e.event_slug)),
            "name": e.event_name,
            "date": e.event_date.isoformat() if e.event_date else "undated",
            "queries": [
                {
                    "href": datasette.urls.database(database) + f"/{quote(name)}?" + urlencode({"event": e.event_slug}),
                    "title": name,
                }
                for name in canned
            ],
        }
        for e in found
    ]
    template = datasette.jinja_env.from_string(INDEX)
    return Response.html(await datasette.render_template(template, {"events": events}, request=request))


def home_html(description: str, events: list[Any]) -> str:
    """Datasette's home description: the dataset's, then every event linked to its page."""
    items = "".join(
        f'<li><a href="{escape(page_path(e.event_slug))}">{escape(e.event_name)}</a> '
        f"({escape(e.event_date.isoformat() if e.event_date else 'undated')})</li>"
        for e in events
    )
    return (
        f'<p>{escape(description)}</p><p>Event pages (<a href="{PAGES}">all, with their queries</a>):</p>'
        f"<ul>{items}</ul>"
    )


def source_link(url: str | None) -> str | None:
    """``url`` when it is an http(s) address a browser may follow; None for anything else."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/events/$", _index), (r"^/-/events/(?P<slug>[^/]+)\.html$", _event_page)]


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    if not isinstance(value, str):
        return None
    if column == "source_slug" or (table == "sources" and column == "slug"):
        return _source_cell(value, database, datasette)
    if not ((table == "events" and column == "slug") or column == "event_slug"):
        return None
    return Markup(f'<a href="{escape(datasette.urls.path(page_path(value)))}">{escape(value)}</a>')


def _source_cell(slug: str, database: str, datasette: Any) -> Any:
    """The slug linked to its source's document (an http(s) URL), else shown as text."""

    async def cell() -> Any:
        found = await datasette.get_database(database).execute("SELECT url, title FROM sources WHERE slug = ?", [slug])
        row = found.first()
        link = source_link(row["url"]) if row is not None else None
        if link is None:
            return None
        title = escape(row["title"] or "")
        return Markup(f'<a href="{escape(link)}" title="{title}" rel="noopener noreferrer">{escape(slug)}</a>')

    return cell
