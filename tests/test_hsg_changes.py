"""What release v0.6.4 of the Office of the Historian's visits changed from v0.6.1, and each kind of change.

No database: these read the XML only. The real releases give the counts; rows altered here (a copy
of a real row with one field changed) give the kinds the real releases do not show.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from guestlist.seeds.importers.hsg.changes import (
    CORRECTION_SCORE,
    KINDS,
    Change,
    Changes,
    compare,
    name_score,
    release_version,
    same_person,
)
from guestlist.seeds.importers.hsg.release import find_release
from guestlist.seeds.importers.hsg.states import same_state, state_of
from guestlist.seeds.importers.hsg.visits import Visit, interpret, read_visits
from tests.support.hsg import VISITS_V061, VISITS_V064, release_folder

REASON = "corrected in release v0.6.4"

# Measured on the files: the 2024 visits and a forgotten 2014 visit added, a misspelt name
# corrected, one visit re-attributed, one country id and label renamed, one label corrected.
EXPECTED_COUNTS = {
    "added": 68,
    "removed": 0,
    "corrected_name": 1,
    "reattributed": 1,
    "renamed_id": 1,
    "label": 1,
    "dates": 0,
    "description": 0,
    "other": 0,
    "unchanged": 3192,
}


@pytest.fixture(scope="module")
def v061() -> list[Visit]:
    return read_visits(find_release(release_folder(VISITS_V061)).files)


@pytest.fixture(scope="module")
def v064() -> list[Visit]:
    return read_visits(find_release(release_folder(VISITS_V064)).files)


@pytest.fixture(scope="module")
def changes(v061: list[Visit], v064: list[Visit]) -> Changes:
    return compare(v061, v064, "0.6.4")


def only(changes: Changes, kind: str) -> Change:
    found = changes.of_kind(kind)
    assert len(found) == 1, found
    return found[0]


def test_the_counts_by_kind(changes: Changes) -> None:
    assert changes.counts() == EXPECTED_COUNTS
    assert list(changes.counts()) == list(KINDS)
    assert changes.summary() == {"added": 68, "corrected": 4, "deprecated": 1, "unchanged": 3192}
    assert changes.version == "v0.6.4"


def test_the_added_visits_are_2024_and_a_forgotten_2014_visit(changes: Changes, v064: list[Visit]) -> None:
    starts = {v.id: v.start for v in v064}
    added = {c.visit_id for c in changes.of_kind("added")}
    assert sum(starts[i].year == 2024 for i in added) == 67
    assert {i: starts[i] for i in added if starts[i].year != 2024} == {3328: date(2014, 12, 24)}
    assert all(c.reason == "added in release v0.6.4" and not c.deprecates for c in changes.of_kind("added"))


def test_najib_razak_to_ismail_sabri_yaakob_is_a_reattribution(changes: Changes) -> None:
    change = only(changes, "reattributed")
    assert (change.visit_id, change.field) == (3087, "visitor")
    assert (change.old, change.new) == ("Prime Minister Mohd Najib Razak", "Prime Minister Ismail Sabri Yaakob")
    assert (change.old_slot, change.new_slot) == (0, 0)
    assert change.reason == REASON
    assert change.deprecates and change.changes_facts
    assert name_score("Mohd Najib Razak", "Ismail Sabri Yaakob") < CORRECTION_SCORE
    assert changes.of_visit(3087) == [change]


def test_the_misspelt_name_is_a_correction_of_the_same_person(changes: Changes) -> None:
    change = only(changes, "corrected_name")
    assert (change.visit_id, change.old, change.new) == (3152, "Chancellor Olaf Scholtz", "Chancellor Olaf Scholz")
    assert change.reason == REASON and not change.deprecates
    assert name_score("Olaf Scholtz", "Olaf Scholz") >= CORRECTION_SCORE


def test_the_renamed_id_is_the_same_state(changes: Changes) -> None:
    change = only(changes, "renamed_id")
    assert change.visit_id == 2919
    assert (change.old, change.new) == ("czech-republic 'Czech Republic'", "czechia 'Czechia'")
    assert same_state("czech-republic", "czechia")
    assert state_of("czech-republic", "Czech Republic", date(2020, 1, 1)) == state_of(
        "czechia", "Czechia", date(2020, 1, 1)
    )
    assert "CZE" in change.note
    assert not change.changes_facts and not change.deprecates


def test_a_label_changed_under_the_same_id(changes: Changes) -> None:
    change = only(changes, "label")
    assert (change.visit_id, change.old, change.new) == (3205, "Malaya", "Malaysia")
    assert not change.changes_facts


def test_the_listing_has_one_line_per_change(changes: Changes) -> None:
    lines = changes.lines()
    assert len(lines) == len(changes.changes) == 72
    assert (
        "visit 3087, re-attributed (visitor): 'Prime Minister Mohd Najib Razak' -> "
        "'Prime Minister Ismail Sabri Yaakob' (corrected in release v0.6.4; another person, score 52)"
    ) in lines
    assert (
        "visit 2919, country id renamed (from): czech-republic 'Czech Republic' -> czechia 'Czechia' "
        "(corrected in release v0.6.4; the same state, CZE)"
    ) in lines
    assert "visit 3328, added: 2014-12-24 Prime Minister Najib Razak (malaysia) (added in release v0.6.4)" in lines
    assert all("\n" not in line for line in lines)


def test_a_release_compared_with_itself_changes_nothing(v064: list[Visit]) -> None:
    same = compare(v064, v064, "v0.6.4")
    assert same.changes == ()
    assert same.counts()["unchanged"] == 3264
    assert same.lines() == []


def test_the_order_of_the_rows_does_not_matter(v061: list[Visit], v064: list[Visit], changes: Changes) -> None:
    shuffled = sorted(v064, key=lambda v: (v.visitor, -v.id))
    assert compare(list(reversed(v061)), shuffled, "0.6.4") == changes
    assert compare([interpret(v) for v in reversed(v061)], map(interpret, shuffled), "0.6.4") == changes


def row(v064: list[Visit], visit_id: int) -> Visit:
    return next(v for v in v064 if v.id == visit_id)


def kinds_of(old: Visit, new: Visit) -> list[tuple[str, str, str, str]]:
    return [(c.kind, c.field, c.old, c.new) for c in compare([old], [new], "0.6.4").changes]


def test_a_removed_visit_is_listed_for_deprecation(v064: list[Visit]) -> None:
    gone = row(v064, 3087)
    changes = compare(v064, [v for v in v064 if v.id != 3087], "0.6.4")
    change = only(changes, "removed")
    assert (change.visit_id, change.old, change.reason) == (
        3087,
        f"2022-05-12 {gone.visitor} (malaysia)",
        "removed in release v0.6.4",
    )
    assert change.deprecates
    assert changes.counts()["unchanged"] == 3263


def test_dates_description_and_other_fields(v064: list[Visit]) -> None:
    old = row(v064, 3205)
    later = replace(old, end=old.end + timedelta(days=1))
    assert kinds_of(old, later) == [("dates", "dates", "2023-11-12 to 2023-11-17", "2023-11-12 to 2023-11-18")]
    told = replace(old, description="State Visit.")
    assert kinds_of(old, told) == [("description", "description", old.description, "State Visit.")]
    made = replace(old, created=datetime.fromisoformat("2025-01-01T00:00:00-05:00"))
    assert [k[:2] for k in kinds_of(old, made)] == [("other", "created")]
    moved = replace(old, from_id="germany", from_label="Germany")
    assert kinds_of(old, moved) == [("other", "from", "malaysia 'Malaysia'", "germany 'Germany'")]
    assert "MYS -> DEU" in compare([old], [moved], "0.6.4").changes[0].note


def test_layout_whitespace_is_no_change(v064: list[Visit]) -> None:
    old = row(v064, 3205)
    relaid = replace(old, description=old.description.replace(" ", "\n            ", 2), visitor=f" {old.visitor} ")
    assert kinds_of(old, relaid) == []


def test_a_title_fixed_on_the_same_person_is_another_change(v064: list[Visit]) -> None:
    old = replace(row(v064, 3205), visitor="Prime Minster Anwar Ibrahim")
    new = replace(old, visitor="Prime Minister Anwar Ibrahim")
    assert kinds_of(old, new) == [("other", "title", "Prime Minster", "Prime Minister")]


def test_names_with_words_left_out_or_folded_are_corrections(v064: list[Visit]) -> None:
    old = replace(row(v064, 3087), visitor="Prime Minister Mohd Najib Razak")
    najib = replace(old, visitor="Prime Minister Najib Razak")
    assert kinds_of(old, najib) == [
        ("corrected_name", "visitor", "Prime Minister Mohd Najib Razak", "Prime Minister Najib Razak")
    ]
    assert same_person("Viktor Orban", "Viktor Orbán")
    assert not same_person("Fidel Castro", "Raul Castro")


def test_a_visitor_added_to_a_row_and_two_visitors_swapped(v064: list[Visit]) -> None:
    old = replace(row(v064, 3205), visitor="King Harald V")
    both = replace(old, visitor="King Harald V and Queen Sonja")
    assert kinds_of(old, both) == [("reattributed", "visitor", "", "Queen Sonja")]
    assert not compare([old], [both], "0.6.4").changes[0].deprecates
    assert compare([both], [old], "0.6.4").changes[0].deprecates
    swapped = replace(old, visitor="Queen Sonja and King Harald V")
    assert kinds_of(both, swapped) == [
        ("other", "visitor", "King Harald V and Queen Sonja", "Queen Sonja and King Harald V")
    ]


def test_a_version_is_required_and_ids_once() -> None:
    assert release_version("0.6.4") == release_version("v0.6.4") == "v0.6.4"
    with pytest.raises(ValueError, match="not a release version"):
        compare([], [], "latest")
    visit = Visit(
        1, date(2020, 1, 1), date(2020, 1, 1), "King X", "norway", "Norway", "", datetime(2020, 1, 1), None, "f"
    )
    with pytest.raises(ValueError, match="newer release has visit 1 twice"):
        compare([], [visit, visit], "0.6.4")
