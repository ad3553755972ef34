"""pytest set-up shared by every test, and the runner that executes the site's pages.

Every Python fence in ``docs/`` is a test (pytest-markdown-docs). Includes are expanded first with the same
pymdownx.snippets settings as the site; the fences of one page run in order in one namespace; and a fence that
is followed by a ``{ .text .output }`` block must print exactly that (``UPDATE_OUTPUTS=1`` rewrites the blocks
from a real run instead).
"""

import contextlib
import io
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402
from pytest_markdown_docs._runners import DefaultRunner, register_runner  # noqa: E402

from tests import page_fences  # noqa: E402

collect_ignore_glob = ["docs/notebooks/*", "hooks/*", "site/*", "benchmarks/*", "tests/data/*"]  # data, not tests
ROOT = Path(__file__).resolve().parent


@pytest.hookimpl(trylast=True)  # after the tmp_path plugin's, which makes config._tmp_path_factory
def pytest_configure(config):
    """In a pytest-xdist worker, whose file descriptor 2 is the terminal's, import TensorFlow up front without the
    C++ start-up lines it writes there before reading TF_CPP_MIN_LOG_LEVEL (the worker would import it anyway).
    In the process that hands out the whole suite to workers, start the site build at once: while the workers
    start and collect (some 20 s) a core is partly idle, and the build's tests wait for it at the end."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        from snippets.tf_zoo.cli import quiet_tensorflow

        quiet_tensorflow()
    elif _whole_suite_in_workers(config):
        _site_build(config._tmp_path_factory)


def _whole_suite_in_workers(config):
    """Whether this is pytest-xdist's controller running every test (the testpaths, nothing deselected), which
    includes the tests of the built site; the workers' basetemp is inside its own, so they share the build."""
    return bool(config.getoption("numprocesses", None) and config.args_source == pytest.Config.ArgsSource.TESTPATHS
                and not config.getoption("keyword") and not config.getoption("markexpr")
                and not config.getoption("collectonly") and not os.environ.get("BUILT_SITE"))


SITE_FIXTURES = {"built_site", "site_dir"}  # site_dir: the browser tests' name for it (tests/browser/conftest.py)


