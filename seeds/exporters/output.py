"""Every byte guestlist writes out goes through here, so a failed write is an error, never a quiet loss.

Two kinds of target:

- standard output (``-``): written and flushed, so a full disk (``>
  /dev/full``), a closed descriptor (``>&-``) or one opened for reading
  raises :class:`OutputError`, one line naming "standard output". A reader
  that stopped early (``| head``) is not an error: ``BrokenPipeError``
  passes through untouched, and the command line ends quietly, as ``cat``
  and ``grep`` do.
- a file: written to a hidden temporary file in the same folder
  (``.NAME.XXXX.tmp``), flushed to disk, then renamed onto NAME. A failure
  at any point removes the temporary file, so the requested name holds the
  complete new output or whatever it held before, never a truncated one. A
  target that exists and is not a regular file (``/dev/stdout``, a FIFO)
  is written in place: it cannot be renamed onto.

:class:`Staging` does the same for a folder of files (``export csv``,
``export seeds``): every file goes to a temporary name and all are renamed
only once all were written.
"""

from __future__ import annotations

import errno
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from guestlist.models.errors import GuestlistError

STDOUT = "-"


class OutputError(GuestlistError):
    """Output could not be written: a full disk, a closed or unwritable stream, a path that cannot be a file."""


def shown(target: str | Path) -> str:
    return "standard output" if str(target) == STDOUT else str(target)


def output_error(target: str | Path, exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc) or type(exc).__name__
    return OutputError(f"cannot write {shown(target)}: {reason}")


def write_text(target: str | Path, text: str) -> None:
    """``text`` to ``target`` (``-``: standard output), complete or not at all."""
    if str(target) == STDOUT:
        with _stdout() as stream:
            stream.write(text)
        return
    with Staging(Path(target).parent, created=False) as staging:
        staging.write(Path(target), text)


@contextmanager
def _stdout() -> Iterator[IO[str]]:
    stream = sys.stdout
    if stream is None or getattr(stream, "closed", False):
        # Python sets sys.stdout to None when descriptor 1 was closed at start (`>&-`).
        raise OutputError("cannot write standard output: it is closed")
    try:
        yield stream
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise output_error(STDOUT, exc) from None
    except ValueError as exc:  # "I/O operation on closed file"
        raise OutputError(f"cannot write standard output: {exc}") from None


class Staging:
    """Files written under temporary names in ``folder`` and renamed into place together on success.

    Use as a context manager; :meth:`open` gives a text handle for a final
    path. Leaving the block without an exception flushes, syncs and renames
    every file; leaving it with one removes every temporary file, and the
    folder too when ``created`` says this run made it and it is empty.
    """

    def __init__(self, folder: Path, *, created: bool):
        self.folder, self.created = folder, created
        self.files: list[tuple[IO[str] | None, Path, Path]] = []  # open handle or None, temporary, final

    def open(self, final: Path, *, newline: str | None = None) -> IO[str]:
        if final.is_dir():
            raise OutputError(f"cannot write {final}: it is a folder")
        if final.exists() and not final.is_file():
            # A device or FIFO (/dev/stdout, /dev/full): no rename possible; written in place.
            try:
                handle = final.open("w", encoding="utf-8", newline=newline)
            except OSError as exc:
                raise output_error(final, exc) from None
            self.files.append((handle, final, final))
            return handle
        try:
            fd, temporary = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
        except OSError as exc:
            raise output_error(final, exc) from None
        handle = os.fdopen(fd, "w", encoding="utf-8", newline=newline)
        self.files.append((handle, Path(temporary), final))
        return handle

    def write(self, final: Path, text: str) -> None:
        """A whole file at once, closed at once: many small files need not stay open until the end."""
        handle = self.open(final)
        index = len(self.files) - 1
        try:
            handle.write(text)
            _finish(handle, self.files[index][1] != final)
        except OSError as exc:
            raise output_error(final, exc) from None
        self.files[index] = (None, self.files[index][1], final)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, _tb: Any) -> None:
        if kind is None:
            self._commit()
        else:
            self._discard()
            if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
                # A write fails without a file name: name the one file, or the folder of several.
                target = self.files[0][2] if len(self.files) == 1 else self.folder
                raise output_error(target, exc) from None

    def _commit(self) -> None:
        mode = _new_file_mode()
        current: Path = self.folder
        try:
            for handle, temporary, final in self.files:
                current = final
                if handle is not None:
                    _finish(handle, temporary != final)
                if temporary != final:
                    os.chmod(temporary, final.stat().st_mode & 0o7777 if final.exists() else mode)
            for _handle, temporary, final in self.files:
                current = final
                if temporary != final:
                    os.replace(temporary, final)
        except OSError as exc:
            self._discard()
            raise output_error(current, exc) from None

    def _discard(self) -> None:
        for handle, temporary, final in self.files:
            try:
                if handle is not None:
                    handle.close()
            except OSError:  # the write that failed fails again on close; already reported
                pass
            if temporary != final:
                temporary.unlink(missing_ok=True)
        if self.created:
            try:
                self.folder.rmdir()
            except OSError as exc:  # not empty (it held something else) or already gone
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOENT):
                    raise


def _finish(handle: IO[str], sync: bool) -> None:
    """Flush, put on disk (a full disk can show only here), close."""
    handle.flush()
    if sync:
        os.fsync(handle.fileno())
    handle.close()


def _new_file_mode() -> int:
    """What ``open(..., 'w')`` would give a new file: 0o666 less the umask (mkstemp makes 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
