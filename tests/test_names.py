"""People and states named the way sources name them, on every database: each reference form
resolves as docs/names.md says; ambiguity and no match are refused in one line, leaving the database as it was.
"""

from __future__ import annotations

import itertools
import json
import shlex
from pathlib import Path
from typing import Any

import pytest

from guestlist.models import reports
from guestlist.models.errors import AmbiguousError, NotFoundError, SeedError
from guestlist.models.reports.charts import timeline
from guestlist.seeds.loader import load

from .support.cli import invoke
from .support.documents import write
from .support.queries import rows
from .support.snapshots import snapshot

SOURCE = {"slug": "test-names-source", "title": "A test document naming people", "kind": "other"}
DAY = "2025-09-03"  # Prabowo Subianto was President of Indonesia, Anwar Ibrahim Prime Minister of Malaysia
_numbers = itertools.count(1)


def document(person: Any = None, state: Any = "PRK", *, extra: dict[str, Any] | None = None, day: str = DAY) -> tuple[str, dict[str, Any]]:
    """A document with one event of its own and one participation naming ``person`` and ``state``."""
    slug = f"test-names-event-{next(_numbers)}"
    participation = {"event": slug, "state": state, "role": "guest", "capacity": "head_of_state",
                     "claims": [{"status": "attended", "reported_on": day, "quote": "attended"}]}
    if person is not None:
        participation["person"] = person
    return slug, {"format": "guestlist/1", "source": SOURCE, **(extra or {}),
                  "events": [{"slug": slug, "name": "A test event", "kind": "summit", "starts_on": day}],
                  "attendance": [participation]}


def stored(url: str, event: str) -> tuple[Any, ...]:
    (row,) = rows(
        url,
        "SELECT p.slug, s.code, a.description FROM attendance a JOIN events e ON e.id = a.event_id"
        " LEFT JOIN persons p ON p.id = a.person_id JOIN states s ON s.id = a.state_id WHERE e.slug = :slug",
        slug=event,
    )
    return row


def refused(url: str, doc: dict[str, Any]) -> str:
    before = snapshot(url)
    with pytest.raises(SeedError) as caught:
        load(url, [("names.yaml", doc)])
    assert snapshot(url) == before
    message = str(caught.value)
    assert "\n" not in message and message.startswith("names.yaml")
    return message


@pytest.mark.parametrize(
    ("given", "slug"),
    [
        ("kim-jong-un", "kim-jong-un"),  # a slug
        ("Kim Jong-un", "kim-jong-un"),  # a recorded other name
        ("KIM JONG UN", "kim-jong-un"),  # case
        ("Kim Jong Un", "kim-jong-un"),
        ("kim jongun", "kim-jong-un"),  # spacing and hyphens
        ("김정은", "kim-jong-un"),  # Hangul, as recorded
        ("Александр Лукашенко", "alexander-lukashenko"),  # Cyrillic, as recorded
        ("ALEKSANDR LUKASHENKO", "alexander-lukashenko"),
        ("Milos Zeman", "milos-zeman"),  # only after folding: recorded as Miloš Zeman
        ("Tomislav Nikolic", "tomislav-nikolic"),
        ("Zeman, Milos", "milos-zeman"),  # the sort name
    ],
)
def test_a_person_by_slug_or_any_recorded_name(seeded_url: str, given: str, slug: str) -> None:
    event, doc = document(given)
    load(seeded_url, [("names.yaml", doc)])
    assert stored(seeded_url, event) == (slug, "PRK", None)


@pytest.mark.parametrize(
    ("given", "code"),
    [("PRK", "PRK"), ("KP", "PRK"), ("408", "PRK"), ("North Korea", "PRK"),
     ("Korea, Democratic People's Republic of", "PRK"), ("Democratic People's Republic of Korea", "PRK"),
     ("Russia", "RUS"), ("Russian Federation", "RUS"), ("Vietnam", "VNM"), ("Viet Nam", "VNM"), ("Niger", "NER")],
)
def test_a_state_by_any_code_or_name(seeded_url: str, given: str, code: str) -> None:
    event, doc = document(None, given)
    load(seeded_url, [("names.yaml", doc)])
    assert stored(seeded_url, event) == (None, code, None)


