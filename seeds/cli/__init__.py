"""The ``guestlist`` command line.

Subcommands are imported only when run, and each command module imports its
work inside its functions, so ``guestlist --help`` does not pay for
SQLAlchemy and Alembic (``tests/test_packaging.py`` keeps it so). Errors the user can fix (``GuestlistError``)
print as one line and exit 1; passwords in URLs never reach the terminal.

Each invocation has one :class:`CommandDatabase` (the root context's
``obj``): commands ask it for the URL and for the engine, which is resolved,
checked and built once, and disposed when the invocation ends.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

import click

from guestlist.models.settings import DATABASE_URL, DEBUG, READ_ONLY, WAIT

from .guard import guarded, one_line, set_debug

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

# name -> (module, attribute, one-line help shown by --help without importing)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "db": ("guestlist.seeds.cli.db", "db", "Create, upgrade, inspect and check the database schema."),
    "setup": ("guestlist.seeds.cli.setup", "setup", "Upgrade to head and load the bundled seeds."),
    "seed": ("guestlist.seeds.cli.seed", "seed", "Load seed documents (files or folders)."),
    "report": ("guestlist.seeds.cli.report", "report", "Reports: guest lists, comparisons, records."),
    "chart": ("guestlist.seeds.cli.chart", "chart", "Pictures: a guest-list map, then and now, a timeline (SVG, PNG)."),
    "serve": (
        "guestlist.seeds.cli.serve",
        "serve",
        "Serve the database in Datasette, with an HTML page for every event.",
    ),
    "export": ("guestlist.seeds.cli.export", "export", "Write the database out: seeds, CSV, Popolo."),
    "import": ("guestlist.seeds.cli.importer", "import_", "Read other formats in as seeds (Popolo)."),
    "cite": (
        "guestlist.seeds.cli.cite",
        "cite",
        "Every fact of a record with its source: a citation style, CSL-JSON, BibTeX.",
    ),
    "query": ("guestlist.seeds.cli.query", "query", "Run your own read-only SQL and print the rows."),
    "search": ("guestlist.seeds.cli.search", "search", "Full-text search over quotes, notes and names."),
    "find": ("guestlist.seeds.cli.find", "find", "What a name or an office in a seed document resolves to."),
    "datasette-metadata": (
        "guestlist.seeds.cli.datasette",
        "datasette_metadata",
        "Print Datasette metadata for the database.",
    ),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, (module, _, _) in COMMANDS.items() if _module_exists(module))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or not _module_exists(COMMANDS[name][0]):
            return None
        module, attribute, _ = COMMANDS[name]
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.exceptions.Exit:
            raise
        except click.ClickException:
            raise
        except Exception as exc:
            raise _one_line(exc, ctx) from None


def _line(message: str) -> click.ClickException:
    return click.ClickException(one_line(message))


def _module_exists(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None


def _one_line(exc: Exception, ctx: click.Context) -> click.ClickException:
    """A user's mistake or an unreachable database becomes one scrubbed line."""
    from guestlist.models.db.urls import scrub
    from guestlist.models.errors import GuestlistError

    url = ctx.obj.given_url if isinstance(ctx.obj, CommandDatabase) else ""
    if isinstance(exc, GuestlistError):
        return _line(scrub(str(exc), url))
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    if isinstance(exc, OperationalError):
        from guestlist.models.db.urls import mask_url
        from guestlist.models.db.waits import is_lock_timeout, wait_policy

        if is_lock_timeout(exc):  # a lock other than guestlist's own, e.g. a row another program holds
            return _line(wait_policy().gave_up(f"a lock on {mask_url(url)}", "another process"))

        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        return _line(scrub(f"cannot use database {mask_url(url)}: {reason}", url))
    if isinstance(exc, SQLAlchemyError):
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return _line(scrub(f"database error: {reason}", url))
    if isinstance(exc, BrokenPipeError):
        raise exc  # the reader stopped early (`| head`): click ends quietly, as cat does
    if isinstance(exc, OSError) and exc.strerror:
        # A path the user gave cannot be read or written: permissions, a folder, a full disk.
        where = f"{exc.filename}: " if exc.filename not in (None, "") else ""
        return _line(scrub(f"{where}{exc.strerror}", url))
    if isinstance(exc, UnicodeError):
        # Undecodable bytes in argv arrive as lone surrogates and fail deep in a driver.
        return _line("an argument is not valid UTF-8 text; give names and values in UTF-8")
    raise exc


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--database-url",
    envvar=DATABASE_URL.name,
    show_envvar=True,
    metavar="URL",
    help=f"{DATABASE_URL.help} Default: {DATABASE_URL.shown_default()}.",
)
@click.option(
    "--read-only",
    "read_only",
    is_flag=True,
    default=READ_ONLY.default,
    envvar=READ_ONLY.name,
    show_envvar=True,
    help=READ_ONLY.help,
)
@click.option(
    "--debug",
    is_flag=True,
    default=DEBUG.default,
    expose_value=False,
    is_eager=True,
    callback=lambda _ctx, _param, value: set_debug(value),
    # Not envvar=: the crash guard reads the variable itself, since a crash can come before options are parsed.
    help=f"{DEBUG.help} Also {DEBUG.name}=1.",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0, max=86_400),
    default=WAIT.default,
    envvar=WAIT.name,
    show_envvar=True,
    metavar="SECONDS",
    help=f"{WAIT.help} Default: {WAIT.shown_default()}.",
)
@click.version_option(package_name="guestlist")
@click.pass_context
def cli(ctx: click.Context, database_url: str | None, read_only: bool, wait: float) -> None:
    """guestlist: who attended which state event, for which state, says who."""
    ctx.obj = CommandDatabase(database_url, read_only=read_only, wait=wait)
    ctx.call_on_close(ctx.obj.close)


