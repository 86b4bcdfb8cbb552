"""The example queries: package data that Datasette, the docs and the tests all read.

Each query is one file in ``models/data/queries/``, named ``NN-NAME.sql``:
``NN`` orders them, ``NAME`` is the canned query's name in Datasette
(``/guestlist/NAME``). The file opens with ``--`` comment lines holding one
Markdown paragraph about the query, whose leading ``**bold**`` text is its
title; the rest of the file is the SQL, run as written on SQLite,
PostgreSQL and MariaDB. They live here, not in the README, so that the web
metadata does not depend on a prose file and a query is declared once:
``guestlist.seeds.exporters.datasette`` offers them as canned queries,
``python -m guestlist.seeds.docs_blocks`` writes them into ``docs/sql.md`` (a test fails
when that copy is stale), and ``tests/test_docs.py`` checks every answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files

FOLDER = files("guestlist.models") / "data" / "queries"
FILE_NAME = re.compile(r"(?P<order>\d+)-(?P<name>[a-z0-9][a-z0-9-]*)\.sql")
# "**Who is coming?** Everyone whose ...": the bold lead is the title.
BOLD_LEAD = re.compile(r"\*\*(?P<title>[^*]+)\*\*[:.]?\s*(?P<rest>.*)", re.S)


@dataclass(frozen=True)
class Query:
    """One example query: its name, the Markdown paragraph about it, its SQL."""

    name: str
    about: str
    sql: str

    @property
    def title(self) -> str:
        """The paragraph's bold lead, else the name in words."""
        lead = BOLD_LEAD.fullmatch(self.about)
        return lead.group("title").rstrip(".:") if lead else self.name.replace("-", " ").capitalize()

    def canned(self) -> dict[str, str]:
        """The entry of Datasette's ``queries`` metadata."""
        entry = {"sql": self.sql, "title": self.title}
        if self.about:
            entry["description"] = self.about.replace("**", "")
        return entry

    def markdown(self) -> str:
        """The query as the docs show it: the paragraph, the marker, the SQL block."""
        lead = f"{self.about}\n\n" if self.about else ""
        return f"{lead}<!-- query: {self.name} -->\n```sql\n{self.sql}\n```\n"


def parse(name: str, text: str) -> Query:
    """A query file's text: leading ``--`` lines are the paragraph, the rest the SQL."""
    lines = text.splitlines()
    about: list[str] = []
    while lines and lines[0].startswith("--"):
        about.append(lines.pop(0)[2:].strip())
    sql = "\n".join(lines).strip()
    if not sql:
        raise ValueError(f"query {name}: no SQL after its comment lines")
    return Query(name, " ".join(a for a in about if a), sql)


def load() -> dict[str, Query]:
    """Every query by name, in file-name order."""
    found: dict[str, Query] = {}
    for entry in sorted(FOLDER.iterdir(), key=lambda e: e.name):
        match = FILE_NAME.fullmatch(entry.name)
        if not match:
            continue
        query = parse(match.group("name"), entry.read_text(encoding="utf-8"))
        if query.name in found:
            raise ValueError(f"query name '{query.name}' is used twice in {FOLDER}")
        found[query.name] = query
    return found


def canned() -> dict[str, dict[str, str]]:
    """Datasette's ``queries`` metadata: name -> {sql, title, description}."""
    return {name: query.canned() for name, query in load().items()}


def block() -> str:
    """Every query as Markdown, for the docs between the queries markers."""
    return "\n".join(query.markdown() for query in load().values())
