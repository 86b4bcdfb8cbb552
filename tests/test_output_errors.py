"""Output that cannot be written is an error: one line, a non-zero exit, never a truncated file.

Each case runs the real command as a process, with its output going where
it cannot be written. The kinds of output: reports as CSV, JSON and a table
(to standard output, and with -o to a file in every format, XLSX included),
search hits as a table, ``export popolo`` and ``datasette-metadata`` (to
standard output and to a file), ``export csv`` and ``export seeds`` (a
folder), and the pictures: SVG and PNG charts and the event page (a file
only: the format follows the file's extension). The cases:

- standard output on a full disk (``/dev/full``), closed (``>&-``), or open
  for reading only: one line naming standard output, exit 1;
- standard output redirected to a file that fills up part way (the
  process's file size limit, ``RLIMIT_FSIZE``, makes a write fail with
  EFBIG as a full disk fails with ENOSPC): one line, exit 1, with Python's
  output stream unbuffered (``PYTHONUNBUFFERED``, which dropped the rest of
  a short write and exited 0) and buffered;
- a reader that stopped early (a pipe whose reading end is closed): no
  message at all, as ``cat`` and ``grep`` behave, and a non-zero exit;
- a file or folder export whose disk fills up mid-write (``RLIMIT_FSIZE``
  again): one line, and the requested name holds what it held before (or
  does not exist), with no temporary file left beside it;
- a path that cannot be a file (a folder, a missing folder, a path under a
  regular file, which no one can create, root included).

A file target does not use standard output, so the pipe cases are for
standard output only. The exports run on every database (holding the
bundled seeds), and every such case checks that a full dump of the
database is unchanged; the charts and the event page run on SQLite only,
from one seeded database for this module: what they test is the writing,
which does not depend on the database.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .support.cli import CLI, assert_clean_failure, cli_env, run_cli
from .support.databases import new_database
from .support.snapshots import snapshot

STDOUT_COMMANDS = {
    "export-popolo": ["export", "popolo", "-"],
    "report-csv": ["report", "events", "--format", "csv"],
    "report-json": ["report", "guest-list", "beijing-victory-day-parade-2025", "--format", "json"],
    "report-table": ["report", "state", "PRK", "--format", "table"],
    "datasette-metadata": ["datasette-metadata"],
    "search-table": ["search", "parade", "--format", "table"],
}
FILE_LIMIT = 8 * 1024  # bytes: below every output below, above nothing Python itself needs to write
P2015, P2025 = "beijing-victory-day-parade-2015", "beijing-victory-day-parade-2025"
# Standard output longer than FILE_LIMIT, for a redirection to a file that fills up.
LONG_STDOUT_COMMANDS = {
    "export-popolo": ["export", "popolo", "-"],
    "report-csv": ["report", "guest-list", P2025, "--format", "csv"],
    "report-json": ["report", "guest-list", P2025, "--format", "json"],
    "report-table": ["report", "guest-list", P2025, "--format", "table"],
    "datasette-metadata": ["datasette-metadata"],
}
# Commands that write one file given last, and the extension it needs; each writes more than FILE_LIMIT.
FILE_COMMANDS = {
    "export-popolo": (["export", "popolo"], "json"),
    "datasette-metadata": (["datasette-metadata", "-o"], "json"),
    **{
        f"report-{fmt}-file": (["report", "guest-list", P2025, *options, "-o"], ext)
        for fmt, options, ext in (
            ("table", ["--format", "table"], "txt"),
            ("csv", ["--format", "csv"], "csv"),
            ("excel", ["--excel"], "csv"),
            ("json", ["--format", "json"], "json"),
            ("jsonl", ["--format", "jsonl"], "jsonl"),
            ("xlsx", ["--format", "xlsx"], "xlsx"),
        )
    },
}
FOLDER_COMMANDS = {"export-csv": ["export", "csv"], "export-seeds": ["export", "seeds"]}
PICTURE_COMMANDS = {
    "chart-svg": (["chart", "timeline", "PRK", "-o"], "svg"),
    "chart-png": (["chart", "timeline", "PRK", "-o"], "png"),
    "event-page": (["report", "guest-list", P2015, "--format", "html", "-o"], "html"),
}


@pytest.fixture(scope="module")
def seeded(ecosystem_url: str) -> str:
    """The bundled seeds and EDGES, one database per dialect for this module."""
    return ecosystem_url


@pytest.fixture(scope="module")
def before(seeded: str) -> dict:  # type: ignore[type-arg]
    return snapshot(seeded)


@pytest.fixture(scope="module")
def sqlite_seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled seeds on SQLite, for the charts and the event page."""
    with new_database("sqlite", tmp_path_factory.mktemp("pictures"), "seeded") as url:
        yield url


