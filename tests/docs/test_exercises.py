"""Every concept page ends with exercises, and every exercise has a folded solution.

A page's ``## Exercises`` section holds 3 to 6 exercises, each marked with its difficulty and kind, as in
``**Exercise 2** (medium, implement).``, and each followed by its ``??? success "Solution"`` before the next one
starts. Solutions with code are ordinary fences: the page tests run them, in page order, and they check
themselves with an assert. Each notebook ends with two or three of its page's exercises as cells.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
NOT_CONCEPT_PAGES = {"index.md", "getting-started/index.md", "conclusion.md"}  # overviews, not concepts
CONCEPT_PAGES = sorted(
    p for p in DOCS.rglob("*.md")
    if p.name != "index.md" and p.relative_to(DOCS).as_posix() not in NOT_CONCEPT_PAGES
    and "assets" not in p.relative_to(DOCS).parts
)
NOTEBOOKS = sorted(DOCS.rglob("*.ipynb"))
MARK = re.compile(r"\((easy|medium|hard),\s*(derive|implement|experiment)\b[^)]*\)")
SOLUTION = '??? success "Solution"'


def exercises_section(text):
    """The text of the page's ``## Exercises`` section, or None; and whether it is the page's last section."""
    parts = re.split(r"^## +", text, flags=re.M)
    for i, part in enumerate(parts[1:], 1):
        if part.startswith("Exercises"):
            return part, i == len(parts) - 1
    return None, False


def exercises(section):
    """[(difficulty, kind, text up to the next exercise)] in the section."""
    marks = list(MARK.finditer(section))
    return [(m.group(1), m.group(2), section[m.start():marks[i + 1].start() if i + 1 < len(marks) else None])
            for i, m in enumerate(marks)]


def test_concept_pages_were_found():
    names = {p.relative_to(DOCS).as_posix() for p in CONCEPT_PAGES}
    assert {"fundamentals/activation-functions.md", "architectures/cnn.md", "tutorials/first-cnn.md",
            "practice/first-network.md", "challenges/overfitting.md", "future/transformers.md"} <= names


@pytest.mark.parametrize("page", CONCEPT_PAGES, ids=[p.relative_to(DOCS).as_posix() for p in CONCEPT_PAGES])
def test_concept_page_ends_with_exercises_that_have_solutions(page):
    section, last = exercises_section(page.read_text(encoding="utf8"))
    assert section is not None, "the page has no '## Exercises' section"
    assert last, "'## Exercises' is not the page's last section"
    found = exercises(section)
    assert 3 <= len(found) <= 6, f"{len(found)} exercises marked '(easy|medium|hard, derive|implement|...)'"
    for number, (_, _, text) in enumerate(found, 1):
        assert SOLUTION in text, f"exercise {number} has no {SOLUTION} block before the next exercise"
    assert len({kind for _, kind, _ in found}) >= 2, "the exercises are all of one kind"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_ends_with_exercises_and_runnable_solutions(notebook):
    cells = json.loads(notebook.read_text(encoding="utf8"))["cells"]
    starts = [i for i, c in enumerate(cells)
              if c["cell_type"] == "markdown" and re.search(r"^#+ +Exercises", "".join(c["source"]), re.M)]
    assert starts, "no 'Exercises' heading cell"
    tail = cells[starts[-1]:]
    marked = sum(len(MARK.findall("".join(c["source"]))) for c in tail if c["cell_type"] == "markdown")
    code = [c for c in tail if c["cell_type"] == "code" and "assert" in "".join(c["source"])]
    assert 2 <= marked <= 3, f"{marked} exercises marked '(easy|medium|hard, kind)' after the heading"
    assert code, "the exercises need solution cells that check themselves with an assert"
