"""The schema page's Mermaid diagram (docs/schema.md) is the one the models generate today."""

from __future__ import annotations

import re

import sqlalchemy as sa

from guestlist.models import Base
from guestlist.seeds import docs_blocks, erd
from tests.support.package import ROOT


def test_the_documented_diagram_matches_the_models() -> None:
    shown = docs_blocks.shown("erd", docs=ROOT / "docs")
    assert shown is not None, "docs/schema.md lacks the <!-- erd:start --> ... <!-- erd:end --> markers"
    assert shown == erd.block(), "docs/schema.md's ER diagram is stale: run `python -m guestlist.seeds.docs_blocks` and commit it"


def test_diagram_names_every_table_column_and_foreign_key() -> None:
    text = erd.mermaid()
    assert text.startswith("erDiagram\n")
    for table in Base.metadata.sorted_tables:
        body = re.search(rf"^  {table.name} {{\n(.*?)^  }}", text, flags=re.S | re.M)
        assert body, table.name
        names = [line.split()[1] for line in body.group(1).splitlines()]
        assert names == [c.name for c in table.columns]
        for fk in table.foreign_keys:
            assert f"{fk.column.table.name} ||--o{{ {table.name} : {fk.parent.name}" in text


def test_a_model_change_changes_the_diagram() -> None:
    """The comparison above can fail: one extra column gives another diagram."""
    changed = sa.MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["events"].append_column(sa.Column("weather", sa.String(40)))
    assert "VARCHAR(40) weather" in erd.mermaid(changed)
    assert erd.mermaid(changed) != erd.mermaid()
