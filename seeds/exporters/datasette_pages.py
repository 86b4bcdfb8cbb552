"""A Datasette plugin that serves guestlist's event pages beside the tables.

``guestlist serve`` registers this module with Datasette. It adds
``/-/events/`` (every event, linked) and ``/-/events/SLUG.html`` (the page
``guestlist.seeds.exporters.html`` writes, drawn on request from the served database),
and turns each event slug Datasette shows (``events.slug`` and every
``event_slug`` column of the views and canned queries) into a link to its page.
"""

from __future__ import annotations

import asyncio
from html import escape
from typing import Any
from urllib.parse import quote

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


async def _index(datasette: Any, request: Any) -> Response:
    found = await asyncio.to_thread(reports.events, db=_database_url(datasette))
    items = "".join(
        f'<li><a href="{escape(page_path(e.event_slug))}">{escape(e.event_name)}</a> '
        f"({escape(e.event_date.isoformat() if e.event_date else 'undated')})</li>"
        for e in found
    )
    return Response.html(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Event pages</title></head>'
        f"<body><h1>Event pages</h1><ul>{items}</ul></body></html>"
    )


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/events/$", _index), (r"^/-/events/(?P<slug>[^/]+)\.html$", _event_page)]


@hookimpl
def render_cell(value: Any, column: str, table: str | None, datasette: Any) -> Any:
    if not isinstance(value, str) or not ((table == "events" and column == "slug") or column == "event_slug"):
        return None
    return Markup(f'<a href="{escape(datasette.urls.path(page_path(value)))}">{escape(value)}</a>')
