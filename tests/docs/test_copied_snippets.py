"""Every included section works when a reader copies it alone and *uses* it.

For each section a page includes in a Python fence (``--8<-- "snippets/x/y.py:name"``, or a whole file), the
*copy* is the text the site shows (the include expanded with the site's own pymdownx.snippets settings),
preceded by the sections it declares it needs. The copy must:

1. name nothing it does not define or import (pyflakes' undefined names);
2. fit the page: no line wider than 80 characters;
3. run, followed by its *use*, in a fresh process (forked from one that has imported only NumPy, or NumPy and
   Keras), in an empty folder, where this repository's ``snippets`` package cannot be imported, with warnings as
   errors;
4. have a use that calls every public function and class it defines.

The uses live in ``tests/copied/``, one file per snippet module at the mirrored path
(``snippets/numpy_nn/lstm.py`` -> ``tests/copied/numpy_nn/lstm.py``), as two dicts: ``USES`` (section name ->
code run after the copy; ``""`` for a whole-file include) and ``NEEDS`` (section name -> the
``"file:section"`` includes it needs, which every page that shows it must show in an earlier fence).
The sections are found in the pages, so a new include is covered without editing this file.
"""

import ast
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import textwrap
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest

from tests.page_fences import PYTHON_LANGS, _lift_indented_blocks, expand, fence_info

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
USES_DIR = ROOT / "tests" / "copied"
WIDTH = 80
INCLUDE = re.compile(r"""^\s*--8<--\s+["']([^"':]+\.py)(?::([-_0-9A-Za-z]+))?["']\s*$""")

def _markdown_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def _included_fences():
    """{page: [[(file, section), ...] per fence whose body is only include lines, in page order]}."""
    pages = {}
    for page in sorted(DOCS.rglob("*.md")):
        if "notebooks" in page.relative_to(DOCS).parts:
            continue
        lines = _lift_indented_blocks(page.read_text(encoding="utf8").split("\n"))
        fences = []
        for token in _markdown_parser().parse("\n".join(lines)):
            if token.type != "fence" or fence_info(token.info)[0] not in PYTHON_LANGS:
                continue
            body = [line for line in token.content.splitlines() if line.strip()]
            refs = [INCLUDE.match(line) for line in body]
            if body and all(refs):
                fences.append([(m.group(1), m.group(2) or "") for m in refs])
        if fences:
            pages[page.relative_to(DOCS).as_posix()] = fences
    return pages


PAGES = _included_fences()
SECTIONS = sorted({ref for fences in PAGES.values() for fence in fences for ref in fence})


def _key(ref):
    return f"{ref[0]}:{ref[1]}" if ref[1] else ref[0]


def _parse_key(key):
    path, _, section = key.partition(":")
    return path, section


@cache
def shown(ref):
    """The section's text exactly as the site shows it."""
    path, section = ref
    return expand(f'--8<-- "{path}:{section}"' if section else f'--8<-- "{path}"').strip("\n") + "\n"


