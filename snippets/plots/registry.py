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
NARROW_WIDTH = 5.5  # inches: the narrow variant's width; a 390-pixel phone shows it at two thirds of its size


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


def narrow_variant(fig):
    """Lay the side-by-side panels of ``fig`` out for a phone, in place: stacked in one column (two columns for
    four panels or more), each as tall as before. Only for a plain row of subplots, each maybe with its colour bar
    (``fig.colorbar(..., ax=ax)`` splits the panel's cell); returns False, and changes nothing, for any other
    figure (diagrams, grids, figure legends)."""
    specs = [ax.get_subplotspec() for ax in fig.axes]
    if len(specs) < 2 or None in specs or fig.legends:
        return False
    cells = [spec.get_topmost_subplotspec() for spec in specs]
    grid = cells[0].get_gridspec()
    if grid.nrows != 1 or any(c.get_gridspec() is not grid or c.num1 != c.num2 for c in cells):
        return False
    if sorted({c.num1 for c in cells}) != list(range(grid.ncols)):
        return False
    split = [spec.get_gridspec() for spec in specs if spec.get_gridspec() is not grid]
    if any(getattr(g, "_subplot_spec", None) is None for g in split):
        return False
    panels = grid.ncols
    cols = 1 if panels <= 3 else 2
    rows = -(-panels // cols)
    width, height = fig.get_size_inches()
    panel_height = height * min(1.0, NARROW_WIDTH / cols / (width / panels))
    stacked = fig.add_gridspec(rows, cols)
    new_cell = {i: stacked[i // cols, i % cols] for i in range(panels)}
    for g in set(split):  # a panel split for its colour bar: move the whole split cell
        g._subplot_spec = new_cell[g._subplot_spec.num1]
    for ax, spec, cell in zip(fig.axes, specs, cells, strict=True):
        ax.set_subplotspec(new_cell[cell.num1] if spec.get_gridspec() is grid else spec)
        ax.tick_params(labelleft=True, labelbottom=True)  # shared axes showed their labels on one side only
    fig.set_size_inches(NARROW_WIDTH, panel_height * rows)
    fig.tight_layout()
    return True


def render(name, path):
    """Draw figure ``name`` and save it as SVG at ``path`` (deterministic: no timestamps or random ids); a figure
    whose panels sit side by side is saved a second time with them stacked, as ``<name>.narrow.svg`` beside it.

    Only the module that registers the figure is imported (with what it imports), so a figure depends on the code
    that ``hooks/figures.py`` hashes into its cache key and on nothing else. Each file appears whole or not at all.
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
    narrow = path.with_name(f"{path.stem}.narrow.svg")
    narrow.unlink(missing_ok=True)
    with matplotlib.rc_context({"svg.hashsalt": name, "svg.fonttype": "none"}):
        for target in (path, narrow):
            if target == narrow and not narrow_variant(fig):
                break
            partial = target.with_name(f".{target.name}.partial")
            fig.savefig(partial, format="svg", bbox_inches="tight", metadata={"Date": None})
            partial.replace(target)
    plt.close(fig)
