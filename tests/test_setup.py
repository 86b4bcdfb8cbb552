"""``guestlist setup``: a fresh database to seeded in one command, and a no-op the second time."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from guestlist.models.db.migrate import head_revision
from guestlist.seeds.cli import cli
from guestlist.seeds.loader import bundled

from .support.queries import scalar
from .support.snapshots import snapshot

pytestmark = pytest.mark.dialects


def test_setup_twice(db_url: str) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["--database-url", db_url, "setup"])
    assert first.exit_code == 0, first.output
    assert f"at head {head_revision()}" in first.output
    assert "0 added" not in first.output.splitlines()[-1]
    # The closing summary: rows per table and events with their participants.
    for table in ("states", "persons", "events", "attendance", "attendance_claims"):
        stored = scalar(db_url, f"SELECT count(*) FROM {table}")
        assert any(line.split() == [table, str(stored)] for line in first.output.splitlines()), table
    events = scalar(db_url, "SELECT count(*) FROM events")
    assert events == 0 or "participants" in first.output
    if any(not hasattr(item, "suffix") for item in bundled()):  # the generated states document is there
        assert scalar(db_url, "SELECT count(*) FROM states") >= 249
        assert scalar(db_url, "SELECT count(*) FROM states WHERE code = 'SUN'") == 1

    before = snapshot(db_url)
    second = runner.invoke(cli, ["--database-url", db_url, "setup"])
    assert second.exit_code == 0, second.output
    assert "0 added, 0 changed" in second.output
    assert snapshot(db_url) == before


def test_setup_creates_the_sqlite_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """On a machine with nothing yet, setup creates the SQLite database where the URL says."""
    url = f"sqlite:///{tmp_path / 'new.db'}"
    result = CliRunner().invoke(cli, ["--database-url", url, "setup"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new.db").exists()
