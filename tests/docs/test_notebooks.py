"""The notebooks in ``docs/notebooks/`` are sources, not saved runs: no outputs, and sizes at the top.
(They are executed, with ``allow_errors: false``, by every ``mkdocs build``: see hooks/notebooks.py.)"""

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "docs" / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 6


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs_and_takes_sizes_from_the_top(path):
    nb = json.loads(path.read_text(encoding="utf8"))
    cells = nb["cells"]
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# "), "title first"
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), "saved outputs"
    first = "".join(code[0]["source"])
    assert "CI = bool(os.environ.get(\"CI\"))" in first and "EPOCHS" in first, "sizes belong in the first cell"
    assert "snippets" not in "".join("".join(c["source"]) for c in code), "notebooks must run without this repo"
