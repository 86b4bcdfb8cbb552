"""Property: any mutation of a valid document loads completely or fails cleanly.

"Completely" means a second load of the same document then writes nothing;
"cleanly" means a SeedError (one line) and every table exactly as before.
Anything else (a driver error, a traceback) fails the test.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from guestlist.models.errors import SeedError
from guestlist.seeds.loader import load

from .support.documents import EXAMPLE, example
from .support.snapshots import snapshot

pytestmark = pytest.mark.dialects

BASE = example()
ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.floats(allow_nan=False),
    st.sampled_from(["", " ", "2025-02-30", "2025-13-01", "not a date", "parade", "XXX", "no-such-slug",
                     "Robert'); DROP TABLE persons; --", "x" * 5000, "\u202eevil", "e\u0301"]),
    st.text(max_size=30), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.just(dt.date(2025, 9, 3)),
)


def places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into the document: sections, records, fields, list items."""
    out = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(places(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out.extend(places(value, (*path, index)))
    return out


PLACES = places(BASE)


def mutate(doc: dict[str, Any], path: tuple[Any, ...], operation: str, value: Any) -> None:
    parent = doc
    for step in path[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return
    last = path[-1]
    if not isinstance(parent, (dict, list)) or (isinstance(parent, list) and not isinstance(last, int)):
        return
    if isinstance(parent, list) and last >= len(parent):
        return
    if isinstance(parent, dict) and last not in parent:
        return
    if operation == "drop":
        del parent[last]
    elif operation == "replace":
        parent[last] = value
    elif operation == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    elif operation == "rename" and isinstance(parent, dict):
        parent[f"{last}x"] = parent.pop(last)


MUTATION = st.tuples(st.sampled_from(PLACES), st.sampled_from(["drop", "replace", "replace", "duplicate", "rename"]), ODD_VALUES)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, Any]:
    doc = copy.deepcopy(BASE)
    for path, operation, value in draw(st.lists(MUTATION, min_size=1, max_size=3)):
        mutate(doc, path, operation, value)
    as_text = draw(st.booleans())
    if not as_text:
        return "memory", doc
    try:
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return "memory", doc
    cut = draw(st.one_of(st.none(), st.integers(0, len(text))))
    if cut is not None:
        text = text[:cut]
    return "text", text


@pytest.fixture(scope="module")
def loaded(db: str) -> str:
    load(db, [EXAMPLE])
    return db


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mutants")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents())
def test_mutated_documents_load_completely_or_fail_cleanly(loaded: str, workdir: Path, mutant: tuple[str, Any]) -> None:
    kind, content = mutant
    if kind == "text":
        path = workdir / "mutant.yaml"
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
        item: Any = path
    else:
        item = ("mutant", content)
    before = snapshot(loaded)
    try:
        load(loaded, [item])
    except SeedError as error:
        event(f"refused: {error.message.split(':')[0][:30]}")
        assert "\n" not in str(error)
        assert snapshot(loaded) == before
        return
    event("loaded")
    again = load(loaded, [item])
    assert (again.added, again.changed) == (0, 0)
