"""A Popolo JSON document read back as a guestlist seed document.

``guestlist export popolo`` writes standard Popolo plus ``guestlist``
extension objects; this module turns such a file (or plain Popolo from
another tool) into one seed document in the ``guestlist/1`` format and loads
it through :func:`guestlist.seeds.loader.load`, so validation, upserts by natural key,
one transaction and the error messages are the loader's own.

Extension fields win where present; plain Popolo falls back to the standard
fields: ids of the form ``person/SLUG``, ``state/CODE``, ``organization/SLUG``
and ``event/SLUG`` (or any other id, slugified), ``classification: country``
for states, partial dates such as ``1959`` or ``2015-09`` (stored as the first
day, with the event's ``date_precision``), ``on_behalf_of_id`` for the state a
person served. An attendee of plain Popolo has no status claim (Popolo has no
place for one), so the participation is recorded without a status.

Posts are offices. A person's membership names its office by ``post_id``;
one with no post (or a post the document does not have) gets an office made
from its body and its ``role`` or ``label``, with as many seats as
memberships hold it (Popolo says nothing of seats, and one seat would refuse
a body whose members serve together). How many offices were made that way
is counted and shown in the import's summary, never silent, as they are
guesses of this importer and not facts of the document.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from guestlist.models import vocab
from guestlist.models.db import Database
from guestlist.models.errors import SeedError

from ..loader import load as load_seeds
from ..popolo import EXT, SOURCE_FIELDS, SOURCE_URN, slugify
from .popolo_errors import bulk_in_popolo_terms, in_popolo_terms
from .popolo_json import PopoloFile
from .popolo_spool import CLAIM_KEYS, Held, Spooled

PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T.*)?")
PRECISION = {1: "year", 2: "month", 3: "day"}


def read(path: Path) -> PopoloFile:
    """The Popolo document in ``path``, scanned whole once (one SeedError naming the file otherwise)."""
    return PopoloFile(Path(path)).scan()


class _Reader:
    """Walks one Popolo document and sends seed records, section by section, to ``out``.

    Every value is type-checked before it is used as a key or compared with
    a vocabulary: a list or an object where an id, slug or scheme belongs is
    one line naming the Popolo object and field, never a TypeError.
    """

    def __init__(self, data: Any, name: str, out: Held, event_keys: dict[str, str] | None = None):
        self.data, self.name, self.out = data, name, out
        self.sources: dict[str, dict[str, Any]] = {}
        self.missing_source = False
        self.attendee_persons: dict[str, tuple[dict[str, Any], str]] = {}
        self.known_persons: set[str] = set()
        ext = self._ext(data, "document")
        for i, record in enumerate(self._list(ext, "sources", f"{EXT}.sources")):
            where = f"{EXT}.sources[{i}]"
            slug = self._text(record, "slug", where)
            self.sources[slug] = {k: record[k] for k in SOURCE_FIELDS if record.get(k) is not None}
        # Popolo id -> natural key, so references resolve whatever ids the document uses.
        # Persons are keyed as they are converted (they come before what refers to them).
        self.person_keys: dict[str, str] = {}
        self.state_keys: dict[str, str] = {}
        self.organization_keys: dict[str, str] = {}
        for where, item, ext in self.items("organizations"):
            popolo_id = self._id(item, "id", where)
            if popolo_id is None:
                continue
            if self._is_state(item, ext, where):
                self.state_keys[popolo_id] = self._state_code(item, ext, where)
            else:
                self.organization_keys[popolo_id] = self._organization_slug(item, ext, where)
        # Events are keyed as they are converted too; a parent or relation that
        # named, by a foreign id, an event further down whose slug is not that
        # id's makes the conversion run again with every key known (_Redo).
        self.event_keys: dict[str, str] = dict(event_keys or {})
        self.events_known = event_keys is not None
        self.guessed_events: set[str] = set()

    def person(self, popolo_id: Any) -> str | None:
        return self.person_keys.get(popolo_id) or _key(popolo_id, "person", fallback=True)

    def state(self, popolo_id: Any) -> str | None:
        return self.state_keys.get(popolo_id) or _key(popolo_id, "state")

    def organization(self, popolo_id: Any) -> str | None:
        if popolo_id in self.state_keys:
            return None
        return self.organization_keys.get(popolo_id) or _key(popolo_id, "organization", fallback=True)

    def event(self, popolo_id: Any) -> str | None:
        if popolo_id in self.event_keys:
            return self.event_keys[popolo_id]
        if isinstance(popolo_id, str) and not self.events_known:
            self.guessed_events.add(popolo_id)
        return _key(popolo_id, "event", fallback=True)

    def _person_slug(self, item: Mapping[str, Any], ext: Mapping[str, Any], where: str) -> str | None:
        name = item.get("name")
        return (
            self._id(ext, "slug", where, EXT)
            or _key(self._id(item, "id", where), "person", fallback=True)
            or (slugify(name) if isinstance(name, str) else None)
        )

    def _schemes(self, item: Mapping[str, Any], where: str) -> dict[str, Any]:
        out = {}
        for j, ident in enumerate(self._list(item, "identifiers", f"{where} identifiers")):
            scheme = self._id(ident, "scheme", f"{where} identifiers[{j}]")
            if scheme:
                out[scheme] = ident.get("identifier")
        return out

    def _state_code(self, item: Mapping[str, Any], ext: Mapping[str, Any], where: str) -> str:
        popolo_id = self._id(item, "id", where)
        schemes = self._schemes(item, where)
        code = schemes.get("iso_3166_1_alpha3")
        return (
            self._id(ext, "code", where, EXT)
            or (code if isinstance(code, str) else None)
            or _key(popolo_id, "state")
            or popolo_id
        )  # type: ignore[return-value]

    def _organization_slug(self, item: Mapping[str, Any], ext: Mapping[str, Any], where: str) -> str:
        return (
            self._id(ext, "slug", where, EXT)
            or _key(self._id(item, "id", where), "organization", fallback=True)
            or slugify(self._text(item, "name", where))
        )

    def _event_slug(self, item: Mapping[str, Any], ext: Mapping[str, Any], where: str) -> str:
        return (
            self._id(ext, "slug", where, EXT)
            or _key(self._id(item, "id", where), "event", fallback=True)
            or slugify(self._text(item, "name", where))
        )

    def _is_state(self, item: Mapping[str, Any], ext: Mapping[str, Any], where: str) -> bool:
        """Organizations of classification 'country' (or with a state's id or code) are states."""
        return (
            self._id(item, "classification", where) == "country"
            or _key(self._id(item, "id", where), "state") is not None
            or "code" in ext
        )

    # -- shape checks: one clear line for a document that is not Popolo --

    def fail(self, where: str | None, field: str | None, message: str) -> SeedError:
        return SeedError(self.name, where, field, message)

    def _list(self, holder: Mapping[str, Any], key: str, where: str) -> Iterable[Any]:
        value = holder.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            for i, item in enumerate(value):
                if not isinstance(item, dict):
                    raise self.fail(f"{where}[{i}]", None, "must be a JSON object")
            return value
        if isinstance(value, Iterable) and not isinstance(value, (str, dict)):
            return self._objects(value, where)  # a streamed collection
        raise self.fail(where, None, "must be a list")

    def _objects(self, value: Iterable[Any], where: str) -> Iterator[Any]:
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.fail(f"{where}[{i}]", None, "must be a JSON object")
            yield item

    def _ext(self, item: Mapping[str, Any], where: str) -> Mapping[str, Any]:
        ext = item.get(EXT) or {}
        if not isinstance(ext, dict):
            raise self.fail(where, EXT, "must be a JSON object")
        return ext

    def _text(self, item: Mapping[str, Any], key: str, where: str) -> str:
        value = item.get(key)
        if not isinstance(value, str) or not value:
            raise self.fail(where, key, "is required and must be text")
        return value

    def _id(self, item: Mapping[str, Any], key: str, where: str, prefix: str | None = None) -> str | None:
        """A text value used as a key or compared with a vocabulary: text, or absent, or one line."""
        value = item.get(key)
        if value is None or isinstance(value, str):
            return value or None
        raise self.fail(where, f"{prefix}.{key}" if prefix else key, f"must be text, not {_json_type(value)}")

    def items(self, section: str) -> Iterator[tuple[str, Mapping[str, Any], Mapping[str, Any]]]:
        """(record name, Popolo object, its extension object) for each object of a section."""
        for i, item in enumerate(self._list(self.data, section, section)):
            where = f"{section}[{i}]" + (f" ({item['id']})" if isinstance(item.get("id"), str) else "")
            yield where, item, self._ext(item, where)

    def add(self, section: str, record: dict[str, Any], where: str, ext: Mapping[str, Any]) -> None:
        self.out.add(section, record, where, ext)

    # -- sources ---------------------------------------------------------

    def source_of(self, item: Mapping[str, Any], ext: Mapping[str, Any], where: str) -> str | None:
        """The slug of a record's source: the extension's, else its first Popolo link."""
        slug = self._id(ext, "source", where, EXT)
        if slug:
            return slug
        links = list(self._list(item, "sources", f"{where} sources"))
        if not links:
            self.missing_source = True
            return None
        return self.link_source(links[0], f"{where} sources[0]")

    def link_source(self, link: Mapping[str, Any], where: str) -> str:
        link_ext = self._ext(link, where)
        slug = self._id(link_ext, "source", where, EXT)
        url = self._id(link, "url", where)
        note = self._id(link, "note", where)
        if not slug:
            if not url:
                raise self.fail(where, "url", "a source link needs a url")
            slug = url[len(SOURCE_URN) :] if url.startswith(SOURCE_URN) else slugify(url)[:120]
        if slug not in self.sources:
            record = {"slug": slug, "title": note or url or slug, "kind": "other"}
            if url and not url.startswith(SOURCE_URN):
                record["url"] = url
            self.sources[slug] = record
        return slug

    # -- sections --------------------------------------------------------

    def persons(self) -> None:
        for where, item, ext in self.items("persons"):
            slug = self._person_slug(item, ext, where)
            popolo_id = self._id(item, "id", where)
            if popolo_id and slug and slug != _key(popolo_id, "person", fallback=True):
                self.person_keys[popolo_id] = slug
            if isinstance(slug, str):
                self.known_persons.add(slug)
            names = []
            for j, other in enumerate(self._list(item, "other_names", f"{where} other_names")):
                other_ext = self._ext(other, f"{where} other_names[{j}]")
                names.append(
                    _drop_none(
                        {
                            "name": other.get("name"),
                            "kind": other_ext.get("kind", "alternate"),
                            "lang": other.get("lang"),
                            "note": other.get("note"),
                        }
                    )
                )
            identifiers = self._schemes(item, where)
            self.add(
                "persons",
                _drop_none(
                    {
                        "slug": slug,
                        "name": item.get("name"),
                        "sort_name": item.get("sort_name"),
                        "birth_date": _full_date(item.get("birth_date")),
                        "other_names": names or None,
                        "identifiers": identifiers or None,
                        "source": self.source_of(item, ext, where),
                    }
                ),
                where,
                ext,
            )

    def organizations(self) -> None:
        """States (classification ``country``) and the other organizations."""
        for where, item, ext in self.items("organizations"):
            if self._is_state(item, ext, where):
                self.add("states", self._state(where, item, ext), where, ext)
            else:
                self.add("organizations", self._organization(where, item, ext), where, ext)

    def _noted(self, item: Mapping[str, Any], where: str, note: str) -> Any:
        for j, other in enumerate(self._list(item, "other_names", f"{where} other_names")):
            if self._id(other, "note", f"{where} other_names[{j}]") == note:
                return other.get("name")
        return None

    def _state(self, where: str, item: Mapping[str, Any], ext: Mapping[str, Any]) -> dict[str, Any]:
        schemes = self._schemes(item, where)
        return _drop_none(
            {
                "code": self._state_code(item, ext, where),
                "alpha2": schemes.get("iso_3166_1_alpha2"),
                "numeric": schemes.get("iso_3166_1_numeric"),
                "name": item.get("name"),
                "official_name": ext.get("official_name", self._noted(item, where, "official name")),
                "valid_from": _full_date(item.get("founding_date")),
                "valid_until": _full_date(item.get("dissolution_date")),
                "successor": ext.get("successor"),
                "source": self.source_of(item, ext, where),
            }
        )

    def _organization(self, where: str, item: Mapping[str, Any], ext: Mapping[str, Any]) -> dict[str, Any]:
        classification = self._id(item, "classification", where)
        parent_id = self._id(item, "parent_id", where)
        return _drop_none(
            {
                "slug": self._organization_slug(item, ext, where),
                "name": item.get("name"),
                "abbreviation": ext.get("abbreviation", self._noted(item, where, "abbreviation")),
                "kind": ext.get("kind") or (classification if classification in vocab.ORGANIZATION_KIND else "other"),
                "parent": ext.get("parent", self.organization(parent_id)),
                "state": ext.get("state", self.state(parent_id)),
                "founded_on": _full_date(item.get("founding_date")),
                "dissolved_on": _full_date(item.get("dissolution_date")),
                "source": self.source_of(item, ext, where),
            }
        )

    def posts(self) -> dict[str, tuple[str, Mapping[str, Any]]]:
        """Each post as an office record; Popolo post id -> (office slug, the post)."""
        posts: dict[str, tuple[str, Mapping[str, Any]]] = {}
        for where, post, ext in self.items("posts"):
            popolo_id = self._id(post, "id", where)
            if not popolo_id or popolo_id in posts:
                continue
            body = self._id(post, "organization_id", where)
            slug = self._id(ext, "slug", where, EXT) or slugify(_key(popolo_id, "post", fallback=True) or "")[:120]
            posts[popolo_id] = (slug, post)
            record = {
                "slug": slug,
                "title": post.get("label") or self._id(post, "role", where),
                "state": ext.get("state", self.state(body)),
                "organization": ext.get("organization", self.organization(body)),
                "seats": ext.get("seats"),
                "note": ext.get("note"),
                "source": self.source_of(post, ext, where),
            }
            self.add("offices", _drop_none(record), where, ext)
        return posts

    def memberships(self) -> None:
        """State memberships of blocs, offices (posts), and offices held by persons (positions)."""
        posts = self.posts()
        made: dict[str, dict[str, Any]] = {}  # offices made for memberships without a post, by slug
        for where, item, ext in self.items("memberships"):
            organization = self._id(item, "organization_id", where)
            if self._id(item, "person_id", where):
                office, post = posts.get(self._id(item, "post_id", where) or "") or (None, {})
                record = self._position(where, item, ext, post)
                record["office"] = self._id(ext, "office", where, EXT) or office or self._made(record, made, where)
                self.add("positions", record, where, ext)
                continue
            member = item.get("member")
            if member is not None and not isinstance(member, dict):
                raise self.fail(where, "member", f"must be a JSON object, not {_json_type(member)}")
            self.add(
                "memberships",
                _drop_none(
                    {
                        "state": ext.get("state") or self.state(self._id(member or {}, "id", where)),
                        "organization": ext.get("organization") or self.organization(organization),
                        "joined_on": _full_date(item.get("start_date")),
                        "left_on": _full_date(item.get("end_date")),
                        "source": self.source_of(item, ext, where),
                    }
                ),
                where,
                ext,
            )

    def _made(self, position: dict[str, Any], made: dict[str, dict[str, Any]], where: str) -> str:
        """The office a membership without a post holds: its body's and title's, one more seat per holder."""
        body = position.get("organization") or position.get("state") or ""
        title = position.get("title")
        slug = slugify(f"{body} {title if isinstance(title, str) else ''}")[:120] or "office"
        office = made.get(slug)
        if office is None:
            office = made[slug] = _drop_none(
                {
                    "slug": slug,
                    "title": title,
                    "state": position.get("state"),
                    "organization": position.get("organization"),
                    "seats": 0,
                }
            )
            self.add("offices", office, where, {})
            self.out.made_offices += 1
        office["seats"] += 1
        return slug

    def _position(
        self, where: str, item: Mapping[str, Any], ext: Mapping[str, Any], post: Mapping[str, Any]
    ) -> dict[str, Any]:
        body = self._id(item, "organization_id", where) or self._id(post, "organization_id", where)
        role = self._id(item, "role", where) or self._id(post, "role", where)
        state = ext.get("state", self.state(body) or self.state(self._id(item, "on_behalf_of_id", where)))
        return _drop_none(
            {
                "person": ext.get("person") or self.person(self._id(item, "person_id", where)),
                "title": item.get("label") or post.get("label") or role,
                "capacity": ext.get("capacity") or (role if role in vocab.CAPACITY else "other"),
                "state": state,
                "organization": ext.get("organization", self.organization(body)),
                "tenure": ext.get("tenure"),
                "evidence": ext.get("evidence"),
                "start_on": _full_date(item.get("start_date")),
                "end_on": _full_date(item.get("end_date")),
                "note": ext.get("note"),
                "source": self.source_of(item, ext, where),
            }
        )

    def events(self) -> None:
        """Events, their participations (attendees and absentees) and counts."""
        for where, item, ext in self.items("events"):
            slug = self._event_slug(item, ext, where)
            popolo_id = self._id(item, "id", where)
            if popolo_id and slug != _key(popolo_id, "event", fallback=True):
                self.event_keys[popolo_id] = slug
            start, precision = _date_and_precision(item.get("start_date"))
            classification = self._id(item, "classification", where)
            relations = []
            for j, r in enumerate(self._list(ext, "relations", f"{where} relations")):
                related = self._id(r, "event_id", f"{where} {EXT}.relations[{j}]")
                relations.append(
                    _drop_none({k: r.get(k) for k in ("relation", "event", "anniversary", "quote", "source")})
                    | ({} if r.get("event") else {"event": self.event(related)})
                )
            self.add(
                "events",
                _drop_none(
                    {
                        "slug": slug,
                        "name": item.get("name"),
                        "kind": ext.get("kind") or (classification if classification in vocab.EVENT_KIND else "other"),
                        "starts_on": ext.get("starts_on", start),
                        "ends_on": ext.get("ends_on", _full_date(item.get("end_date"))),
                        "date_precision": ext.get("date_precision", precision),
                        "city": ext.get("city"),
                        "venue": ext.get("venue", None if "city" in ext else item.get("location")),
                        "host": ext.get("host", self.state(self._id(item, "organization_id", where))),
                        "parent": ext.get("parent", self.event(self._id(item, "parent_id", where))),
                        "duration_minutes": ext.get("duration_minutes"),
                        "troops": ext.get("troops"),
                        "troops_description": ext.get("troops_description"),
                        "prospective": ext.get("prospective", item.get("status") == "prospective" or None),
                        "description": item.get("description"),
                        "quote": ext.get("quote"),
                        "source": self.source_of(item, ext, where),
                        "relations": relations or None,
                        "notes": [
                            _drop_none({k: n.get(k) for k in ("topic", "text", "quote", "source")})
                            for n in self._list(ext, "notes", f"{where} notes")
                        ]
                        or None,
                    }
                ),
                where,
                ext,
            )
            for i, person in enumerate(self._list(item, "attendees", f"{where} attendees")):
                self._participation(slug, person, f"{where} attendees[{i}]")
            for i, person in enumerate(self._list(ext, "absentees", f"{where} absentees")):
                self._participation(slug, person, f"{where} {EXT}.absentees[{i}]")
            for i, c in enumerate(self._list(ext, "counts", f"{where} counts")):
                count = _drop_none(
                    {"event": slug}
                    | {
                        k: c.get(k)
                        for k in (
                            "status",
                            "capacity",
                            "count",
                            "quantifier",
                            "description",
                            "organization",
                            "reported_on",
                            "quote",
                            "source",
                            "rank",
                            "rank_reason",
                        )
                    }
                )
                self.add("counts", count, f"{where} {EXT}.counts[{i}]", c)
        if not self.guessed_events.isdisjoint(self.event_keys):
            raise _Redo(self.event_keys)

    def _participation(self, event: str, person: Mapping[str, Any], where: str) -> None:
        ext = self._ext(person, where)
        claims = [
            # rank words go the YAML way: only CLAIM_KEYS make a record flat enough for the bulk path
            _drop_none({k: c.get(k) for k in (*CLAIM_KEYS, "rank", "rank_reason")})
            for c in self._list(ext, "claims", f"{where} claims")
        ]
        if any(c.get("source") is None for c in claims):
            self.missing_source = True
        slug = ext.get("person", self.person(self._id(person, "id", where)))
        if slug is not None and not isinstance(slug, str):
            raise self.fail(where, f"{EXT}.person", f"must be text, not {_json_type(slug)}")
        if slug and isinstance(person.get("name"), str) and slug not in self.attendee_persons:
            # Plain Popolo may describe an attendee only inside the event.
            record = _drop_none({"slug": slug, "name": person["name"], "source": self.source_of(person, {}, where)})
            self.attendee_persons[slug] = (record, where)
        self.add(
            "attendance",
            _drop_none(
                {
                    "event": event,
                    "person": slug,
                    "state": ext.get("state"),
                    "organization": ext.get("organization"),
                    "role": ext.get("role", "participant"),
                    "capacity": ext.get("capacity", "other"),
                    "description": ext.get("description"),
                    "claims": claims or None,
                }
            ),
            where,
            ext,
        )

    def finish(self) -> dict[str, Any]:
        """The document's own sources, and the persons only attendees described."""
        for slug, (record, where) in self.attendee_persons.items():
            if slug not in self.known_persons:
                self.out.add("persons", record, where, {})
        sources = dict(self.sources)
        if self.missing_source or not sources:
            stem = slugify(Path(self.name).stem) or "document"
            default = {
                "slug": f"popolo-{stem}",
                "title": f"Popolo document {Path(self.name).name}",
                "kind": "reference_dataset",
            }
        else:
            default = sources.pop(next(iter(sources)))
        return {"format": "guestlist/1", "source": default, "sources": list(sources.values())}


SECTION_ORDER = (
    "states",
    "organizations",
    "memberships",
    "offices",
    "persons",
    "positions",
    "events",
    "attendance",
    "counts",
)


class _Redo(Exception):
    def __init__(self, event_keys: dict[str, str]):
        self.event_keys = event_keys


def _convert(data: Any, name: str, make_out: Callable[[int], Held]) -> tuple[dict[str, Any], Held]:
    event_keys = None
    for attempt in (1, 2):
        out = make_out(attempt)
        reader = _Reader(data, name, out, event_keys)
        try:
            reader.persons()
            reader.organizations()
            reader.memberships()
            reader.events()
            document = reader.finish()
        except _Redo as redo:
            event_keys = redo.event_keys
            continue
        finally:
            out.close()
        for key in SECTION_ORDER:
            if out.sections.get(key):
                document[key] = out.sections[key]
        return document, out
    raise AssertionError("a second conversion knows every event key")  # pragma: no cover


def to_seed(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    """A seed document (``guestlist/1``) holding every fact of the Popolo document ``data``."""
    return convert(data, name)[0]


def convert(
    data: Mapping[str, Any], name: str
) -> tuple[dict[str, Any], dict[str, list[tuple[str, Mapping[str, Any]]]]]:
    """The seed document, and per seed section where each record came from in the Popolo document."""
    document, out = _convert(data, name, lambda _attempt: Held())
    return document, _origins(document, out)


def _origins(document: dict[str, Any], out: Held) -> dict[str, list[tuple[str, Mapping[str, Any]]]]:
    return {
        key: [out.origin.get(id(record), (key, {})) for record in records]
        for key, records in document.items()
        if isinstance(records, list) and key != "sources"
    }


def load(db: Database, path: Path | str, *, dry_run: bool = False) -> Any:
    """Import the Popolo file at ``path`` into ``db``, a URL, an engine or a connection (one transaction).

    The file is streamed: flat records (persons, positions, events,
    participations, counts) become bulk files (the loader's ``.rows``) in a temporary
    folder and go through the seed loader's bulk path; the rest is one
    in-memory seed document. Either way every check and message is the
    loader's, worded back in Popolo terms. The spooled files are
    ``transient``: read in full every time, never noted in the ledger, so
    importing an unchanged document writes nothing at all.
    """
    path = Path(path)
    name = str(path)
    source = read(path)
    with tempfile.TemporaryDirectory(prefix="guestlist-popolo-") as folder:

        def spool(attempt: int) -> Spooled:
            (Path(folder) / str(attempt)).mkdir()
            return Spooled(name, (Path(folder) / str(attempt)).resolve())

        document, out = _convert(source, name, spool)
        assert isinstance(out, Spooled)
        origins = _origins(document, out)
        if out.files:
            document["bulk"] = out.bulk()
        try:
            report = load_seeds(db, [(name, document)], dry_run=dry_run, transient=True)
        except SeedError as exc:
            if exc.file == name:
                raise in_popolo_terms(exc, origins) from None
            raise bulk_in_popolo_terms(exc, out) from None
    if out.made_offices:
        report.notes.append(f"offices made from memberships without a post: {out.made_offices}")
    return report


KINDS = ("person", "state", "organization", "event", "post", "position", "state-membership")


def _key(value: Any, kind: str, *, fallback: bool = False) -> str | None:
    """'kim-jong-un' from 'person/kim-jong-un'; another tool's id slugified when ``fallback``.

    None for no id, or an id that names another kind of thing ('state/CHN' is no person).
    """
    if not isinstance(value, str) or not value:
        return None
    if value.startswith(f"{kind}/"):
        return value[len(kind) + 1 :]
    if not fallback or value.split("/", 1)[0] in KINDS:
        return None
    return slugify(value)[:120] or None


def _date_and_precision(value: Any) -> tuple[Any, str | None]:
    match = PARTIAL_DATE.fullmatch(value) if isinstance(value, str) else None
    if not match:
        return value, None
    parts = [p for p in match.groups() if p]
    return _full_date(value), PRECISION[len(parts)]


def _full_date(value: Any) -> Any:
    """'1959' -> '1959-01-01', '2015-09' -> '2015-09-01'; anything else is left for the loader to judge."""
    match = PARTIAL_DATE.fullmatch(value) if isinstance(value, str) else None
    if not match:
        return value
    year, month, day = match.groups()
    return f"{year}-{month or '01'}-{day or '01'}"


def _json_type(value: Any) -> str:
    return {list: "a list", dict: "an object", bool: "true/false", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _drop_none(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v is not None}
