"""Shared by the export, import and Datasette tests: the facts their seeded databases add to the bundled seeds.

Each test module gets, per dialect, one database at head holding the bundled
seeds plus ``EDGES`` (the ``ecosystem_url`` fixture): a few facts the bundled
seeds happen not to have (dates known only to the year or month, a body
inside a government, a prospective event), so every branch of the mappings
meets real rows.
"""

from __future__ import annotations

from typing import Any

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