def test_a_person_by_office_on_the_event_day_keeps_the_words_used(seeded_url: str) -> None:
    event, doc = document({"office": "President of Indonesia"}, "Indonesia")
    load(seeded_url, [("names.yaml", doc)])
    assert stored(seeded_url, event) == ("prabowo-subianto", "IDN", "President of Indonesia")
    event, doc = document({"office": "prime minister of malaysia"}, "MY")
    load(seeded_url, [("names.yaml", doc)])
    assert stored(seeded_url, event) == ("anwar-ibrahim", "MYS", "prime minister of malaysia")
    # The alias form: a capacity of a state.
    event, doc = document({"office": "head_of_state", "state": "Indonesia"}, "IDN")
    load(seeded_url, [("names.yaml", doc)])
    assert stored(seeded_url, event)[:2] == ("prabowo-subianto", "IDN")
    # 'on' instead of the event's day: Putin was Prime Minister of Russia in 2010.
    event, doc = document({"office": "Prime Minister of Russia", "on": "2010-01-01"}, "RUS")
    load(seeded_url, [("names.yaml", doc)])
    assert stored(seeded_url, event)[0] == "vladimir-putin"
    # A description the document gives is kept.
    event, doc = document({"office": "President of Indonesia"}, "IDN")
    doc["attendance"][0]["description"] = "Indonesia's president"
    load(seeded_url, [("names.yaml", doc)])
    assert stored(seeded_url, event)[2] == "Indonesia's president"


def test_an_ambiguous_name_is_refused_naming_the_candidates(seeded_url: str) -> None:
    twins = {"persons": [{"slug": "test-twin-a", "name": "Test Twin Name"}, {"slug": "test-twin-b", "name": "Test Twin-Name"}]}
    _, doc = document("test twin name", extra=twins)
    message = refused(seeded_url, doc)
    assert "matches more than one person" in message and "test-twin-a (Test Twin Name)" in message and "test-twin-b" in message
    load(seeded_url, [("twins.yaml", {"format": "guestlist/1", "source": SOURCE, **twins})])
    _, doc = document("TEST TWIN NAME")  # the two now stored
    assert "test-twin-a" in refused(seeded_url, doc)


def test_an_office_with_two_holders_on_the_day_is_refused(seeded_url: str) -> None:
    pair = {
        "persons": [{"slug": "test-cochair-a", "name": "Test Cochair Alpha"}, {"slug": "test-cochair-b", "name": "Test Cochair Beta"}],
        # Two seats: the office may have two holders; a name given by its title still names nobody.
        "offices": [{"slug": "test-co-chair", "title": "Test Co-Chair of Testing", "state": "PRK", "seats": 2}],
        "positions": [{"person": p, "office": "test-co-chair", "title": "Test Co-Chair of Testing", "capacity": "other",
                       "state": "PRK", "start_on": "2025-01-01"}
                      for p in ("test-cochair-a", "test-cochair-b")],
    }
    _, doc = document({"office": "Test Co-Chair of Testing"}, extra=pair)
    message = refused(seeded_url, doc)
    assert "was held by more than one person" in message
    assert "test-cochair-a (Test Cochair Alpha; Test Co-Chair of Testing)" in message and "test-cochair-b" in message


@pytest.mark.parametrize(
    ("person", "state", "words"),
    [
        ("Vladimir Putn", "RUS", ["matches no recorded name", "'Vladimir Putin' (vladimir-putin)"]),
        ("Nobody Atall Known", "RUS", ["matches no recorded name"]),
        ({"office": "President of Indonesia", "on": "1990-01-01"}, "IDN", ["nobody held the office"]),
        ({"office": "Emperor of Testing"}, "IDN", ["nobody held the office 'Emperor of Testing' on 2025-09-03"]),
        ({"office": "President of Indonesia", "when": "2025"}, "IDN", ["{office: TITLE, on: DATE}"]),
        ({"office": "President of Indonesia", "on": "not a date"}, "IDN", ["must be a date"]),
        (None, "Korea", ["names more than one state", "KOR", "PRK"]),
        (None, "Atlantis", ["is no state's code or name"]),
        (None, "XX", ["is no state's code or name"]),
        (None, "prk", ["three capital letters", "did you mean PRK?"]),  # codes are capitals, as before
        (None, "kp", ["did you mean KP?"]),
        ("kim-jong-u", "PRK", ["unknown person 'kim-jong-u'", "did you mean 'kim-jong-un'"]),  # a slug stays a slug
    ],
)
def test_what_names_nobody_is_refused(seeded_url: str, person: Any, state: str, words: list[str]) -> None:
    _, doc = document(person, state)
    message = refused(seeded_url, doc)
    for word in words:
        assert word in message, message


