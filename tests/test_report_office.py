"""Who held an office on a day: ``guestlist.models.reports.office_holders`` and ``guestlist report office``,
on the bundled record, on every database.

A holding counts from its start_on up to, not on, its end_on (the day it
passed to the successor); an attestation on its one day only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from guestlist.models import reports
from guestlist.models.errors import GuestlistError
from guestlist.seeds.loader import load

from .support.cli import invoke

pytestmark = pytest.mark.dialects

PRESIDENT_KOR = "president-of-south-korea"
PM_JPN = "prime-minister-of-japan"
CHAIR_BIH = "chairman-of-the-presidency-of-bosnia-and-herzegovina"
SOURCE = {"slug": "test-office-report-source", "title": "A test document of offices", "kind": "other"}


def holders(url: str, state: str, office: str, on: str, **options: str) -> list[str]:
    """The persons ``report office`` gives for ``office`` of ``state`` on ``on``, in the library."""
    return [r.person_slug for r in reports.office_holders(state, on=on, office=office, db=url, **options)]


def report(url: str, *args: str):  # type: ignore[no-untyped-def]
    return invoke(url, "report", "office", *args)


def as_json(url: str, *args: str) -> list[dict[str, object]]:
    result = report(url, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("state", "office", "day", "person"),
    [
        ("KOR", PRESIDENT_KOR, "2015-09-03", "park-geun-hye"),
        ("KOR", PRESIDENT_KOR, "2025-09-03", "lee-jae-myung"),
        ("JPN", PM_JPN, "2025-10-22", "sanae-takaichi"),
        ("JPN", PM_JPN, "2025-10-21", "sanae-takaichi"),  # the handover day is the successor's
        ("JPN", PM_JPN, "2025-10-20", "shigeru-ishiba"),
    ],
)
def test_the_one_holder_of_an_office_on_the_day(
    seeded_url: str, state: str, office: str, day: str, person: str
) -> None:
    assert holders(seeded_url, state, office, day) == [person]
    rows = as_json(seeded_url, state, "--on", day, "--office", office)
    assert [(r["person_slug"], r["office_slug"], r["state_code"]) for r in rows] == [(person, office, state)]
    assert all(r["source_slug"] for r in rows)  # each with its source


def test_bosnia_s_chairmanship_passed_on_17_march_2016(seeded_url: str) -> None:
    """N1 of 16 March 2016: 'Od sutra, 17. marta 2016. godine … preuzima … Bakir Izetbegović'."""
    assert holders(seeded_url, "BIH", CHAIR_BIH, "2016-03-16") == ["dragan-covic"]
    assert holders(seeded_url, "BIH", CHAIR_BIH, "2016-03-17") == ["bakir-izetbegovic"]


def test_as_of_shows_the_record_before_the_end_was_known(seeded_url: str) -> None:
    rows = as_json(seeded_url, "JPN", "--on", "2025-10-01", "--as-of", "2025-10-01", "--office", "prime minister")
    assert [(r["person_slug"], r["end_on"]) for r in rows] == [("shigeru-ishiba", None)]
    (today,) = as_json(seeded_url, "JPN", "--on", "2025-10-01", "--office", PM_JPN)
    assert (today["person_slug"], today["end_on"]) == ("shigeru-ishiba", "2025-10-21")
    # without --on: every holding begun by then, Takaichi's not yet
    every = reports.office_holders("JPN", office=PM_JPN, as_of=dt.date(2025, 10, 1), db=seeded_url)
    assert "sanae-takaichi" not in [r.person_slug for r in every] and "shigeru-ishiba" in [r.person_slug for r in every]


def test_without_on_every_holding_in_title_then_start_order(seeded_url: str) -> None:
    rows = reports.office_holders("JPN", office=PM_JPN, db=seeded_url)
    slugs = [r.person_slug for r in rows]
    assert slugs.index("shigeru-ishiba") < slugs.index("sanae-takaichi")
    assert [r.start_on for r in rows] == sorted(r.start_on for r in rows)


@pytest.mark.parametrize(
    ("office", "kept"),
    [
        (PRESIDENT_KOR, {PRESIDENT_KOR}),  # a slug
        ("president", {PRESIDENT_KOR}),  # a word of the title
        ("PRESIDENT of south KOREA", {PRESIDENT_KOR}),  # any case
        ("head_of_state", {PRESIDENT_KOR}),  # a capacity
    ],
)
def test_office_keeps_the_offices_named(seeded_url: str, office: str, kept: set[str]) -> None:
    every = {r["office_slug"] for r in as_json(seeded_url, "KOR", "--on", "2025-09-03")}
    assert len(every) > len(kept)  # the filter has something to drop
    assert {r["office_slug"] for r in as_json(seeded_url, "KOR", "--on", "2025-09-03", "--office", office)} == kept


def test_an_attested_holding_is_listed_on_its_day_only(seeded_url: str) -> None:
    load(
        seeded_url,
        [
            (
                "attested.yaml",
                {
                    "format": "guestlist/1",
                    "source": SOURCE,
                    "offices": [{"slug": "test-envoy-of-japan", "title": "Test Envoy of Japan", "state": "JPN"}],
                    "persons": [{"slug": "test-attested-envoy", "name": "Test Attested Envoy"}],
                    "positions": [
                        {
                            "person": "test-attested-envoy",
                            "office": "test-envoy-of-japan",
                            "title": "Test Envoy of Japan",
                            "capacity": "other",
                            "state": "JPN",
                            "evidence": "attested",
                            "start_on": "2025-05-05",
                        }
                    ],
                },
            )
        ],
    )
    (row,) = as_json(seeded_url, "JPN", "--on", "2025-05-05", "--office", "test-envoy-of-japan")
    assert (row["person_slug"], row["evidence"], row["start_on"], row["end_on"]) == (
        "test-attested-envoy",
        "attested",
        "2025-05-05",
        "2025-05-05",
    )
    result = report(seeded_url, "JPN", "--on", "2025-05-06", "--office", "test-envoy-of-japan", "--format", "table")
    assert result.exit_code == 0, result.output
    assert "nobody is recorded holding Test Envoy of Japan (test-envoy-of-japan) on 2025-05-06" in result.stdout


def test_an_office_nobody_held_that_day_is_said(seeded_url: str) -> None:
    result = report(seeded_url, "JPN", "--on", "1900-01-01", "--format", "table")
    assert result.exit_code == 0, result.output
    assert f"nobody is recorded holding Prime Minister of Japan ({PM_JPN}) on 1900-01-01" in result.stdout
    result = report(seeded_url, "JPN", "--on", "1900-01-01", "--office", PM_JPN, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.stdout))) == [reports.columns(reports.OfficeHolder)]  # the rows alone
    assert f"nobody is recorded holding Prime Minister of Japan ({PM_JPN}) on 1900-01-01" in result.stderr


def test_the_output_family(seeded_url: str) -> None:
    args = ("JPN", "--on", "2025-10-22", "--office", PM_JPN)
    (row,) = as_json(seeded_url, *args)
    assert list(row) == reports.columns(reports.OfficeHolder)
    assert (row["tenure"], row["evidence"], row["seats"]) == ("ordinary", "tenure", 1)
    result = report(seeded_url, *args, "--format", "csv")
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table[0] == reports.columns(reports.OfficeHolder) and len(table) == 2
    result = report(seeded_url, *args, "--format", "jsonl")
    assert [json.loads(line)["person_slug"] for line in result.stdout.splitlines()] == ["sanae-takaichi"]
    result = report(seeded_url, *args, "--format", "csv", "--columns", "person_slug,start_on,end_on")
    assert result.stdout.splitlines() == ["person_slug,start_on,end_on", "sanae-takaichi,2025-10-21,"]
    result = report(seeded_url, *args, "--format", "csv", "--with-sources")
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert header.index("source_url") == header.index("source_slug") + 5
    result = report(seeded_url, *args, "--format", "table")
    assert result.exit_code == 0 and "sanae-takaichi" in result.stdout and "person_slug" in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["ATLANTIS"], "state not found: 'ATLANTIS'"),
        (["JPN", "--on", "2025-13-01"], "--on wants a date as YYYY-MM-DD, not '2025-13-01'"),
        (["JPN", "--as-of", "someday"], "--as-of wants a date as YYYY-MM-DD"),
        (["JPN", "--on", "2025-10-22", "--as-of", "2025-10-01"], "--on 2025-10-22 is after --as-of 2025-10-01"),
        (
            ["JPN", "--office", "pope"],
            f"no office of JPN matches 'pope'; its recorded offices: Prime Minister of Japan ({PM_JPN})",
        ),
    ],
)
def test_bad_input_is_one_line(seeded_url: str, args: list[str], words: str) -> None:
    result = report(seeded_url, *args)
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1 and words in result.output, result.output


@pytest.mark.parametrize(
    ("state", "options", "words"),
    [
        ("ATLANTIS", {}, "state not found"),
        ("JPN", {"on": "2025-10-22", "as_of": "2025-10-01"}, "is after --as-of"),
        ("JPN", {"office": "pope"}, "no office of JPN matches 'pope'"),
        ("JPN", {"on": "2025-02-30"}, "2025-02-30"),
    ],
)
def test_the_library_refuses_the_same(seeded_url: str, state: str, options: dict[str, str], words: str) -> None:
    with pytest.raises(GuestlistError, match=words):
        reports.office_holders(state, db=seeded_url, **options)  # type: ignore[arg-type]
