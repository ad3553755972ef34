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
import threading
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402
from pytest_markdown_docs._runners import DefaultRunner, register_runner  # noqa: E402

from tests import page_fences  # noqa: E402

collect_ignore_glob = ["docs/notebooks/*", "hooks/*", "site/*", "benchmarks/*", "tests/data/*"]  # data, not tests
ROOT = Path(__file__).resolve().parent


def pytest_configure(config):
    """In a pytest-xdist worker, whose file descriptor 2 is the terminal's, import TensorFlow up front without the
    C++ start-up lines it writes there before reading TF_CPP_MIN_LOG_LEVEL (the worker would import it anyway)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        from snippets.tf_zoo.cli import quiet_tensorflow

        quiet_tensorflow()


SITE_GROUP = "built-site"  # every test of the built site runs in one pytest-xdist worker, which builds it once


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own, which reads the groups to schedule by them
def pytest_collection_modifyitems(config, items):
    """Keep each file's tests together in one worker when the suite runs in parallel (``-n``): a page's fences
    share one namespace, in page order. The tests of the built site share one worker, and so one build."""
    known = _known_defects()
    for item in items:
        test_id = item.nodeid.split("@")[0]
        if test_id in known:  # a real defect, listed with its reason: the suite fails once it is fixed, too
            item.add_marker(pytest.mark.xfail(strict=True, reason=known[test_id]))
        if not any(mark.name == "xdist_group" for mark in item.iter_markers()):
            uses_site = {"built_site", "site_dir"} & set(getattr(item, "fixturenames", ()))  # site_dir: browser
            group = SITE_GROUP if uses_site else item.nodeid.split("::")[0]
            item.add_marker(pytest.mark.xdist_group(group))


def _known_defects():
    """{test id: reason} from tests/known_defects.txt: hostile-input cases that still fail, in the open."""
    path = ROOT / "tests" / "known_defects.txt"
    if not path.exists():
        return {}
    known = {}
    for line in path.read_text(encoding="utf8").splitlines():
        if line.strip() and not line.startswith("#"):
            test_id, _, reason = line.partition("  # ")
            known[test_id.strip()] = reason.strip() or "known defect"
    return known


def _say(request, text):
    """Print a progress line now, even while pytest captures output."""
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n{text}", flush=True)


@pytest.fixture(scope="session")
def built_site(request, tmp_path_factory):
    """Path of one fresh ``mkdocs build --strict`` per test session (notebooks executed, no stale cache),
    shared by the site tests and the browser tests; any MkDocs warning fails it."""
    site = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TF_CPP_MIN_LOG_LEVEL="3")
    _say(request, "building the site (mkdocs build --strict: notebooks and figures, a few minutes)...")
    start = time.monotonic()
    build = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    log = []
    reader = threading.Thread(target=lambda: log.extend(line.rstrip("\n") for line in build.stdout), daemon=True)
    reader.start()
    while reader.is_alive():  # a line every half minute, so the suite is never silent for long
        reader.join(timeout=30)
        if reader.is_alive():
            last = log[-1][:90] if log else "starting"
            _say(request, f"  ...building the site, {time.monotonic() - start:.0f} s (last: {last})")
    build.wait()
    build.stdout.close()
    if build.returncode != 0:
        pytest.fail("mkdocs build --strict failed:\n" + "\n".join(log)[-6000:], pytrace=False)
    _say(request, f"site built in {time.monotonic() - start:.0f} s")
    warnings = [line for line in log if line.startswith("WARNING")]
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
