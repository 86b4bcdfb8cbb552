"""Headless Chromium for the screenshot tests (Datasette, the event page): where it is, and how it is started."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
)


def find_chromium() -> str | None:
    """The headless browser's path; None where it is not installed (on CI, a failure: .ci/run installs it)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and os.environ.get("CI"):
        pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
    return found


def chromium_or_skip() -> str:
    """The browser's path, or a skip naming what to install (on CI, a failure: see find_chromium)."""
    found = find_chromium()
    if found is None:
        pytest.skip("chromium not installed (apt-get install chromium); CI installs it")
    return found


# Every host unresolvable and a dead proxy: nothing leaves the machine, whoever asks.
NO_NETWORK = ("--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--no-pings")


def open_in_chromium(chromium: str, url: str, folder: Path, *action: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Open ``url`` in headless Chromium; the run and the URLs the page itself requested.

    Chromium's network log records every request. The browser's own
    background ones (component updates, network time, accounts) have no
    initiator ("not an origin"); a page's have its origin ("null" for a file).
    """
    profile, netlog = folder / "profile", folder / "net.json"
    profile.mkdir(exist_ok=True)
    done = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, *NO_NETWORK, f"--user-data-dir={profile}", f"--log-net-log={netlog}", *action, url],
        capture_output=True, text=True, timeout=180,
    )
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    requested = {
        e["params"].get("url", "?")
        for e in log["events"]
        if e["type"] == start_job and e.get("params", {}).get("initiator", "not an origin") != "not an origin"
    }
    return done, requested


def screenshot(page: Path, folder: Path, size: tuple[int, int]) -> Any:
    """Chromium's screenshot of ``page`` in a window of ``size``, opened as an image; the page requested nothing."""
    from PIL import Image

    chromium = chromium_or_skip()
    shot = folder / f"{page.stem}-{size[0]}.png"
    done, requested = open_in_chromium(chromium, page.as_uri(), folder, f"--window-size={size[0]},{size[1]}", f"--screenshot={shot}")
    assert shot.exists(), done.stderr[-2000:]
    assert requested == set()
    return Image.open(shot)
