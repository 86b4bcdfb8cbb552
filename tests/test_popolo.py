"""Popolo export and import on three databases.

The export is validated against the Popolo JSON Schemas vendored in
``tests/popolo_schemas/`` (draft 03, CC BY 4.0, see the LICENSE file there):
person, organization, membership, post and event, with the other_name,
identifier, link, area and contact_detail schemas they reference.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from guestlist.models import vocab
from guestlist.models.db import session_scope
from guestlist.seeds.exporters import popolo
from guestlist.seeds.importers.popolo import to_seed

from .support.cli import invoke
from .support.databases import new_database
from .support.ecosystem import EDGES
from .support.snapshots import canonical, snapshot

pytestmark = pytest.mark.dialects

SCHEMAS = Path(__file__).parent / "popolo_schemas"
COLLECTIONS = {"persons": "person", "organizations": "organization", "memberships": "membership",
               "posts": "post", "events": "event"}


@pytest.fixture(scope="module")
def seeded(ecosystem_url: str) -> str:
    """The bundled seeds and EDGES, one database per dialect for this module."""
    return ecosystem_url


def _registry() -> Registry:
    """Every vendored schema under both spellings of its id (the files use both)."""
    resources = []
    for path in SCHEMAS.glob("*.json"):
        resource = Resource.from_contents(json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT3)
        for host in ("http://www.popoloproject.com", "http://popoloproject.com"):
            resources.append((f"{host}/schemas/{path.name}", resource))
            resources.append((f"{host}/schemas/{path.name}#", resource))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(kind: str) -> jsonschema.Draft3Validator:
    schema = json.loads((SCHEMAS / f"{kind}.json").read_text(encoding="utf-8"))
    return jsonschema.Draft3Validator(schema, registry=REGISTRY, format_checker=jsonschema.Draft3Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def exported(seeded: str) -> dict[str, Any]:
    with session_scope(seeded) as session:
        return popolo.document(session)


def _links(node: Any) -> list[dict[str, Any]]:
    """Every Popolo link anywhere in ``node`` (pass the collections, not the source records)."""
    found = []
    if isinstance(node, dict):
        found += node.get("sources", []) if isinstance(node.get("sources"), list) else []
        for value in node.values():
            found += _links(value)
    elif isinstance(node, list):
        for value in node:
            found += _links(value)
    return [link for link in found if isinstance(link, dict) and "url" in link]


def test_export_validates_against_the_popolo_schemas(exported: dict[str, Any]) -> None:
    for collection, kind in COLLECTIONS.items():
        check = validator(kind)
        assert exported[collection], collection
        for item in exported[collection]:
            errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in check.iter_errors(item)]
            assert not errors, (item.get("id"), errors[:3])
    # The schema checker knows no 'uri' format without extra packages: check links here.
    for link in _links([exported[c] for c in COLLECTIONS]):
        parts = urlsplit(link["url"])
        assert parts.scheme in ("https", "http", "urn") and (parts.netloc or parts.path), link


def test_a_wrong_document_fails_the_schemas() -> None:
    """The validation above can fail: a bad date and a non-list are refused."""
    assert list(validator("person").iter_errors({"name": "X", "birth_date": "7 Oct 1952"}))
    assert list(validator("event").iter_errors({"name": "X", "attendees": [{"other_names": [{}]}]}))
    assert list(validator("membership").iter_errors({"start_date": "2025/01/01"}))


def test_every_object_has_sources_and_ids_resolve(exported: dict[str, Any]) -> None:
    ids = Counter(item["id"] for c in COLLECTIONS for item in exported[c])
    assert [i for i, n in ids.items() if n > 1] == []
    for collection in COLLECTIONS:
        for item in exported[collection]:
            assert item["sources"], item["id"]
    orgs = {o["id"] for o in exported["organizations"]}
    persons = {p["id"] for p in exported["persons"]}
    posts = {p["id"] for p in exported["posts"]}
    events = {e["id"] for e in exported["events"]}
    for m in exported["memberships"]:
        assert m["organization_id"] in orgs
        assert m.get("on_behalf_of_id", next(iter(orgs))) in orgs
        assert m.get("person_id") in persons or m["member"]["id"] in orgs
        assert m.get("post_id") is None or m["post_id"] in posts
    for o in exported["organizations"]:
        assert o.get("parent_id") is None or o["parent_id"] in orgs
    for e in exported["events"]:
        assert e.get("parent_id") is None or e["parent_id"] in events
        assert e.get("organization_id") is None or e["organization_id"] in orgs
        for person in e.get("attendees", []):
            assert person.get("id") is None or person["id"] in persons
    sources = {s["slug"] for s in exported["guestlist"]["sources"]}
    assert {link["guestlist"]["source"] for link in _links([exported[c] for c in COLLECTIONS])} <= sources


def test_states_blocs_and_ministries_are_organizations(exported: dict[str, Any], seeded: str) -> None:
    orgs = {o["id"]: o for o in exported["organizations"]}
    china = orgs["state/CHN"]
    assert china["classification"] == "country"
    assert {"scheme": "iso_3166_1_alpha2", "identifier": "CN"} in china["identifiers"]
    ussr = orgs["state/SUN"]
    assert ussr["dissolution_date"] == "1991-12-26" and ussr["guestlist"]["successor"] == "RUS"
    assert orgs["organization/eu"]["classification"] == "intergovernmental"
    assert {"name": "EU", "note": "abbreviation"} in orgs["organization/eu"]["other_names"]
    office = orgs["organization/test-office"]
    assert (office["classification"], office["parent_id"], office["founding_date"]) == (
        "ministry", "organization/test-government", "1954-09-01"
    )
    assert orgs["organization/test-government"]["parent_id"] == "state/CHN"
    with session_scope(seeded) as session:
        from sqlalchemy import func, select

        from guestlist.models import Organization, State

        assert sum(o["classification"] == "country" for o in orgs.values()) == session.scalar(
            select(func.count()).select_from(State)
        )
        assert len(orgs) == session.scalar(select(func.count()).select_from(State)) + session.scalar(
            select(func.count()).select_from(Organization)
        )


def test_positions_and_state_memberships_are_memberships(exported: dict[str, Any], seeded: str) -> None:
    from sqlalchemy import select

    from guestlist.models import Office, Position, StateMembership

    by_key = {
        (m.get("person_id"), m.get("label"), m.get("start_date")): m for m in exported["memberships"] if "person_id" in m
    }
    posts = {p["id"]: p for p in exported["posts"]}
    with session_scope(seeded) as session:
        positions = session.scalars(select(Position)).all()
        assert positions
        for p in positions:
            m = by_key[(f"person/{p.person.slug}", p.title, p.start_on.isoformat())]
            assert m.get("end_date") == (p.end_on.isoformat() if p.end_on else None)
            assert m["role"] == p.capacity
            post = posts[m["post_id"]]
            assert m["post_id"] == f"post/{p.office.slug}" and m["guestlist"]["office"] == p.office.slug
            assert (post["label"], post["guestlist"]["slug"], post["guestlist"]["seats"]) == (
                p.office.title, p.office.slug, p.office.seats
            )
            assert (m["guestlist"]["tenure"], m["guestlist"]["evidence"]) == (p.tenure, p.evidence)
            if p.organization is not None:
                assert m["organization_id"] == f"organization/{p.organization.slug}"
                assert m.get("on_behalf_of_id") == (f"state/{p.state.code}" if p.state else None)
            else:
                assert m["organization_id"] == f"state/{p.state.code}"
        assert any(p.organization is not None and p.state is not None for p in positions)
        assert {p.tenure for p in positions} > {"ordinary"}  # the bundled record has acting holdings
        offices = session.scalars(select(Office)).all()
        assert sorted(posts) == sorted(f"post/{o.slug}" for o in offices)  # a post per office, held or not
        members = {
            (m["member"]["id"], m["organization_id"], m["start_date"]): m for m in exported["memberships"] if "member" in m
        }
        rows = session.scalars(select(StateMembership)).all()
        assert len(members) == len(rows) > 0
        for r in rows:
            m = members[(f"state/{r.state.code}", f"organization/{r.organization.slug}", r.joined_on.isoformat())]
            assert m.get("end_date") == (r.left_on.isoformat() if r.left_on else None)


def test_events_carry_attendees_claims_and_counts(exported: dict[str, Any], seeded: str) -> None:
    import sqlalchemy as sa

    from guestlist.models.db import create_engine

    events = {e["guestlist"]["slug"]: e for e in exported["events"]}
    engine = create_engine(seeded)
    with engine.connect() as conn:
        report = conn.execute(sa.text(
            "SELECT event_slug, person_slug, state_code, status, capacity, role, attendance_id FROM attendance_report"
        )).all()
        claims = Counter(conn.execute(sa.text("SELECT attendance_id FROM attendance_claims")).scalars())
        counts = Counter(conn.execute(sa.text("SELECT event_slug FROM participation_counts")).scalars())
    engine.dispose()
    assert report
    for event, person, state, status, capacity, role, attendance_id in report:
        ext = events[event]["guestlist"]
        group = ext.get("absentees", []) if status in vocab.ABSENT_STATUSES else events[event].get("attendees", [])
        match = [a for a in group if a["guestlist"].get("person") == person and a["guestlist"].get("state") == state]
        assert len(match) == 1, (event, person, state)
        entry = match[0]["guestlist"]
        assert (entry.get("status"), entry["capacity"], entry["role"]) == (status, capacity, role)
        assert len(entry["claims"]) == claims[attendance_id]
        assert [c["reported_on"] for c in entry["claims"]] == sorted(c["reported_on"] for c in entry["claims"])
    assert sum(len(e["guestlist"].get("counts", [])) for e in events.values()) == sum(counts.values())
    for slug, n in counts.items():
        assert len(events[slug]["guestlist"]["counts"]) == n
    assert any(e["guestlist"].get("absentees") for e in events.values())


@pytest.fixture(scope="module")
def sqlite_document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The export of the same seeds loaded into SQLite, to compare the other databases with."""
    with new_database("sqlite", tmp_path_factory.mktemp("reference"), "seeded", documents=[("ecosystem-edges", EDGES)]) as url:
        with session_scope(url) as session:
            return popolo.document(session)


