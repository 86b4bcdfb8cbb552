"""The loader's errors about an imported Popolo document, worded back in Popolo terms.

The import goes through the seed loader, whose messages name seed records
and fields (``persons #3``, ``birth_date``); a user of Popolo knows the
object and field of the file (``persons[2]``, ``guestlist.birth_date``).
These functions map one onto the other, for the in-memory seed document
(:func:`in_popolo_terms`) and for the spooled bulk files
(:func:`bulk_in_popolo_terms`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from guestlist.models.errors import SeedError

from ..popolo import EXT
from .popolo_spool import Spooled


def bulk_in_popolo_terms(exc: SeedError, out: Spooled) -> SeedError:
    """The bulk loader's error about a line of a spooled file, naming the Popolo object and field."""
    found = out.place(exc.file, exc.line) if exc.line else None
    if found is None:
        if any(str(path) == exc.file for _, _, path in out.files.values()):
            return SeedError(out.name, exc.record, exc.field, exc.message)
        return exc
    section, where, ext_keys = found
    field = exc.field
    if field and field in ext_keys:
        field = f"{EXT}.{field}"
    elif field:
        field = POPOLO_FIELDS.get(section, {}).get(field, field)
    return SeedError(out.name, where, field, exc.message)


# Seed fields that come from a standard Popolo field when no guestlist extension gives them.
POPOLO_FIELDS: dict[str, dict[str, str]] = {
    "persons": {"slug": "id", "birth_date": "birth_date", "other_names": "other_names"},
    "states": {"code": "id", "valid_from": "founding_date", "valid_until": "dissolution_date"},
    "organizations": {
        "slug": "id",
        "kind": "classification",
        "parent": "parent_id",
        "state": "parent_id",
        "founded_on": "founding_date",
        "dissolved_on": "dissolution_date",
    },
    "memberships": {
        "state": "member",
        "organization": "organization_id",
        "joined_on": "start_date",
        "left_on": "end_date",
    },
    "offices": {"slug": "id", "title": "label", "state": "organization_id", "organization": "organization_id"},
    "positions": {
        "person": "person_id",
        "office": "post_id",
        "title": "label",
        "capacity": "role",
        "state": "on_behalf_of_id",
        "organization": "organization_id",
        "start_on": "start_date",
        "end_on": "end_date",
    },
    "events": {
        "slug": "id",
        "kind": "classification",
        "starts_on": "start_date",
        "ends_on": "end_date",
        "host": "organization_id",
        "parent": "parent_id",
        "venue": "location",
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
