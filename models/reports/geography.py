"""Where states are: the map's country shapes and the UN's regions, from maintained packages.

Country shapes are world-atlas's Natural Earth 1:110m TopoJSON (package data
in ``models/data/world-atlas``), matched by ISO 3166 numeric code. States too
small for that scale have no shape there; the map draws them as a dot at
the location countryinfo gives (its ``latlng``, from the maintained
mledoze/countries data). Regions are
the UN's, as classified by country_converter, which is part of the optional
``charts`` extra like Altair and vl-convert (:func:`import_extra`).
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files
from typing import Any

from ..errors import GuestlistError

EXTRA_MESSAGE = "charts need the 'charts' extra: pip install 'guestlist[charts]'"
SHAPES = "world-atlas"  # models/data/world-atlas: countries-110m.json, LICENSE, README.md
SHAPES_CREDIT = "Country shapes: Natural Earth 1:110m (public domain), via world-atlas 2.0.2."
LOCATIONS_CREDIT = "Dots: locations from countryinfo."
ANTARCTICA = "010"  # left off the map: no state attends from there, and it takes a fifth of the height


def import_extra(module: str) -> Any:
    """An optional extra's module (the charts extra), or the one-line error naming the extra."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise GuestlistError(EXTRA_MESSAGE) from None


def un_regions(states: dict[str, tuple[str | None, str | None]]) -> dict[str, str]:
    """code -> UN region (country_converter), a historic state taking its successor's.

    ``states`` is the charts' state lookup: code -> (numeric, successor code).
    """
    coco = import_extra("country_converter")
    codes = sorted(states)
    lookup = sorted({*codes, *(succ for _, succ in states.values() if succ)})
    logging.getLogger("country_converter").setLevel(logging.ERROR)  # "SUN not found" is expected
    found = coco.CountryConverter().convert(lookup, src="ISO3", to="UNregion", not_found=None) if lookup else []
    found = found if isinstance(found, list) else [found]
    region = {c: r for c, r in zip(lookup, found) if r}
    out = {}
    for code in codes:
        successor = states[code][1]
        out[code] = region.get(code) or (region.get(successor) if successor else None) or "Unclassified"
    return out


@lru_cache(maxsize=1)
def world_topology() -> dict[str, Any]:
    """world-atlas's countries-110m TopoJSON, without Antarctica."""
    text = files("guestlist.models").joinpath("data", SHAPES, "countries-110m.json").read_text(encoding="utf-8")
    topo = json.loads(text)
    countries = topo["objects"]["countries"]
    countries["geometries"] = [g for g in countries["geometries"] if g.get("id") != ANTARCTICA]
    return topo


@lru_cache(maxsize=1)
def shape_ids() -> frozenset[str]:
    """The ISO 3166 numeric codes that have a shape on the map."""
    return frozenset(g["id"] for g in world_topology()["objects"]["countries"]["geometries"] if "id" in g)


def locations(codes: Iterable[str]) -> dict[str, tuple[float, float]]:
    """ISO alpha-3 code -> (latitude, longitude) from countryinfo; codes it does not know (historic states) left out."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    countryinfo = import_extra("countryinfo")
    found: dict[str, tuple[float, float]] = {}
    for code in wanted:
        try:
            latlng = countryinfo.CountryInfo(code).latlng()
        except LookupError:  # countryinfo.CountryNotFoundError: a historic or unknown code
            continue
        if latlng and len(latlng) == 2:
            found[code] = (float(latlng[0]), float(latlng[1]))
    return found