def run(
    url: str, args: list[str], *, stdout: int | None = None, limit: int | None = None, cwd: Path | None = None,
    buffered: bool = False,
) -> subprocess.CompletedProcess[bytes]:
    """The CLI as a process, its standard output on ``stdout`` (a descriptor), its file size limited to ``limit``.

    Python's standard output is unbuffered (``PYTHONUNBUFFERED``, as ``cli_env`` sets it) unless ``buffered``.
    """
    env = cli_env(url)
    if buffered:
        del env["PYTHONUNBUFFERED"]

    def prepare() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so a write past the limit fails instead of killing
        if stdout == -1:
            os.close(1)

    return subprocess.run(
        [*CLI, *args], env=env, stdout=None if stdout == -1 else stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE, preexec_fn=prepare, cwd=cwd, timeout=300, check=False,
    )


def one_line(result: subprocess.CompletedProcess[bytes], *words: str) -> None:
    assert result.returncode == 1, result.stderr
    text = result.stderr.decode()
    assert_clean_failure(text)
    for word in words:
        assert word in text, text


@pytest.mark.parametrize("command", STDOUT_COMMANDS.values(), ids=STDOUT_COMMANDS.keys())
def test_a_full_disk_on_standard_output_is_one_line(seeded: str, before: dict, command: list[str]) -> None:  # type: ignore[type-arg]
    with open("/dev/full", "wb") as full:
        result = run(seeded, command, stdout=full.fileno())
    one_line(result, "cannot write standard output: No space left on device")
    assert snapshot(seeded) == before


@pytest.mark.parametrize("command", STDOUT_COMMANDS.values(), ids=STDOUT_COMMANDS.keys())
def test_a_closed_standard_output_is_one_line(seeded: str, command: list[str]) -> None:
    one_line(run(seeded, command, stdout=-1), "cannot write standard output: it is closed")


def test_standard_output_open_for_reading_is_one_line(seeded: str, tmp_path: Path) -> None:
    (tmp_path / "input").write_text("x")
    with open(tmp_path / "input", "rb") as read_only:
        result = run(seeded, STDOUT_COMMANDS["report-csv"], stdout=read_only.fileno())
    one_line(result, "cannot write standard output: Bad file descriptor")


@pytest.mark.parametrize("command", STDOUT_COMMANDS.values(), ids=STDOUT_COMMANDS.keys())
def test_a_reader_that_stopped_early_ends_the_run_quietly(seeded: str, command: list[str]) -> None:
    reading, writing = os.pipe()
    os.close(reading)  # the reader has gone: the first write gets EPIPE
    try:
        result = run(seeded, command, stdout=writing)
    finally:
        os.close(writing)
    assert result.returncode != 0
    assert result.stderr == b""


LIMITED_STDOUT = [
    *(pytest.param(command, False, id=name) for name, command in LONG_STDOUT_COMMANDS.items()),
    pytest.param(LONG_STDOUT_COMMANDS["export-popolo"], True, id="export-popolo-buffered"),
]


@pytest.mark.parametrize(("command", "buffered"), LIMITED_STDOUT)
def test_standard_output_to_a_file_that_fills_up_is_one_line(seeded: str, tmp_path: Path, command: list[str], buffered: bool) -> None:
    """``> FILE`` on a disk that fills part way: the write after the short one fails, and the run says so.

    Unbuffered, Python's own stream took the short write as all of it: the
    run exited 0 leaving the first FILE_LIMIT bytes in the file.
    """
    target = tmp_path / "redirected"
    with open(target, "wb") as handle:
        result = run(seeded, command, stdout=handle.fileno(), limit=FILE_LIMIT, buffered=buffered)
    one_line(result, "cannot write standard output: File too large")
    assert target.stat().st_size == FILE_LIMIT, "the output is longer than the limit, and filled the file up to it"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize(("command", "ext"), [pytest.param(c, e, id=k) for k, (c, e) in FILE_COMMANDS.items()])
def test_a_file_that_fills_the_disk_keeps_its_old_content(seeded: str, before: dict, tmp_path: Path, command: list[str], ext: str) -> None:  # type: ignore[type-arg]
    target = tmp_path / f"out.{ext}"
    target.write_text("the previous export\n")
    one_line(run(seeded, [*command, str(target)], limit=FILE_LIMIT), f"cannot write {target}: File too large")
    assert target.read_text() == "the previous export\n"
    assert leftovers(tmp_path) == []
    missing = tmp_path / f"new.{ext}"
    one_line(run(seeded, [*command, str(missing)], limit=FILE_LIMIT), "File too large")
    assert not missing.exists() and leftovers(tmp_path) == []
    assert snapshot(seeded) == before


