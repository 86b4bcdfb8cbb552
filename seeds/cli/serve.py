"""``guestlist serve``: Datasette on the database, with an HTML page for every event.

Datasette (the ``web`` extra) serves the SQLite database with the metadata
``guestlist datasette-metadata`` writes (descriptions, canned queries); the
plugin ``guestlist.seeds.exporters.datasette_pages`` adds the event pages at
``/-/events/``, lists them on Datasette's home page, links every event slug
to its page and every source slug to its document. The canned queries take
the event as a parameter (``?event=SLUG``). Datasette reads SQLite only, so
a server database is refused in one line.
"""

from __future__ import annotations

import click

from . import database

WEB_EXTRA = "serve needs the 'web' extra: pip install 'guestlist[web]'"


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on: an IP address (0.0.0.0 for every interface) or localhost.",
)
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="Port to listen on.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the database in Datasette, with event pages at /-/events/.

    The home page lists the event pages; every event slug in the tables,
    views and canned queries links to its page (map, guest list with
    sources, then-and-now chart), every source slug to its document. The
    canned queries take the event as a parameter. Stop with Ctrl-C.
    """
    import asyncio

    from guestlist.models.db.ownership import sqlite_path
    from guestlist.models.errors import GuestlistError
    from guestlist.seeds.exporters import require_schema

    _check_host(host)
    url = database(ctx).url
    path = sqlite_path(url)
    if path is None:
        raise GuestlistError("serve needs an SQLite database: Datasette reads SQLite only")
    try:
        import uvicorn
        from datasette.app import Datasette
        from datasette.plugins import pm
    except ImportError:
        raise GuestlistError(WEB_EXTRA) from None
    engine = database(ctx).engine()
    require_schema(engine)

    from guestlist.models import reports
    from guestlist.seeds.exporters import datasette_pages
    from guestlist.seeds.exporters.datasette import database_name, metadata

    document = metadata(database_name(url), db=engine)
    document["description_html"] = datasette_pages.home_html(document["description"], reports.events(db=engine))
    engine.dispose()  # Datasette opens the file itself: no idle connection of ours while it serves
    events = document["databases"][database_name(url)]["tables"]["events"]
    events["description_html"] = (
        f"{events['description']} Each slug links to the event's page; all pages: "
        f'<a href="{datasette_pages.PAGES}">{datasette_pages.PAGES}</a>.'
    )
    _check_free(host, port)
    if not pm.is_registered(datasette_pages):
        pm.register(datasette_pages, name="guestlist-event-pages")
    datasette = Datasette(files=[str(path)], metadata=document)
    asyncio.run(datasette.invoke_startup())
    click.echo(f"serving http://{host}:{port}/ (event pages at {datasette_pages.PAGES}); Ctrl-C stops", err=True)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning")


def _check_host(host: str) -> None:
    """An IP address or localhost: a name that resolves elsewhere, or an empty one (every
    interface, silently), is refused in one line before anything starts."""
    import ipaddress

    from guestlist.models.errors import GuestlistError

    if host == "localhost":
        return
    try:
        ipaddress.ip_address(host)
    except ValueError:
        shown = host if len(host) <= 40 else host[:40] + "..."
        raise GuestlistError(f"--host wants an IP address or localhost, not {shown!r}") from None


def _check_free(host: str, port: int) -> None:
    """A port already taken is one line here, not a uvicorn log line and exit."""
    import socket

    from guestlist.models.errors import GuestlistError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise GuestlistError(f"cannot listen on {host} port {port}: {exc.strerror}") from None
