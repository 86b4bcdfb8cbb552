"""The command line under test: in process (click's CliRunner) and as a separate ``guestlist`` process.

- :func:`invoke`: ``guestlist --database-url URL ...`` through CliRunner.
- :func:`generate`: synthetic seed documents (``python -m guestlist.seeds.synthetic``).
- :func:`run_cli`, :func:`spawn_cli`, :func:`running_cli`, :func:`reap`: the
  CLI as a process, with an environment of its own (:func:`cli_env`).
- :func:`wait_until`, :func:`assert_clean_failure`: polling a process, and
  the "one line, no traceback" rule for a refusal.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner, Result

from guestlist.seeds.cli import cli
from guestlist.seeds.synthetic import main as synthetic_main


def invoke(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database-url", url, *args])


def generate(out: Path, sizes: list[str]) -> Path:
    """Synthetic seed documents (``python -m guestlist.seeds.synthetic``) written into ``out``."""
    result = CliRunner().invoke(synthetic_main, [*sizes, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


# --- the CLI as a separate process -----------------------------------------

CLI = [sys.executable, "-m", "guestlist"]


def cli_env(url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a CLI process: only this URL, and GUESTLIST_DEBUG=1.

    With GUESTLIST_DEBUG an internal error shows its traceback instead of the
    guard's one line, so the tests that look for tracebacks still catch bugs;
    pass ``GUESTLIST_DEBUG=""`` to see what a user sees.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUESTLIST_")}
    if url:
        env["GUESTLIST_DATABASE_URL"] = url
    env.setdefault("PYTHONUNBUFFERED", "1")
    env["GUESTLIST_DEBUG"] = "1"
    env.update(extra)
    return env


def run_cli(url: str | None, *args: str, timeout: float = 300, **extra_env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], env=cli_env(url, **extra_env), capture_output=True, text=True, timeout=timeout, check=False
    )


def spawn_cli(url: str | None, *args: str, log: Path, **extra_env: str) -> subprocess.Popen[bytes]:
    """Start the CLI with stdout and stderr going to ``log`` (polled by the test)."""
    handle = open(log, "wb")
    proc = subprocess.Popen([*CLI, *args], env=cli_env(url, **extra_env), stdout=handle, stderr=subprocess.STDOUT)
    proc._log_handle = handle  # type: ignore[attr-defined]
    return proc


@contextmanager
def running_cli(url: str | None, *args: str, log: Path, **extra_env: str) -> Iterator[subprocess.Popen[bytes]]:
    """``spawn_cli`` for a block: a process still running at its end (a failed test) is killed and reaped."""
    proc = spawn_cli(url, *args, log=log, **extra_env)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        reap(proc)


def reap(proc: subprocess.Popen[bytes], timeout: float = 300) -> int:
    try:
        return proc.wait(timeout=timeout)
    finally:
        proc._log_handle.close()  # type: ignore[attr-defined]


def wait_until(condition: Callable[[], bool], *, timeout: float = 120, what: str = "condition") -> None:
    """Poll until ``condition()`` holds; a deadline, not a measurement."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)


def assert_clean_failure(output: str) -> None:
    """One line, starting 'Error:', no traceback."""
    assert "Traceback" not in output, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), output
