"""Render every registered figure to SVG: ``python -m snippets.plots OUT_DIR [NAME ...]``.

The site build calls this (see ``hooks/figures.py``); readers can call it to regenerate one figure.
"""

import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main(argv):
    if not argv:
        print("usage: python -m snippets.plots OUT_DIR [NAME ...]", file=sys.stderr)
        return 2
    from snippets.plots.registry import all_figures, render

    out_dir, names = argv[0], argv[1:]
    known = all_figures()
    unknown = sorted(set(names) - set(known))
    if unknown:
        print(f"unknown figure(s) {', '.join(unknown)}; expected some of: {', '.join(known)}", file=sys.stderr)
        return 2
    os.makedirs(out_dir, exist_ok=True)
    for name in names or known:
        start = time.perf_counter()
        render(name, os.path.join(out_dir, f"{name}.svg"))
        print(f"figure {name}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