def test_a_bulk_file_names_by_slug_only(seeded_url: str, tmp_path: Path) -> None:
    (tmp_path / "people.jsonl").write_text(json.dumps({"slug": "test-bulk-person", "name": "Test Bulk"}) + "\n", encoding="utf-8")
    (tmp_path / "positions.jsonl").write_text(json.dumps(
        {"person": "Kim Jong Un", "office": "supreme-leader-of-north-korea", "title": "Test Office", "capacity": "other", "state": "PRK", "start_on": "2025-01-01"}) + "\n",
        encoding="utf-8")
    path = write(tmp_path, "bulk.yaml", {"format": "guestlist/1", "source": SOURCE,
                                           "bulk": [{"table": "positions", "file": "positions.jsonl"}]})
    before = snapshot(seeded_url)
    result = invoke(seeded_url, "seed", str(path))
    assert result.exit_code == 1 and "must be a slug in a bulk file" in result.output, result.output
    assert snapshot(seeded_url) == before


def test_find_says_what_a_reference_would_resolve_to(seeded_url: str) -> None:
    result = invoke(seeded_url, "find", "person", "KIM JONG-UN", "--on", DAY, "--format", "json")
    assert result.exit_code == 0, result.output
    (hit,) = json.loads(result.output)
    assert hit["slug"] == "kim-jong-un" and "Supreme Leader of North Korea" in hit["offices"]
    result = invoke(seeded_url, "find", "office", "President of Indonesia", "--on", DAY, "--format", "csv")
    assert result.exit_code == 0 and "prabowo-subianto" in result.output
    result = invoke(seeded_url, "find", "person", "Vladimir Putn")
    assert result.exit_code == 1 and "closest names: 'Vladimir Putin' (vladimir-putin)" in result.output
    result = invoke(seeded_url, "find", "office", "President of Indonesia", "--on", "yesterday")
    assert result.exit_code == 2 and "not a date" in result.output


# -- every command that takes a person reads it the same way ----------------------------------


@pytest.mark.parametrize(
    ("given", "slug"),
    [("kim-jong-un", "kim-jong-un"), ("김정은", "kim-jong-un"), ("Kim Jong Un", "kim-jong-un"), ("KIM JONG-UN", "kim-jong-un"),
     ("习近平", "xi-jinping"), ("Xi Jinping", "xi-jinping"), ("Александр Лукашенко", "alexander-lukashenko"),
     ("Milos Zeman", "milos-zeman")],
)
def test_reports_and_charts_take_a_person_by_any_recorded_name(seeded_url: str, given: str, slug: str) -> None:
    record = reports.person_record(given, db=seeded_url)
    assert record and {r.person_slug for r in record} == {slug}
    assert reports.person_record_size(given, db=seeded_url) == len(record)
    line = timeline(given, db=seeded_url)
    assert (line.kind, line.key) == ("person", slug) and len(line.points) == len(record)
    result = invoke(seeded_url, "report", "person", given, "--format", "json")
    assert result.exit_code == 0, result.output
    assert {r["person_slug"] for r in json.loads(result.output)} == {slug}


def test_a_name_two_persons_share_lists_both_in_one_line(seeded_url: str) -> None:
    twins = {"format": "guestlist/1", "source": SOURCE,
             "persons": [{"slug": "test-lookup-twin-a", "name": "Test Lookup Twin"},
                         {"slug": "test-lookup-twin-b", "name": "Test Lookup-Twin"}]}
    load(seeded_url, [("lookup-twins.yaml", twins)])
    with pytest.raises(AmbiguousError):
        reports.person_record("TEST LOOKUP TWIN", db=seeded_url)
    with pytest.raises(AmbiguousError):  # not tried as a state once it names two persons
        timeline("test lookup twin", db=seeded_url)
    result = invoke(seeded_url, "report", "person", "test lookup twin")
    assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert "matches more than one person" in result.output
    assert "test-lookup-twin-a (Test Lookup Twin)" in result.output and "test-lookup-twin-b" in result.output


@pytest.mark.parametrize(
    ("given", "hint"),
    [("Kim Jong Em", "kim-jong-un (Kim Jong Un)"), ("김정운", "kim-jong-un (Kim Jong Un)"), ("Vladimir Putn", "vladimir-putin")],
)
def test_a_person_nobody_is_named_with_close_names_and_the_search_to_try(seeded_url: str, given: str, hint: str) -> None:
    with pytest.raises(NotFoundError, match=f"person not found: {given!r}"):
        reports.person_record(given, db=seeded_url)
    for args in (["report", "person", given], ["chart", "timeline", given, "-o", "unused.svg"]):
        result = invoke(seeded_url, *args)
        assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
        assert "Traceback" not in result.output and hint in result.output
    result = invoke(seeded_url, "report", "person", given)
    assert f"guestlist search {shlex.quote(given)}" in result.output
