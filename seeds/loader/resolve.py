"""Natural keys to ids, in batches, and the checks that need the database.

One SELECT per entity kind and batch of keys, never one per record, so a
document of thousands of records resolves in a handful of queries.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from guestlist.models.names import (
    Holding,
    ambiguous,
    office_refused,
    resolve_state,
    stored_people,
    stored_states,
    unmatched,
)

from .fields import SLUG, NameRef
from .format import DEFINED_BY, REF_KINDS, SECTIONS
from .validate import CheckedDocument, Origin, Record, check_duplicates, check_run, describe_key, record_key

BATCH = 500  # keys per IN (...): far below every driver's parameter limit


def chunks(items: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Resolver:
    """Maps natural keys to ids for one transaction, remembering what it has seen.

    Misses are not remembered: a key unknown now may be inserted a moment
    later by the same run.
    """

    def __init__(self, conn: Connection):
        self.conn = conn
        self.cache: dict[str, dict[str, int]] = {kind: {} for kind in REF_KINDS}

    def lookup(self, kind: str, keys: Iterable[str]) -> dict[str, int]:
        """Ids of those ``keys`` that exist, fetched in batches."""
        cache = self.cache[kind]
        wanted = {k for k in keys if k is not None}
        missing = [k for k in wanted if k not in cache]
        if missing:
            cache.update(lookup_ids(self.conn, kind, missing))
        return {k: cache[k] for k in wanted if k in cache}

    def remember(self, kind: str, ids: dict[str, int]) -> None:
        self.cache[kind].update(ids)

    def id(self, kind: str, key: str, origin: Origin, field: str) -> int:
        """The id of one key already looked up, or the one-line error about it."""
        found = self.cache[kind].get(key)
        if found is None:
            found = self.lookup(kind, [key]).get(key)
        if found is None:
            raise origin.error(field, unknown_reference(self.conn, kind, key))
        return found


def lookup_ids(conn: Connection, kind: str, keys: Iterable[str]) -> dict[str, int]:
    """Ids of those natural ``keys`` of ``kind`` that are stored: one SELECT per batch of keys.

    The resolver caches what this finds; the bulk path memoises it per column.
    """
    table, column = REF_KINDS[kind]
    found: dict[str, int] = {}
    for batch in chunks(sorted(keys)):
        query = sa.select(table.c[column], table.c.id).where(table.c[column].in_(batch))
        found.update((key, id_) for key, id_ in conn.execute(query))
    return found


def unknown_reference(conn: Connection, kind: str, key: str, also: Iterable[str] = ()) -> str:
    table, column = REF_KINDS[kind]
    known = set(also)
    if kind != "source" or len(known) < 10_000:
        # Only reached on the error path, so reading every key is affordable.
        known.update(conn.execute(sa.select(table.c[column])).scalars())
    close = difflib.get_close_matches(key, sorted(known), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    where = "in the database or in any document of this run"
    what = "state code" if kind == "state" else kind
    return f"unknown {what} '{key}': not {where}{hint}"


def _references(documents: list[CheckedDocument]) -> Iterator[tuple[str, str, Origin, str]]:
    """Every (kind, key, origin, field) a run refers to, in document order."""

    def walk(record: Record) -> Iterator[tuple[str, str, Origin, str]]:
        spec = SECTIONS[record.section]
        for name, value in record.values.items():
            f = spec.fields[name]
            if f.type == "ref" and value is not None:
                yield f.ref, value, record.origin, name  # type: ignore[misc]
        for children in record.children.values():
            for child in children:
                yield from walk(child)

    for doc in documents:
        for records in doc.sections.values():
            for record in records:
                yield from walk(record)


def defined_keys(documents: list[CheckedDocument]) -> dict[str, set[str]]:
    defined: dict[str, set[str]] = {kind: set() for kind in REF_KINDS}
    for doc in documents:
        for kind, section in DEFINED_BY.items():
            defined[kind].update(record.key[0] for record in doc.sections[section])
    return defined


def check_references(conn: Connection, resolver: Resolver, documents: list[CheckedDocument]) -> None:
    """Every reference names an entity stored already or defined in this run.

    Kinds that a bulk file of the run may define are checked when that bulk
    file has been written (the resolver raises then), still inside the one
    transaction.
    """
    defined = defined_keys(documents)
    deferred = {SECTIONS[entry.table].kind for doc in documents for entry in doc.bulk}
    first_use: dict[tuple[str, str], tuple[Origin, str]] = {}
    for kind, key, origin, field in _references(documents):
        if key not in defined[kind]:
            first_use.setdefault((kind, key), (origin, field))
    by_kind: dict[str, list[str]] = {}
    for kind, key in first_use:
        by_kind.setdefault(kind, []).append(key)
    missing = []
    for kind, keys in by_kind.items():
        found = resolver.lookup(kind, keys)
        if kind not in deferred:
            missing.extend((kind, key) for key in keys if key not in found)
    if missing:
        kind, key = min(missing, key=lambda kk: _position(documents, first_use[kk][0]))
        origin, field = first_use[(kind, key)]
        raise origin.error(field, unknown_reference(conn, kind, key, defined[kind]))


def _position(documents: list[CheckedDocument], origin: Origin) -> tuple[int, int]:
    names = [doc.name for doc in documents]
    index = names.index(origin.file) if origin.file in names else len(names)
    return index, origin.line or 0


def check_cycles(conn: Connection, documents: list[CheckedDocument]) -> None:
    """No series may contain itself, counting parents already stored.

    The run's parents override the stored ones, so a cycle closed through a
    row of an earlier load is found before anything is written.
    """
    trees = sorted(
        (s for s in SECTIONS.values() if s.tree), key=lambda s: s.name != "events"
    )  # events first, as before
    for spec in trees:
        section, field, column = spec.name, spec.self_ref, spec.self_column
        declared = [
            (r.values["slug"], r.values[field], r)
            for doc in documents
            for r in doc.sections[section]
            if field in r.values
        ]
        if not any(parent for _, parent, _ in declared):
            continue
        table = spec.table
        child, parent = table.alias("child"), table.alias("parent")
        stored = conn.execute(
            sa.select(child.c.slug, parent.c.slug).join_from(child, parent, child.c[column] == parent.c.id)
        )
        parent_of: dict[str, str | None] = dict(stored.all())
        for slug, parent_slug, _ in declared:
            parent_of[slug] = parent_slug
        for slug, parent_slug, record in declared:
            if parent_slug is None:
                continue
            path, seen, node = [slug], {slug}, parent_slug
            while node is not None:
                path.append(node)
                if node == slug:
                    raise record.origin.error(field, f"parent cycle: {' -> '.join(path)}")
                if node in seen:  # a cycle elsewhere; it is reported at its own record
                    break
                seen.add(node)
                node = parent_of.get(node)


def check_identifiers(conn: Connection, documents: list[CheckedDocument]) -> None:
    """An external identifier belongs to one person, in the run and in the database."""
    owner: dict[tuple[str, str], tuple[str, Record]] = {}
    for doc in documents:
        for person in doc.sections["persons"]:
            for child in person.children.get("identifiers", []):
                pair = (child.values["scheme"], child.values["identifier"])
                first = owner.setdefault(pair, (person.values["slug"], child))
                if first[0] != person.values["slug"]:
                    raise child.origin.error(
                        "identifier", f"{pair[0]} {pair[1]} already belongs to person '{first[0]}' in this run"
                    )
    if not owner:
        return
    ids, persons = SECTIONS["identifiers"].table, SECTIONS["persons"].table
    for batch in chunks(sorted({identifier for _, identifier in owner})):
        rows = conn.execute(
            sa.select(ids.c.scheme, ids.c.identifier, persons.c.slug)
            .join_from(ids, persons, ids.c.person_id == persons.c.id)
            .where(ids.c.identifier.in_(batch))
        )
        for scheme, identifier, slug in rows:
            claimed = owner.get((scheme, identifier))
            if claimed and claimed[0] != slug:
                raise claimed[1].origin.error("identifier", f"{scheme} {identifier} already belongs to person '{slug}'")


# -- references by name or office (docs/names.md) -------------------------------------------


def _named(documents: list[CheckedDocument]) -> Iterator[tuple[CheckedDocument, Record, str, Any]]:
    """(document, record, field, value) for every person or state reference of the run."""

    def walk(doc: CheckedDocument, record: Record) -> Iterator[tuple[CheckedDocument, Record, str, Any]]:
        spec = SECTIONS[record.section]
        for name, value in list(record.values.items()):
            if value is not None and spec.fields[name].type == "ref" and spec.fields[name].ref in ("person", "state"):
                yield doc, record, name, value
        for children in record.children.values():
            for child in children:
                yield from walk(doc, child)

    for doc in documents:
        for records in doc.sections.values():
            for record in records:
                yield from walk(doc, record)


def _run_people(conn: Connection, documents: list[CheckedDocument]) -> Any:
    """Stored people plus the names and offices the run's own documents give."""
    people = stored_people(conn)
    for doc in documents:
        for person in doc.sections["persons"]:
            slug = person.values["slug"]
            people.add_name(slug, person.values.get("name"), display=True)
            people.add_name(slug, person.values.get("sort_name"))
            for other in person.children.get("other_names", []):
                people.add_name(slug, other.values.get("name"))
    return people


