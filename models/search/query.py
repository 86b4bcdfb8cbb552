"""A search query: parsed from what the user typed, then written in each engine's own syntax.

The query's words are folded as the index's are (:func:`guestlist.models.text.terms_of`),
so the same text matches the same entries on every database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import GuestlistError
from ..text import terms_of
from .tables import render_terms

MAX_QUERY = 500  # characters; longer text is not a search
MAX_TERMS = 32

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Query:
    """All of ``groups`` (each: any of its phrases) and none of ``excluded``."""

    groups: tuple[tuple[Phrase, ...], ...]
    excluded: tuple[Phrase, ...] = ()

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(t for group in self.groups for phrase in group for t in phrase)


_TOKEN = re.compile(r'-?"[^"]*"|\S+')


def parse(text: str) -> Query:
    """Words (all must match), "a phrase", ``OR`` between alternatives, ``-word`` to exclude.

    Anything else is refused with one line: unbalanced quotes, an operator
    with nothing to join, a query over :data:`MAX_QUERY` characters or
    without a single word.
    """
    if len(text) > MAX_QUERY:
        raise GuestlistError(f"search text is {len(text):,} characters long; at most {MAX_QUERY} are searched")
    if text.count('"') % 2:
        raise GuestlistError(f"search text {_shown(text)} has an unbalanced '\"': close the phrase")
    groups: list[list[Phrase]] = []
    excluded: list[Phrase] = []
    pending_or = False
    for token in _TOKEN.findall(text):
        if token in ("OR", "|"):
            if not groups or pending_or:
                raise GuestlistError(f"search text {_shown(text)}: 'OR' needs a word on each side")
            pending_or = True
            continue
        if token in ("AND", "&", "+"):
            continue
        negative = token.startswith("-")
        body = token[1:] if negative else token
        if negative and not body:
            raise GuestlistError(f"search text {_shown(text)}: '-' needs a word right after it")
        phrase = terms_of(body.strip('"'))
        if not phrase:
            if pending_or:
                raise GuestlistError(f"search text {_shown(text)}: 'OR' needs a word on each side")
            continue  # punctuation only: nothing to look for in it
        if negative:
            if pending_or:
                raise GuestlistError(
                    f"search text {_shown(text)}: an excluded word cannot be an alternative after 'OR'"
                )
            excluded.append(phrase)
        elif pending_or:
            groups[-1].append(phrase)
        else:
            groups.append([phrase])
        pending_or = False
    if pending_or:
        raise GuestlistError(f"search text {_shown(text)}: 'OR' needs a word on each side")
    if not groups:
        raise GuestlistError(f"search text {_shown(text)} has no word to look for")
    query = Query(tuple(tuple(g) for g in groups), tuple(excluded))
    if sum(len(p) for g in query.groups for p in g) + sum(len(p) for p in excluded) > MAX_TERMS:
        raise GuestlistError(f"search text {_shown(text)} has more than {MAX_TERMS} words; shorten it")
    return query


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def engine_query(query: Query, dialect: str) -> str:
    """The query in the engine's own syntax; always passed as a bound parameter."""
    if dialect == "sqlite":
        phrase = lambda p: '"' + " ".join(p) + '"'  # noqa: E731
        body = " AND ".join("(" + " OR ".join(phrase(p) for p in g) + ")" for g in query.groups)
        body += "".join(f" NOT {phrase(p)}" for p in query.excluded)
        return f"terms : ({body})"
    if dialect == "postgresql":
        phrase = lambda p: "(" + " <-> ".join(f"'{t}'" for t in p) + ")"  # noqa: E731
        parts = ["(" + " | ".join(phrase(p) for p in g) + ")" for g in query.groups]
        return " & ".join(parts + [f"!{phrase(p)}" for p in query.excluded])
    phrase = lambda p: '"' + render_terms(p, "mysql") + '"'  # noqa: E731
    parts = ["+(" + " ".join(phrase(p) for p in g) + ")" for g in query.groups]
    return " ".join(parts + [f"-{phrase(p)}" for p in query.excluded])
