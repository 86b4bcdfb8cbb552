"""The schema as a Mermaid ``erDiagram``, kept in ``docs/schema.md`` between markers.

The diagram is generated from ``models.Base.metadata`` by paracelsus, so it
cannot drift from the models: ``tests/test_erd.py`` fails when the page's
copy differs, and ``python -m guestlist.seeds.docs_blocks`` rewrites it. Column comments are
left out (they would swamp the picture; the data dictionary and the Datasette
metadata carry them); keys, types, nullability and indexes stay.

paracelsus is a development tool (the ``test`` extra), imported only inside
``mermaid()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from guestlist.models import Base

if TYPE_CHECKING:
    from sqlalchemy import MetaData


def mermaid(metadata: MetaData | None = None) -> str:
    """The ``erDiagram`` text for every table of the models, columns in model order."""
    # paracelsus is a development tool (the test extra): imported only when a diagram is drawn.
    from paracelsus.transformers.mermaid import Mermaid

    text = str(Mermaid(metadata if metadata is not None else Base.metadata, "preserve-order", omit_comments=True))
    return "\n".join(line.rstrip() for line in text.strip().splitlines()) + "\n"


def block() -> str:
    """The diagram fenced for GitHub, which renders ```mermaid blocks."""
    return f"```mermaid\n{mermaid()}```\n"
