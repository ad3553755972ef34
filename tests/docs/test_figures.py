"""Every figure a page shows is drawn by registered code, is valid SVG, and has alt text saying what it shows; and
the figure cache of hooks/figures.py redraws exactly the figures whose code an edit touches."""

import importlib.util
import re
import shutil
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from snippets.plots.registry import all_figures

DOCS = Path(__file__).resolve().parents[2] / "docs"
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)")


def figure_references():
    for page in sorted(DOCS.rglob("*.md")):
        for m in IMAGE.finditer(page.read_text(encoding="utf8")):
            yield page.relative_to(DOCS), m.group("alt"), m.group("src")


def test_every_image_is_a_registered_figure_with_descriptive_alt_text():
    registered = set(all_figures())
    problems = []
    for page, alt, src in figure_references():
        name = Path(src).stem
        if "figures/" not in src or name not in registered:
            problems.append(f"{page}: {src} is not a figure drawn by snippets.plots (no committed images)")
        if len(alt.split()) < 5:
            problems.append(f"{page}: alt text {alt!r} for {src} does not say what the figure shows")
    assert not problems, "\n".join(problems)


def test_built_figures_are_valid_svg(built_site):
    figures = sorted((built_site / "figures").glob("*.svg"))
    drawn = {f.name.removesuffix(".svg") for f in figures if not f.name.endswith(".narrow.svg")}
    assert drawn == set(all_figures())
    narrow = {f.name.removesuffix(".narrow.svg") for f in figures if f.name.endswith(".narrow.svg")}
    assert narrow and narrow <= drawn, "a narrow variant (panels stacked for phones) without its figure"
    for svg in figures:
        root = ET.parse(svg).getroot()
        assert root.tag.endswith("svg"), svg.name
        assert len(root) > 0, f"{svg.name} is empty"


def test_no_built_figure_is_a_placeholder(built_site):
    for svg in sorted((built_site / "figures").glob("*.svg")):
        assert "data-figure-placeholder" not in svg.read_text(encoding="utf8")[:2000], f"{svg.name} was not drawn"


# The figure cache of hooks/figures.py, on a small project of its own: its keys, what an edit redraws, the
# placeholders while serving. No timing is asserted.

ROOT = DOCS.parent
FIGURE = """
from matplotlib.figure import Figure

from snippets.plots.registry import figure


@figure("{name}")
def make():
    {body}
    fig = Figure(figsize=(2, 1))
    fig.add_subplot().plot([0, 1], [0, value])
    return fig
"""
PROJECT = {
    "snippets/__init__.py": "",
    "snippets/lib/__init__.py": "",
    "snippets/lib/a.py": "VALUE = 1\n",
    "snippets/lib/b.py": "from . import a\n\nVALUE = a.VALUE + 1\n",
    "snippets/lib/unused.py": "VALUE = 3\n",
    "snippets/zoo/__init__.py": "",
    "snippets/zoo/models/__init__.py": "",
    "snippets/zoo/models/m1.py": "VALUE = 4\n",
    "snippets/zoo/registry.py": textwrap.dedent("""
        import importlib
        import pkgutil


        def value():
            from snippets.zoo import models

            for info in pkgutil.iter_modules(models.__path__):
                importlib.import_module(f"{models.__name__}.{info.name}")
            return 4
    """),
    "snippets/plots/__init__.py": "",
    "results/values.json": "[1, 2]\n",
    # one: imports inside its function; two: at the top, through b's relative import of a; three: a registry
    # that loads every module of a package by name.
    "snippets/plots/one.py": FIGURE.format(name="one", body="from snippets.lib.a import VALUE as value"),
    "snippets/plots/two.py": "from snippets.lib import b\n" + FIGURE.format(name="two", body="value = b.VALUE"),
    "snippets/plots/three.py": FIGURE.format(
        name="three", body="from snippets.zoo.registry import value\n\n    value = value()"),
}


