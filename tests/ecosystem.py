"""Shared by the export, import and Datasette tests: seeded databases and a CLI runner.

Each test module gets, per dialect, one database at head holding the bundled
seeds plus ``EDGES``: a few facts the bundled seeds happen not to have (dates
known only to the year or month, a body inside a government, a prospective
event), so every branch of the mappings meets real rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner, Result

from models.migrate import upgrade
from seeds.cli import cli
from seeds.loader import bundled, load

from .conftest import DIALECT_PARAMS
from .databases import fresh_database

EDGES: dict[str, Any] = {
    "format": "guestlist/1",
    "source": {
        "slug": "ecosystem-test-reference",
        "title": "Test reference for the export mappings",
        "kind": "reference_dataset",
        "retrieved_on": "2026-11-29",
    },
    "organizations": [
        {"slug": "test-government", "name": "Test Government", "kind": "government", "state": "CHN"},
        {
            "slug": "test-office", "name": "Test Office", "abbreviation": "TO", "kind": "ministry",
            "parent": "test-government", "state": "CHN", "founded_on": "1954-09-01",
        },
    ],
    "events": [
        {
            "slug": "test-visit-1959", "name": "A visit in 1959", "kind": "visit", "starts_on": "1959-01-01",
            "date_precision": "year", "host": "SUN", "quote": "in 1959",
        },
        {
            "slug": "test-talks-2015-09", "name": "Talks in September 2015", "kind": "bilateral_meeting",
            "starts_on": "2015-09-01", "date_precision": "month", "city": "Moscow",
        },
        {"slug": "test-summit-wished", "name": "A summit only wished for", "kind": "summit", "prospective": True},
    ],
}


def seeded_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database at head with the bundled seeds and EDGES, for a whole test module."""
    with fresh_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        upgrade(url)
        load(url, [*bundled(), ("ecosystem-edges", EDGES)])
        yield url


def seeded_fixture(dialects: list[Any] | None = None):  # type: ignore[no-untyped-def]
    """A module-scoped fixture over ``dialects`` (default: all three)."""
    return pytest.fixture(scope="module", params=dialects or DIALECT_PARAMS)(seeded_database)


def invoke(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database-url", url, *args])
