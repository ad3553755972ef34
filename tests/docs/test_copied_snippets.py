"""Every included snippet runs when a reader copies it alone: exactly the text the site shows (the include
expanded with the site's own pymdownx.snippets settings), pasted into a fresh file in an empty folder, run by a
fresh interpreter that cannot import this repository (only the packages of ``requirements.txt``).

The snippets are found in the pages, so a new page or include is covered without editing this file.
"""

import os
import subprocess
import sys
import tempfile
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.page_fences import PYTHON_LANGS, _lift_indented_blocks, expand, fence_info

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

# Runs the copied file as `python snippet.py` would, except that `snippets` (this repository's package, which
# the development environment has installed) cannot be imported: a reader's fresh environment lacks it.
RUNNER = textwrap.dedent("""
    import importlib.abc, runpy, sys
    class NotInstalled(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "snippets":
                raise ModuleNotFoundError(f"No module named {name!r} (a reader's environment has only "
                                          "the packages of requirements.txt)")
    sys.meta_path.insert(0, NotInstalled())
    sys.argv = ["snippet.py"]
    runpy.run_path("snippet.py", run_name="__main__")
""")


def _markdown_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def included_snippets():
    """[(id, text)] of every Python fence on the site whose body is include lines, as the site renders it."""
    found = {}
    for page in sorted(DOCS.rglob("*.md")):
        if "notebooks" in page.relative_to(DOCS).parts:
            continue
        lines = _lift_indented_blocks(page.read_text(encoding="utf8").split("\n"))
        for token in _markdown_parser().parse("\n".join(lines)):
            body = token.content.strip() if token.type == "fence" else ""
            if fence_info(token.info)[0] not in PYTHON_LANGS or not body:
                continue
            if not all(line.strip().startswith("--8<--") for line in body.splitlines() if line.strip()):
                continue
            text = expand(token.content)
            key = f"{page.relative_to(DOCS)}:{token.map[0] + 1}"
            found.setdefault(text, key)  # the same snippet on two pages runs once
    return sorted((key, text) for text, key in found.items())


SNIPPETS = included_snippets()


def test_snippets_were_found():
    assert len(SNIPPETS) >= 5, SNIPPETS


def _run_copied(text):
    """Paste ``text`` into snippet.py in an empty folder and run it in a fresh interpreter; (rc, stderr)."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "snippet.py").write_text(text, encoding="utf8")
        env = {"PATH": "/usr/bin:/bin", "HOME": folder, "TF_CPP_MIN_LOG_LEVEL": "3", "MPLBACKEND": "Agg",
               "SNIPPETS_OFFLINE": "1"}
        result = subprocess.run([sys.executable, "-I", "-W", "error::RuntimeWarning", "-c", RUNNER],
                                cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    return result.returncode, result.stderr


@pytest.fixture(scope="module")
def runs():
    """{snippet text: (returncode, stderr)}, run two at a time (each is its own process)."""
    texts = [text for _, text in SNIPPETS]
    with ThreadPoolExecutor(max_workers=max(1, min(2, os.cpu_count() or 1))) as pool:
        return dict(zip(texts, pool.map(_run_copied, texts), strict=True))


@pytest.mark.parametrize("text", [text for _, text in SNIPPETS], ids=[key for key, _ in SNIPPETS])
def test_included_snippet_runs_alone_when_copied(text, runs):
    assert "--8<--" not in text, "an include was not expanded"
    returncode, stderr = runs[text]
    assert returncode == 0, f"the snippet fails when copied alone:\n{text}\n---\n{stderr[-3000:]}"