@cache
def _uses_module(path):
    """(USES, NEEDS) of tests/copied/<path under snippets/>, or ({}, {}) when the file is missing."""
    rel = Path(path).relative_to("snippets")
    file = USES_DIR / rel
    if not file.exists():
        return {}, {}
    spec = importlib.util.spec_from_file_location(f"copied_{'_'.join(rel.with_suffix('').parts)}", file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(getattr(module, "USES", {})), dict(getattr(module, "NEEDS", {}))


def needs(ref):
    return [_parse_key(k) for k in _uses_module(ref[0])[1].get(ref[1], [])]


def use(ref):
    return _uses_module(ref[0])[0].get(ref[1])


def copy_of(ref):
    """The needed sections, then the section: what a reader pastes."""
    return "\n\n".join([shown(n) for n in needs(ref)] + [shown(ref)])


def undefined_names(code):
    from pyflakes import api, messages

    class Collect:
        def __init__(self):
            self.names, self.errors = set(), []

        def flake(self, message):
            if isinstance(message, messages.UndefinedName):
                self.names.add(message.message_args[0])

        def syntaxError(self, filename, msg, lineno, offset, text):  # noqa: N802 (pyflakes' reporter API)
            self.errors.append(f"line {lineno}: {msg}")

        def unexpectedError(self, filename, msg):  # noqa: N802
            self.errors.append(msg)

    reporter = Collect()
    api.check(code, "snippet.py", reporter)
    assert not reporter.errors, reporter.errors
    return reporter.names


def public_names(code):
    """Top-level functions and classes a section defines for readers to call."""
    tree = ast.parse(code)
    return sorted(node.name for node in tree.body
                  if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"))


def names_in(code):
    return {node.id for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Name)}


def test_sections_were_found():
    assert len(SECTIONS) >= 20, SECTIONS


IDS = [_key(ref) for ref in SECTIONS]


@pytest.mark.parametrize("ref", SECTIONS, ids=IDS)
def test_copied_section_defines_every_name_it_uses(ref):
    missing = undefined_names(copy_of(ref))
    assert not missing, (
        f"{_key(ref)} uses {', '.join(sorted(missing))} without defining or importing it: copied alone it "
        f"fails when called. Define it in the section, or list the section that defines it in "
        f"NEEDS of tests/copied/{Path(ref[0]).relative_to('snippets')} (and show it earlier on the page).")


@pytest.mark.parametrize("ref", SECTIONS, ids=IDS)
def test_copied_section_fits_the_page(ref):
    wide = [f"{len(line)}: {line}" for line in shown(ref).splitlines() if len(line) > WIDTH]
    assert not wide, f"{_key(ref)} has {len(wide)} lines over {WIDTH} characters:\n" + "\n".join(wide[:10])


@pytest.mark.parametrize("ref", SECTIONS, ids=IDS)
def test_copied_section_has_a_use_that_calls_it(ref):
    code = use(ref)
    where = f"USES[{ref[1]!r}] in tests/copied/{Path(ref[0]).relative_to('snippets')}"
    assert code is not None, f"{_key(ref)} has no use: add {where}"
    uncalled = set(public_names(shown(ref))) - names_in(textwrap.dedent(code))
    assert not uncalled, f"{where} never uses {', '.join(sorted(uncalled))}"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages_show_what_a_section_needs_before_it(page):
    problems, earlier = [], set()
    for fence in PAGES[page]:
        for ref in fence:
            for needed in needs(ref):
                if needed not in earlier:
                    problems.append(f"{_key(ref)} needs {_key(needed)}, which the page does not show before it")
        earlier.update(fence)
    assert not problems, "\n".join(problems)


def test_every_use_belongs_to_a_shown_section():
    stale = []
    for file in sorted(USES_DIR.rglob("*.py")):
        path = ("snippets" / file.relative_to(USES_DIR)).as_posix()
        for section in _uses_module(path)[0]:
            if (path, section) not in SECTIONS:
                stale.append(f"{file.relative_to(ROOT)}: {section!r} is not included by any page")
    assert not stale, "\n".join(stale)


ENV = {"PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "3", "MPLBACKEND": "Agg", "SNIPPETS_OFFLINE": "1",
       # One thread per pool, for speed: copies run two at a time (and beside the suite's other worker), where
       # NumPy's BLAS and TensorFlow's pools, with a thread per core each, spend CPU spinning on each other.
       **dict.fromkeys(("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "TF_NUM_INTRAOP_THREADS",
                        "TF_NUM_INTEROP_THREADS"), "1")}
# Every copy runs in a child forked from tests/docs/copy_runner.py, which has imported NumPy (and, for a copy that
# imports TensorFlow, Keras) once: a fresh start costs each copy 0.15 s for NumPy and seconds for TensorFlow, and
# some 90 sections are run. The child's namespace is still empty: a copy imports everything it uses itself.
USES_TENSORFLOW = re.compile(r"^\s*(?:import|from)\s+(?:keras|tensorflow)\b", re.M)
PRELOADED = {"light": ("numpy",), "tensorflow": ("numpy", "keras")}


def _run_copies(texts, preload):
    """Paste each of ``texts`` into snippet.py in an empty folder and run it as ``python snippet.py`` would, one
    after another, each in a child of one copy_runner.py that has imported ``preload``: [(rc, stderr)]."""
    results = []
    with tempfile.TemporaryDirectory() as home:
        runner = subprocess.Popen(
            [sys.executable, "-I", "-W", "error", str(Path(__file__).with_name("copy_runner.py")), *preload],
            cwd=home, env=dict(ENV, HOME=home), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        try:
            for text in texts:
                with tempfile.TemporaryDirectory() as folder:
                    (Path(folder) / "snippet.py").write_text(text, encoding="utf8")
                    runner.stdin.write(json.dumps({"folder": folder}) + "\n")
                    runner.stdin.flush()
                    answer = runner.stdout.readline()
                    if not answer:  # the runner itself failed (an import of preload, say)
                        runner.wait(timeout=60)
                        raise RuntimeError(f"copy_runner.py stopped: {runner.stderr.read()[-3000:]}")
                    reply = json.loads(answer)
                    results.append((reply["returncode"], reply["stderr"]))
        finally:
            runner.stdin.close()
            runner.wait(timeout=60)
            runner.stdout.close()
            runner.stderr.close()
    return results


RUNNABLE = [ref for ref in SECTIONS if use(ref) is not None]


@pytest.fixture(scope="module")
def runs(request):
    """{ref: (returncode, stderr)} of copy + use for the selected tests: those that import TensorFlow one after
    another in children of one copy_runner.py, the others in children of another, alongside."""
    selected = [item.callspec.params["ref"] for item in request.session.items
                if getattr(item, "originalname", None) == "test_copied_section_runs_and_works_when_used"]
    texts = {ref: copy_of(ref) + "\n\n# --- used as a reader would ---\n" + textwrap.dedent(use(ref))
             for ref in selected}
    heavy = [ref for ref in selected if USES_TENSORFLOW.search(texts[ref])]
    light = [ref for ref in selected if ref not in heavy]
    with ThreadPoolExecutor(max_workers=1) as pool:
        later = pool.submit(_run_copies, [texts[ref] for ref in heavy], PRELOADED["tensorflow"])
        results = dict(zip(light, _run_copies([texts[ref] for ref in light], PRELOADED["light"]), strict=True))
        results.update(zip(heavy, later.result(), strict=True))
    return results


@pytest.mark.parametrize("ref", RUNNABLE, ids=[_key(ref) for ref in RUNNABLE])
def test_copied_section_runs_and_works_when_used(ref, runs):
    assert "--8<--" not in shown(ref), "an include was not expanded"
    returncode, stderr = runs[ref]
    assert returncode == 0, f"{_key(ref)} fails when copied alone and used:\n---\n{stderr[-3000:]}"
