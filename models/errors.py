"""The project's own exceptions; the CLI prints them as one line, without a traceback."""

from __future__ import annotations


class GuestlistError(Exception):
    """A problem the user can fix; ``str()`` is the whole message."""


class DatabaseError(GuestlistError):
    """The database cannot be reached or is not in the state a command needs."""


class MigrationError(GuestlistError):
    """Models and migrations disagree, or the database is not at head."""


class NotAtHeadError(MigrationError, DatabaseError):
    """The database is not at the schema this guestlist ships (``guestlist.models.db.migrate.require_head``).

    Both a migration problem and a database not in the state the command
    needs, so code that catches either keeps catching it.
    """


class SeedError(GuestlistError):
    """A seed document is wrong; names the file, the record and the field."""

    def __init__(self, file: str, record: str | None, field: str | None, message: str, line: int | None = None):
        self.file, self.record, self.field, self.line, self.message = file, record, field, line, message
        where = file if line is None else f"{file}:{line}"
        parts = [where]
        if record:
            parts.append(record)
        if field:
            parts.append(f"field '{field}'")
        super().__init__(": ".join(parts) + f": {message}")


class NotFoundError(GuestlistError):
    """A slug or code names nothing; suggests close matches."""


class AmbiguousError(GuestlistError):
    """A name fits more than one row; lists the candidates so the user can pick one by slug."""