def test_the_same_facts_give_the_same_document_on_every_database(
    exported: dict[str, Any], sqlite_document: dict[str, Any]
) -> None:
    assert exported == sqlite_document


def test_dates_keep_their_precision(exported: dict[str, Any]) -> None:
    events = {e["guestlist"]["slug"]: e for e in exported["events"]}
    assert events["test-visit-1959"]["start_date"] == "1959"
    assert events["test-visit-1959"]["organization_id"] == "state/SUN"
    assert events["test-talks-2015-09"]["start_date"] == "2015-09"
    assert events["test-summit-wished"]["status"] == "prospective"


def test_round_trip_loses_no_fact(exported: dict[str, Any], seeded: str, tmp_path: Path) -> None:
    """Export, import into an empty database, export again: same facts, same document."""
    path = tmp_path / "popolo.json"
    result = invoke(seeded, "export", "popolo", str(path))
    assert result.exit_code == 0, result.output
    assert json.loads(path.read_text(encoding="utf-8")) == exported
    dialect = seeded.split(":", 1)[0].split("+")[0]
    with new_database(dialect, tmp_path) as url:
        result = invoke(url, "import", "popolo", str(path))
        assert result.exit_code == 0, result.output
        assert "0 changed" in result.output
        assert canonical(url) == canonical(seeded)
        with session_scope(url) as session:
            assert popolo.document(session) == exported
        again = invoke(url, "import", "popolo", str(path))
        assert again.exit_code == 0 and " 0 added, 0 changed" in " " + again.output.splitlines()[-1], again.output


