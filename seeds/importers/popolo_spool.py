"""Where a Popolo import puts the records it reads: held in memory, or spooled to bulk files.

A large document is never held whole: its flat records (persons, positions,
events, attendances with their claims, counts) are written as the loader's
``.rows`` bulk files in a temporary folder (:class:`Spooled`), and only what
cannot be flat (states, organizations, memberships, persons with other names
or identifiers, events with relations or notes) is held as one in-memory seed
document (:class:`Held`), up to ``MAX_HELD_RECORDS``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from guestlist.models.errors import SeedError

from ..loader.bulk import MAX_LINE
from ..loader.format import BULK_TABLES, RANK_FIELDS, SECTIONS, bulk_fields
from ..popolo import EXT

# Records that cannot go to a bulk file (states, organizations, memberships,
# persons with other names or identifiers, events with relations or notes)
# are held in memory as one seed document; beyond this many, a document is
# refused instead of exhausting memory.
MAX_HELD_RECORDS = 200_000
# Columns of the bulk files a large document becomes: the seed format's bulk
# columns (the first line of a spooled bulk file names them), but a rank: a
# ranked count goes the YAML way, where its reason is checked.
BULK_COLUMNS: dict[str, tuple[str, ...]] = {
    section: tuple(name for name in bulk_fields(section) if name not in RANK_FIELDS) for section in BULK_TABLES
}
CLAIM_KEYS = SECTIONS["attendance"].bulk_child[1]  # type: ignore[index]  # the claim fields an attendance row carries
_COLUMN_SETS = {section: frozenset(columns) for section, columns in BULK_COLUMNS.items()}
_CLAIM_SET = frozenset(CLAIM_KEYS)
_ATTENDANCE_SET = _COLUMN_SETS["attendance"] | {"claims"}
_POSITION = {c: i for i, c in enumerate(BULK_COLUMNS["attendance"])}  # a claim's field in an attendance row
SPOOL_ROWS = 1_000  # rows per line of a spooled bulk file
MAX_SPOOL_LINE = MAX_LINE // 2  # characters: a batch line stays at half the line length the loader refuses
_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":")).encode


class Held:
    """Where converted records go: lists of seed records, with where each came from."""

    def __init__(self) -> None:
        self.sections: dict[str, list[dict[str, Any]]] = {}
        self.origin: dict[int, tuple[str, Mapping[str, Any]]] = {}  # id(record) -> (Popolo place, its extension)
        self.count = 0
        self.made_offices = 0  # offices the importer made for memberships without a post (reported, never silent)

    def add(self, section: str, record: dict[str, Any], where: str, ext: Mapping[str, Any]) -> None:
        self.count += 1
        self.origin[id(record)] = (where, ext)
        self.sections.setdefault(section, []).append(record)

    def close(self) -> None:
        pass


class Spooled(Held):
    """Flat records streamed to bulk files; the rest held as in :class:`_Held`.

    The bulk files are the loader's ``.rows`` format: a JSON array of the
    columns, then one line per :data:`SPOOL_ROWS` rows, each a JSON array of
    rows: one encode and one decode per thousand rows, no keys repeated
    (measured against the JSON Lines it replaces: about a tenth less CPU for
    a whole import of 50,000 persons). Beside each bulk file a second file holds, line for line,
    where each row came from in the Popolo document, read back only to word
    an error.
    """

    def __init__(self, name: str, folder: Path):
        super().__init__()
        self.name, self.folder = name, folder
        self.files: dict[str, tuple[Any, Any, Path]] = {}
        self.pending: dict[str, list[list[Any]]] = {}
        self.ext_keys: dict[tuple[str, tuple[str, ...]], str] = {}

    def add(self, section: str, record: dict[str, Any], where: str, ext: Mapping[str, Any]) -> None:
        if section not in BULK_COLUMNS or not self._flat(section, record):
            if self.count >= MAX_HELD_RECORDS:
                raise SeedError(
                    self.name,
                    where,
                    None,
                    f"more than {MAX_HELD_RECORDS:,} records that cannot be "
                    "streamed (states, organizations, memberships, persons with other names or identifiers, "
                    "events with relations or notes, attendees without claims)",
                )
            super().add(section, record, where, ext)
            return
        rows, places, _ = self._file(section)
        columns = BULK_COLUMNS[section]
        # Where the row came from, one line of text: "place<TAB>extension keys".
        place = where if where.isprintable() else where.encode("unicode_escape").decode("ascii")
        shape = (section, tuple(ext))
        keys = self.ext_keys.get(shape)
        if keys is None:
            keys = ",".join(k for k in ext if k in _COLUMN_SETS[section])
            if len(self.ext_keys) < 1_000:  # a document's extensions come in a few shapes; a hostile one, in many
                self.ext_keys[shape] = keys
        pending = self.pending[section]
        if section == "attendance":
            base = list(map(record.get, columns))
            for i, claim in enumerate(record.pop("claims")):
                row = base.copy()
                for key, value in claim.items():
                    row[_POSITION[key]] = value
                pending.append(row)
                places.write(f"{place} {EXT}.claims[{i}]\t{keys}\n")
        else:
            pending.append(list(map(record.get, columns)))
            places.write(f"{place}\t{keys}\n")
        if len(pending) >= SPOOL_ROWS:
            self._flush(section)

    def _flush(self, section: str) -> None:
        pending, rows = self.pending[section], self.files[section][0]
        if pending:
            text = _encode(pending)
            if len(text) < MAX_SPOOL_LINE:
                rows.write(text + "\n")
            else:  # long texts: a line per row, as short as the JSON Lines lines were
                rows.writelines(_encode([row]) + "\n" for row in pending)
            pending.clear()

    @staticmethod
    def _flat(section: str, record: dict[str, Any]) -> bool:
        """Whether the bulk path can carry ``record`` exactly.

        An empty text is null in a bulk file (as an empty CSV cell), so a
        record holding one goes the YAML way, which keeps it: a Popolo round
        trip then gives back '' where '' was stored.
        """
        if "" in record.values():
            return False
        if section == "attendance":
            claims = record.get("claims")
            return (
                bool(claims)
                and record.keys() <= _ATTENDANCE_SET
                and all(isinstance(c, dict) and c.keys() <= _CLAIM_SET and "" not in c.values() for c in claims)
            )
        return record.keys() <= _COLUMN_SETS[section]

    def _file(self, section: str) -> tuple[Any, Any, Path]:
        if section not in self.files:
            path = self.folder / f"{section}.rows"
            places = (self.folder / f"{section}.where").open("w", encoding="utf-8", newline="\n")
            self.files[section] = (path.open("w", encoding="utf-8"), places, path)
            self.files[section][0].write(_encode(list(BULK_COLUMNS[section])) + "\n")
            self.pending[section] = []
        return self.files[section]

    def close(self) -> None:
        for section, (rows, places, _) in self.files.items():
            self._flush(section)
            rows.close()
            places.close()

    def bulk(self) -> list[dict[str, str]]:
        return [{"table": section, "file": str(path)} for section, (_, _, path) in self.files.items()]

    def place(self, file: str, line: int) -> tuple[str, str, list[str]] | None:
        """(section, Popolo place, extension keys) of line ``line`` of one of the bulk files."""
        for section, (_, _, path) in self.files.items():
            if str(path) == file:
                with (self.folder / f"{section}.where").open(encoding="utf-8", newline="\n") as handle:
                    for number, text in enumerate(handle, start=1):
                        if number == line:
                            where, _, keys = text.rstrip("\n").rpartition("\t")
                            return section, where, keys.split(",") if keys else []
        return None
