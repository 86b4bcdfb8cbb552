"""The last line of defence: an exception nobody foresaw becomes one line that says it is a bug.

Every error a user or a file can cause has its own message (``GuestlistError``
and the database errors ``guestlist.seeds.cli`` translates); anything that still
escapes is guestlist's fault. It is shown as one line naming the exception
and where it was raised, exit status 70 (EX_SOFTWARE), with the way to see
the traceback: ``--debug`` or ``GUESTLIST_DEBUG=1``. The text is masked like
every other message, since a driver's exception may quote the URL.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from guestlist.models.settings import DATABASE_URL, DEBUG

EXIT_BUG = 70
_debug = False


def set_debug(value: bool) -> None:
    """Called by ``--debug`` at every invocation (so one run's flag never outlives it)."""
    global _debug
    _debug = bool(value)


def debugging() -> bool:
    return _debug or (DEBUG.environ() or "").strip().lower() not in ("", "0", "false", "no")


@contextmanager
def guarded(argv: Sequence[str] | None = None) -> Iterator[None]:
    """Run the CLI; turn an unexpected exception into one line and exit 70 (the traceback with --debug)."""
    try:
        yield
    except Exception as exc:
        if debugging():
            raise
        sys.stderr.write(f"Error: {bug_line(exc, argv)}\n")
        sys.stderr.flush()
        sys.exit(EXIT_BUG)


# Line breaks, terminal escapes and bidi overrides from file names or values
# would break the one line or repaint the terminal: shown escaped instead.
_UNPRINTABLE = (
    {c: f"\\x{c:02x}" for c in range(32)}
    | {0x7F: "\\x7f"}
    | {c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
)
_UNPRINTABLE.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})


def one_line(message: str) -> str:
    """A message as one terminal line: what a user's file name or value could smuggle in is shown escaped."""
    return message.translate(_UNPRINTABLE)


def bug_line(exc: BaseException, argv: Sequence[str] | None = None) -> str:
    # Imported on a crash only: the guard wraps every command, `--help` included, which stays fast.
    from guestlist.models.db.urls import scrub

    frames = traceback.extract_tb(exc.__traceback__)
    where = ""
    if frames:
        last = frames[-1]
        where = f" at {Path(last.filename).name}:{last.lineno}"
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    urls = [DATABASE_URL.environ() or "", *_url_arguments(argv if argv is not None else sys.argv[1:])]
    detail = scrub(f"{type(exc).__name__}{': ' + text if text else ''}{where}", *urls)
    return one_line(
        f"internal error, a bug in guestlist ({detail}); rerun with --debug or {DEBUG.name}=1 to see the traceback, and report it"
    )


def _url_arguments(argv: Sequence[str]) -> list[str]:
    """Values of --database-url in the command line: their passwords are masked too."""
    found = []
    for i, arg in enumerate(argv):
        if arg == "--database-url" and i + 1 < len(argv):
            found.append(argv[i + 1])
        elif arg.startswith("--database-url="):
            found.append(arg.split("=", 1)[1])
    return found