PLAIN = {
    "persons": [
        {
            "id": "ada", "name": "Ada Example", "birth_date": "1970",
            "other_names": [{"name": "A. Example", "note": "initials"}],
            "identifiers": [{"scheme": "wikidata", "identifier": "Q4242424242"}],
            "sources": [{"url": "https://example.org/registry", "note": "A registry"}],
        }
    ],
    "organizations": [
        {"id": "state/CHN", "name": "China", "classification": "country"},
        {
            "id": "ministry-x", "name": "Ministry X", "classification": "ministry", "parent_id": "state/CHN",
            "sources": [{"url": "https://example.org/registry"}],
        },
        {"id": "bloc-y", "name": "Bloc Y", "classification": "club", "founding_date": "2001-06"},
    ],
    "memberships": [
        {
            "person_id": "ada", "organization_id": "ministry-x", "on_behalf_of_id": "state/CHN",
            "role": "minister", "label": "Minister X", "start_date": "2020-03-01",
        },
        {"member": {"id": "state/CHN"}, "organization_id": "bloc-y", "start_date": "2001-06-15"},
        {"person_id": "ada", "organization_id": "ministry-x", "post_id": "chair-x", "start_date": "2021-01-01"},
    ],
    "posts": [{"id": "chair-x", "label": "Chair of Ministry X", "role": "chair", "organization_id": "ministry-x"}],
    "events": [
        {
            "id": "meeting-1", "name": "A meeting", "start_date": "2019-05", "location": "Somewhere",
            "classification": "bilateral_meeting", "organization_id": "state/CHN",
            "attendees": [{"id": "ada", "name": "Ada Example"}, {"id": "bob", "name": "Bob Newcomer"}],
        }
    ],
}


