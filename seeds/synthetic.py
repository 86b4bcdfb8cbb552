"""Synthetic seed documents of any size, for load tests and benchmarks.

    python -m guestlist.seeds.synthetic --persons N --events M --participations K --out DIR [--seed S]

The output is ordinary seed documents (YAML) whose big tables are CSV bulk
files, so ``guestlist seed DIR`` loads it through the same door as real data.
Everything is drawn from one ``random.Random(seed)`` in a fixed order and
written row by row: the same arguments give byte-identical files, and memory
stays flat however large K is. States are the ISO 3166-1 codes the reference
seeds carry (pycountry), so no state is invented.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pycountry
import yaml

# Columns of each bulk file: the YAML field names of its section, flat.
PERSON_COLUMNS = ("slug", "name", "sort_name", "birth_date")
POSITION_COLUMNS = ("person", "office", "title", "capacity", "state", "tenure", "evidence", "start_on", "end_on")
EVENT_COLUMNS = (
    "slug",
    "name",
    "kind",
    "starts_on",
    "ends_on",
    "date_precision",
    "city",
    "venue",
    "host",
    "parent",
    "duration_minutes",
    "troops",
    "troops_description",
    "prospective",
    "description",
    "quote",
)
ATTENDANCE_COLUMNS = (
    "event",
    "person",
    "state",
    "organization",
    "role",
    "capacity",
    "description",
    "status",
    "reported_on",
    "quote",
    "source",
)
COUNT_COLUMNS = ("event", "status", "capacity", "count", "quantifier", "description", "reported_on", "quote")

SYLLABLES = ("ka", "lo", "mi", "ra", "shen", "tor", "vi", "an", "bel", "dor", "es", "ga", "hu", "ion", "ju", "ko")
CITIES = ("Alden", "Brava", "Corin", "Dunmere", "Estel", "Farrow", "Galen", "Hollis", "Istra", "Jorvik")
EVENT_KINDS = ("military_parade", "summit", "state_visit", "bilateral_meeting", "commemoration")
CAPACITIES = ("head_of_state", "head_of_government", "minister", "envoy", "senior_official", "military")
# Status histories a participation may go through, oldest claim first.
HISTORIES = (
    ("expected",),
    ("expected", "confirmed"),
    ("expected", "confirmed", "attended"),
    ("confirmed", "attended"),
    ("expected", "declined"),
    ("attended",),
    ("expected", "not_attending"),
)
# Days before (negative) or after the event each claim of a history is made.
CLAIM_OFFSETS = (-20, -5, 1)
WIRE_SOURCES = ("synthetic-wire-a", "synthetic-wire-b")
SERIES_SIZE = 20  # events per series; one series event heads each group
BLOC_COUNT = 3
FIRST_DAY = dt.date(1950, 1, 1)
SPAN_DAYS = 75 * 365


def state_codes() -> list[str]:
    """ISO 3166-1 alpha-3 codes as the reference seeds hold them, in a stable order."""
    return sorted(country.alpha_3 for country in pycountry.countries)


@dataclass(frozen=True)
class Sizes:
    persons: int
    events: int
    participations: int
    seed: int = 1

    @property
    def series(self) -> int:
        return max(1, self.events // SERIES_SIZE) if self.events > 1 else 0

    @property
    def occasions(self) -> int:
        """Events that people attend (every event but the series heads)."""
        return self.events - self.series


def person_slug(i: int) -> str:
    return f"person-{i:07d}"


def event_slug(i: int) -> str:
    return f"event-{i:07d}"


def person_state(i: int, states: list[str]) -> str:
    return states[i % len(states)]


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _day(rng: random.Random) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randrange(SPAN_DAYS))


def _write_csv(path: Path, columns: tuple[str, ...], rows: Iterator[tuple[Any, ...]]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
            count += 1
    return count


def _persons(rng: random.Random, sizes: Sizes) -> Iterator[tuple[Any, ...]]:
    for i in range(sizes.persons):
        given, family = _word(rng, 2), _word(rng, 3)
        birth = _day(rng) - dt.timedelta(days=365 * 40) if rng.random() < 0.7 else None
        yield (person_slug(i), f"{given} {family}", f"{family}, {given}", birth)


def office_slug(capacity: str, state: str) -> str:
    return f"{capacity.replace('_', '-')}-of-{state.lower()}"


def _positions(
    rng: random.Random, sizes: Sizes, states: list[str], offices: dict[str, dict[str, Any]]
) -> Iterator[tuple[Any, ...]]:
    """One holding per person; ``offices`` collects each office held, its seats the holdings it is given.

    Random dates give one office overlapping holders, so an office's seats
    are the number of its holdings: the loader's one-holder-at-a-time check
    runs on every load and passes. Tenure and evidence follow the person's
    number, not the random stream, so the other files stay as they were.
    """
    for i in range(sizes.persons):
        state = person_state(i, states)
        capacity = rng.choice(CAPACITIES)
        start = _day(rng)
        end = start + dt.timedelta(days=rng.randrange(200, 3000)) if rng.random() < 0.8 else None
        title = f"{capacity.replace('_', ' ').title()} of {state}"
        slug = office_slug(capacity, state)
        office = offices.setdefault(slug, {"slug": slug, "title": title, "state": state, "seats": 0})
        office["seats"] += 1
        tenure = "acting" if i % 10 == 3 else "ordinary"
        evidence = "attested" if i % 25 == 7 else "tenure"
        if evidence == "attested":
            end = start  # an attestation is its one day
        yield (person_slug(i), slug, title, capacity, state, tenure, evidence, start, end)


def _event_dates(sizes: Sizes) -> Iterator[tuple[int, int | None]]:
    """(event index, series index or None) for every event; series heads come first."""
    for s in range(sizes.series):
        yield s, None
    for i in range(sizes.series, sizes.events):
        yield i, (i % sizes.series) if sizes.series else None


def _events(rng: random.Random, sizes: Sizes, states: list[str], days: dict[int, dt.date]) -> Iterator[tuple[Any, ...]]:
    for i, series in _event_dates(sizes):
        host = rng.choice(states)
        if series is None and sizes.series:
            name = f"{_word(rng, 2)} series"
            yield (
                event_slug(i),
                name,
                "series",
                None,
                None,
                "year",
                None,
                None,
                host,
                None,
                None,
                None,
                None,
                "false",
                "A recurring series of events.",
                None,
            )
            continue
        day = days[i]
        kind = rng.choice(EVENT_KINDS)
        troops = rng.randrange(1000, 50000) if kind == "military_parade" else None
        yield (
            event_slug(i),
            f"{_word(rng, 2)} {kind.replace('_', ' ')} {day.year}",
            kind,
            day,
            day + dt.timedelta(days=1) if kind == "summit" else None,
            "day",
            rng.choice(CITIES),
            f"{_word(rng, 2)} Square",
            host,
            event_slug(series) if series is not None else None,
            rng.randrange(30, 240),
            troops,
            None,
            "false",
            None,
            f"the {kind.replace('_', ' ')} opened",
        )


def _participants_per_event(sizes: Sizes) -> Iterator[tuple[int, int]]:
    occasions = sizes.occasions
    if occasions <= 0:
        return
    base, extra = divmod(sizes.participations, occasions)
    for n, i in enumerate(range(sizes.series, sizes.events)):
        yield i, base + (1 if n < extra else 0)


def _attendance(
    rng: random.Random, sizes: Sizes, states: list[str], days: dict[int, dt.date]
) -> Iterator[tuple[Any, ...]]:
    """One row per claim; the rows of one participation are adjacent, oldest claim first."""
    for i, count in _participants_per_event(sizes):
        day = days[i]
        event = event_slug(i)
        unnamed = min(count // 20, len(states))
        named = count - unnamed
        if named > sizes.persons:
            raise click.UsageError(
                f"{count} participations at one event need more than {sizes.persons} persons: raise --persons or --events"
            )
        participants: list[tuple[str | None, str]] = [
            (person_slug(p), person_state(p, states)) for p in rng.sample(range(sizes.persons), named)
        ]
        participants += [(None, code) for code in rng.sample(states, unnamed)]
        for n, (person, state) in enumerate(participants):
            role = "host" if n == 0 else rng.choice(("guest", "guest", "participant"))
            capacity = rng.choice(CAPACITIES)
            description = "a senior official" if person is None else None
            history = rng.choice(HISTORIES)
            offsets = CLAIM_OFFSETS[-len(history) :] if history[-1] == "attended" else CLAIM_OFFSETS[: len(history)]
            for status, offset in zip(history, offsets):
                yield (
                    event,
                    person,
                    state,
                    None,
                    role,
                    capacity,
                    description,
                    status,
                    day + dt.timedelta(days=offset),
                    f"reported {status}",
                    rng.choice(WIRE_SOURCES),
                )


def _counts(rng: random.Random, sizes: Sizes, days: dict[int, dt.date]) -> Iterator[tuple[Any, ...]]:
    for i, _ in _participants_per_event(sizes):
        yield (
            event_slug(i),
            "expected",
            "head_of_state",
            rng.randrange(2, 40),
            None,
            "other heads of state",
            days[i] - dt.timedelta(days=7),
            "other heads of state are expected",
        )


def _source(slug: str, title: str, kind: str) -> dict[str, Any]:
    return {
        "slug": slug,
        "title": title,
        "kind": kind,
        "author": None,
        "publisher": "guestlist synthetic data",
        "published_on": dt.date(2026, 1, 1),
        "url": None,
        "retrieved_on": dt.date(2026, 1, 1),
    }


def _blocs(rng: random.Random, states: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    organizations, memberships = [], []
    for b in range(BLOC_COUNT):
        slug = f"synthetic-bloc-{b + 1}"
        organizations.append(
            {
                "slug": slug,
                "name": f"{_word(rng, 3)} Union",
                "abbreviation": f"SB{b + 1}",
                "kind": "intergovernmental",
                "founded_on": dt.date(1950 + 10 * b, 1, 1),
            }
        )
        for code in sorted(rng.sample(states, min(30, len(states)))):
            joined = dt.date(1950 + 10 * b, 1, 1) + dt.timedelta(days=rng.randrange(3650))
            left = joined + dt.timedelta(days=rng.randrange(3650, 20000)) if rng.random() < 0.1 else None
            memberships.append({"state": code, "organization": slug, "joined_on": joined, "left_on": left})
    return organizations, memberships


def _write_yaml(path: Path, document: dict[str, Any]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        yaml.safe_dump(document, handle, sort_keys=False, allow_unicode=True)


def generate(sizes: Sizes, out: Path) -> dict[str, int]:
    """Write the documents into ``out``; returns rows written per bulk file."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(sizes.seed)
    states = state_codes()
    days = {i: _day(rng) for i, _ in _participants_per_event(sizes)}
    rows: dict[str, int] = {}

    organizations, memberships = _blocs(rng, states)
    rows["persons.csv"] = _write_csv(out / "persons.csv", PERSON_COLUMNS, _persons(rng, sizes))
    offices: dict[str, dict[str, Any]] = {}
    rows["positions.csv"] = _write_csv(out / "positions.csv", POSITION_COLUMNS, _positions(rng, sizes, states, offices))
    _write_yaml(
        out / "01-people.yaml",
        {
            "format": "guestlist/1",
            "source": _source("synthetic-registry", "Synthetic registry of persons and blocs", "reference_dataset"),
            "organizations": organizations,
            "memberships": memberships,
            "offices": [offices[slug] for slug in sorted(offices)],
            "bulk": [{"table": "persons", "file": "persons.csv"}, {"table": "positions", "file": "positions.csv"}],
        },
    )

    rows["events.csv"] = _write_csv(out / "events.csv", EVENT_COLUMNS, _events(rng, sizes, states, days))
    _write_yaml(
        out / "02-events.yaml",
        {
            "format": "guestlist/1",
            "source": _source("synthetic-calendar", "Synthetic calendar of state events", "reference_dataset"),
            "bulk": [{"table": "events", "file": "events.csv"}],
        },
    )

    rows["attendance.csv"] = _write_csv(
        out / "attendance.csv", ATTENDANCE_COLUMNS, _attendance(rng, sizes, states, days)
    )
    rows["counts.csv"] = _write_csv(out / "counts.csv", COUNT_COLUMNS, _counts(rng, sizes, days))
    _write_yaml(
        out / "03-attendance.yaml",
        {
            "format": "guestlist/1",
            "source": _source("synthetic-wire", "Synthetic wire reports on attendance", "news_article"),
            "sources": [_source(slug, f"Synthetic wire {slug[-1].upper()}", "news_article") for slug in WIRE_SOURCES],
            "bulk": [{"table": "attendance", "file": "attendance.csv"}, {"table": "counts", "file": "counts.csv"}],
        },
    )
    return rows


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--persons", type=click.IntRange(1), required=True, help="Number of persons (each with one position).")
@click.option("--events", type=click.IntRange(2), required=True, help="Number of events, series heads included.")
@click.option(
    "--participations", type=click.IntRange(0), required=True, help="Number of participations (attendance records)."
)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder to write into.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed; the same seed gives the same files.")
def main(persons: int, events: int, participations: int, out: Path, seed: int) -> None:
    """Write synthetic seed documents (YAML + CSV bulk files) into OUT."""
    rows = generate(Sizes(persons, events, participations, seed), out)
    click.echo(", ".join(f"{name}: {count} rows" for name, count in rows.items()), err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
