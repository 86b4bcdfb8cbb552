"""The database itself, not Python, refuses bad rows, on every dialect."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from guestlist.models import Attendance, AttendanceClaim, Event, Person, Source, State

REJECTED = (IntegrityError, OperationalError)  # MariaDB reports some CHECK failures as OperationalError


def _insert(engine: Engine, model: type, **values: object) -> int:
    with engine.begin() as conn:
        return conn.execute(sa.insert(model).values(**values)).inserted_primary_key[0]


@pytest.fixture
def base_rows(engine: Engine) -> dict[str, int]:
    ids = {
        "source": _insert(engine, Source, slug="src", title="A source", kind="news_article"),
        "state": _insert(engine, State, code="PRK", alpha2="KP", numeric="408", name="North Korea"),
        "person": _insert(engine, Person, slug="kim-jong-un", name="Kim Jong Un"),
    }
    ids["event"] = _insert(
        engine, Event, slug="parade", name="Parade", kind="military_parade", date_precision="day",
        starts_on=dt.date(2025, 9, 3), is_prospective=False,
    )
    return ids


def _count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def test_foreign_keys_are_enforced(engine: Engine, base_rows: dict[str, int]) -> None:
    with pytest.raises(REJECTED):
        _insert(engine, Attendance, event_id=base_rows["event"], person_id=999_999, role="guest", capacity="head_of_state")
    assert _count(engine, Attendance) == 0


@pytest.mark.parametrize(
    "model, values",
    [
        (Attendance, {"role": "gate_crasher", "capacity": "head_of_state"}),
        (Attendance, {"role": "guest", "capacity": "king"}),
        (AttendanceClaim, {"status": "maybe"}),
        (Event, {"kind": "picnic"}),
        (Source, {"kind": "rumour"}),
    ],
    ids=["role", "capacity", "status", "event-kind", "source-kind"],
)
def test_vocabularies_are_enforced(engine: Engine, base_rows: dict[str, int], model: type, values: dict) -> None:
    if model is Attendance:
        row = {"event_id": base_rows["event"], "person_id": base_rows["person"], **values}
    elif model is AttendanceClaim:
        att = _insert(engine, Attendance, event_id=base_rows["event"], person_id=base_rows["person"],
                      role="guest", capacity="head_of_state")
        row = {"attendance_id": att, "reported_on": dt.date(2025, 8, 28), "source_id": base_rows["source"],
               "source_quote": "q", **values}
    elif model is Event:
        row = {"slug": "e2", "name": "E", "date_precision": "day", "is_prospective": False, **values}
    else:
        row = {"slug": "s2", "title": "S", **values}
    before = _count(engine, model)
    with pytest.raises(REJECTED):
        _insert(engine, model, **row)
    assert _count(engine, model) == before


def test_end_before_start_is_rejected(engine: Engine, base_rows: dict[str, int]) -> None:
    with pytest.raises(REJECTED):
        _insert(engine, Event, slug="backwards", name="B", kind="summit", date_precision="day", is_prospective=False,
                starts_on=dt.date(2025, 9, 3), ends_on=dt.date(2025, 9, 2))
    assert _count(engine, Event) == 1


@pytest.mark.parametrize("model, values", [
    (State, {"code": "PRK", "name": "Again"}),
    (Person, {"slug": "kim-jong-un", "name": "Again"}),
    (Source, {"slug": "src", "title": "Again", "kind": "other"}),
], ids=["state-code", "person-slug", "source-slug"])
def test_duplicate_natural_key_is_rejected(engine: Engine, base_rows: dict[str, int], model: type, values: dict) -> None:
    with pytest.raises(IntegrityError):
        _insert(engine, model, **values)
    assert _count(engine, model) == 1


def test_participation_needs_person_or_state(engine: Engine, base_rows: dict[str, int]) -> None:
    with pytest.raises(REJECTED):
        _insert(engine, Attendance, event_id=base_rows["event"], role="guest", capacity="other")
    assert _count(engine, Attendance) == 0


def test_one_participation_per_event_and_participant(engine: Engine, base_rows: dict[str, int]) -> None:
    """An unnamed official for a state counts once per event, like a named person."""
    unnamed = {"event_id": base_rows["event"], "state_id": base_rows["state"], "role": "guest",
               "capacity": "senior_official"}
    _insert(engine, Attendance, **unnamed)
    with pytest.raises(IntegrityError):
        _insert(engine, Attendance, **unnamed)
    named = {"event_id": base_rows["event"], "person_id": base_rows["person"], "state_id": base_rows["state"],
             "role": "guest", "capacity": "head_of_state"}
    _insert(engine, Attendance, **named)
    with pytest.raises(IntegrityError):
        _insert(engine, Attendance, **named)
    assert _count(engine, Attendance) == 2


def test_sqlite_connections_enforce_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from guestlist.models.db import create_engine

    eng = create_engine(f"sqlite:///{tmp_path / 'fk.db'}")
    with eng.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    eng.dispose()
