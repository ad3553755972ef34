"""Code fits the page: every line a page shows in a code block (included, inline, printed output, notebook
cells) is at most 80 characters, so nothing scrolls sideways in the content column or on a phone.

The width is measured as the reader sees it: includes expanded, and the bodies of admonitions and tabs taken
out of their indentation (which the theme draws as a box, not as leading spaces)."""

import json
from pathlib import Path

import pytest

from tests.page_fences import parser

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
WIDTH = 80
PAGES = sorted(p for p in DOCS.rglob("*.md") if "assets" not in p.relative_to(DOCS).parts)
NOTEBOOKS = sorted(DOCS.rglob("*.ipynb"))


def wide_lines(text, where):
    return [f"{where}: {len(line)} characters: {line}" for line in text.splitlines() if len(line) > WIDTH]


def test_pages_were_found():
    assert len(PAGES) > 20 and NOTEBOOKS


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(DOCS).as_posix() for p in PAGES])
def test_every_code_line_on_the_page_fits(page):
    wide = []
    for token in parser().parse(page.read_text(encoding="utf8")):
        if token.type in ("fence", "code_block"):
            line = token.map[0] + 1 if token.map else "?"
            wide += wide_lines(token.content, f"block at line {line} ({token.info or 'indented'})")
    assert not wide, f"{len(wide)} lines over {WIDTH} characters:\n" + "\n".join(wide[:15])


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_notebook_cell_line_fits(notebook):
    cells = json.loads(notebook.read_text(encoding="utf8"))["cells"]
    wide = []
    for number, cell in enumerate(cells, 1):
        if cell["cell_type"] == "code":
            wide += wide_lines("".join(cell["source"]), f"cell {number}")
    assert not wide, f"{len(wide)} lines over {WIDTH} characters:\n" + "\n".join(wide[:15])