def _uses_site(item):
    return bool(SITE_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own, which reads the groups to schedule by them
def pytest_collection_modifyitems(config, items):
    """Keep each file's tests together in one worker when the suite runs in parallel (``-n``): a page's fences
    share one namespace, in page order. The tests of the built site go last: the site is built in the background
    from the start of the session (``pytest_configure``, or ``_site_build_starts``), so by the time a worker
    reaches them it is built."""
    known = _known_defects()
    for item in items:
        test_id = item.nodeid.split("@")[0]
        if test_id in known:  # a real defect, listed with its reason: the suite fails once it is fixed, too
            item.add_marker(pytest.mark.xfail(strict=True, reason=known[test_id]))
        if not any(mark.name == "xdist_group" for mark in item.iter_markers()):
            # The unit a worker takes: a file, or a file's tests of the built site (a unit of their own, handed out
            # at the end with the other site tests, not with the file's first test).
            group = item.nodeid.split("::")[0]
            item.add_marker(pytest.mark.xdist_group(f"{group}-built-site" if _uses_site(item) else group))
    items.sort(key=_uses_site)  # stable: the order within each file is kept


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
    """Print a progress line now, even while pytest captures output (on stderr: a pytest-xdist worker's stdout
    is its channel to the main process, its stderr is the terminal)."""
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n{text}", file=sys.stderr, flush=True)


@pytest.fixture(scope="session")
def say(request):
    """``say(text)``: a progress line now, for a fixture or test that works for long without a test ending (so no
    progress dot): the suite is never silent for long."""
    return lambda text: _say(request, text)


# Runs the build and then writes its exit status, so the status is there even if the worker that started the
# build has ended: ``python -c BUILD LOG STATUS SITE``.
BUILD = """
import os, subprocess, sys
log, status, site = sys.argv[1:]
with open(log, "w") as out:
    code = subprocess.call([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", site],
                           stdout=out, stderr=subprocess.STDOUT)
with open(status + ".partial", "w") as f:
    f.write(str(code))
os.replace(status + ".partial", status)
"""


def _site_build(tmp_path_factory):
    """The folder of this session's one site build, shared by the pytest-xdist workers; the first to ask starts
    the build there (in the background), the others find it started."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "site-build"
    folder.mkdir(exist_ok=True)
    try:
        os.close(os.open(folder / "started", os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        return folder
    # CI: the notebooks' small sizes (their first cell), whether or not this runs in CI: the suite checks that
    # they run, and a full-size run of every notebook would take longer than the rest of the suite.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TF_CPP_MIN_LOG_LEVEL="3", CI=os.environ.get("CI") or "1")
    _builds.append(subprocess.Popen([sys.executable, "-c", BUILD, str(folder / "log"), str(folder / "status"),
                      str(folder / "site")], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, start_new_session=True))
    return folder


_builds = []  # the build this process started, if any


def pytest_sessionfinish(session):
    """Wait for the build this process started: another pytest-xdist worker may still be reading it. Stop it
    (its process group: mkdocs, the figures' workers, the notebooks' kernels) if nobody will: a run without
    workers, or one stopped early (``-x``, Ctrl-C)."""
    for build in _builds:
        if build.poll() is None and (session.shouldfail or session.shouldstop
                                     or not os.environ.get("PYTEST_XDIST_WORKER")):
            os.killpg(build.pid, signal.SIGTERM)
        build.wait()


@pytest.fixture(scope="session", autouse=True)
def _site_build_starts(request, tmp_path_factory):
    """Start building the site as the session starts, when it has tests of the built site (they run last), unless
    it is started already (by pytest-xdist's controller, ``pytest_configure``, or by the other worker)."""
    if not os.environ.get("BUILT_SITE") and any(_uses_site(item) for item in request.session.items):
        _site_build(tmp_path_factory)


@pytest.fixture(scope="session")
def built_site(request, tmp_path_factory):
    """Path of this session's one fresh ``mkdocs build --strict`` (notebooks executed, figures drawn afresh),
    shared by the site tests and the browser tests of every worker; any MkDocs warning fails it."""
    folder = _site_build(tmp_path_factory)
    log, status = folder / "log", folder / "status"
    waited, start, said = not status.exists(), time.monotonic(), 0.0
    if waited:
        _say(request, "waiting for the site build (mkdocs build --strict, started with the session: notebooks "
                      "and figures)...")
    while not status.exists():  # a line every half minute, so the suite is never silent for long
        if time.monotonic() - start - said >= 30:
            said = time.monotonic() - start
            lines = log.read_text(errors="replace").splitlines() if log.exists() else []
            _say(request, f"  ...still building the site, waited {said:.0f} s (last: "
                          f"{lines[-1][:90] if lines else 'starting'})")
        time.sleep(1)
    lines = log.read_text(errors="replace").splitlines()
    if status.read_text().strip() != "0":
        pytest.fail("mkdocs build --strict failed:\n" + "\n".join(lines)[-6000:], pytrace=False)
    if waited:
        _say(request, f"site built (waited {time.monotonic() - start:.0f} s)")
    warnings = [line for line in lines if line.startswith("WARNING")]
    assert not warnings, "\n".join(warnings)
    return folder / "site"


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


@contextlib.contextmanager
def _native_output_to(file):
    """Point file descriptors 1 and 2 at ``file`` while a fence runs: what native code writes there (TensorFlow
    Lite's converter and delegates, C++ logs, a fence's subprocesses) stays out of the suite's output and is shown
    only if the fence fails. pytest-markdown-docs turns pytest's own capture off for fences. Yields a stream on
    the original descriptor 1, where Python's prints still go."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    os.dup2(file.fileno(), 1)
    os.dup2(file.fileno(), 2)
    try:
        with open(saved[0], "w", encoding="utf8", closefd=False) as terminal:
            yield terminal
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, original in zip((1, 2), saved, strict=True):
            os.dup2(original, fd)
            os.close(original)


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
        with tempfile.TemporaryFile(mode="w+", encoding="utf8", errors="replace") as native, \
                _native_output_to(native) as terminal:
            printed = _Tee(terminal)
            try:
                with contextlib.redirect_stdout(printed):
                    super().runtest(test, self.namespace, asyncio_runner=asyncio_runner)
            except BaseException as error:
                native.seek(0)
                if text := native.read().strip():
                    error.add_note(f"What native code wrote to the terminal meanwhile:\n{text[-3000:]}")
                raise
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
