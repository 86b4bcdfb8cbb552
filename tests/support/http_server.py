"""A web server under test: started as a subprocess on a free loopback port, polled until it answers, stopped.

Shared by the Datasette and ``guestlist serve`` tests.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

STARTUP_ATTEMPTS = 300  # polls of 0.1 s; Datasette usually answers within a second or two


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@contextmanager
def running(argv: list[str], base: str, log_path: Path, *, ready: str = "/-/versions.json") -> Iterator[None]:
    """Run ``argv`` until ``base + ready`` answers 200; stop it (terminate, then kill) afterwards."""
    with log_path.open("w") as log:
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(STARTUP_ATTEMPTS):
                if process.poll() is not None:
                    pytest.fail(f"{argv[0]} exited: {log_path.read_text()}")
                try:
                    if get(f"{base}{ready}")[0] == 200:
                        break
                except (urllib.error.URLError, ConnectionError):
                    time.sleep(0.1)
            else:
                pytest.fail(f"{' '.join(argv[:4])} did not answer")
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
