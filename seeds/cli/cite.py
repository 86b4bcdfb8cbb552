"""``guestlist cite``: every fact of a record with the source that states it, in a citation style, as CSL-JSON or as BibTeX.

The work is ``guestlist.models.reports.citations``; this module reads the
options and writes the result through ``guestlist.seeds.exporters.output``.
The database is opened read-only, as for ``guestlist report``.
"""

from __future__ import annotations

import click

from .report import run_report

FORMATS = ("text", "csl-json", "bibtex")


@click.command()
@click.argument("event", required=False)
@click.option("--person", metavar="PERSON", help="Only this person's claims: a slug or any recorded name.")
@click.option(
    "--state", metavar="STATE", help="Only the claims about this state's participants: an ISO 3166 code or name."
)
@click.option(
    "--history",
    is_flag=True,
    help="Every claim, superseded and deprecated ones too, not only those behind the current record.",
)
@click.option(
    "--style",
    metavar="STYLE",
    default=None,
    help="CSL citation style of the text format: harvard-cite-them-right-11th-edition (default), apa, "
    "chicago-author-date, modern-language-association, ieee, any other name --list-styles prints, or a .csl file.",
)
@click.option("--list-styles", is_flag=True, help="Print the names --style takes, one a line, and stop.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: each claim with its source in the style; csl-json: the sources as CSL items and the claims naming them; "
    "bibtex: one entry per source, keyed by its slug.",
)
@click.option("-o", "--output", metavar="FILE", default="-", help="Write to FILE instead of standard output.")
@click.pass_context
def cite(
    ctx: click.Context,
    event: str | None,
    person: str | None,
    state: str | None,
    history: bool,
    style: str | None,
    list_styles: bool,
    fmt: str,
    output: str,
) -> None:
    """The facts behind EVENT's record, each with the source that states it.

    Per fact (each participant's current status claim and each count claim;
    with --history every claim) the claim in words, its quote and its
    source in a citation style. --person and --state choose the facts of
    one person or one state, at EVENT or at every event. EVENT is an event
    slug (see 'guestlist report events').
    """
    from guestlist.models.errors import GuestlistError
    from guestlist.models.reports import citations
    from guestlist.seeds.exporters.output import write_text

    if list_styles:
        write_text(output, "".join(f"{name}\n" for name in citations.citation_styles()))
        return
    if style is not None and fmt != "text":
        raise GuestlistError(f"--style sets the text format's citations: drop it with --format {fmt}")
    style = style or citations.DEFAULT_STYLE
    if fmt == "text":
        citations.style_path(style)  # an unknown style fails before the database is read
    claims, sources = run_report(
        ctx, lambda db: citations.claims_to_cite(event, person=person, state=state, history=history, db=db)
    )
    if not claims:
        raise GuestlistError("no claims to cite: the record holds none for " + _described(event, person, state))
    if fmt == "csl-json":
        import json

        text = json.dumps(citations.csl_json(claims, sources), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "bibtex":
        text = citations.bibtex(sources.values())
    else:
        text = citations.cited_text(claims, sources, style)
    write_text(output, text)


def _described(event: str | None, person: str | None, state: str | None) -> str:
    parts = [f"event {event}" if event else "", f"person {person}" if person else "", f"state {state}" if state else ""]
    return " and ".join(p for p in parts if p)
