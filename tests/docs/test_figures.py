"""Every figure a page shows is drawn by registered code, is valid SVG, and has alt text saying what it shows."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from snippets.plots.registry import all_figures

DOCS = Path(__file__).resolve().parents[2] / "docs"
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)")


def figure_references():
    for page in sorted(DOCS.rglob("*.md")):
        for m in IMAGE.finditer(page.read_text(encoding="utf8")):
            yield page.relative_to(DOCS), m.group("alt"), m.group("src")


def test_every_image_is_a_registered_figure_with_descriptive_alt_text():
    registered = set(all_figures())
    problems = []
    for page, alt, src in figure_references():
        name = Path(src).stem
        if "figures/" not in src or name not in registered:
            problems.append(f"{page}: {src} is not a figure drawn by snippets.plots (no committed images)")
        if len(alt.split()) < 5:
            problems.append(f"{page}: alt text {alt!r} for {src} does not say what the figure shows")
    assert not problems, "\n".join(problems)


def test_built_figures_are_valid_svg(built_site):
    figures = sorted((built_site / "figures").glob("*.svg"))
    assert {f.stem for f in figures} == set(all_figures())
    for svg in figures:
        root = ET.parse(svg).getroot()
        assert root.tag.endswith("svg"), svg.name
        assert len(root) > 0, f"{svg.name} is empty"
