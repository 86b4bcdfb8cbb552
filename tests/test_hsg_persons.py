"""One person per human being behind the visitors of both real releases, and matching to the record.

Most tests read the XML only; one module-scoped database per dialect holds the bundled record
to check that its persons are matched, never duplicated.
"""

from __future__ import annotations

from datetime import date

import pytest

from guestlist.models.db import create_engine
from guestlist.models.errors import SeedError
from guestlist.models.names import stored_people
from guestlist.seeds.importers.hsg.persons import (
    Reconciled,
    Sighting,
    bare_name,
    read_settlement,
    reconcile,
    sightings,
    stored_delegations,
)
from guestlist.seeds.importers.hsg.release import find_release
from guestlist.seeds.importers.hsg.visits import interpret, read_visits
from tests.support.hsg import VISITS_V061, VISITS_V064, release_folder

# Measured on v0.6.4: 3,271 visitors in 3,264 rows, 1,449 names as written, 1,423 folded names
# within a state; variants joined, namesakes split.
EXPECTED_V064 = {"sightings": 3271, "persons": 1313, "created": 1313, "matched": 0, "possible duplicates": 85}


def seen_in(folder: object) -> list[Sighting]:
    release = find_release(release_folder(folder))  # type: ignore[arg-type]
    return sightings(interpret(v) for v in read_visits(release.files))


@pytest.fixture(scope="module")
def v064() -> list[Sighting]:
    return seen_in(VISITS_V064)


@pytest.fixture(scope="module")
def both(v064: list[Sighting]) -> list[Sighting]:
    return [*seen_in(VISITS_V061), *v064]


@pytest.fixture(scope="module")
def latest(v064: list[Sighting]) -> Reconciled:
    return reconcile(v064)


def slugs(rec: Reconciled, state: str, name: str, title: str | None = None) -> set[str]:
    return {
        slug
        for s, slug in rec.person_of.items()
        if s.state == state and s.name == name and (title is None or s.title == title)
    }


def one(rec: Reconciled, state: str, name: str, title: str | None = None) -> str:
    found = slugs(rec, state, name, title)
    assert len(found) == 1, (state, name, title, found)
    return found.pop()


def test_the_persons_of_v064(latest: Reconciled) -> None:
    assert latest.counts() == EXPECTED_V064
    assert len(set(latest.person_of.values())) == len(latest.persons)


def test_the_result_does_not_depend_on_the_order(v064: list[Sighting], latest: Reconciled) -> None:
    again = reconcile(list(reversed(v064)))
    assert again.person_of == latest.person_of
    assert again.duplicates == latest.duplicates


def test_names_are_folded() -> None:
    assert bare_name("Sheikh Tamim bin Hamad al-Thani") == "Tamim bin Hamad al-Thani"
    assert bare_name("Sheikh Hasina") == "Sheikh Hasina"
    day = date(2020, 1, 1)
    seen = [
        Sighting(1, 0, day, "HUN", "Viktor Orbán", "Prime Minister", "head_of_government"),
        Sighting(2, 0, day, "HUN", "VIKTOR ORBAN", "Prime Minister", "head_of_government"),
        Sighting(3, 0, day, "QAT", "Sheikh Tamim bin Hamad al-Thani", "Amir", "head_of_state"),
        Sighting(4, 0, day, "QAT", "Tamim bin Hamad al-Thani", "Amir", "head_of_state"),
    ]
    assert len(set(reconcile(seen).person_of.values())) == 2


def test_a_missing_space_after_the_title_is_one_person(latest: Reconciled) -> None:
    assert one(latest, "IRQ", "Haidar al- Abadi") == one(latest, "IRQ", "Haidar al-Abadi")


def test_scholz_in_both_spellings_is_one_person(both: list[Sighting]) -> None:
    rec = reconcile(both)
    assert one(rec, "DEU", "Olaf Scholtz") == one(rec, "DEU", "Olaf Scholz") == "olaf-scholz"
    assert rec.persons["olaf-scholz"].names == ("Olaf Scholtz",)


def test_the_same_person_across_titles_and_variants(latest: Reconciled) -> None:
    assert one(latest, "JOR", "Abdullah II") == one(latest, "JOR", "Abdullah II bin Al-Hussein")
    assert one(latest, "JOR", "Abdullah") == one(latest, "JOR", "Abdullah II")
    assert one(latest, "JOR", "Hussein I") == one(latest, "JOR", "Hussein", "King")


def test_namesakes_are_kept_apart(latest: Reconciled) -> None:
    king, prince = one(latest, "JOR", "Hussein", "King"), one(latest, "JOR", "Hussein", "Crown Prince")
    assert king != prince
    saudi, jordan = one(latest, "SAU", "Abdullah bin Abd-el Aziz al-Saud"), one(latest, "JOR", "Abdullah II")
    assert saudi != jordan
    assert one(latest, "CUB", "Castro") != one(latest, "CUB", "Raul Castro")
    # Two Prime Ministers of Greece named Konstantinos Karamanlis, 26 years apart.
    assert len(slugs(latest, "GRC", "Konstantinos Karamanlis")) == 2


def shown(rec: Reconciled) -> set[tuple[str, str]]:
    return {(d.a_key, d.b_key) for d in rec.duplicates}