def _run_positions(conn: Connection, documents: list[CheckedDocument]) -> list[Holding]:
    """The run's own positions, each with its office's title (from the run, else as stored)."""
    titles = {r.values["slug"]: r.values.get("title") for doc in documents for r in doc.sections.get("offices", [])}
    wanted = {v.get("office") for doc in documents for v in (r.values for r in doc.sections["positions"])}
    stored = sorted(o for o in wanted if isinstance(o, str) and o not in titles)
    table = SECTIONS["offices"].table
    for batch in chunks(stored):
        titles.update(conn.execute(sa.select(table.c.slug, table.c.title).where(table.c.slug.in_(batch))).all())
    return [
        Holding(
            v["person"],
            v["title"],
            v["capacity"],
            v.get("state"),
            v["start_on"],
            v.get("end_on"),
            v.get("office"),
            titles.get(v.get("office")),
            v.get("tenure") or "ordinary",
        )
        for doc in documents
        for v in (r.values for r in doc.sections["positions"])
        if isinstance(v["person"], str) and (v.get("state") is None or isinstance(v.get("state"), str))
    ]


def _event_days(conn: Connection, documents: list[CheckedDocument], slugs: set[str]) -> dict[str, Any]:
    days = {r.values["slug"]: r.values.get("starts_on") for doc in documents for r in doc.sections["events"]}
    stored = sorted(s for s in slugs if s not in days)
    table = SECTIONS["events"].table
    for batch in chunks(stored):
        days.update(conn.execute(sa.select(table.c.slug, table.c.starts_on).where(table.c.slug.in_(batch))).all())
    return {slug: (dt.date.fromisoformat(day) if isinstance(day, str) else day) for slug, day in days.items()}


