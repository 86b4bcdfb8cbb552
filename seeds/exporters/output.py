"""Every byte guestlist writes out goes through here, so a failed write is an error, never a quiet loss.

Two kinds of target:

- standard output (``-``): the bytes go to its descriptor with ``os.write``,
  each call checked until all are written, then synced when it is a regular
  file. Python's own stream is not used for them: unbuffered
  (``PYTHONUNBUFFERED``, ``-u``) it drops the rest of a short write without
  an error, so output redirected to a file that hits the disk's or the
  process's size limit would end truncated with exit status 0. A full disk
  (``> /dev/full``), a size limit, a closed descriptor (``>&-``) or one
  opened for reading raises :class:`OutputError`, one line naming "standard
  output". A reader that stopped early (``| head``) is not an error:
  ``BrokenPipeError`` passes through untouched, and the command line ends
  quietly, as ``cat`` and ``grep`` do. A standard output without a
  descriptor (click's test runner, pytest's capture) gets the bytes through
  its binary buffer.
- a file: written to a hidden temporary file in the same folder
  (``.NAME.XXXX.tmp``), flushed to disk, then renamed onto NAME. A failure
  at any point removes the temporary file, so the requested name holds the
  complete new output or whatever it held before, never a truncated one. A
  target that exists and is not a regular file (``/dev/stdout``, a FIFO)
  is written in place: it cannot be renamed onto.

:func:`write_text` and :func:`write_bytes` write one whole output (text is
UTF-8 in a file, standard output's own encoding on standard output).
:class:`Staging` does the same for a folder of files (``export csv``,
``export seeds``): every file goes to a temporary name and all are renamed
only once all were written.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, TextIO

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
        stream = _open_stdout()
        _write_stdout(stream, text.encode(stream.encoding or "utf-8", stream.errors or "strict"))
        return
    write_bytes(target, text.encode("utf-8"))


def write_bytes(target: str | Path, data: bytes) -> None:
    """``data`` to ``target`` (``-``: standard output), complete or not at all: an SVG or PNG chart, a page."""
    if str(target) == STDOUT:
        _write_stdout(_open_stdout(), data)
        return
    with Staging(Path(target).parent, created=False) as staging:
        staging.write_bytes(Path(target), data)


def _open_stdout() -> TextIO:
    stream = sys.stdout
    if stream is None or getattr(stream, "closed", False):
        # Python sets sys.stdout to None when descriptor 1 was closed at start (`>&-`).
        raise OutputError("cannot write standard output: it is closed")
    return stream


def _write_stdout(stream: TextIO, data: bytes) -> None:
    try:
        stream.flush()  # what went through the stream before (click.echo) comes first
        fd = _descriptor(stream)
        if fd is None:
            buffer = stream.buffer  # an in-memory text stream's bytes
            if buffer.write(data) != len(data):
                raise OSError(errno.EIO, "short write")
            buffer.flush()
        else:
            write_all(fd, data)
            if stat.S_ISREG(os.fstat(fd).st_mode):
                os.fsync(fd)  # a full disk can show only here (network file systems, delayed allocation)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise output_error(STDOUT, exc) from None
    except ValueError as exc:  # "I/O operation on closed file"
        raise OutputError(f"cannot write standard output: {exc}") from None


def _descriptor(stream: TextIO) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, io.UnsupportedOperation):
        return None


def write_all(fd: int, data: bytes) -> None:
    """Every byte of ``data`` to descriptor ``fd``: a short write is continued, and the write after it raises."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written == 0:
            raise OSError(errno.EIO, "the write took no bytes")
        view = view[written:]


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
        """A UTF-8 text handle whose content becomes ``final``; kept open until the block ends."""
        fd, path = self._create(final)
        handle = os.fdopen(fd, "w", encoding="utf-8", newline=newline)
        self.files.append((handle, path, final))
        return handle

    def write(self, final: Path, text: str) -> None:
        """A whole text file (UTF-8) at once, closed at once: many small files need not stay open until the end."""
        self.write_bytes(final, text.encode("utf-8"))

    def write_bytes(self, final: Path, data: bytes) -> None:
        """A whole file of bytes at once, closed at once."""
        fd, path = self._create(final)
        self.files.append((None, path, final))
        try:
            try:
                write_all(fd, data)
                if path != final:
                    os.fsync(fd)  # a full disk can show only here
            finally:
                os.close(fd)
        except OSError as exc:
            raise output_error(final, exc) from None

    def _create(self, final: Path) -> tuple[int, Path]:
        """A descriptor open for writing, and the path it writes: a new temporary file, or ``final`` itself."""
        if final.is_dir():
            raise OutputError(f"cannot write {final}: it is a folder")
        if final.exists() and not final.is_file():
            # A device or FIFO (/dev/stdout, /dev/full): no rename possible; written in place.
            try:
                return os.open(final, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666), final
            except OSError as exc:
                raise output_error(final, exc) from None
        try:
            fd, temporary = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
        except OSError as exc:
            raise output_error(final, exc) from None
        return fd, Path(temporary)

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
