"""What a load did, per document and table, and how it is shown."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class TableTally:
    """Rows of one table touched by one document.

    YAML records are counted by natural key (sets), so an entity added by the
    first pass and linked to its parent by the second still counts once;
    bulk writers add plain numbers.
    """

    added: set[Any] = field(default_factory=set)
    changed: set[Any] = field(default_factory=set)
    unchanged: set[Any] = field(default_factory=set)
    extra: dict[str, int] = field(default_factory=lambda: {"added": 0, "changed": 0, "unchanged": 0})
    # ("added" | "changed", what): the records a dry run lists
    details: list[tuple[str, str]] = field(default_factory=list)

    def count(self, what: str) -> int:
        return len(getattr(self, what)) + self.extra[what]

    def mark_added(self, key: Any, title: str) -> None:
        self.added.add(key)
        self.details.append(("added", title))

    def mark_changed(self, key: Any, title: str, fields: list[str]) -> None:
        if key not in self.added:
            self.changed.add(key)
            self.unchanged.discard(key)
            self.details.append(("changed", f"{title}: {', '.join(fields)}"))


@dataclass
class DocumentReport:
    name: str
    tables: dict[str, TableTally] = field(default_factory=dict)
    # Bulk files not read: the ledger holds them as applied (guestlist.seeds.loader.ledger).
    skipped: list[str] = field(default_factory=list)

    def table(self, name: str) -> TableTally:
        return self.tables.setdefault(name, TableTally())

    def total(self, what: str) -> int:
        return sum(t.count(what) for t in self.tables.values())

    @property
    def added(self) -> int:
        return self.total("added")

    @property
    def changed(self) -> int:
        return self.total("changed")

    @property
    def unchanged(self) -> int:
        return self.total("unchanged")

    def details(self) -> list[tuple[str, str]]:
        return [detail for table in self.tables.values() for detail in table.details]

    def as_dict(self, details: bool = False) -> dict[str, Any]:
        listed = {"records": [{"action": a, "record": r} for a, r in self.details()]} if details else {}
        return {
            "name": self.name,
            "added": self.added,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "tables": {
                name: {what: t.count(what) for what in ("added", "changed", "unchanged")}
                for name, t in sorted(self.tables.items())
                if t.count("added") or t.count("changed") or t.count("unchanged")
            },
            "skipped_files": list(self.skipped),
            **listed,
        }


@dataclass
class LoadSummary:
    """What one :func:`guestlist.seeds.loader.load` did: the counts per document and table, and how they are shown.

    Not one of the reports on the data (``guestlist.models.reports``): a summary of a load.
    """

    documents: list[DocumentReport]
    dry_run: bool = False
    # Lines a caller adds about what it did to the input before loading it (an importer's guesses).
    notes: list[str] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(d.added for d in self.documents)

    @property
    def changed(self) -> int:
        return sum(d.changed for d in self.documents)

    @property
    def unchanged(self) -> int:
        return sum(d.unchanged for d in self.documents)

    def tables(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for doc in self.documents:
            for name, counts in doc.as_dict()["tables"].items():
                row = out.setdefault(name, {"added": 0, "changed": 0, "unchanged": 0})
                for what, n in counts.items():
                    row[what] += n
        return dict(sorted(out.items()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "added": self.added,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "documents": [d.as_dict(details=self.dry_run) for d in self.documents],
            **({"notes": list(self.notes)} if self.notes else {}),
        }

    def headline(self) -> str:
        text = f"{self.added} added, {self.changed} changed, {self.unchanged} unchanged"
        return text + (" (dry run: nothing written)" if self.dry_run else "")

    def render(self, fmt: str = "table") -> str:
        if fmt == "json":
            return json.dumps(self.as_dict(), indent=2)
        rows = [(d.name, d.added, d.changed, d.unchanged) for d in self.documents]
        rows.append(("total", self.added, self.changed, self.unchanged))
        text = render_table(("document", "added", "changed", "unchanged"), rows)
        if self.dry_run:
            text += "".join(self._listing(d) for d in self.documents)
        skipped = sum(len(d.skipped) for d in self.documents)
        if skipped:
            text += (
                f"\n{skipped} bulk file{'s' if skipped > 1 else ''} not read: unchanged since loaded in full "
                "(--recheck reads every file)"
            )
        text += "".join(f"\n{note}" for note in self.notes)
        return text + "\n" + self.headline()

    @staticmethod
    def _listing(document: DocumentReport) -> str:
        """What a dry run would write: '+' a new record, '~' a changed one with its fields."""
        details = document.details()
        if not details:
            return ""
        lines = [f"  {'+' if action == 'added' else '~'} {what}" for action, what in details]
        return f"\n\n{document.name} would:\n" + "\n".join(lines)


def render_table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    """A plain aligned text table: text left, numbers right."""
    cells = [tuple(str(c) for c in header)] + [tuple("" if c is None else str(c) for c in row) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    numeric = [all(isinstance(row[i], int) for row in rows) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(row, widths, numeric)).rstrip()

    return "\n".join([line(cells[0]), line(tuple("-" * w for w in widths))] + [line(r) for r in cells[1:]])
