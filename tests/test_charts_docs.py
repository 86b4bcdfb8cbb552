"""The README's pictures are the bundled data's: drawn again, they must equal the committed files.

When this fails after a change to the bundled seeds or to ``guestlist.models.reports.charts``,
run ``python -m guestlist.seeds.charts_docs`` and commit ``docs/images/``.
"""

from __future__ import annotations

from pathlib import Path

from guestlist.seeds.charts_docs import bundled_pictures, main, stale
from tests.support.package import ROOT

from .support.chart_svg import shapes, svg_size

IMAGES = ROOT / "docs" / "images"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_committed_pictures_are_up_to_date() -> None:
    drawn = bundled_pictures()
    assert set(drawn) == {"map-2025.svg", "compare-2015-2025.svg"}
    assert stale(IMAGES, drawn) == [], "run: python -m guestlist.seeds.charts_docs"
    for name, data in drawn.items():
        assert f"](docs/images/{name})" in README, name
        width, height = svg_size(data)
        # the compare chart grows a row per state recorded at either parade
        assert 400 < width < 2000 and 200 < height < 6000
    levels = {s.code: s.level for s in shapes(drawn["map-2025.svg"])}
    assert levels["PRK"] == "head" and levels["USA"] == "absent"


def test_check_reports_a_stale_picture(tmp_path: Path) -> None:
    (tmp_path / "map-2025.svg").write_bytes(b"<svg/>")
    assert main(["--check", "--out", str(tmp_path)]) == 1
    assert main(["--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compare-2015-2025.svg", "map-2025.svg"]
    assert stale(IMAGES, {p.name: p.read_bytes() for p in tmp_path.iterdir()}) == []  # what --check compares
