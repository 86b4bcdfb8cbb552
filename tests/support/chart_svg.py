"""Reading back what a chart drew: the SVG's shapes, their level and colour, and image sizes.

Shared by the chart, event-page and README-picture tests. Each state's shape
is a ``path`` whose ``aria-label`` starts with "NAME (CODE): LEVEL" inside a
group of class ``level_<LEVEL>_marks`` (Vega-Lite may insert a
number: ``level_head_0_marks``; a small state's dot is in
``level_<LEVEL>_dot_0_marks``; see ``guestlist.models.reports.charts``).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG_NS = "{http://www.w3.org/2000/svg}"
LEVELS = "head|lower|announced|absent|not_recorded"
LABEL = re.compile(rf"^(?:[AB]: [^:]+: )?(?P<name>.+) \((?P<code>[A-Z]{{3}})\): (?P<level>{LEVELS})\b")
GROUP_LEVEL = re.compile(rf"\blevel_({LEVELS})(?P<dot>_dot)?(?:_\d+)?_marks\b")


@dataclass(frozen=True)
class Shape:
    code: str
    level: str  # from the aria-label
    group_level: str | None  # from the enclosing group's class (maps only)
    fill: str | None
    label: str
    dot: bool = False  # a small state drawn as a dot on the map, not a shape


def parse_svg(data: bytes) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag == f"{SVG_NS}svg", root.tag
    return root


def svg_size(data: bytes) -> tuple[float, float]:
    """The width and height an SVG declares, which its viewBox must agree with."""
    root = parse_svg(data)
    width, height = float(root.attrib["width"]), float(root.attrib["height"])
    assert [float(v) for v in root.attrib["viewBox"].split()] == [0, 0, width, height]
    return width, height


def shapes(data: bytes) -> list[Shape]:
    """Every labelled state shape (map) or cell (compare chart) of an SVG chart."""
    root = parse_svg(data)
    out: list[Shape] = []

    def walk(node: ET.Element, group_level: str | None, dot: bool) -> None:
        match = GROUP_LEVEL.search(node.attrib.get("class", ""))
        here, dot = (match.group(1), bool(match["dot"])) if match else (group_level, dot)
        label = node.attrib.get("aria-label", "")
        parsed = LABEL.match(label)
        if node.tag == f"{SVG_NS}path" and parsed:
            out.append(Shape(parsed["code"], parsed["level"], here, node.attrib.get("fill"), label, dot))
        for child in node:
            walk(child, here, dot)

    walk(root, None, False)
    return out


def png_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        image.load()
        return image.size


def svg_text(data: bytes) -> str:
    """All the words an SVG shows, joined by spaces."""
    return " ".join(t.strip() for t in parse_svg(data).itertext() if t.strip())
