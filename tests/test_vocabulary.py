"""Each vocabulary is declared once, in guestlist.models.vocab, and everything else agrees with it.

- the view SQL of the head revision (migrations keep literal copies) lists
  the same present, absent and head-of-state words as vocab;
- every named CHECK constraint each database holds allows exactly vocab's
  words, read from the database's own catalog;
- ``guestlist db check`` fails, in one line naming the constraint and the
  words, when vocab has changed and no migration followed (Alembic does not
  compare CHECK text, so without guestlist.models.db.checks it would say "agree").
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

import guestlist.models
from guestlist.models import vocab
from guestlist.models.db import checks, create_engine
from guestlist.models.db.migrate import upgrade

pytestmark = pytest.mark.dialects

# Named CHECK constraint -> the vocabulary it guards.
GUARDED = {
    "ck_attendance_claims_status": vocab.STATUS,
    "ck_attendance_counts_status": vocab.STATUS,
    "ck_attendance_capacity": vocab.CAPACITY,
    "ck_attendance_counts_capacity": vocab.CAPACITY,
    "ck_positions_capacity": vocab.CAPACITY,
    "ck_positions_tenure": vocab.TENURE,
    "ck_positions_evidence": vocab.EVIDENCE,
    "ck_positions_attested_on_one_day": vocab.EVIDENCE[1:],
    "ck_attendance_role": vocab.ROLE,
    "ck_events_kind": vocab.EVENT_KIND,
    "ck_events_date_precision": vocab.DATE_PRECISION,
    "ck_event_links_relation": vocab.EVENT_RELATION,
    "ck_organizations_kind": vocab.ORGANIZATION_KIND,
    "ck_sources_kind": vocab.SOURCE_KIND,
    "ck_person_names_kind": vocab.NAME_KIND,
    "ck_bulk_loads_bulk_table": vocab.BULK_TABLE,
    "ck_attendance_claims_rank": vocab.RANK,
    "ck_attendance_counts_rank": vocab.RANK,
    "ck_attendance_claims_rank_reason_given": vocab.RANKS_NEEDING_REASON,
    "ck_attendance_counts_rank_reason_given": vocab.RANKS_NEEDING_REASON,
}


def test_every_status_is_present_or_absent_and_heads_are_capacities() -> None:
    assert vocab.STATUS == (*vocab.PRESENT_STATUSES, *vocab.ABSENT_STATUSES)
    assert not set(vocab.PRESENT_STATUSES) & set(vocab.ABSENT_STATUSES)
    assert set(vocab.ANNOUNCED_STATUSES) < set(vocab.PRESENT_STATUSES)
    assert set(vocab.HEAD_CAPACITIES) < set(vocab.CAPACITY)
    assert set(vocab.RANKS_NEEDING_REASON) < set(vocab.RANK)
    assert set(vocab.UNLIMITED_TENURES) < set(vocab.TENURE)
    assert "attested" in vocab.EVIDENCE


def test_the_models_guard_every_vocabulary_listed_here() -> None:
    """A new vocabulary constraint is listed in GUARDED, so the live comparison below covers it."""
    assert checks.declared() == {name: frozenset(words) for name, words in GUARDED.items()}


def test_head_view_sql_lists_the_vocab_words(tmp_path: Path) -> None:
    """The views as the head revision creates them (SQLite keeps their SQL verbatim) use vocab's lists."""
    url = f"sqlite:///{tmp_path / 'views.db'}"
    upgrade(url)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            views = dict(conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'view'")).all())
    finally:
        engine.dispose()
    found: dict[str, set[frozenset[str]]] = {"status": set(), "capacity": set()}
    for sql in views.values():
        for column, words in re.findall(r"(\w+)\s+IN\s*\(([^()]*)\)", sql, flags=re.IGNORECASE):
            found.setdefault(column, set()).add(checks.words(words))
    assert set(found) == {"status", "capacity"}, found
    assert found["status"] == {
        frozenset(vocab.PRESENT_STATUSES), frozenset(vocab.ABSENT_STATUSES), frozenset(vocab.ANNOUNCED_STATUSES)
    }
    assert found["capacity"] == {frozenset(vocab.HEAD_CAPACITIES)}
    ranks = {w for sql in views.values() for w in re.findall(r"rank\s*(?:<>|=)\s*'(\w+)'", sql)}
    assert ranks and ranks <= set(vocab.RANK)


def test_live_check_constraints_allow_exactly_the_vocab_words(engine: Engine) -> None:
    with engine.connect() as conn:
        live = checks.live(conn)
        assert checks.drift(conn) == []
    for name, words in GUARDED.items():
        assert live.get(name) == frozenset(words), name


# A vocabulary as a developer might leave it: one word added, one taken away, and no migration.
DRIFTED_RUN = """
import importlib.util, sys
path, *args = sys.argv[1:]
spec = importlib.util.spec_from_file_location("guestlist.models.vocab", path)
vocab = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vocab)
sys.modules["guestlist.models.vocab"] = vocab  # before any model is built from it
vocab.ABSENT_STATUSES = (*vocab.ABSENT_STATUSES, "rumoured_absent")
vocab.STATUS = (*vocab.PRESENT_STATUSES, *vocab.ABSENT_STATUSES)
vocab.EVENT_KIND = tuple(k for k in vocab.EVENT_KIND if k != "press_briefing")
from guestlist.seeds.cli import main
main(args)
"""


def db_check_with(program: str, url: str) -> subprocess.CompletedProcess[str]:
    """``guestlist db check`` in a fresh interpreter that runs ``program`` (with vocab.py's path) first."""
    vocab_file = str(Path(guestlist.models.__file__).parent / "vocab.py")
    return subprocess.run(
        [sys.executable, "-c", program, vocab_file, "--database-url", url, "db", "check"],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_db_check_names_a_drifted_vocabulary(migrated_url: str) -> None:
    result = db_check_with(DRIFTED_RUN, migrated_url)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    line = lines[0]
    assert "ck_attendance_claims_status: vocab has 'rumoured_absent' which the database refuses" in line
    assert "ck_attendance_counts_status: vocab has 'rumoured_absent'" in line
    assert "ck_events_kind: the database allows 'press_briefing' which vocab lacks" in line
    assert "models and migrations agree" not in result.stdout


def test_db_check_agrees_with_the_vocabulary_as_declared(migrated_url: str) -> None:
    """The same run without the drift: the comparison itself finds nothing."""
    plain = DRIFTED_RUN.split("vocab.ABSENT_STATUSES =")[0] + "from guestlist.seeds.cli import main\nmain(args)\n"
    result = db_check_with(plain, migrated_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "models and migrations agree" in result.stdout
