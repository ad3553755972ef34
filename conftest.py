"""pytest set-up shared by every test, and the runner that executes the site's pages.

Every Python fence in ``docs/`` is a test (pytest-markdown-docs). Includes are expanded first with the same
pymdownx.snippets settings as the site; the fences of one page run in order in one namespace; and a fence that
is followed by a ``{ .text .output }`` block must print exactly that (``UPDATE_OUTPUTS=1`` rewrites the blocks
from a real run instead).
"""

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402
from pytest_markdown_docs._runners import DefaultRunner, register_runner  # noqa: E402

from tests import page_fences  # noqa: E402

collect_ignore_glob = ["docs/notebooks/*", "hooks/*", "site/*", "benchmarks/*", "tests/data/*"]  # data, not tests
ROOT = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """Path of one fresh ``mkdocs build --strict`` per test session (notebooks executed, no stale cache),
    shared by the site tests and the browser tests; any MkDocs warning fails it."""
    site = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stderr[-6000:]}", pytrace=False)
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING -")]
    assert not warnings, "\n".join(warnings)
    return site


@pytest.hookimpl(tryfirst=True)
def pytest_markdown_docs_markdown_it():
    return page_fences.parser()


class _Tee(io.StringIO):
    """Collects what a fence prints and still shows it on the terminal."""

    def __init__(self, terminal):
        super().__init__()
        self.terminal = terminal

    def write(self, s):
        self.terminal.write(s)
        return super().write(s)


@register_runner(default=True)
class PageRunner(DefaultRunner):
    """Runs the fences of a page in one namespace and checks each fence's printed output."""

    def __init__(self):
        self.page = None
        self.namespace = {}
        self.fences = {}

    def runtest(self, test, args, *, asyncio_runner=None):
        path = str(test.source_path)
        if path != self.page:
            self.page, self.namespace = path, {"__name__": "__main__"}
            with open(path, encoding="utf8") as f:
                self.fences = {start: (idx, out) for start, idx, out in page_fences.python_fences(f.read())}
        for key, value in args.items():
            if key != "__builtins__":
                self.namespace.setdefault(key, value)
        printed = _Tee(sys.stdout)
        with contextlib.redirect_stdout(printed):
            super().runtest(test, self.namespace, asyncio_runner=asyncio_runner)
        index, expected = self.fences.get(test.start_line, (None, None))
        if index is None:
            return
        actual = printed.getvalue()
        if os.environ.get("UPDATE_OUTPUTS") == "1":
            with open(path, encoding="utf8") as f:
                text = f.read()
            new = page_fences.replace_output(text, index, actual)
            if new != text:
                with open(path, "w", encoding="utf8") as f:
                    f.write(new)
        elif not page_fences.outputs_match(expected, actual):
            raise AssertionError(
                f"{path}:{test.start_line}: the fence printed\n{actual}\nbut the page's output block says\n"
                f"{expected}\n(run with UPDATE_OUTPUTS=1 to rewrite the block from this run)"
            )
