"""Broken pages fail loudly: a missing include names the file, a raising fence names the page and line."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pymdownx.snippets import SnippetMissingError

from tests.page_fences import expand

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def page_dir(tmp_path_factory):
    """A scratch folder inside the repository, so the repository's conftest.py runs its pages."""
    folder = ROOT / ".cache" / "test-pages" / tmp_path_factory.mktemp("pages").name
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()


BROKEN = textwrap.dedent("""\
    # A broken page

    ```python
    x = 1
    ```

    ```python
    y = x + 1
    raise ValueError("the example is wrong")
    ```
    """)
STALE = '```python\nprint(6 * 7)\n```\n\n``` { .text .output }\n41\n```\n'


@pytest.fixture(scope="module")
def pages(page_dir, tmp_path_factory):
    """Both broken pages in one plain pytest run (one start-up instead of one per page): (CompletedProcess,
    {page: [(outcome, report) of each fence, in page order]}) with each fence's outcome from a JUnit XML report.

    Not a pytest-xdist worker's run: with PYTEST_XDIST_WORKER inherited, the repository's conftest.py would import
    TensorFlow up front (about 8 s of CPU) for pages that need none."""
    broken, stale = page_dir / "broken.md", page_dir / "stale.md"
    broken.write_text(BROKEN)
    stale.write_text(STALE)
    junit = tmp_path_factory.mktemp("junit") / "pages.xml"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_XDIST_")}
    result = subprocess.run([sys.executable, "-m", "pytest", str(broken), str(stale), "-q", f"--junitxml={junit}"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    fences = {broken: [], stale: []}
    for case in ElementTree.parse(junit).iter("testcase"):
        page = next(p for p in fences if case.get("classname").endswith(f"{page_dir.name}.{p.name}"))
        failure = case.find("failure")
        fences[page].append(("passed", "") if failure is None else ("failed", failure.text))
    return result, fences


def test_missing_include_fails_and_names_the_file():
    page = '```python\n--8<-- "snippets/numpy_nn/no_such_module.py:relu"\n```\n'
    with pytest.raises(SnippetMissingError, match="no_such_module.py"):
        expand(page)


def test_missing_section_fails_and_names_it():
    page = '```python\n--8<-- "snippets/numpy_nn/activations.py:no_such_section"\n```\n'
    with pytest.raises(SnippetMissingError, match="no_such_section"):
        expand(page)


def test_raising_fence_fails_and_names_page_and_line(pages, page_dir):
    result, fences = pages
    page = page_dir / "broken.md"
    assert result.returncode == 1
    assert result.stdout.rstrip().splitlines()[-1].startswith("2 failed, 1 passed"), result.stdout
    (first, _), (second, report) = fences[page]
    assert first == "passed" and second == "failed"  # the first fence ran fine, in order
    for text in (report, result.stdout):
        assert f'File "{page}", line 9' in text
        assert "ValueError: the example is wrong" in text


def test_wrong_output_block_fails(pages, page_dir):
    result, fences = pages
    assert result.returncode == 1
    [(outcome, report)] = fences[page_dir / "stale.md"]
    assert outcome == "failed" and "the page's output block says" in report
    assert "the page's output block says" in result.stdout
