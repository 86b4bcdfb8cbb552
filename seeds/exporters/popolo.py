"""The database as one Popolo JSON document (http://www.popoloproject.com/).

Popolo has persons, organizations, memberships, posts and events; guestlist
maps onto them like this:

- a person keeps ``other_names`` (with ``lang``) and ``identifiers``;
- every state is an organization of classification ``country`` with its ISO
  3166 codes as identifiers; blocs and ministries are organizations whose
  classification is their kind, a national body's ``parent_id`` its parent or
  else its state;
- an office is a post (``post/SLUG``) of its state or body, its seats and
  slug in the post's ``guestlist`` object; a position held is a membership of
  the person in the state (or in the body served, ``on_behalf_of`` the state)
  through the post of its office (``post_id``), its tenure and evidence in its
  ``guestlist`` object; a state's membership of a bloc is a membership whose
  ``member`` is the state;
- an event carries ``attendees``: the participants whose current status is
  present (expected, confirmed, attended); those who stay away are kept too.

What Popolo has no field for lives in a ``guestlist`` object on the object
concerned (status claims, counts, capacity, roles, relations, notes, quotes,
the full source records); README "Popolo extension fields" lists them.
``guestlist import popolo`` reads them back, so a round trip loses nothing.
Every object has ``sources``: Popolo links whose ``url`` is the source's URL,
or ``urn:guestlist:source:SLUG`` when the document has none.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from guestlist.models import vocab
from guestlist.models.attendance import Attendance, AttendanceCount, current_claim
from guestlist.models.db import Database, bind
from guestlist.models.events import Event, EventNote, EventRelation
from guestlist.models.links import safe_link
from guestlist.models.organizations import Organization, StateMembership
from guestlist.models.persons import Office, Person, Position
from guestlist.models.sources import Source
from guestlist.models.states import State

from ..loader.format import REF_KINDS, SECTIONS
from ..popolo import EXT, SOURCE_FIELDS, SOURCE_URN, slugify
from .output import write_text

FORMAT = "guestlist-popolo/1"
# An event's seed fields that Popolo has standard fields for; its guestlist object carries the others.
POPOLO_EVENT_FIELDS = ("name", "description")
EVENT_EXTENSION = tuple(
    n for n, f in SECTIONS["events"].fields.items() if not f.nested and n not in POPOLO_EVENT_FIELDS
)
# Identifier schemes of a state organization.
STATE_SCHEMES = {"code": "iso_3166_1_alpha3", "alpha2": "iso_3166_1_alpha2", "numeric": "iso_3166_1_numeric"}


def person_id(slug: str) -> str:
    return f"person/{slug}"


def state_id(code: str) -> str:
    return f"state/{code}"


def organization_id(slug: str) -> str:
    return f"organization/{slug}"


def post_id(slug: str) -> str:
    return f"post/{slug}"


def event_id(slug: str) -> str:
    return f"event/{slug}"


def _rank(claim: Any) -> dict[str, Any]:
    """A claim's rank for the guestlist object, only when not normal (normal is what a missing rank means)."""
    return {} if claim.rank == "normal" else {"rank": claim.rank, "rank_reason": claim.rank_reason}


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _partial(value: dt.date | None, precision: str) -> str | None:
    """A Popolo date as precise as the fact: '1959', '2015-09' or '2025-09-03'."""
    if value is None:
        return None
    return {"year": value.strftime("%Y"), "month": value.strftime("%Y-%m")}.get(precision, value.isoformat())


def _clean(mapping: dict[str, Any]) -> dict[str, Any]:
    """Drop unknown (None) values and empty extension objects: absent means unknown."""
    return {k: v for k, v in mapping.items() if v is not None and v != {}}


