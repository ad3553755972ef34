"""Figure registry: ``@figure("name")`` marks a function that returns a matplotlib Figure.

The site build renders each registered figure to ``figures/<name>.svg`` (see ``hooks/figures.py``);
pages show it with ``![what the figure shows](<relative path>/figures/<name>.svg)``.
"""

import ast
import importlib
import pkgutil
from pathlib import Path

_FIGURES = {}
PLOTS = Path(__file__).resolve().parent


def figure(name):
    """Register ``make() -> matplotlib.figure.Figure`` under ``name`` (the SVG file's stem)."""

    def decorate(make):
        if name in _FIGURES and _FIGURES[name].__qualname__ != make.__qualname__:
            raise ValueError(f"a figure named {name!r} is already registered by {_FIGURES[name].__module__}")
        _FIGURES[name] = make
        return make

    return decorate


def figure_modules():
    """{figure name: module that registers it}, read from the sources of ``snippets.plots`` without importing
    them (no TensorFlow start-up): every ``@figure("name")`` decorator."""
    found = {}
    for path in sorted(PLOTS.glob("*.py")):
        if path.stem in ("__init__", "__main__", "registry"):
            continue
        for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
            for decorator in getattr(node, "decorator_list", []):
                if (isinstance(decorator, ast.Call) and getattr(decorator.func, "id", None) == "figure"
                        and decorator.args and isinstance(decorator.args[0], ast.Constant)):
                    found[decorator.args[0].value] = f"snippets.plots.{path.stem}"
    return dict(sorted(found.items()))


def all_figures():
    """Every registered figure as {name: make}, after importing every module of ``snippets.plots``."""
    from snippets import plots

    for info in pkgutil.iter_modules(plots.__path__):
        if info.name not in ("registry", "__main__"):
            importlib.import_module(f"{plots.__name__}.{info.name}")
    return dict(sorted(_FIGURES.items()))


def render(name, path):
    """Draw figure ``name`` and save it as SVG at ``path`` (deterministic: no timestamps or random ids).

    Only the module that registers the figure is imported (with what it imports), so a figure depends on the code
    that ``hooks/figures.py`` hashes into its cache key and on nothing else. The file appears whole or not at all.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    modules = figure_modules()
    if name not in modules:
        raise ValueError(f"unknown figure {name!r}; expected one of: {', '.join(modules)}")
    importlib.import_module(modules[name])
    fig = _FIGURES[name]()
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    with matplotlib.rc_context({"svg.hashsalt": name, "svg.fonttype": "none"}):
        fig.savefig(partial, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    partial.replace(path)
