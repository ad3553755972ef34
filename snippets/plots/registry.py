"""Figure registry: ``@figure("name")`` marks a function that returns a matplotlib Figure.

The site build renders each registered figure to ``figures/<name>.svg`` (see ``hooks/figures.py``);
pages show it with ``![what the figure shows](<relative path>/figures/<name>.svg)``.
"""

import importlib
import pkgutil

_FIGURES = {}


def figure(name):
    """Register ``make() -> matplotlib.figure.Figure`` under ``name`` (the SVG file's stem)."""

    def decorate(make):
        if name in _FIGURES and _FIGURES[name].__qualname__ != make.__qualname__:
            raise ValueError(f"a figure named {name!r} is already registered by {_FIGURES[name].__module__}")
        _FIGURES[name] = make
        return make

    return decorate


def all_figures():
    """Every registered figure as {name: make}, after importing every module of ``snippets.plots``."""
    from snippets import plots

    for info in pkgutil.iter_modules(plots.__path__):
        if info.name != "registry":
            importlib.import_module(f"{plots.__name__}.{info.name}")
    return dict(sorted(_FIGURES.items()))


def render(name, path):
    """Draw figure ``name`` and save it as SVG at ``path`` (deterministic: no timestamps or random ids)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    make = all_figures()[name]
    fig = make()
    with matplotlib.rc_context({"svg.hashsalt": name, "svg.fonttype": "none"}):
        fig.savefig(path, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