def main(argv: list[str] | None = None) -> None:
    with guarded(argv):
        cli.main(args=argv, prog_name="guestlist")


def _on_terminal(message: str) -> None:
    """A line about waiting is for a person watching; logs and pipes get only the outcome."""
    if sys.stderr.isatty():
        click.echo(message, err=True)


class CommandDatabase:
    """The database of one command invocation: its URL, checked once, and its one engine, built once.

    Both are made when a command first asks, not when options are parsed: a
    bad GUESTLIST_DATABASE_URL must not stop ``--help``, and a command that
    never opens the database builds no engine. The invocation's context
    disposes the engine when it closes.
    """

    def __init__(self, database_url: str | None, *, read_only: bool, wait: float) -> None:
        self.url_option = database_url
        self.read_only = read_only
        self.wait = wait
        self._url: str | None = None
        self._engine: Engine | None = None
        self._engine_readonly = False

    @property
    def given_url(self) -> str:
        """--database-url, GUESTLIST_DATABASE_URL, or the default; unchecked (what error messages scrub)."""
        from guestlist.models.db.urls import resolve_url

        return resolve_url(self.url_option)

    @property
    def url(self) -> str:
        """The URL this invocation uses, checked, and made read-only with --read-only.

        The run's lock-wait policy (``--wait``; waits shown on a terminal
        only) is set here too, as every command that touches a database
        passes through.
        """
        if self._url is None:
            from guestlist.models.db import readonly_url
            from guestlist.models.db.dialects import check_url
            from guestlist.models.db.waits import set_wait

            set_wait(self.wait, on_wait=_on_terminal)
            url = check_url(self.given_url)
            self._url = readonly_url(url) if self.read_only else url
        return self._url

    def engine(self, *, readonly: bool = False) -> Engine:
        """The invocation's engine on :attr:`url`; ``readonly`` opens it so that writes fail (the reports)."""
        readonly = readonly or self.read_only
        if self._engine is None:
            from guestlist.models.db import build_engine, readonly_url

            self._engine = build_engine(readonly_url(self.url) if readonly and not self.read_only else self.url)
            self._engine_readonly = readonly
        elif readonly != self._engine_readonly:
            raise RuntimeError(f"the command's engine is open {'read-write' if readonly else 'read-only'} already")
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def database(ctx: click.Context) -> CommandDatabase:
    """The database of the invocation ``ctx`` belongs to."""
    found = ctx.find_root().obj
    assert isinstance(found, CommandDatabase), "a command runs under the guestlist group"
    return found


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