def resolve_names(conn: Connection, resolver: Resolver, documents: list[CheckedDocument]) -> None:
    """Turn every person or state given by name or office into the one slug or code it names, in place.

    Read only when a document names someone: every state, and every
    person's names and offices (stored, and given by the run). States
    first, then names, then offices (whose holders may be named people of
    the run). A reference naming none or several is refused in one line;
    nothing is guessed. Keys change with the references, so duplicates are
    checked again.
    """
    every = list(_named(documents))
    found = [item for item in every if isinstance(item[3], NameRef)]
    # One word in any script is shaped like a slug; one that is no person's slug may be a name (김정은).
    defined = defined_keys(documents)["person"]
    words = [
        (d, r, f, v)
        for d, r, f, v in every
        if isinstance(v, str) and v not in defined and SECTIONS[r.section].fields[f].ref == "person"
    ]
    if words:
        known = resolver.lookup("person", {v for *_, v in words})
        found += [(d, r, f, NameRef("person", v)) for d, r, f, v in words if v not in known]
    if not found:
        return
    states = stored_states(conn)
    for doc in documents:
        for record in doc.sections["states"]:
            states.codes.setdefault(record.values["code"], record.values.get("name") or record.values["code"])
    touched: set[int] = set()

    def settle(doc: CheckedDocument, record: Record, field: str, value: str) -> None:
        record.values[field] = value
        record.key = record_key(record.section, record.values, record.source)
        if SECTIONS[record.section].parent is None:  # a nested record's title goes with its parent's
            record.title = f"{record.section} {describe_key(record)}"
        touched.add(id(doc))

    def state_of(record: Record, field: str, text: str) -> str:
        try:
            return resolve_state(states, text)
        except ValueError as exc:
            raise record.origin.error(field, str(exc)) from None

    for doc, record, field, ref in found:
        if ref.kind == "state":
            settle(doc, record, field, state_of(record, field, ref.text))
    people = None
    for doc, record, field, ref in found:
        if ref.kind == "person" and not ref.office:
            people = people or _run_people(conn, documents)
            matches = people.by_name(ref.text)
            if not matches and SLUG.fullmatch(ref.text):
                continue  # no slug and no name: check_references says so, with the closest slug
            if len(matches) > 1:
                raise record.origin.error(field, ambiguous("name", ref.text, matches))
            if not matches:
                raise record.origin.error(field, unmatched("name", ref.text, people))
            settle(doc, record, field, matches[0].slug)
    offices = [item for item in found if item[3].kind == "person" and item[3].office]
    if offices:
        people = people or _run_people(conn, documents)
        people.positions.extend(_run_positions(conn, documents))
        days = _event_days(conn, documents, {r.values["event"] for _, r, _, ref in offices if "event" in r.values})
        for doc, record, field, ref in offices:
            day = ref.on or days.get(record.values.get("event"))
            if day is None:
                raise record.origin.error(
                    field, f"office {ref.text!r} needs a day: add 'on: YYYY-MM-DD' (the record has no dated event)"
                )
            state = state_of(record, field, ref.state) if ref.state else None
            holders = people.by_office(ref.text, day, state)
            if len(holders) != 1:
                raise record.origin.error(field, office_refused(ref.text, day, state, holders))
            if record.section == "attendance" and record.values.get("description") is None:
                record.values["description"] = ref.text  # the words the source used
            settle(doc, record, field, holders[0].slug)
    for doc in documents:
        if id(doc) in touched:
            check_duplicates(doc)
    check_run(documents)