def test_a_csv_export_that_fills_the_disk_replaces_no_file(seeded: str, before: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    folder = tmp_path / "csv"
    assert run_cli(seeded, "export", "csv", str(folder)).returncode == 0
    previous = {p.name: p.read_bytes() for p in folder.iterdir()}
    (folder / "attendance_report.csv").write_text("an older export\n")
    previous["attendance_report.csv"] = b"an older export\n"
    one_line(run(seeded, ["export", "csv", str(folder)], limit=FILE_LIMIT), "File too large")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == previous
    fresh = tmp_path / "fresh"
    one_line(run(seeded, ["export", "csv", str(fresh)], limit=FILE_LIMIT), "File too large")
    assert not fresh.exists(), "a folder the failed export made is removed"
    assert snapshot(seeded) == before


def test_a_seed_backup_that_fills_the_disk_leaves_no_folder(seeded: str, before: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    target = tmp_path / "backup"
    one_line(run(seeded, ["export", "seeds", str(target)], limit=FILE_LIMIT), "File too large")
    assert not target.exists(), "no half backup that 'guestlist seed' would load as if whole"
    target.mkdir()
    one_line(run(seeded, ["export", "seeds", str(target)], limit=FILE_LIMIT), "File too large")
    assert list(target.iterdir()) == []
    assert snapshot(seeded) == before


@pytest.mark.parametrize(
    "command", [["export", "popolo"], ["datasette-metadata", "-o"]], ids=["export-popolo", "datasette-metadata"]
)
def test_a_path_that_cannot_be_a_file_is_one_line(seeded: str, tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "folder.json").mkdir()
    # click refuses a folder before the command runs (its own one line, exit 2); a missing folder reaches the writer.
    assert "is a directory" in run(seeded, [*command, str(tmp_path / "folder.json")]).stderr.decode()
    one_line(run(seeded, [*command, str(tmp_path / "nowhere" / "out.json")]), "nowhere/out.json: No such file or directory")
    assert not (tmp_path / "nowhere").exists()


def test_a_device_is_written_in_place(seeded: str, tmp_path: Path) -> None:
    """/dev/stdout cannot be renamed onto: it is written directly, and works."""
    result = run(seeded, ["export", "popolo", "/dev/stdout"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"{")


def _under_a_file(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A regular file, and a path beneath it: no one can create that, not even root."""
    blocker = tmp_path / "a-file"
    blocker.write_text("a file, not a folder\n")
    return blocker, blocker / name


@pytest.mark.parametrize(
    ("command", "name"),
    [
        *(pytest.param(command, f"out.{ext}", id=kind) for kind, (command, ext) in FILE_COMMANDS.items()),
        *(pytest.param(command, "out", id=kind) for kind, command in FOLDER_COMMANDS.items()),
    ],
)
def test_a_path_under_a_file_is_one_line(seeded: str, tmp_path: Path, command: list[str], name: str) -> None:
    blocker, target = _under_a_file(tmp_path, name)
    one_line(run(seeded, [*command, str(target)]), f"{target}: Not a directory")
    assert blocker.read_text() == "a file, not a folder\n"
    assert leftovers(tmp_path) == []


PICTURES = [pytest.param(command, ext, id=kind) for kind, (command, ext) in PICTURE_COMMANDS.items()]


@pytest.mark.parametrize(("command", "ext"), PICTURES)
def test_a_picture_that_fills_the_disk_keeps_the_old_file(sqlite_seeded: str, tmp_path: Path, command: list[str], ext: str) -> None:
    target = tmp_path / f"picture.{ext}"
    target.write_bytes(b"the previous picture\n")
    one_line(run(sqlite_seeded, [*command, str(target)], limit=FILE_LIMIT), f"cannot write {target}: File too large")
    assert target.read_bytes() == b"the previous picture\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(("command", "ext"), PICTURES)
def test_a_picture_under_a_file_is_one_line(sqlite_seeded: str, tmp_path: Path, command: list[str], ext: str) -> None:
    blocker, target = _under_a_file(tmp_path, f"picture.{ext}")
    one_line(run(sqlite_seeded, [*command, str(target)]), f"cannot write {target}: Not a directory")
    assert blocker.read_text() == "a file, not a folder\n"
    assert leftovers(tmp_path) == []


def test_a_png_to_a_full_device_is_one_line(sqlite_seeded: str, tmp_path: Path) -> None:
    """A device is written in place (see above); its full disk is one line, and the link stays a link."""
    link = tmp_path / "full.png"
    link.symlink_to("/dev/full")
    one_line(run(sqlite_seeded, [*PICTURE_COMMANDS["chart-png"][0], str(link)]), f"cannot write {link}: No space left on device")
    assert link.is_symlink() and leftovers(tmp_path) == []