def _hook(root):
    spec = importlib.util.spec_from_file_location(f"figures_hook_{id(root)}", ROOT / "hooks" / "figures.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    hook.use_root(root)
    return hook


@pytest.fixture
def project(tmp_path):
    for rel, text in PROJECT.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf8")
    for name in ("registry.py", "__main__.py"):
        shutil.copy(ROOT / "snippets" / "plots" / name, tmp_path / "snippets" / "plots" / name)
    return tmp_path


def _edit(project, rel, text="\n# an edit\n"):
    path = project / rel
    before = path.read_text(encoding="utf8")
    path.write_text(before + text, encoding="utf8")
    return lambda: path.write_text(before, encoding="utf8")


def _changed(hook, before):
    return {name for name, key in hook.figure_keys().items() if before[name] != key}


def test_an_edit_changes_the_keys_of_exactly_the_figures_whose_code_imports_it(project):
    hook = _hook(project)
    assert hook.figure_modules() == {name: f"snippets.plots.{name}" for name in ("one", "three", "two")}
    keys = hook.figure_keys()
    for rel, expected in [
        ("snippets/lib/a.py", {"one", "two"}),  # one imports it in its function, two through b's `from . import a`
        ("snippets/lib/b.py", {"two"}),
        ("snippets/lib/unused.py", set()),
        ("snippets/zoo/models/m1.py", {"three"}),  # loaded by name by the registry three imports
        ("snippets/lib/__init__.py", {"one", "two"}),  # a package's __init__ runs before its modules
        ("snippets/plots/three.py", {"three"}),
        ("snippets/plots/registry.py", {"one", "two", "three"}),  # the drawing code itself
    ]:
        undo = _edit(project, rel)
        assert _changed(hook, keys) == expected, rel
        undo()
        assert hook.figure_keys() == keys, f"undoing the edit to {rel} did not give the earlier keys back"


def test_new_results_in_a_data_file_a_figure_module_lists_change_the_keys_of_exactly_its_figures(project):
    (project / "snippets/plots/results.py").write_text(
        'import json\nfrom pathlib import Path\n\nDATA_FILES = ("results/values.json",)\n'
        + FIGURE.format(name="results", body='value = json.loads(Path(DATA_FILES[0]).read_text())[-1]'),
        encoding="utf8")
    hook = _hook(project)
    keys = hook.figure_keys()
    undo = _edit(project, "results/values.json", "[1, 3]\n")
    assert _changed(hook, keys) == {"results"}
    undo()
    assert hook.figure_keys() == keys
    (project / "results/values.json").unlink()  # missing: a key of its own, and the drawing says what is wrong
    assert _changed(hook, keys) == {"results"}
    (project / "snippets/plots/results.py").write_text(
        "DATA_FILES = (PATH,)\n" + FIGURE.format(name="results", body="value = 1"), encoding="utf8")
    with pytest.raises(ValueError, match=r"results.py:1: DATA_FILES must be a tuple of string literals"):
        hook.figure_keys()


def test_the_mnist1d_figures_keys_hash_the_experiments_results():
    hook = _hook(ROOT)
    assert hook.data_files(ROOT / "snippets/plots/mnist1d.py") == ("experiments/results/mnist1d.json",)
    assert (ROOT / "experiments/results/mnist1d.json").is_file()


def test_dependencies_name_the_files_a_figure_runs(project):
    hook = _hook(project)
    files = {str(p.relative_to(project)) for p in hook.dependencies("snippets.plots.two")}
    assert files == {"snippets/__init__.py", "snippets/plots/__init__.py", "snippets/plots/two.py",
                     "snippets/plots/registry.py", "snippets/plots/__main__.py",
                     "snippets/lib/__init__.py", "snippets/lib/a.py", "snippets/lib/b.py"}


def test_this_sites_figures_depend_on_their_own_code_not_the_whole_tree():
    hook = _hook(ROOT)
    everything = set((ROOT / "snippets").rglob("*.py"))
    modules = hook.figure_modules()
    assert set(modules) == set(all_figures())
    assert {name: make.__module__ for name, make in all_figures().items()} == modules
    for name, module in modules.items():
        files = set(hook.dependencies(module))
        assert hook.module_file(module) in files and set(hook.ENTRY) <= files, name
        assert files < everything, f"{name} depends on every file under snippets/"
    assert len(set(hook.figure_keys().values())) == len(modules), "two figures share a cache key"


def test_a_cold_cache_shares_the_work_out_by_the_committed_times_and_the_cache_s_own_win(project):
    hook = _hook(project)
    (project / "hooks").mkdir()
    hook.MEASURED.write_text('{"one": 30.0, "two": 20.0, "three": 15.0}', encoding="utf8")
    assert hook._share_out(["one", "two", "three"], 2) == [["one"], ["three", "two"]]
    hook.CACHE.mkdir(parents=True)
    hook.TIMES.write_text('{"two": 50.0}', encoding="utf8")  # this machine's own measurement wins
    assert hook._share_out(["one", "two", "three"], 2) == [["two"], ["one", "three"]]


def test_the_committed_drawing_times_name_exactly_this_sites_figures():
    hook = _hook(ROOT)
    times = hook._load_times(hook.MEASURED)
    assert set(times) == set(hook.figure_modules()), "rewrite hooks/figure_seconds.json from .cache/figures/.times.json"
    assert all(isinstance(t, float) and t > 0 for t in times.values())


class _Recording:
    """Stands in for ``hook.Drawing``: the real drawing, and a list of what each drawing was asked for."""

    def __init__(self, hook):
        self.asked, real = [], hook.Drawing

        def drawing(wanted, **kwargs):
            self.asked.append(set(wanted))
            return real(wanted, **kwargs)

        hook.Drawing = drawing


def _config(project):
    return SimpleNamespace(site_dir=str(project / "site"), use_directory_urls=True,
                           plugins=SimpleNamespace(_current_plugin=None))


def _figure_files(files):
    return {f.src_uri: f for f in files if f.src_uri.startswith("figures/")}


def test_build_draws_only_what_an_edit_affects_and_an_undo_draws_nothing(project):
    hook = _hook(project)
    drawings = _Recording(hook)
    hook.on_startup("build", dirty=False)
    files = _figure_files(hook.on_files([], _config(project)))
    assert drawings.asked == [{"one", "two", "three"}]
    assert set(files) == {"figures/one.svg", "figures/two.svg", "figures/three.svg"}
    first = {uri: Path(f.abs_src_path) for uri, f in files.items()}
    assert all(path.is_file() and "<svg" in path.read_text(encoding="utf8") for path in first.values())
    undo = _edit(project, "snippets/lib/b.py")
    files = _figure_files(hook.on_files([], _config(project)))
    assert drawings.asked[1:] == [{"two"}]
    assert Path(files["figures/one.svg"].abs_src_path) == first["figures/one.svg"]
    assert Path(files["figures/two.svg"].abs_src_path) != first["figures/two.svg"]
    undo()
    files = _figure_files(hook.on_files([], _config(project)))
    assert len(drawings.asked) == 2, "undoing the edit drew again instead of using the kept version"
    assert {uri: Path(f.abs_src_path) for uri, f in files.items()} == first


def test_a_figure_with_panels_side_by_side_gets_a_narrow_variant_with_them_stacked(project):
    (project / "snippets/plots/pair.py").write_text(textwrap.dedent("""
        from matplotlib.figure import Figure

        from snippets.plots.registry import figure


        @figure("pair")
        def make():
            fig = Figure(figsize=(9, 3))
            for ax in fig.subplots(1, 2):
                ax.plot([0, 1], [1, 0])
            return fig
    """), encoding="utf8")
    hook = _hook(project)
    hook.on_startup("build", dirty=False)
    files = _figure_files(hook.on_files([], _config(project)))
    assert "figures/pair.narrow.svg" in files and "figures/one.narrow.svg" not in files
    def size(uri):
        text = Path(files[uri].abs_src_path).read_text("utf8")
        return [float(v) for v in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', text).groups()]

    wide, narrow = size("figures/pair.svg"), size("figures/pair.narrow.svg")
    assert narrow[0] < 0.8 * wide[0] and narrow[1] > 1.5 * wide[1], (wide, narrow)


def test_a_figure_that_fails_fails_the_build_and_names_itself(project):
    (project / "snippets/plots/bad.py").write_text(
        FIGURE.format(name="bad", body='raise ValueError("no data for this figure")'), encoding="utf8")
    hook = _hook(project)
    hook.on_startup("build", dirty=False)
    with pytest.raises(PluginError, match=r"(?s)figure bad failed.*no data for this figure"):
        hook.on_files([], _config(project))
    assert hook.version_path("one", hook.figure_keys()["one"]).is_file(), "the other figures were not kept"


def test_serve_shows_placeholders_at_once_and_asks_for_one_rebuild_when_drawing_ends(project):
    hook = _hook(project)
    drawings = _Recording(hook)
    hook.on_startup("serve", dirty=False)
    files = _figure_files(hook.on_files([], _config(project)))
    assert set(files) == {"figures/one.svg", "figures/two.svg", "figures/three.svg"}
    for uri, f in files.items():
        assert f.abs_src_path is None and hook.PLACEHOLDER_MARK in f.content_string, uri
    hook.on_files([], _config(project))  # a rebuild while drawing: the same drawing goes on
    assert len(drawings.asked) == 1
    job = hook._state["job"]
    job.thread.join()
    assert not job.failed
    assert [p.name for p in hook.DRAWN.iterdir()] == ["stamp"]  # the one file serve watches: one rebuild
    files = _figure_files(hook.on_files([], _config(project)))
    assert all(Path(f.abs_src_path).is_file() for f in files.values())
    assert len(drawings.asked) == 1


def test_serve_watches_each_snippet_folder_but_not_the_bytecode_python_writes_there(project):
    hook = _hook(project)
    (project / "snippets" / "plots" / "__pycache__").mkdir()
    (project / "snippets" / "plots" / "__pycache__" / "one.cpython-311.pyc").write_bytes(b"")
    watched = []
    server = SimpleNamespace(watch=lambda path, recursive=True: watched.append((Path(path), recursive)))
    hook.on_serve(server, None, None)
    snippet_watches = [(path, recursive) for path, recursive in watched if path.is_relative_to(project / "snippets")]
    folders = {path.parent for path in (project / "snippets").rglob("*.py")}
    assert {path for path, _ in snippet_watches} == folders and project / "snippets" / "plots" in folders
    assert not any(recursive for _, recursive in snippet_watches)  # an edit is seen, a __pycache__ write is not
    assert (hook.DRAWN, True) in watched