class _Writer:
    """Builds the document from one session, with every source at hand by id and slug.

    Everything is sorted in Python, not by the database's collation, so the
    same facts give the same bytes on SQLite, PostgreSQL and MariaDB.
    """

    def __init__(self, session: Session):
        self.session = session
        self.sources: dict[int, Source] = {s.id: s for s in session.scalars(select(Source))}
        self.by_slug = {s.slug: s.id for s in self.sources.values()}
        self.keys: dict[str, dict[int, str]] = {"source": {i: s.slug for i, s in self.sources.items()}}

    def natural_key(self, kind: str, row_id: int | None) -> str | None:
        """The slug or code of the ``kind`` row with id ``row_id``."""
        if row_id is None:
            return None
        if kind not in self.keys:
            table, column = REF_KINDS[kind]
            self.keys[kind] = dict(self.session.execute(select(table.c.id, table.c[column])).all())  # type: ignore[arg-type]
        return self.keys[kind][row_id]

    def seed_fields(self, section: str, row: Any, names: Iterable[str]) -> dict[str, Any]:
        """Fields of a row as the seed format has them: references by natural key, dates as text."""
        fields = SECTIONS[section].fields
        out = {}
        for name in names:
            f = fields[name]
            value = getattr(row, f.column)  # type: ignore[arg-type]  # mapped attributes are named as their columns
            if f.type == "ref":
                value = self.natural_key(f.ref, value)  # type: ignore[arg-type]
            elif f.type == "url":
                value = safe_link(value)
            out[name] = _json_value(value)
        return out

    # -- sources ---------------------------------------------------------

    def link(self, source_id: int | None, quote: str | None = None) -> dict[str, Any] | None:
        if source_id is None:
            return None
        source = self.sources[source_id]
        return {
            "url": safe_link(source.url) or f"{SOURCE_URN}{source.slug}",
            "note": source.title,
            EXT: _clean({"source": source.slug, "quote": quote}),
        }

    def links(self, *pairs: tuple[int | None, str | None]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for source_id, quote in pairs:
            link = self.link(source_id, quote)
            if link is not None and link not in out:
                out.append(link)
        return out

    def slug_of(self, source_id: int | None) -> str | None:
        return self.sources[source_id].slug if source_id is not None else None

    def source_records(self) -> list[dict[str, Any]]:
        rows = sorted(self.sources.values(), key=lambda s: s.slug)
        return [
            _clean({f: _json_value(safe_link(s.url) if f == "url" else getattr(s, f)) for f in SOURCE_FIELDS})
            for s in rows
        ]

    # -- entities --------------------------------------------------------

    def persons(self) -> list[dict[str, Any]]:
        query = select(Person).options(selectinload(Person.other_names), selectinload(Person.identifiers))
        out = []
        for p in sorted(self.session.scalars(query), key=lambda p: p.slug):
            other_names = [
                _clean({"name": n.name, "lang": n.lang, "note": n.note, EXT: {"kind": n.kind}})
                for n in sorted(p.other_names, key=lambda n: n.name)
            ]
            identifiers = [
                {"scheme": i.scheme, "identifier": i.identifier} for i in sorted(p.identifiers, key=lambda i: i.scheme)
            ]
            out.append(
                _clean(
                    {
                        "id": person_id(p.slug),
                        "name": p.name,
                        "sort_name": p.sort_name,
                        "birth_date": _iso(p.birth_date),
                        "other_names": other_names or None,
                        "identifiers": identifiers or None,
                        "sources": self.links((p.source_id, None)),
                        EXT: {"slug": p.slug},
                    }
                )
            )
        return out

    def states(self) -> list[dict[str, Any]]:
        query = select(State).options(selectinload(State.successor))
        out = []
        for s in sorted(self.session.scalars(query), key=lambda s: s.code):
            identifiers = [
                {"scheme": scheme, "identifier": getattr(s, field)}
                for field, scheme in STATE_SCHEMES.items()
                if getattr(s, field)
            ]
            out.append(
                _clean(
                    {
                        "id": state_id(s.code),
                        "name": s.name,
                        "classification": "country",
                        "other_names": [{"name": s.official_name, "note": "official name"}]
                        if s.official_name
                        else None,
                        "identifiers": identifiers,
                        "founding_date": _iso(s.valid_from),
                        "dissolution_date": _iso(s.valid_until),
                        "sources": self.links((s.source_id, None)),
                        EXT: _clean(
                            {
                                "code": s.code,
                                "official_name": s.official_name,
                                "successor": s.successor.code if s.successor else None,
                            }
                        ),
                    }
                )
            )
        return out

    def organizations(self) -> list[dict[str, Any]]:
        query = select(Organization).options(selectinload(Organization.parent), selectinload(Organization.state))
        out = []
        for o in sorted(self.session.scalars(query), key=lambda o: o.slug):
            parent = organization_id(o.parent.slug) if o.parent else state_id(o.state.code) if o.state else None
            out.append(
                _clean(
                    {
                        "id": organization_id(o.slug),
                        "name": o.name,
                        "classification": o.kind,
                        "other_names": [{"name": o.abbreviation, "note": "abbreviation"}] if o.abbreviation else None,
                        "parent_id": parent,
                        "founding_date": _iso(o.founded_on),
                        "dissolution_date": _iso(o.dissolved_on),
                        "sources": self.links((o.source_id, None)),
                        EXT: _clean(
                            {
                                "slug": o.slug,
                                "kind": o.kind,
                                "abbreviation": o.abbreviation,
                                "parent": o.parent.slug if o.parent else None,
                                "state": o.state.code if o.state else None,
                            }
                        ),
                    }
                )
            )
        return out

    def positions(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Memberships for offices held, and a post per office, held or not."""
        posts = [
            self.post(o)
            for o in self.session.scalars(
                select(Office)
                .order_by(Office.slug)
                .options(selectinload(Office.state), selectinload(Office.organization))
            )
        ]
        query = select(Position).options(
            selectinload(Position.person),
            selectinload(Position.office),
            selectinload(Position.state),
            selectinload(Position.organization),
        )
        memberships = []
        for p in self.session.scalars(query):
            body = organization_id(p.organization.slug) if p.organization else state_id(p.state.code)
            on_behalf_of = state_id(p.state.code) if p.organization and p.state else None
            memberships.append(
                _clean(
                    {
                        "id": f"position/{p.person.slug}/{p.start_on.isoformat()}/{slugify(p.title)}",
                        "label": p.title,
                        "role": p.capacity,
                        "person_id": person_id(p.person.slug),
                        "organization_id": body,
                        "post_id": post_id(p.office.slug),
                        "on_behalf_of_id": on_behalf_of,
                        "start_date": _iso(p.start_on),
                        "end_date": _iso(p.end_on),
                        "sources": self.links((p.source_id, None)),
                        EXT: _clean(
                            {
                                "office": p.office.slug,
                                "capacity": p.capacity,
                                "state": p.state.code if p.state else None,
                                "organization": p.organization.slug if p.organization else None,
                                "tenure": p.tenure,
                                "evidence": p.evidence,
                                "note": p.note,
                            }
                        ),
                    }
                )
            )
        memberships.sort(key=lambda m: m["id"])
        return memberships, posts

    def post(self, o: Office) -> dict[str, Any]:
        """An office as a Popolo post: the body it belongs to, its seats in the extension object."""
        body = organization_id(o.organization.slug) if o.organization else state_id(o.state.code)  # type: ignore[union-attr]
        return _clean(
            {
                "id": post_id(o.slug),
                "label": o.title,
                "organization_id": body,
                "sources": self.links((o.source_id, None)),
                EXT: _clean(
                    {
                        "slug": o.slug,
                        "state": o.state.code if o.state else None,
                        "organization": o.organization.slug if o.organization else None,
                        "seats": o.seats,
                        "note": o.note,
                    }
                ),
            }
        )

    def state_memberships(self) -> list[dict[str, Any]]:
        query = select(StateMembership).options(
            selectinload(StateMembership.state), selectinload(StateMembership.organization)
        )
        out = []
        for m in self.session.scalars(query):
            member = state_id(m.state.code)
            out.append(
                _clean(
                    {
                        "id": f"state-membership/{m.state.code}/{m.organization.slug}/{m.joined_on.isoformat()}",
                        "label": f"{m.state.name} in {m.organization.name}",
                        "role": "member state",
                        "member": {"@type": "Organization", "id": member},
                        "organization_id": organization_id(m.organization.slug),
                        "start_date": _iso(m.joined_on),
                        "end_date": _iso(m.left_on),
                        "sources": self.links((m.source_id, None)),
                        EXT: {"state": m.state.code, "organization": m.organization.slug},
                    }
                )
            )
        return sorted(out, key=lambda m: m["id"])

    def events(self) -> list[dict[str, Any]]:
        query = select(Event).options(selectinload(Event.host_state), selectinload(Event.parent))
        events = sorted(self.session.scalars(query), key=lambda e: e.slug)
        participants = self._participants()
        counts = self._counts()
        relations = self._relations()
        notes = self._notes()
        out = []
        for e in events:
            present, absent = [], []
            for entry, status in participants.get(e.id, []):
                (absent if status in vocab.ABSENT_STATUSES else present).append(entry)
            sources = self.links((e.source_id, e.source_quote))
            sources += self._other_sources(
                sources, present + absent, counts.get(e.id), relations.get(e.id), notes.get(e.id)
            )
            location = ", ".join(part for part in (e.venue, e.city) if part)
            out.append(
                _clean(
                    {
                        "id": event_id(e.slug),
                        "name": e.name,
                        "description": e.description,
                        "classification": e.kind,
                        "start_date": _partial(e.starts_on, e.date_precision),
                        "end_date": _partial(e.ends_on, e.date_precision),
                        "location": location or None,
                        "status": "prospective" if e.is_prospective else None,
                        "organization_id": state_id(e.host_state.code) if e.host_state else None,
                        "parent_id": event_id(e.parent.slug) if e.parent else None,
                        "attendees": present,
                        "sources": sources,
                        EXT: _clean(
                            {
                                **self.seed_fields("events", e, EVENT_EXTENSION),
                                "absentees": absent or None,
                                "counts": counts.get(e.id),
                                "relations": relations.get(e.id),
                                "notes": notes.get(e.id),
                            }
                        ),
                    }
                )
            )
        return out

    def _other_sources(self, seen: list[dict[str, Any]], *groups: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
        """One link (without a quote) per further source an event's facts cite."""
        slugs = {link[EXT]["source"] for link in seen}
        out = []
        for group in groups:
            for item in group or ():
                for slug in [link[EXT]["source"] for link in item.get("sources", ())] + [item.get("source")]:
                    if slug and slug not in slugs:
                        slugs.add(slug)
                        out.append(self.link(self.by_slug[slug]))
        return out

    def _participants(self) -> dict[int, list[tuple[dict[str, Any], str | None]]]:
        """Per event: each participation as a Popolo person, with its current status."""
        query = select(Attendance).options(
            selectinload(Attendance.person),
            selectinload(Attendance.state),
            selectinload(Attendance.organization),
            selectinload(Attendance.claims),
        )
        out: dict[int, list[tuple[dict[str, Any], str | None]]] = defaultdict(list)
        for a in self.session.scalars(query):
            claims = sorted(a.claims, key=lambda c: (c.reported_on, c.id))
            current = current_claim(claims)
            status = current.status if current else None
            if a.person is not None:
                name = a.person.name
            else:
                name = a.description or f"unnamed representative of {a.state.name}"
            entry = _clean(
                {
                    "id": person_id(a.person.slug) if a.person else None,
                    "name": name,
                    "sources": self.links(*((c.source_id, c.source_quote) for c in claims)),
                    EXT: _clean(
                        {
                            "person": a.person.slug if a.person else None,
                            "state": a.state.code if a.state else None,
                            "organization": a.organization.slug if a.organization else None,
                            "role": a.role,
                            "capacity": a.capacity,
                            "description": a.description,
                            "status": status,
                            "claims": [
                                _clean(
                                    {
                                        "status": c.status,
                                        "reported_on": _iso(c.reported_on),
                                        "source": self.slug_of(c.source_id),
                                        "quote": c.source_quote,
                                        "note": c.note,
                                        **_rank(c),
                                    }
                                )
                                for c in claims
                            ],
                        }
                    ),
                }
            )
            out[a.event_id].append((entry, status))
        for entries in out.values():
            entries.sort(key=lambda pair: (pair[0][EXT].get("person") or "", pair[0][EXT].get("state") or ""))
        return out

    def _counts(self) -> dict[int, list[dict[str, Any]]]:
        query = select(AttendanceCount, Organization.slug).outerjoin(
            Organization, Organization.id == AttendanceCount.organization_id
        )
        out: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for n, org in self.session.execute(query):
            out[n.event_id].append(
                _clean(
                    {
                        "status": n.status,
                        "capacity": n.capacity,
                        "count": n.count,
                        "quantifier": n.quantifier,
                        "description": n.description,
                        "organization": org,
                        "reported_on": _iso(n.reported_on),
                        "source": self.slug_of(n.source_id),
                        "quote": n.source_quote,
                        **_rank(n),
                    }
                )
            )
        return _sorted_values(out, ("reported_on", "source", "description"))

    def _relations(self) -> dict[int, list[dict[str, Any]]]:
        query = select(EventRelation, Event.slug).join(Event, Event.id == EventRelation.related_event_id)
        out: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for r, related in self.session.execute(query):
            out[r.event_id].append(
                _clean(
                    {
                        "relation": r.relation,
                        "event": related,
                        "event_id": event_id(related),
                        "anniversary": r.anniversary,
                        "source": self.slug_of(r.source_id),
                        "quote": r.source_quote,
                    }
                )
            )
        return _sorted_values(out, ("relation", "event"))

    def _notes(self) -> dict[int, list[dict[str, Any]]]:
        out: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for n in self.session.scalars(select(EventNote)):
            out[n.event_id].append(
                _clean(
                    {
                        "topic": n.topic,
                        "text": n.text,
                        "source": self.slug_of(n.source_id),
                        "quote": n.source_quote,
                    }
                )
            )
        return _sorted_values(out, ("topic",))


def _sorted_values(groups: dict[int, list[dict[str, Any]]], keys: Iterable[str]) -> dict[int, list[dict[str, Any]]]:
    keys = tuple(keys)
    for rows in groups.values():
        rows.sort(key=lambda row: tuple(str(row.get(k) or "") for k in keys))
    return groups


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def document(session: Session) -> dict[str, Any]:
    """The whole database as a Popolo document (a dict ready for ``json.dump``)."""
    writer = _Writer(session)
    persons = writer.persons()
    organizations = writer.states() + writer.organizations()
    positions, posts = writer.positions()
    memberships = positions + writer.state_memberships()
    events = writer.events()
    return {
        "persons": persons,
        "organizations": organizations,
        "memberships": memberships,
        "posts": posts,
        "events": events,
        EXT: {
            "format": FORMAT,
            "generator": f"guestlist {version('guestlist')}",
            "sources": writer.source_records(),
        },
    }


def export(db: Database, path: Path | str) -> dict[str, int]:
    """Write ``db`` (a URL, an engine or a connection) to ``path`` ('-' for standard output); counts per collection."""
    with bind(db) as target, Session(target, expire_on_commit=False) as session:
        doc = document(session)
    write_text(path, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    return {key: len(doc[key]) for key in ("persons", "organizations", "memberships", "posts", "events")}
