"""A Popolo JSON document read back as a guestlist seed document.

``guestlist export popolo`` writes standard Popolo plus ``guestlist``
extension objects; this module turns such a file (or plain Popolo from
another tool) into one seed document in the ``guestlist/1`` format and loads
it through :func:`seeds.loader.load`, so validation, upserts by natural key,
one transaction and the error messages are the loader's own.

Extension fields win where present; plain Popolo falls back to the standard
fields: ids of the form ``person/SLUG``, ``state/CODE``, ``organization/SLUG``
and ``event/SLUG`` (or any other id, slugified), ``classification: country``
for states, partial dates such as ``1959`` or ``2015-09`` (stored as the first
day, with the event's ``date_precision``), ``on_behalf_of_id`` for the state a
person served. An attendee of plain Popolo has no status claim (Popolo has no
place for one), so the participation is recorded without a status.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from models import vocab
from models.errors import SeedError

from ..exporters.popolo import EXT, SOURCE_FIELDS, SOURCE_URN, slugify

PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T.*)?")
PRECISION = {1: "year", 2: "month", 3: "day"}
MAX_FILE_BYTES = 64 * 1024 * 1024


def read(path: Path) -> Mapping[str, Any]:
    """The JSON object in ``path``, or one SeedError naming the file."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SeedError(name, None, None, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SeedError(name, None, None, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise SeedError(name, None, None, f"not valid UTF-8 (byte {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SeedError(name, None, None, f"not valid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise SeedError(name, None, None, "not valid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise SeedError(name, None, None, "a Popolo document is a JSON object with persons, organizations, ...")
    return data


class _Reader:
    """Walks one Popolo document and collects seed records section by section."""

    def __init__(self, data: Mapping[str, Any], name: str):
        self.data, self.name = data, name
        self.sources: dict[str, dict[str, Any]] = {}
        self.missing_source = False
        self.attendee_persons: dict[str, dict[str, Any]] = {}
        # id(seed record) -> (where it came from, its guestlist object), for error messages
        self.origin: dict[int, tuple[str, Mapping[str, Any]]] = {}
        ext = self._ext(data, "document")
        for i, record in enumerate(self._list(ext, "sources", "guestlist.sources")):
            where = f"guestlist.sources[{i}]"
            slug = self._text(record, "slug", where)
            self.sources[slug] = {k: record[k] for k in SOURCE_FIELDS if record.get(k) is not None}
        # Popolo id -> natural key, so references resolve whatever ids the document uses.
        self.person_keys = {i["id"]: self._person_slug(i, e) for _, i, e in self.items("persons") if _has_id(i)}
        self.state_keys: dict[str, str] = {}
        self.organization_keys: dict[str, str] = {}
        for where, item, ext in self.items("organizations"):
            if not _has_id(item):
                continue
            if _is_state(item, ext):
                self.state_keys[item["id"]] = self._state_code(item, ext)
            else:
                self.organization_keys[item["id"]] = self._organization_slug(item, ext, where)
        self.event_keys = {i["id"]: self._event_slug(i, e, w) for w, i, e in self.items("events") if _has_id(i)}

    def person(self, popolo_id: Any) -> str | None:
        return self.person_keys.get(popolo_id) or _key(popolo_id, "person", fallback=True)

    def state(self, popolo_id: Any) -> str | None:
        return self.state_keys.get(popolo_id) or _key(popolo_id, "state")

    def organization(self, popolo_id: Any) -> str | None:
        if popolo_id in self.state_keys:
            return None
        return self.organization_keys.get(popolo_id) or _key(popolo_id, "organization", fallback=True)

    def event(self, popolo_id: Any) -> str | None:
        return self.event_keys.get(popolo_id) or _key(popolo_id, "event", fallback=True)

    def _person_slug(self, item: Mapping[str, Any], ext: Mapping[str, Any]) -> str | None:
        name = item.get("name")
        return ext.get("slug") or _key(item.get("id"), "person", fallback=True) or (
            slugify(name) if isinstance(name, str) else None
        )

    def _state_code(self, item: Mapping[str, Any], ext: Mapping[str, Any]) -> str:
        schemes = {i.get("scheme"): i.get("identifier") for i in self._list(item, "identifiers", "identifiers")}
        return ext.get("code") or schemes.get("iso_3166_1_alpha3") or _key(item.get("id"), "state") or item.get("id")

    def _organization_slug(self, item: Mapping[str, Any], ext: Mapping[str, Any], where: str) -> str:
        return (
            ext.get("slug")
            or _key(item.get("id"), "organization", fallback=True)
            or slugify(self._text(item, "name", where))
        )

    def _event_slug(self, item: Mapping[str, Any], ext: Mapping[str, Any], where: str) -> str:
        return ext.get("slug") or _key(item.get("id"), "event", fallback=True) or slugify(self._text(item, "name", where))

    # -- shape checks: one clear line for a document that is not Popolo --

    def fail(self, where: str | None, field: str | None, message: str) -> SeedError:
        return SeedError(self.name, where, field, message)

    def _list(self, holder: Mapping[str, Any], key: str, where: str) -> list[Any]:
        value = holder.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(where, None, "must be a list")
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.fail(f"{where}[{i}]", None, "must be a JSON object")
        return value

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

    def items(self, section: str) -> Iterator[tuple[str, Mapping[str, Any], Mapping[str, Any]]]:
        """(record name, Popolo object, its extension object) for each object of a section."""
        for i, item in enumerate(self._list(self.data, section, section)):
            where = f"{section}[{i}]" + (f" ({item['id']})" if isinstance(item.get("id"), str) else "")
            yield where, item, self._ext(item, where)

    def at(self, record: dict[str, Any], where: str, ext: Mapping[str, Any]) -> dict[str, Any]:
        """Remember where a seed record came from, so the loader's errors can say it in Popolo terms."""
        self.origin[id(record)] = (where, ext)
        return record

    # -- sources ---------------------------------------------------------

    def source_of(self, item: Mapping[str, Any], ext: Mapping[str, Any], where: str) -> str | None:
        """The slug of a record's source: the extension's, else its first Popolo link."""
        slug = ext.get("source")
        if isinstance(slug, str) and slug:
            return slug
        links = self._list(item, "sources", f"{where} sources")
        if not links:
            self.missing_source = True
            return None
        return self.link_source(links[0], where)

    def link_source(self, link: Mapping[str, Any], where: str) -> str:
        link_ext = self._ext(link, where)
        slug = link_ext.get("source")
        url = link.get("url")
        if not (isinstance(slug, str) and slug):
            if not isinstance(url, str) or not url:
                raise self.fail(where, "sources", "a source link needs a url")
            slug = url[len(SOURCE_URN):] if url.startswith(SOURCE_URN) else slugify(url)[:120]
        if slug not in self.sources:
            title = link.get("note") if isinstance(link.get("note"), str) and link.get("note") else url or slug
            record = {"slug": slug, "title": title, "kind": "other"}
            if isinstance(url, str) and not url.startswith(SOURCE_URN):
                record["url"] = url
            self.sources[slug] = record
        return slug

    # -- sections --------------------------------------------------------

    def persons(self) -> list[dict[str, Any]]:
        out = []
        for where, item, ext in self.items("persons"):
            slug = self._person_slug(item, ext)
            names = []
            for j, other in enumerate(self._list(item, "other_names", f"{where} other_names")):
                other_ext = self._ext(other, f"{where} other_names[{j}]")
                names.append(_drop_none({
                    "name": other.get("name"),
                    "kind": other_ext.get("kind", "alternate"),
                    "lang": other.get("lang"),
                    "note": other.get("note"),
                }))
            identifiers = {
                ident["scheme"]: ident.get("identifier")
                for ident in self._list(item, "identifiers", f"{where} identifiers")
                if ident.get("scheme")
            }
            out.append(self.at(_drop_none({
                "slug": slug,
                "name": item.get("name"),
                "sort_name": item.get("sort_name"),
                "birth_date": _full_date(item.get("birth_date")),
                "other_names": names or None,
                "identifiers": identifiers or None,
                "source": self.source_of(item, ext, where),
            }), where, ext))
        return out

    def organizations(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """States (classification ``country``) and the other organizations."""
        states, organizations = [], []
        for where, item, ext in self.items("organizations"):
            if _is_state(item, ext):
                states.append(self.at(self._state(where, item, ext), where, ext))
            else:
                organizations.append(self.at(self._organization(where, item, ext), where, ext))
        return states, organizations

    def _state(self, where: str, item: Mapping[str, Any], ext: Mapping[str, Any]) -> dict[str, Any]:
        schemes = {
            i.get("scheme"): i.get("identifier") for i in self._list(item, "identifiers", f"{where} identifiers")
        }
        official = next(
            (o.get("name") for o in self._list(item, "other_names", where) if o.get("note") == "official name"), None
        )
        return _drop_none({
            "code": self._state_code(item, ext),
            "alpha2": schemes.get("iso_3166_1_alpha2"),
            "numeric": schemes.get("iso_3166_1_numeric"),
            "name": item.get("name"),
            "official_name": ext.get("official_name", official),
            "valid_from": _full_date(item.get("founding_date")),
            "valid_until": _full_date(item.get("dissolution_date")),
            "successor": ext.get("successor"),
            "source": self.source_of(item, ext, where),
        })

    def _organization(self, where: str, item: Mapping[str, Any], ext: Mapping[str, Any]) -> dict[str, Any]:
        classification = item.get("classification")
        abbreviation = next(
            (o.get("name") for o in self._list(item, "other_names", where) if o.get("note") == "abbreviation"), None
        )
        parent_id = item.get("parent_id")
        parent = ext.get("parent", self.organization(parent_id))
        state = ext.get("state", self.state(parent_id))
        return _drop_none({
            "slug": self._organization_slug(item, ext, where),
            "name": item.get("name"),
            "abbreviation": ext.get("abbreviation", abbreviation),
            "kind": ext.get("kind") or (classification if classification in vocab.ORGANIZATION_KIND else "other"),
            "parent": parent,
            "state": state,
            "founded_on": _full_date(item.get("founding_date")),
            "dissolved_on": _full_date(item.get("dissolution_date")),
            "source": self.source_of(item, ext, where),
        })

    def memberships(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """State memberships of blocs, and offices held by persons (positions)."""
        posts = {p.get("id"): p for _, p, _ in self.items("posts")}
        memberships, positions = [], []
        for where, item, ext in self.items("memberships"):
            organization = item.get("organization_id")
            if item.get("person_id"):
                position = self._position(where, item, ext, posts.get(item.get("post_id")) or {})
                positions.append(self.at(position, where, ext))
                continue
            member = item.get("member") if isinstance(item.get("member"), dict) else {}
            memberships.append(self.at(_drop_none({
                "state": ext.get("state") or self.state(member.get("id")),
                "organization": ext.get("organization") or self.organization(organization),
                "joined_on": _full_date(item.get("start_date")),
                "left_on": _full_date(item.get("end_date")),
                "source": self.source_of(item, ext, where),
            }), where, ext))
        return memberships, positions

    def _position(
        self, where: str, item: Mapping[str, Any], ext: Mapping[str, Any], post: Mapping[str, Any]
    ) -> dict[str, Any]:
        body = item.get("organization_id") or post.get("organization_id")
        role = item.get("role") or post.get("role")
        state = ext.get("state", self.state(body) or self.state(item.get("on_behalf_of_id")))
        return _drop_none({
            "person": ext.get("person") or self.person(item.get("person_id")),
            "title": item.get("label") or post.get("label") or role,
            "capacity": ext.get("capacity") or (role if role in vocab.CAPACITY else "other"),
            "state": state,
            "organization": ext.get("organization", self.organization(body)),
            "start_on": _full_date(item.get("start_date")),
            "end_on": _full_date(item.get("end_date")),
            "note": ext.get("note"),
            "source": self.source_of(item, ext, where),
        })

    def events(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        """Events, their participations (attendees and absentees) and counts."""
        events, attendance, counts = [], [], []
        for where, item, ext in self.items("events"):
            slug = self._event_slug(item, ext, where)
            start, precision = _date_and_precision(item.get("start_date"))
            classification = item.get("classification")
            events.append(self.at(_drop_none({
                "slug": slug,
                "name": item.get("name"),
                "kind": ext.get("kind") or (classification if classification in vocab.EVENT_KIND else "other"),
                "starts_on": ext.get("starts_on", start),
                "ends_on": ext.get("ends_on", _full_date(item.get("end_date"))),
                "date_precision": ext.get("date_precision", precision),
                "city": ext.get("city"),
                "venue": ext.get("venue", None if "city" in ext else item.get("location")),
                "host": ext.get("host", self.state(item.get("organization_id"))),
                "parent": ext.get("parent", self.event(item.get("parent_id"))),
                "duration_minutes": ext.get("duration_minutes"),
                "troops": ext.get("troops"),
                "troops_description": ext.get("troops_description"),
                "prospective": ext.get("prospective", item.get("status") == "prospective" or None),
                "description": item.get("description"),
                "quote": ext.get("quote"),
                "source": self.source_of(item, ext, where),
                "relations": [
                    _drop_none({k: r.get(k) for k in ("relation", "event", "anniversary", "quote", "source")})
                    | ({} if r.get("event") else {"event": self.event(r.get("event_id"))})
                    for r in self._list(ext, "relations", f"{where} relations")
                ] or None,
                "notes": [
                    _drop_none({k: n.get(k) for k in ("topic", "text", "quote", "source")})
                    for n in self._list(ext, "notes", f"{where} notes")
                ] or None,
            }), where, ext))
            people = [
                (f"{where} attendees[{i}]", person)
                for i, person in enumerate(self._list(item, "attendees", f"{where} attendees"))
            ] + [
                (f"{where} guestlist.absentees[{i}]", person)
                for i, person in enumerate(self._list(ext, "absentees", f"{where} absentees"))
            ]
            attendance += [self._participation(slug, person, at) for at, person in people]
            for i, c in enumerate(self._list(ext, "counts", f"{where} counts")):
                count = _drop_none({"event": slug} | {k: c.get(k) for k in (
                    "status", "capacity", "count", "quantifier", "description", "organization",
                    "reported_on", "quote", "source", "rank", "rank_reason",
                )})
                counts.append(self.at(count, f"{where} guestlist.counts[{i}]", c))
        return events, attendance, counts

    def _participation(self, event: str, person: Mapping[str, Any], where: str) -> dict[str, Any]:
        ext = self._ext(person, where)
        claims = [
            _drop_none({k: c.get(k) for k in ("status", "reported_on", "quote", "source", "note", "rank", "rank_reason")})
            for c in self._list(ext, "claims", f"{where} claims")
        ]
        slug = ext.get("person", self.person(person.get("id")))
        if slug and isinstance(person.get("name"), str):
            # Plain Popolo may describe an attendee only inside the event.
            self.attendee_persons.setdefault(slug, self.at(
                _drop_none({"slug": slug, "name": person["name"], "source": self.source_of(person, {}, where)}),
                where, {},
            ))
        return self.at(_drop_none({
            "event": event,
            "person": slug,
            "state": ext.get("state"),
            "organization": ext.get("organization"),
            "role": ext.get("role", "participant"),
            "capacity": ext.get("capacity", "other"),
            "description": ext.get("description"),
            "claims": claims or None,
        }), where, ext)


def to_seed(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    """A seed document (``guestlist/1``) holding every fact of the Popolo document ``data``."""
    return convert(data, name)[0]


def convert(data: Mapping[str, Any], name: str) -> tuple[dict[str, Any], dict[str, list[tuple[str, Mapping[str, Any]]]]]:
    """The seed document, and per seed section where each record came from in the Popolo document."""
    reader = _Reader(data, name)
    persons = reader.persons()
    states, organizations = reader.organizations()
    memberships, positions = reader.memberships()
    events, attendance, counts = reader.events()
    known = {p["slug"] for p in persons}
    persons += [p for slug, p in reader.attendee_persons.items() if slug not in known]
    for claim in (c for a in attendance for c in a.get("claims", ())):
        if claim.get("source") is None:
            reader.missing_source = True
    sources = dict(reader.sources)
    if reader.missing_source or not sources:
        stem = slugify(Path(name).stem) or "document"
        default = {"slug": f"popolo-{stem}", "title": f"Popolo document {Path(name).name}", "kind": "reference_dataset"}
    else:
        default = sources.pop(next(iter(sources)))
    document: dict[str, Any] = {"format": "guestlist/1", "source": default, "sources": list(sources.values())}
    for key, records in (
        ("states", states), ("organizations", organizations), ("memberships", memberships),
        ("persons", persons), ("positions", positions), ("events", events),
        ("attendance", attendance), ("counts", counts),
    ):
        if records:
            document[key] = records
    origins = {
        key: [reader.origin.get(id(record), (key, {})) for record in records]
        for key, records in document.items()
        if isinstance(records, list) and key != "sources"
    }
    return document, origins


def load(url: str, path: Path | str, *, dry_run: bool = False) -> Any:
    """Import the Popolo file at ``path`` into the database at ``url`` (one transaction)."""
    from seeds.loader import load as load_seeds

    path = Path(path)
    document, origins = convert(read(path), str(path))
    try:
        return load_seeds(url, [(str(path), document)], dry_run=dry_run)
    except SeedError as exc:
        if exc.file != str(path):
            raise
        raise in_popolo_terms(exc, origins) from None


# Seed fields that come from a standard Popolo field when no guestlist extension gives them.
POPOLO_FIELDS: dict[str, dict[str, str]] = {
    "persons": {"slug": "id", "birth_date": "birth_date", "other_names": "other_names"},
    "states": {"code": "id", "valid_from": "founding_date", "valid_until": "dissolution_date"},
    "organizations": {
        "slug": "id", "kind": "classification", "parent": "parent_id", "state": "parent_id",
        "founded_on": "founding_date", "dissolved_on": "dissolution_date",
    },
    "memberships": {"state": "member", "organization": "organization_id", "joined_on": "start_date",
                    "left_on": "end_date"},
    "positions": {
        "person": "person_id", "title": "label", "capacity": "role", "state": "on_behalf_of_id",
        "organization": "organization_id", "start_on": "start_date", "end_on": "end_date",
    },
    "events": {
        "slug": "id", "kind": "classification", "starts_on": "start_date", "ends_on": "end_date",
        "host": "organization_id", "parent": "parent_id", "venue": "location",
    },
    "attendance": {"person": "id"},
}
SEED_RECORD = re.compile(r"(?P<section>\w+) #(?P<index>\d+)(?: '[^']*')?(?P<rest>.*)", re.S)


def in_popolo_terms(exc: SeedError, origins: Mapping[str, list[tuple[str, Mapping[str, Any]]]]) -> SeedError:
    """The loader's error about a generated seed record, naming the Popolo object and field instead."""
    match = SEED_RECORD.fullmatch(exc.record or "")
    if not match or match.group("section") not in origins:
        return exc
    section, index, rest = match.group("section"), int(match.group("index")) - 1, match.group("rest")
    if not 0 <= index < len(origins[section]):
        return exc
    where, ext = origins[section][index]
    field = exc.field
    if field and field in ext:
        field = f"{EXT}.{field}"
    elif field and not rest:
        field = POPOLO_FIELDS.get(section, {}).get(field, field)
    nested = re.sub(r" (\w+) #(\d+)", lambda m: f" {EXT}.{m.group(1)}[{int(m.group(2)) - 1}]", rest)
    return SeedError(exc.file, f"{where}{nested}", field, exc.message)


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


def _has_id(item: Mapping[str, Any]) -> bool:
    return isinstance(item.get("id"), str) and bool(item["id"])


def _is_state(item: Mapping[str, Any], ext: Mapping[str, Any]) -> bool:
    """Organizations of classification 'country' (or with a state's id or code) are states."""
    return item.get("classification") == "country" or _key(item.get("id"), "state") is not None or "code" in ext


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


def _drop_none(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v is not None}