def test_possible_duplicates_are_kept_with_their_evidence(latest: Reconciled) -> None:
    pairs = shown(latest)
    assert {
        ("castro@CUB", "raulcastro@CUB"),  # a shorter name, 56 years before
        ("vaclavhavel@CSK", "vaclavhavel@CZE"),  # the same name in two states
        ("heydaraliyev@AZE", "geidaraliyev@AZE"),  # a grey-zone score
        ("soeharto@IDN", "suharto@IDN"),
        ("hussein@JOR/1959", "hussein@JOR/2023"),  # split by a rule
    } <= pairs
    castro = next(d for d in latest.duplicates if d.a_key == "castro@CUB")
    assert (castro.a_names, castro.b_names, castro.a_years, castro.b_years) == (
        ("Castro",),
        ("Raul Castro",),
        "1959",
        "2015",
    )
    assert (castro.a_state, castro.b_state) == ("CUB", "CUB") and 0 < castro.score <= 100
    aliyev = next(d for d in latest.duplicates if d.a_key == "heydaraliyev@AZE")
    assert 80 <= aliyev.score < 90


def test_a_settlement_changes_the_outcome(v064: list[Sighting], both: list[Sighting], latest: Reconciled) -> None:
    document = {
        "hsg-persons": {
            "same": [["castro@CUB", "raulcastro@CUB"], ["heydaraliyev@AZE", "geidaraliyev@AZE"]],
            "different": [["abdullah@JOR", "abdullahii@JOR"]],
        }
    }
    settled = reconcile(v064, settlement=read_settlement(document, "settle.yaml"))
    assert one(settled, "CUB", "Castro") == one(settled, "CUB", "Raul Castro")
    assert one(settled, "AZE", "Heydar Aliyev") == one(settled, "AZE", "Geidar Aliyev")
    assert one(settled, "JOR", "Abdullah") != one(settled, "JOR", "Abdullah II")
    assert settled.counts()["persons"] == latest.counts()["persons"] - 2 + 1
    apart = read_settlement({"hsg-persons": {"different": [["olafscholtz@DEU", "olafscholz@DEU"]]}}, "s.yaml")
    assert (
        len(
            slugs(reconcile(both, settlement=apart), "DEU", "Olaf Scholtz")
            | slugs(reconcile(both, settlement=apart), "DEU", "Olaf Scholz")
        )
        == 2
    )
    years = read_settlement({"hsg-persons": {"same": [["hussein@JOR/1959", "hussein@JOR/2023"]]}}, "s.yaml")
    joined = reconcile(v064, settlement=years)
    assert one(joined, "JOR", "Hussein", "King") == one(joined, "JOR", "Hussein", "Crown Prince")


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            {"same": [["castro@CUB"]]},
            "settle.yaml: hsg-persons same pair 1: field 'same': ['castro@CUB'] is not a pair",
        ),
        ({"same": [["castro@cub", "x y"]]}, "is not a visitor key"),
        ({"different": [["a@CUB", "a@CUB"]]}, "names a@CUB twice"),
        ({"merge": []}, "field 'merge': is not a field of a settlement"),
    ],
)
def test_a_wrong_settlement_is_one_line(section: dict[str, object], message: str) -> None:
    with pytest.raises(SeedError) as caught:
        read_settlement({"hsg-persons": section}, "settle.yaml")
    assert message in str(caught.value) and "\n" not in str(caught.value)


EXISTING = {
    "xi-jinping": "CHN",
    "vladimir-putin": "RUS",
    "narendra-modi": "IND",
    "viktor-orban": "HUN",
    "prabowo-subianto": "IDN",
}


def test_visitors_already_in_the_record_are_matched(seeded_url: str, v064: list[Sighting]) -> None:
    engine = create_engine(seeded_url)
    try:
        with engine.connect() as conn:
            people, delegations = stored_people(conn), stored_delegations(conn)
    finally:
        engine.dispose()
    rec = reconcile(v064, people, delegations=delegations)
    for slug, state in EXISTING.items():
        person = rec.persons[slug]
        assert person.existing and person.state == state, (slug, person)
    assert one(rec, "CHN", "Xi Jinping") == "xi-jinping"
    assert slugs(rec, "HUN", "Viktor Orban") == {"viktor-orban"}
    # Never duplicated: no new person carries a stored person's name in the same state.
    for person in rec.created:
        for written in (person.name, *person.names):
            for candidate in people.by_name(written):
                held = {h.state for h in people.positions if h.slug == candidate.slug}
                assert person.state not in held or any(
                    d.b == candidate.slug and d.a == person.slug for d in rec.duplicates
                ), (person, candidate)
    # Near names of the person who held the visitor's seat on the visit's day are that person.
    assert one(rec, "ETH", "Hailemariam Desalegn") == "hailemariam-dessalegn"
    assert one(rec, "MNG", "Tsakhia Elbegdorj") == "tsakhiagiin-elbegdorj"
    assert one(rec, "MYS", "Dato' Seri Anwar bin Ibrahim") == "anwar-ibrahim"
    assert rec.counts()["matched"] == 31
    assert not set(rec.person_of.values()) - set(rec.persons)