def test_plain_popolo_from_another_tool_imports(seeded: str, tmp_path: Path) -> None:
    from .support.queries import rows

    path = tmp_path / "plain.json"
    path.write_text(json.dumps(PLAIN), encoding="utf-8")
    dialect = seeded.split(":", 1)[0].split("+")[0]
    with new_database(dialect, tmp_path) as url:
        result = invoke(url, "import", "popolo", str(path))
        assert result.exit_code == 0, result.output
        assert [(s, n, str(b)) for s, n, b in rows(url, "SELECT slug, name, birth_date FROM persons ORDER BY slug")] == [
            ("ada", "Ada Example", "1970-01-01"),
            ("bob", "Bob Newcomer", "None"),
        ]
        assert rows(url, "SELECT o.slug, o.kind, s.code FROM organizations o LEFT JOIN states s ON o.state_id = s.id "
                         "ORDER BY o.slug") == [("bloc-y", "other", None), ("ministry-x", "ministry", "CHN")]
        assert rows(url, "SELECT p.title, p.capacity, s.code, o.slug FROM positions p JOIN states s ON p.state_id = s.id "
                         "JOIN organizations o ON p.organization_id = o.id") == [("Minister X", "minister", "CHN", "ministry-x")]
        # The post is an office; the membership without one got an office made from its body and label, and said so.
        assert rows(url, "SELECT f.slug, f.title, f.seats, o.slug, p.title, p.capacity FROM positions p "
                         "JOIN offices f ON f.id = p.office_id JOIN organizations o ON f.organization_id = o.id "
                         "ORDER BY f.slug") == [
            ("chair-x", "Chair of Ministry X", 1, "ministry-x", "Chair of Ministry X", "other"),
            ("ministry-x-minister-x", "Minister X", 1, "ministry-x", "Minister X", "minister"),
        ]
        assert "offices made from memberships without a post: 1" in result.output
        again = invoke(url, "import", "popolo", "--format", "json", str(path))
        assert again.exit_code == 0, again.output
        summary = json.loads(again.output)
        assert (summary["added"], summary["changed"]) == (0, 0)
        assert summary["notes"] == ["offices made from memberships without a post: 1"]
        assert rows(url, "SELECT event_slug, event_date_precision, host_state_code, person_slug, status "
                         "FROM attendance_report ORDER BY person_slug") == [
            ("meeting-1", "month", "CHN", "ada", None), ("meeting-1", "month", "CHN", "bob", None)
        ]
        assert rows(url, "SELECT s.slug, s.url FROM persons p JOIN sources s ON p.source_id = s.id "
                         "WHERE p.slug = 'ada'")[0][1] == "https://example.org/registry"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "a Popolo document is a JSON object"),
        ('{"persons": {"id": "x"}}', "persons: must be a list"),
        ('{"persons": [{"id": "person/x"}]}', "field 'name'"),
        ('{"memberships": [{"member": {"id": "state/CHN"}, "organization_id": "organization/nowhere", '
         '"start_date": "2001-01-01"}]}', "memberships[0]: field 'organization_id': unknown organization 'nowhere'"),
        ('{"events": [{"id": "event/e", "name": "E", "start_date": "2025-02-30"}]}',
         "events[0] (event/e): field 'start_date': 2025-02-30 is not a real date"),
        ('{"events": [{"id": "event/e", "name": "E", "attendees": [{"name": "Somebody"}]}]}',
         "events[0] (event/e) attendees[0]: field 'id': a participation needs a person"),
        ('{"events": [{"id": "event/e", "name": "E", "guestlist": {"relations": [{"relation": "cites", '
         '"event": "e"}]}}]}', "events[0] (event/e) guestlist.relations[0]: field 'relation'"),
    ],
)
def test_bad_documents_are_refused_in_one_line(seeded: str, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    before = snapshot(seeded)
    result = invoke(seeded, "import", "popolo", str(path))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and str(path) in lines[0], result.output
    assert message in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert snapshot(seeded) == before


def test_to_seed_is_a_seed_document(exported: dict[str, Any]) -> None:
    seed = to_seed(exported, "export.json")
    assert seed["format"] == "guestlist/1"
    assert {s["slug"] for s in [seed["source"], *seed["sources"]]} == {
        s["slug"] for s in exported["guestlist"]["sources"]
    }
    assert len(seed["persons"]) == len(exported["persons"])
    assert len(seed["events"]) == len(exported["events"])


def test_export_of_a_missing_database_is_one_line(tmp_path: Path) -> None:
    result = invoke(f"sqlite:///{tmp_path / 'nothing.db'}", "export", "popolo", str(tmp_path / "x.json"))
    assert result.exit_code == 1 and result.output.startswith("Error: no database at")
    assert not (tmp_path / "nothing.db").exists()
