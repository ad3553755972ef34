"""Figures of the site, drawn with matplotlib from the code in ``snippets``.

Each module registers its figures with :func:`snippets.plots.registry.figure`; the site build
(``hooks/figures.py``) and the tests find them through :func:`snippets.plots.registry.all_figures`.
"""
