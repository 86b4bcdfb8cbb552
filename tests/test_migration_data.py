"""Migrations keep data: every revision, walked down and up on a full database, on every database.

The harness reads the revisions from the migration scripts, so a new
migration is covered the day it is added, with no change here:

- every revision says whether its downgrade keeps every row (``keeps_data``,
  which ``guestlist.models.db.migration_guard`` reads), and its docstring has a
  ``Data:`` paragraph that says the same in words;
- on a database holding the bundled seeds and ~50,000 generated
  participations, each revision that ``keeps every row`` is stepped down and
  back up, and every table (ids included) must then equal what it was; the
  tables both schemas share must not change even in between;
- from the lowest such revision, upgrading step by step back to head gives the
  head database exactly as it was;
- a revision that cannot keep data is refused while rows exist (the database
  stays as it was) and runs only with ``--allow-data-loss``;
- at base, upgrading step by step to head on the empty database gives a schema
  that ``db check`` accepts and that reloads the same facts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from guestlist.models.db.migrate import alembic_config, downgrade, head_revision
from guestlist.models.db.migration_guard import KEEPS_DATA, keeps_data
from guestlist.models.errors import MigrationError
from guestlist.seeds.cli import cli

from .support.cli import generate
from .support.databases import DIALECT_PARAMS, new_database
from .support.revisions import KEEPS, data_note, forget_source_languages, rank_every_claim_normal
from .support.snapshots import Rows, canonical, data_snapshot, diff, row_count, snapshot

pytestmark = pytest.mark.slow

SYNTHETIC = ["--persons", "5000", "--events", "800", "--participations", "50000", "--seed", "17"]


def revisions() -> list[Any]:
    """The revision scripts, base first."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return list(reversed(list(scripts.walk_revisions())))


def cli_ok(url: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--database-url", url, *args])
    assert result.exit_code == 0, result.output[-3000:]
    return result.output


def current(url: str) -> str:
    return cli_ok(url, "db", "current").split()[0]


def shared(before: Rows, after: Rows) -> tuple[Rows, Rows]:
    """The tables both snapshots have, without Alembic's version row, in the columns both have.

    A revision may add columns to a table (ALTER TABLE ADD COLUMN puts them
    last on every database; b7d9f1a3c5e7 adds the claim ranks), so where the
    rows differ in width the comparison is over the leading columns both
    schemas share: those must keep every value in either direction.
    """
    names = (set(before) & set(after)) - {"alembic_version"}
    out_before, out_after = {}, {}
    for n in names:
        widths = {len(r) for r in before[n][:1] + after[n][:1]}
        width = min(widths) if widths else 0
        out_before[n] = [r[:width] for r in before[n]]
        out_after[n] = [r[:width] for r in after[n]]
    return out_before, out_after


def test_every_revision_says_what_its_downgrade_does_to_data() -> None:
    for script in revisions():
        note = data_note(script)
        assert note, f"{script.path}: the docstring needs a 'Data:' paragraph saying whether downgrade keeps data"
        if not keeps_data(script):
            assert "drop" in note or "lose" in note or "cannot" in note, f"{script.path}: {note}"
    assert any(keeps_data(s) for s in revisions())


def test_every_revision_sets_keeps_data() -> None:
    """The guard reads the attribute alone, so every revision sets it outright, True or False."""
    for script in revisions():
        said = getattr(script.module, KEEPS_DATA, None)
        assert isinstance(said, bool), f"{script.path}: set keeps_data = True or False beside down_revision"


def test_a_revision_that_does_not_say_is_refused_as_losing_data() -> None:
    assert not keeps_data(SimpleNamespace(module=ModuleType("unsaid")))
    assert not keeps_data(SimpleNamespace(module=SimpleNamespace(keeps_data="yes")))
    assert keeps_data(SimpleNamespace(module=SimpleNamespace(keeps_data=True)))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("migration-data"), SYNTHETIC)


@pytest.fixture(params=DIALECT_PARAMS)
def full(request: pytest.FixtureRequest, tmp_path: Path, generated: Path) -> Iterator[str]:
    """A database at head with the bundled seeds and the generated participations."""
    with new_database(request.param, tmp_path, "seeded") as url:
        cli_ok(url, "seed", str(generated))
        # the walk steps below f2b4d6e8a0c1 and b7d9f1a3c5e7, which refuse while languages are recorded or claims ranked
        forget_source_languages(url)
        rank_every_claim_normal(url)
        yield url


