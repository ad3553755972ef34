"""Broken pages fail loudly: a missing include names the file, a raising fence names the page and line."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pymdownx.snippets import SnippetMissingError

from tests.page_fences import expand

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def page_dir(tmp_path):
    """A scratch folder inside the repository, so the repository's conftest.py runs its pages."""
    folder = ROOT / ".cache" / "test-pages" / tmp_path.name
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()


def run_pytest(page):
    """A plain pytest run of ``page``. Not a pytest-xdist worker's: with PYTEST_XDIST_WORKER inherited, the
    repository's conftest.py would import TensorFlow up front (about 8 s of CPU) for a page that needs none."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_XDIST_")}
    return subprocess.run([sys.executable, "-m", "pytest", str(page), "-q"], cwd=ROOT, env=env, capture_output=True,
                          text=True)


def test_missing_include_fails_and_names_the_file():
    page = '```python\n--8<-- "snippets/numpy_nn/no_such_module.py:relu"\n```\n'
    with pytest.raises(SnippetMissingError, match="no_such_module.py"):
        expand(page)


def test_missing_section_fails_and_names_it():
    page = '```python\n--8<-- "snippets/numpy_nn/activations.py:no_such_section"\n```\n'
    with pytest.raises(SnippetMissingError, match="no_such_section"):
        expand(page)


def test_raising_fence_fails_and_names_page_and_line(page_dir):
    page = page_dir / "broken.md"
    page.write_text(textwrap.dedent("""\
        # A broken page

        ```python
        x = 1
        ```

        ```python
        y = x + 1
        raise ValueError("the example is wrong")
        ```
        """))
    result = run_pytest(page)
    assert result.returncode == 1
    assert "1 passed" in result.stdout and "1 failed" in result.stdout  # the first fence ran fine, in order
    assert f'File "{page}", line 9' in result.stdout
    assert "ValueError: the example is wrong" in result.stdout


def test_wrong_output_block_fails(page_dir):
    page = page_dir / "stale.md"
    page.write_text('```python\nprint(6 * 7)\n```\n\n``` { .text .output }\n41\n```\n')
    result = run_pytest(page)
    assert result.returncode == 1 and "the page's output block says" in result.stdout
