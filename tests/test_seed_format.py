"""The seed format (guestlist.seeds.loader.format) agrees with the models it maps to.

Every other part of the loader, the seed export and the Popolo importer read
what they need from the format, so a wrong declaration there would be wrong
everywhere at once: these checks catch it without a database.
"""

from __future__ import annotations

import sqlalchemy as sa

from guestlist.models import vocab
from guestlist.seeds.loader.format import BULK_TABLES, DEFINED_BY, REF_KINDS, SECTIONS, TOP_LEVEL, bulk_fields


def _unique_column_sets(table: sa.Table) -> set[tuple[str, ...]]:
    sets = {tuple(c.name for c in k.columns) for k in table.constraints if isinstance(k, sa.UniqueConstraint)}
    sets |= {tuple(c.name for c in i.columns) for i in table.indexes if i.unique}
    sets |= {(c.name,) for c in table.columns if c.unique}
    return sets


def test_bulk_tables_are_the_vocabulary_the_database_checks() -> None:
    assert BULK_TABLES == vocab.BULK_TABLE


def test_every_field_maps_to_a_column_of_its_table() -> None:
    for section in SECTIONS.values():
        for field in section.fields.values():
            if field.nested:
                assert field.nested in SECTIONS and SECTIONS[field.nested].parent[0] == section.name
            else:
                assert field.column in section.table.c, (section.name, field.name)
            if field.type == "ref":
                assert field.ref in REF_KINDS, (section.name, field.name)


def test_natural_keys_are_unique_in_the_database() -> None:
    for section in SECTIONS.values():
        assert section.key_columns in _unique_column_sets(section.table), section.name


def test_kinds_self_references_and_children_are_consistent() -> None:
    assert set(DEFINED_BY.values()) <= set(TOP_LEVEL)
    for name, section in SECTIONS.items():
        if section.self_ref:
            assert section.fields[section.self_ref].ref == section.kind, name
        if section.tree:
            assert section.self_ref, name
        for child in section.children:
            assert SECTIONS[child].parent == (name, SECTIONS[child].parent[1])
            assert SECTIONS[child].parent[1] in SECTIONS[child].table.c
        if section.bulk_child:
            assert section.bulk_child[0] in section.children
            assert set(section.bulk_child[1]) <= set(SECTIONS[section.bulk_child[0]].fields)
    for name in BULK_TABLES:
        assert not any(f.nested for f in bulk_fields(name).values())