def test_down_and_up_through_every_revision_keeps_every_row(full: str, generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scripts = revisions()
    assert current(full) == head_revision() == scripts[-1].revision
    facts = canonical(full)
    compared = 0

    # The newest revisions that cannot keep data (b3d5f7a9c1e2 drops the offices): refused while
    # rows exist, nothing changed; then stepped down with consent, so the walk below has the data.
    top = len(scripts) - 1
    while top > 0 and not keeps_data(scripts[top]):
        before = data_snapshot(full)
        refused = CliRunner().invoke(cli, ["--database-url", full, "db", "downgrade", "-1"])
        assert refused.exit_code == 1 and "--allow-data-loss" in refused.output, refused.output
        assert data_snapshot(full) == before
        cli_ok(full, "db", "downgrade", "-1", "--allow-data-loss")
        top -= 1
    original = data_snapshot(full)
    assert len(original["attendance"]) >= 50_000

    # Down: each revision that keeps data, stepped down, up (equal), and down again.
    lowest = top
    state = original
    while lowest > 0 and keeps_data(scripts[lowest]):
        script = scripts[lowest]
        cli_ok(full, "db", "downgrade", "-1")
        assert current(full) == scripts[lowest - 1].revision
        below = data_snapshot(full)
        kept, now = shared(state, below)
        assert kept == now, f"downgrading {script.revision} changed rows:\n{diff(kept, now)}"
        cli_ok(full, "db", "upgrade", "+1")
        again = data_snapshot(full)
        assert again == state, f"down and up through {script.revision} changed rows:\n{diff(state, again)}"
        compared += row_count(kept) + row_count(again)
        cli_ok(full, "db", "downgrade", "-1")
        state, lowest = below, lowest - 1

    # Up again, step by step, with all the data: as it was below the revisions that cannot keep it.
    for script in scripts[lowest + 1 : top + 1]:
        cli_ok(full, "db", "upgrade", "+1")
        assert current(full) == script.revision
        above = data_snapshot(full)
        kept, now = shared(state, above)
        assert kept == now, f"upgrading to {script.revision} changed rows:\n{diff(kept, now)}"
        compared += row_count(kept)
        state = above
    assert state == original
    compared += row_count(original)

    # A revision that cannot keep data: refused while rows exist, nothing changed.
    for script in reversed(scripts[: lowest + 1]):
        if keeps_data(script):
            continue
        target = script.down_revision or "base"
        refused = CliRunner().invoke(cli, ["--database-url", full, "db", "downgrade", target])
        assert refused.exit_code == 1, refused.output
        assert "--allow-data-loss" in refused.output and "export seeds" in refused.output
        assert len(refused.output.strip().splitlines()) == 1
        with pytest.raises(MigrationError, match="allow-data-loss"):
            downgrade(full, target)  # the Python API refuses too
        assert data_snapshot(full) == original
        compared += row_count(original)
        break

    # With consent, all the way down; then step by step up on the empty database.
    cli_ok(full, "db", "downgrade", "base", "--allow-data-loss")
    assert current(full) == "base"
    assert set(snapshot(full)) <= {"alembic_version"}
    for script in scripts:
        cli_ok(full, "db", "upgrade", "+1")
        assert current(full) == script.revision
    cli_ok(full, "db", "check")

    # The rebuilt schema holds the same facts when loaded again.
    cli_ok(full, "setup")
    cli_ok(full, "seed", str(generated))
    forget_source_languages(full)
    rank_every_claim_normal(full)
    reloaded = canonical(full)
    assert reloaded == facts
    compared += sum(sum(c.values()) for c in reloaded.values())
    with capsys.disabled():
        print(f"\n{make_url(full).get_backend_name()}: {len(scripts)} revisions walked down and up, {compared:,} rows compared")


def test_the_guard_names_the_rule_it_applies() -> None:
    lossy = [s for s in revisions() if not keeps_data(s)]
    assert lossy, "the initial schema cannot keep data; its docstring must say so"
    for script in revisions():
        assert (KEEPS in (data_note(script) or "")) == keeps_data(script)
